"""What the browser tests of the file imports share (test_household_import, test_statement_import)."""

from playwright.sync_api import Page

from ..import_steps import XLSX

WORKER = 30_000  # ms: the worker's turn, then the page's next poll (every 2 s)


def upload(page: Page, content: bytes, name: str) -> None:
    """The import page's form: the file chosen, then sent."""
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": XLSX, "buffer": content})
    page.locator("[data-testid=import-form] button[type=submit]").click()

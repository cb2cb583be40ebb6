"""The Excel import in a real browser: a commune officer uploads a file with a mistake, reads
where it is, uploads the corrected file, confirms, and finds the households in the list.

Things are found by ``data-testid``, names and values, not by interface text (see test_households).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from households.models import Household

from ..factories import TEST_PASSWORD
from ..households.test_import import head_row, member_row, xlsx
from .test_browser import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DETAIL_URL = re.compile(r"/households/import/\d+/$")


def upload(page: Page, content: bytes) -> None:
    page.locator("input[type=file]").set_input_files({"name": "ho-gia-dinh.xlsx", "mimeType": XLSX, "buffer": content})
    page.locator("[data-testid=import-form] button[type=submit]").click()


@pytest.mark.e2e
def test_officer_corrects_a_file_and_imports_it(page: Page, world, snap):
    page.goto("/households/import/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page.get_by_test_id("import-form")).to_be_visible()
    snap("upload")

    upload(page, xlsx([head_row(), member_row(birth="30/02/1975")]))
    expect(page).to_have_url(DETAIL_URL)
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").first).to_have_text("3")
    expect(page.locator("button[value=confirm]")).to_have_count(0)
    snap("errors")

    page.goto("/households/import/")
    upload(page, xlsx([head_row(), member_row()]))
    expect(page.get_by_test_id("import-ready")).to_be_visible()
    assert not Household.objects.exists()
    snap("preview")
    page.locator("button[value=confirm]").click()

    expect(page.get_by_test_id("import-done")).to_be_visible()
    assert Household.objects.filter(commune=world.commune, head_name="Nguyễn Văn An 1").exists()

"""The Excel import in a real browser, with a real Celery worker checking and saving the files: a
commune officer uploads a file with a mistake, the page follows the check and then shows the rows
as they will be saved with the mistake on its row; the officer uploads the corrected file,
confirms, and the page follows the save to its end.

Things are found by ``data-testid``, names and values, not by interface text (see test_households).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from households.models import Household

from ..factories import TEST_PASSWORD
from ..households.test_import import head_row, member_row, xlsx
from .imports import WORKER, upload
from .test_browser import sign_in

DETAIL_URL = re.compile(r"/households/import/\d+/$")
FILE_NAME = "ho-gia-dinh.xlsx"


@pytest.mark.e2e
def test_officer_corrects_a_file_and_imports_it(page: Page, world, snap, celery_workers):
    celery_workers.start()
    page.goto("/households/import/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page.get_by_test_id("import-form")).to_be_visible()
    snap("upload")

    upload(page, xlsx([head_row(), member_row(birth="30/02/1975")]), FILE_NAME)
    expect(page).to_have_url(DETAIL_URL)
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(1, timeout=WORKER)
    expect(errors.locator("tbody tr td").first).to_have_text("3")
    preview = page.get_by_test_id("import-preview")
    expect(preview.locator("tr[data-row]")).to_have_count(2)
    expect(preview.locator("tr[data-problems-of='3']")).to_contain_text("30/02/1975")
    expect(page.locator("button[value=confirm]")).to_have_count(0)
    snap("errors")

    page.goto("/households/import/")
    upload(page, xlsx([head_row(), member_row()]), FILE_NAME)
    expect(page.get_by_test_id("import-ready")).to_be_visible(timeout=WORKER)
    expect(page.get_by_test_id("import-preview").locator("tr[data-row='2']")).to_contain_text("Nguyễn Văn An 1")
    assert not Household.objects.exists()
    snap("preview")
    page.locator("button[value=confirm]").click()

    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=WORKER)
    assert Household.objects.filter(commune=world.commune, head_name="Nguyễn Văn An 1").exists()


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_preview_and_errors_read_on_a_phone_without_scrolling_sideways(page: Page, world, snap, celery_workers):
    celery_workers.start()
    page.goto("/households/import/")
    sign_in(page, "officer", TEST_PASSWORD)
    rows = [head_row(), member_row(birth="30/02/1975"), member_row(full_name="Nguyễn Thị Cúc", birth=2010,
                                                                   relation="Con", sex="?")]
    upload(page, xlsx(rows), FILE_NAME)
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_be_visible(timeout=WORKER)

    expect(preview.locator("thead")).to_be_hidden()  # a block per row, each value labelled
    row = preview.locator("tr[data-row='4']")
    expect(row).to_contain_text("Nguyễn Thị Cúc")
    expect(preview.locator("tr[data-problems-of='4']")).to_contain_text("Giới tính")
    errors = page.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(2)
    for table in (preview, errors):
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the table fits the phone's width"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap("phone")

"""The bank statement import in a real browser, with a real Celery worker: a commune officer opens
the fund's import page, uploads the bank's statement, the page follows the check and shows the
proposed receipts with their donors and campaigns; the officer confirms and the page follows the
recording to its end. On a phone the preview reads without scrolling sideways.

Things are found by ``data-testid``, names and values, not by interface text (see test_households).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from donations.models import Receipt

from ..donations.factories import FundFactory
from ..donations.test_statement_import import GOOD_LINES, line, statement_xlsx
from ..factories import TEST_PASSWORD
from .imports import WORKER, upload
from .test_browser import sign_in

DETAIL_URL = re.compile(r"/funds/statement-imports/\d+/$")
FILE_NAME = "sao-ke.xlsx"


@pytest.mark.e2e
def test_officer_imports_the_funds_statement(page: Page, world, snap, celery_workers):
    fund = FundFactory(unit=world.commune)
    celery_workers.start()
    page.goto(f"/funds/{fund.pk}/statement-import/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page.get_by_test_id("import-form")).to_be_visible()

    upload(page, statement_xlsx(GOOD_LINES), FILE_NAME)
    expect(page).to_have_url(DETAIL_URL)
    expect(page.get_by_test_id("import-ready")).to_be_visible(timeout=WORKER)
    preview = page.get_by_test_id("import-preview")
    expect(preview.locator("tr[data-row]")).to_have_count(4)
    expect(preview.locator("tr[data-row='8']")).to_contain_text("FT25290000001")
    expect(preview.locator("tr[data-row='9'] td[data-donor='new']")).to_contain_text("Nguyen Van An")
    assert not Receipt.objects.exists()
    snap("preview")
    page.locator("button[value=confirm]").click()

    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=WORKER)
    assert Receipt.objects.filter(fund=fund).count() == 4


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_the_statements_preview_and_errors_read_on_a_phone(page: Page, world, celery_workers):
    fund = FundFactory(unit=world.commune)
    celery_workers.start()
    page.goto(f"/funds/{fund.pk}/statement-import/")
    sign_in(page, "officer", TEST_PASSWORD)
    upload(page, statement_xlsx([line(), line(reference="FT2", credit="1.000.000,5", date="31/02/2025")]), FILE_NAME)
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_be_visible(timeout=WORKER)
    expect(preview.locator("thead")).to_be_hidden()  # a block per row, each value labelled
    expect(preview.locator("tr[data-problems-of='9']")).to_contain_text("Ghi có")
    expect(page.get_by_test_id("import-errors").locator("tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

"""A big export of the household list in a real browser (issue 11, point 6): a district member filters the
list, asks for its Excel export, which is past the rows written at once (lowered here), is offered to
make it in the background, sees its card waiting, and, once a real Celery worker (tests/workers.py) has
made it, the card (htmx polling) offers the download; the file holds the filtered households of the
district and none of another's.

Things are found by ``data-testid`` and data the test made, not by interface text.
"""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from frontwelfare.reports.choices import ReportStatus
from frontwelfare.reports.models import Export

from ..households.factories import HouseholdFactory
from .test_browser import sign_in

EXPORT_URL = re.compile(r"/exports/(\d+)/$")
FINISHED_WITHIN = 60_000  # ms: the worker starts once the card shows it waiting


@pytest.mark.e2e
def test_district_member_asks_for_a_big_export_and_downloads_it_when_the_worker_is_done(
        page: Page, world, celery_workers, settings, snap, tmp_path):
    settings.EXPORT_AT_ONCE_MAX_ROWS = 3
    wanted = [HouseholdFactory(commune=commune, hamlet="Ấp Phước Hậu").code
              for commune in (world.commune, world.commune, world.sibling_commune, world.sibling_commune)]
    HouseholdFactory(commune=world.commune, hamlet="Ấp Tân Lập")  # filtered out
    elsewhere = HouseholdFactory(commune=world.other_district_commune, hamlet="Ấp Phước Hậu").code

    page.goto("/households/?hamlet=Phước Hậu")
    sign_in(page, "member")
    expect(page.get_by_test_id("household-table").locator("tbody tr")).to_have_count(4)
    page.get_by_test_id("export-xlsx").click()

    offer = page.get_by_test_id("export-offer")
    expect(offer.get_by_test_id("export-row-count")).to_contain_text("4")
    snap("offer")
    offer.get_by_test_id("export-make").click()

    expect(page).to_have_url(EXPORT_URL)
    card = page.get_by_test_id("export-progress")
    expect(card).to_have_attribute("data-status", ReportStatus.QUEUED)
    expect(card.get_by_test_id("export-progress-bar")).to_have_attribute("aria-valuenow", "0")
    snap("waiting")

    celery_workers.start()
    download_button = card.get_by_test_id("export-download")
    expect(download_button).to_be_visible(timeout=FINISHED_WITHIN)  # brought by the card's own polling
    expect(card).to_have_attribute("data-status", ReportStatus.DONE)
    expect(card).not_to_have_attribute("hx-trigger", re.compile(".*"))
    snap("done")

    with page.expect_download() as download:
        download_button.click()
    assert re.fullmatch(r"ho-gia-dinh-\d{8}\.xlsx", download.value.suggested_filename)
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = load_workbook(saved).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(wanted)
    assert elsewhere not in codes
    export = Export.objects.get()
    assert (export.filters, export.requested_by, export.row_count) == (
        {"hamlet": "Phước Hậu"}, world.district_member, 4)

"""The report pages in a real browser: the request form shows the fields of what is chosen; and a
provincial officer asks for a district's housing report, which a real Celery worker (tests/workers.py)
makes while the report's page follows it by itself (htmx polling) until its download button appears,
and the file downloaded holds the figures of the records the test made.

The report strings are not in the Vietnamese catalogue yet, so things are found by ids,
``data-testid`` and ``data-*`` values.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.report_sections import SOCIAL_SECURITY
from housing.choices import CaseState, Transition, WorkKind
from housing.models import CaseTransition
from housing.report_sections import HOUSING

from ..households.factories import HouseholdFactory
from ..housing.factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state
from .test_browser import open_menu, sign_in

REPORT_URL = re.compile(r"/reports/(\d+)/$")
# Seconds the worker pauses after each of the housing report's three sections (at 10, 60 and 80 %):
# the report is being made for four and a half seconds, so that a poll of the page (every two
# seconds) lands in the middle with time to spare on a slow machine.
REPORT_DELAY = 1.5
FINISHED_WITHIN = 30_000  # ms

# Each state the report's card shows, in order, as the page's htmx swaps bring it: the card's
# status and its progress bar's value (none once done). Installed on the report's page, kept in
# `window.fwSeen`, which a reload of the page would lose. For the few milliseconds of htmx's settling
# a new card wears the old one's attributes: a card "done" with a bar, or not done without one, is
# such a moment, not a state.
WATCH_PROGRESS = """() => {
    window.fwSeen = [];
    const note = () => {
        const card = document.getElementById("report-progress");
        if (!card) return;
        const bar = card.querySelector("[data-testid=progress-bar]");
        if ((card.dataset.status === "done") === Boolean(bar)) return;
        const state = [card.dataset.status, bar ? Number(bar.getAttribute("aria-valuenow")) : null];
        const last = window.fwSeen[window.fwSeen.length - 1];
        if (!last || last[0] !== state[0] || last[1] !== state[1]) window.fwSeen.push(state);
    };
    note();
    new MutationObserver(note).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                       attributeFilter: ["data-status", "aria-valuenow"]});
}"""


def _step(case, name, to_state, day):
    CaseTransition.objects.create(case=case, name=name, to_state=to_state, actor=case.proposed_by, happened_on=day,
                                  at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))))


def _handed_over(programme, commune, completed: datetime.date, handed_over: datetime.date):
    """A new house handed over, with the steps that took it there."""
    house = case_in_state(CaseState.HANDED_OVER, programme=programme, household=HouseholdFactory(commune=commune))
    _step(house, Transition.APPROVE, CaseState.APPROVED, datetime.date(2025, 4, 10))
    _step(house, Transition.START, CaseState.CONSTRUCTION_STARTED, datetime.date(2025, 5, 1))
    _step(house, Transition.COMPLETE, CaseState.COMPLETED, completed)
    _step(house, Transition.HAND_OVER, CaseState.HANDED_OVER, handed_over)


@pytest.fixture
def programme(world):
    """Mỏ Cày Bắc's programme under Decision 781/QĐ-UBND. Phước Mỹ Trung: a target of 3 new houses;
    one handed over in June 2025, one still being built at the end of June (handed over in July);
    40.000.000 from the state budget for each. Phú Mỹ: a target of 1 repair, approved in April
    (30.000.000 from the state budget). Châu Thành, another district, has a house of its own
    programme, which the report does not count."""
    programme = ProgrammeFactory(unit=world.district, name="Xóa nhà tạm huyện Mỏ Cày Bắc 2025",
                                 decision_number="781/QĐ-UBND")
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=3, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=0, repairs=1)
    _handed_over(programme, world.commune, datetime.date(2025, 6, 10), datetime.date(2025, 6, 20))
    _handed_over(programme, world.commune, datetime.date(2025, 7, 1), datetime.date(2025, 7, 15))
    repair = case_in_state(CaseState.APPROVED, programme=programme,
                           household=HouseholdFactory(commune=world.sibling_commune), work_kind=WorkKind.REPAIR,
                           estimated_cost=30_000_000, state_budget=30_000_000, fund_for_the_poor=0, family_amount=0)
    _step(repair, Transition.APPROVE, CaseState.APPROVED, datetime.date(2025, 4, 10))
    elsewhere = case_in_state(CaseState.APPROVED, household=HouseholdFactory(commune=world.other_district_commune))
    _step(elsewhere, Transition.APPROVE, CaseState.APPROVED, datetime.date(2025, 4, 10))
    return programme


def _open_request_form(page: Page) -> None:
    page.goto("/reports/")
    sign_in(page, "provincial")
    open_menu(page)
    page.locator("#main-nav .nav-link[href='/reports/']").click()
    page.get_by_test_id("new-report").click()


def _sheet_rows(path: Path) -> list[dict[str, tuple]]:
    """Each sheet's table rows by their first cell (the unit's name, or the totals' label)."""
    workbook = load_workbook(path)
    return [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
            for sheet in workbook.worksheets]


@pytest.mark.e2e
def test_the_request_form_shows_the_fields_of_what_is_chosen(page: Page, world):
    ProgrammeFactory(unit=world.district, decision_number="781/QĐ-UBND")
    _open_request_form(page)

    # Only the housing report is about a programme; each kind of period shows its own fields.
    expect(page.locator("#id_programme")).to_be_hidden()
    expect(page.locator("#id_quarter")).to_be_visible()
    expect(page.locator("#id_month")).to_be_hidden()
    page.locator("#id_period_kind").select_option("range")
    expect(page.locator("#id_period_start")).to_be_visible()
    expect(page.locator("#id_year")).to_be_hidden()
    page.locator("#id_period_kind").select_option("month")
    expect(page.locator("#id_month")).to_be_visible()
    expect(page.locator("#id_period_start")).to_be_hidden()
    page.locator("#id_kind").select_option(HOUSING)
    expect(page.locator("#id_programme")).to_be_visible()
    page.locator("#id_kind").select_option(SOCIAL_SECURITY)
    expect(page.locator("#id_programme")).to_be_hidden()


@pytest.mark.e2e
def test_provincial_officer_asks_for_a_districts_housing_report_and_downloads_it_when_the_worker_is_done(
        page: Page, world, programme, celery_workers, snap, tmp_path):
    worker = celery_workers.start(report_delay=REPORT_DELAY)
    _open_request_form(page)

    page.locator("#id_kind").select_option(HOUSING)
    page.locator("#id_unit").select_option(str(world.district.pk))
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("#id_period_kind").select_option("quarter")
    page.locator("#id_year").select_option("2025")
    page.locator("#id_quarter").select_option("2")
    xlsx = page.locator(f"input[name=file_format][value={ReportFormat.XLSX}]")
    page.locator(f"label[for={xlsx.get_attribute('id')}]").click()
    expect(xlsx).to_be_checked()
    snap("form")
    page.get_by_test_id("ask-report").click()

    expect(page).to_have_url(REPORT_URL)
    page.evaluate(WATCH_PROGRESS)
    card = page.get_by_test_id("report-progress")
    expect(card).to_have_attribute("data-status", re.compile(f"^({ReportStatus.QUEUED}|{ReportStatus.RUNNING})$"))

    # The worker takes it and goes through its sections: the page follows by itself.
    expect(card).to_have_attribute("data-status", ReportStatus.RUNNING, timeout=FINISHED_WITHIN)
    expect(page.get_by_test_id("progress-bar")).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]\d?$"),
                                                                  timeout=FINISHED_WITHIN)
    snap("running")

    download_button = card.get_by_test_id("download")
    expect(download_button).to_be_visible(timeout=FINISHED_WITHIN)
    expect(card).to_have_attribute("data-status", ReportStatus.DONE)
    expect(card).not_to_have_attribute("hx-trigger", re.compile(".*"))  # the polling has stopped
    snap("done")
    seen = [tuple(state) for state in page.evaluate("window.fwSeen")]
    # The same page all along (no reload lost the record), and at least one state between "asked"
    # and "done" brought by a swap: the bar moved by itself, forwards only, to the end.
    assert seen[-1] == (ReportStatus.DONE, None), seen
    swapped_in = seen[1:-1]
    assert any(status == ReportStatus.RUNNING and 0 < value < 100 for status, value in swapped_in), seen
    values = [value for _status, value in seen[:-1]]
    assert values == sorted(values), seen

    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "bao-cao-nha-o-781-qd-ubnd-huyen-mo-cay-bac-2025-q2.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    report = Report.objects.get()
    assert (report.kind, report.unit, report.options, report.format) == (
        HOUSING, world.district, {"programme": programme.pk}, ReportFormat.XLSX)
    assert (report.period_start, report.period_end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert (report.status, report.progress, report.attempts, report.error) == (ReportStatus.DONE, 100, 1, ""), \
        worker.output()
    # The file the worker wrote in the shared MEDIA_ROOT, served by the live server.
    assert saved.read_bytes() == (Path(settings.MEDIA_ROOT) / report.file.name).read_bytes()

    # As things stood at the end of June, from each case's steps: target, approved, under
    # construction, completed, handed over (new houses, then repairs); money by source (state
    # budget first); the stages as percentages of the target. Châu Thành's house is not counted.
    stages, money, percent = _sheet_rows(saved)
    assert stages["Thị trấn Phước Mỹ Trung"][:10] == (3, 2, 1, 1, 1, 0, 0, 0, 0, 0)
    assert stages["Xã Phú Mỹ"][:10] == (0, 0, 0, 0, 0, 1, 1, 0, 0, 0)
    assert "Xã Tân Thạch" not in stages
    assert stages["Tổng cộng"][:10] == (3, 2, 1, 1, 1, 1, 1, 0, 0, 0)
    assert money["Thị trấn Phước Mỹ Trung"][0] == 80_000_000
    assert money["Xã Phú Mỹ"][0] == 30_000_000
    assert money["Tổng cộng"][0] == 110_000_000
    assert percent["Thị trấn Phước Mỹ Trung"][:4] == (67, 33, 33, 33)
    assert percent["Xã Phú Mỹ"][4:8] == (100, 0, 0, 0)

    # The list, as cards on a phone, with the file to download.
    open_menu(page)
    page.locator("#main-nav .nav-link[href='/reports/']").click()
    row = page.get_by_test_id("report-row")
    expect(row).to_have_attribute("data-status", ReportStatus.DONE)
    expect(row.get_by_test_id("download")).to_be_visible()

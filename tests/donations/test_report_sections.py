"""The fund statement and the campaign report (donations.report_sections): their figures checked
against the ledger of tests/donations/ledger_data.py, counted by the day each movement happened,
within the report's unit only, in a fixed number of grouped queries; and the files a user asks for,
read back with openpyxl and pdftotext."""

import shutil
import subprocess
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from donations import services as donation_services
from donations.choices import Purpose
from donations.report_sections import CAMPAIGN_REPORT, FUND_STATEMENT
from donations.selectors import campaign_progress, campaigns_progress
from frontwelfare.reports import figures, periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus

from ..factories import CommuneFactory
from .factories import FundFactory
from .ledger_data import CAMPAIGN, OUTSIDER_CAMPAIGN, build_ledger, day

YEAR_2025 = periods.year(2025)
OWN = "Huyện Mỏ Cày Bắc (its own funds)"
COMMUNE, SIBLING = "Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ"
M = 1_000_000


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def _report(kind, unit, period=YEAR_2025, **options):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=kind, unit=unit, period=period, options=options))


def _tables(report) -> dict[str, dict[str, list]]:
    """{section title: {first cell of each row (and "Total"): the rest of the row}}."""
    return {section.title: {row[0]: row[1:] for row in [*section.rows, section.total]}
            for section in report.sections}


def test_the_districts_statement_shows_opening_movements_and_closing_of_each_row(world, ledger):
    statement = _tables(_report(FUND_STATEMENT, world.district))["Fund statement"]
    # Opening, receipts, disbursements, transfers in, transfers out, closing.
    assert statement[OWN] == [10 * M, 70 * M, 15 * M, 0, 30 * M, 35 * M]
    assert statement[COMMUNE] == [0, 0, 12 * M, 30 * M, 0, 18 * M], "the reversal nets out; 2026 is not counted"
    assert statement[SIBLING] == [0, 8 * M, 0, 0, 0, 8 * M], "a transfer reversed is no transfer in"
    assert statement["Total"] == [10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M]
    assert "Xã Tân Thạch" not in statement


def test_receipts_count_by_donor_kind_and_by_campaign(world, ledger):
    tables = _tables(_report(FUND_STATEMENT, world.district))
    by_kind = tables["Receipts by donor kind"]
    # Individual, business, organisation, member organisation, agency, foreign; the total amount across them.
    assert by_kind[OWN] == [0, 50 * M, 0, 20 * M, 0, 0, 70 * M], "the 2024 receipt is in the opening balance"
    assert by_kind[SIBLING] == [8 * M, 0, 0, 0, 0, 0, 8 * M]
    by_campaign = tables["Receipts by campaign"]
    assert by_campaign[OWN] == [50 * M, 20 * M, 70 * M]
    assert by_campaign["Total"] == [50 * M, 28 * M, 78 * M]
    columns = [column.label for column in _report(FUND_STATEMENT, world.district).sections[2].columns]
    assert columns == ["Unit", CAMPAIGN, "No campaign", "Total amount"], "another district's campaign is no column"


def test_disbursements_count_by_purpose_net_of_reversals(world, ledger):
    by_purpose = _tables(_report(FUND_STATEMENT, world.district))["Disbursements by purpose"]
    purposes = Purpose.values
    assert by_purpose[COMMUNE][purposes.index(Purpose.TET_GIFTS)] == 12 * M
    assert by_purpose[COMMUNE][purposes.index(Purpose.LIVELIHOOD)] == 0
    assert by_purpose[OWN][purposes.index(Purpose.HOUSING)] == 15 * M
    assert by_purpose["Total"][-1] == 27 * M, "the total amount across the purposes"
    assert sum(by_purpose["Total"][:-1]) == 27 * M


def test_each_earmark_has_its_own_statement(world, ledger):
    by_earmark = _tables(_report(FUND_STATEMENT, world.district))["Fund statement by earmark"]
    assert by_earmark["Unrestricted"] == [10 * M, 58 * M, 12 * M, 30 * M, 30 * M, 56 * M]
    assert by_earmark["Housing"] == [0, 20 * M, 15 * M, 0, 0, 5 * M]
    assert by_earmark["Tet gifts"] == [0] * 6
    assert by_earmark["Total"] == [10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M]


def test_a_period_counts_what_happened_in_it_however_late_it_was_entered(world, ledger):
    first_half = _tables(_report(FUND_STATEMENT, world.district, periods.half_year(2025, 1)))["Fund statement"]
    # The transfer of 01/07 and its reversal fall in the second half.
    assert first_half[OWN] == [10 * M, 70 * M, 15 * M, 0, 30 * M, 35 * M]
    second_half = _tables(_report(FUND_STATEMENT, world.district, periods.half_year(2025, 2)))["Fund statement"]
    assert second_half[OWN] == [35 * M, 0, 0, 0, 0, 35 * M]
    assert second_half[COMMUNE] == [18 * M, 0, 0, 0, 0, 18 * M]
    next_year = _tables(_report(FUND_STATEMENT, world.district, periods.year(2026)))["Fund statement"]
    assert next_year[COMMUNE] == [18 * M, 7 * M, 0, 0, 0, 25 * M]


def test_a_communes_statement_has_its_funds_only(world, ledger):
    statement = _tables(_report(FUND_STATEMENT, world.commune))["Fund statement"]
    assert list(statement) == [COMMUNE, "Total"]
    assert statement[COMMUNE] == [0, 0, 12 * M, 30 * M, 0, 18 * M]


def test_the_provinces_statement_counts_each_district_with_its_communes(world, ledger):
    statement = _tables(_report(FUND_STATEMENT, world.province))["Fund statement"]
    assert statement["Tỉnh Bến Tre (its own funds)"] == [0] * 6
    # Mỏ Cày Bắc's own fund and its communes' together; the transfers between them both ways.
    assert statement["Huyện Mỏ Cày Bắc"] == [10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M]
    assert statement["Huyện Châu Thành"] == [0, 99 * M, 0, 0, 0, 99 * M]


def test_the_statement_of_one_fund_counts_its_lines_only(world, ledger):
    report = _report(FUND_STATEMENT, world.district, fund=ledger.district_fund.pk)
    assert report.title.endswith(ledger.district_fund.name.upper())
    statement = _tables(report)["Fund statement"]
    assert statement[COMMUNE] == [0] * 6
    assert statement["Total"] == [10 * M, 70 * M, 15 * M, 0, 30 * M, 35 * M]


def test_a_fund_of_another_district_is_refused_for_the_district(world, ledger):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.report_request(actor=world.provincial_officer, kind=FUND_STATEMENT, unit=world.district,
                                period=YEAR_2025, file_format=ReportFormat.XLSX,
                                options={"fund": ledger.outsider_fund.pk})
    assert refused.value.message_dict["fund"] == ["This fund belongs to neither the chosen unit nor a unit below it."]


def test_a_fund_the_asker_cannot_see_reads_as_missing(world, ledger):
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=world.district_member, kind=FUND_STATEMENT, unit=world.district,
                                period=YEAR_2025, file_format=ReportFormat.XLSX,
                                options={"fund": ledger.outsider_fund.pk})
    assert list(refused.value.message_dict) == ["fund"]


def test_the_statement_is_three_queries_whatever_the_number_of_communes(world, ledger, django_assert_num_queries):
    # The rows' units, the lines, the campaign columns' names; and the unit's document settings.
    with django_assert_num_queries(4):
        _report(FUND_STATEMENT, world.district)
    for number in range(5):
        FundFactory(unit=CommuneFactory(parent=world.district, name=f"Xã Mới {number}"))
    with django_assert_num_queries(4):
        _report(FUND_STATEMENT, world.district)


def test_the_data_version_changes_with_a_new_posting(world, ledger):
    before = figures.data_version(kind=FUND_STATEMENT, unit=world.district, period=YEAR_2025)
    donation_services.transfer_record(actor=world.district_member, source=ledger.district_fund,
                                      destination=ledger.sibling_fund, amount=1_000, happened_on=day("2025-08-01"))
    assert figures.data_version(kind=FUND_STATEMENT, unit=world.district, period=YEAR_2025) != before
    other = figures.data_version(kind=FUND_STATEMENT, unit=world.other_district, period=YEAR_2025)
    donation_services.transfer_record(actor=world.district_member, source=ledger.district_fund,
                                      destination=ledger.sibling_fund, amount=1_000, happened_on=day("2025-08-02"))
    assert figures.data_version(kind=FUND_STATEMENT, unit=world.other_district, period=YEAR_2025) == other


# -- the campaign report ---------------------------------------------------------------------------

def test_the_campaign_report_shows_target_pledged_received_spent_by_purpose_and_left(world, ledger):
    report = _report(CAMPAIGN_REPORT, world.district)
    campaigns = _tables(report)["Campaigns"]
    assert list(campaigns) == [CAMPAIGN, "Total"], "another district's campaign is not in it"
    row = campaigns[CAMPAIGN]
    # Target, pledged, received, % of target, spent by purpose..., spent, left.
    assert row[:4] == [100 * M, 80 * M, 50 * M, 50]
    # The Tet gifts drew on the 2024 receipt first (10.000.000 through the transfer), then 2.000.000
    # of the campaign's; the livelihood payment was reversed.
    spent = dict(zip(Purpose.values, row[4:4 + len(Purpose)], strict=True))
    assert spent == {**dict.fromkeys(Purpose.values, 0), Purpose.TET_GIFTS: 2 * M}
    assert row[-2:] == [2 * M, 48 * M]
    assert campaign_progress(ledger.campaign).left == 48 * M


def test_the_campaign_report_of_a_past_period_shows_the_campaign_as_it_stood_then(world, ledger):
    first_quarter = _tables(_report(CAMPAIGN_REPORT, world.district, periods.quarter(2025, 1)))["Campaigns"]
    assert first_quarter[CAMPAIGN][:4] == [100 * M, 80 * M, 50 * M, 50]
    assert first_quarter[CAMPAIGN][-2:] == [0, 50 * M], "nothing was spent before May"


def test_a_receipt_reversed_after_the_period_counts_in_it_and_not_after(world, ledger):
    receipt = donation_services.receipt_record(
        actor=world.district_member, fund=ledger.district_fund, amount=3 * M, happened_on=day("2025-09-01"),
        donor=ledger.campaign.pledges.get().donor, campaign=ledger.campaign)
    donation_services.posting_reverse(actor=world.provincial_officer, posting=receipt.posting, reason="Trùng",
                                      happened_on=day("2025-10-01"))
    progress = campaigns_progress([ledger.campaign], until=day("2025-09-30"))[ledger.campaign.pk]
    assert progress.received == 53 * M
    assert campaigns_progress([ledger.campaign])[ledger.campaign.pk].received == 50 * M
    statement = _tables(_report(FUND_STATEMENT, world.district, periods.quarter(2025, 4)))["Fund statement"]
    assert statement[OWN][:2] == [38 * M, -3 * M], "a receipt reversed later takes its money back then"


def test_the_campaign_report_of_one_campaign_of_another_district_is_refused(world, ledger):
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=world.provincial_officer, kind=CAMPAIGN_REPORT, unit=world.district,
                                period=YEAR_2025, file_format=ReportFormat.XLSX,
                                options={"campaign": ledger.outsider_campaign.pk})
    assert list(refused.value.message_dict) == ["campaign"]
    report = _report(CAMPAIGN_REPORT, world.province)
    assert set(_tables(report)["Campaigns"]) == {CAMPAIGN, OUTSIDER_CAMPAIGN, "Total"}


def test_the_campaign_report_is_a_fixed_number_of_queries(world, ledger, django_assert_num_queries):
    # The campaigns, then pledged, received and spent of them all; and the unit's document settings.
    with django_assert_num_queries(5):
        _report(CAMPAIGN_REPORT, world.province)


# -- the files a user asks for ---------------------------------------------------------------------

def _made(world, kind, file_format, capture) -> bytes:
    with capture(execute=True):
        report = services.report_request(actor=world.district_member, kind=kind, unit=world.district,
                                         period=YEAR_2025, file_format=file_format)
    services.report_build(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.DONE, "")
    return report.file.read()


@pytest.fixture
def queued(monkeypatch):
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async", lambda args, **options: None)


def test_the_fund_statement_asked_for_as_a_workbook_holds_the_ledgers_figures(
        world, ledger, queued, django_capture_on_commit_callbacks):
    workbook = load_workbook(BytesIO(_made(world, FUND_STATEMENT, ReportFormat.XLSX,
                                           django_capture_on_commit_callbacks)))
    sheets = [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
              for sheet in workbook.worksheets]
    statement, by_kind, by_campaign, by_purpose, by_earmark = sheets
    assert by_kind[SIBLING] == (8 * M, 0, 0, 0, 0, 0, 8 * M)
    with translation.override("vi"):  # the reports are made in Vietnamese, whoever asks
        own = translation.gettext("%(name)s (its own funds)") % {"name": world.district.name}
    assert statement[own] == (10 * M, 70 * M, 15 * M, 0, 30 * M, 35 * M)
    assert statement[COMMUNE] == (0, 0, 12 * M, 30 * M, 0, 18 * M)
    assert statement["Tổng cộng"] == (10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M)
    assert "Xã Tân Thạch" not in statement
    assert by_campaign["Tổng cộng"] == (50 * M, 28 * M, 78 * M)
    assert by_purpose[COMMUNE][Purpose.values.index(Purpose.TET_GIFTS)] == 12 * M
    assert by_earmark["Tổng cộng"] == (10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M)


def _pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=30).stdout.decode()


def _figures_after(text: str, name: str) -> list[list[str]]:
    return [line.split(name, 1)[1].split() for line in text.splitlines() if name in line]


def test_the_fund_statement_and_campaign_report_print_as_pdf_with_the_ledgers_figures(
        world, ledger, queued, django_capture_on_commit_callbacks):
    statement = _pdf_text(_made(world, FUND_STATEMENT, ReportFormat.PDF, django_capture_on_commit_callbacks))
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in statement
    assert _figures_after(statement, COMMUNE)[0] == ["0", "0", "12.000.000", "30.000.000", "0", "18.000.000"]
    assert _figures_after(statement, "Tổng cộng")[0] == ["10.000.000", "78.000.000", "27.000.000", "30.000.000",
                                                         "30.000.000", "61.000.000"]
    assert "Tân Thạch" not in statement and "99.000.000" not in statement
    campaigns = _pdf_text(_made(world, CAMPAIGN_REPORT, ReportFormat.PDF, django_capture_on_commit_callbacks))
    assert OUTSIDER_CAMPAIGN not in campaigns
    total = _figures_after(campaigns, "Tổng cộng")[0]
    assert total[:4] == ["100.000.000", "80.000.000", "50.000.000", "50%"]
    assert total[-2:] == ["2.000.000", "48.000.000"]

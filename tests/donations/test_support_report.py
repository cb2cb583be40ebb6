"""Support given in the reports (donations.support.report_sections): by kind and by unit, counted by
the day each line was handed over, within the report's unit; a district's batch counted in each
commune and once in the total; the same figures in the support report's XLSX and PDF, in the
social-security summary and on the dashboard's panel; a fixed number of queries."""

import datetime
from io import BytesIO
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from donations.support import services
from donations.support.report_sections import SUPPORT_REPORT, support_given
from frontwelfare.reports import figures, periods
from frontwelfare.reports.choices import ReportFormat
from households.report_sections import SOCIAL_SECURITY

from ..reports.test_dashboard import _figures, _page
from .factories import manager_of
from .support_factories import batch_with, deliver_all, funded_batch, poor_household, pupil_of
from .test_report_sections import _figures_after, _made, _pdf_text, _tables, queued  # noqa: F401

TODAY = datetime.date(2026, 6, 30)
YEAR_SO_FAR = periods.date_range(datetime.date(2026, 1, 1), TODAY)
COMMUNE, SIBLING = "Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ"
TET, SCHOLARSHIP = "Tet gifts", "Scholarship"
FIGURE_COLUMNS = ["Batches", "Lines delivered", "Value", "Households reached", "Pupils reached"]


@pytest.fixture
def support(world):
    """In 2026: the district's Tet batch (500.000 ₫) delivered to a household of the commune and one
    of Phú Mỹ, not found at a third; the commune's scholarships (1.000.000 ₫) to two pupils of the
    first household. Not counted: a gift of the commune delivered in 2025 (700.000 ₫), and another
    district's gift (900.000 ₫)."""
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC), tick=False):
        first, away = poor_household(world.commune), poor_household(world.commune)
        sibling = poor_household(world.sibling_commune)
        tet = batch_with(world.district, [first, away, sibling], actor=world.district_member)
        services.batch_confirm(actor=world.district_member, batch=tet)
        for line in tet.recipients.all():
            found = line.household_id != away.pk
            services.delivery_record(actor=world.district_member, recipient=line,
                                     delivery="delivered" if found else "not_found",
                                     delivered_on=datetime.date(2026, 2, 10) if found else None)
        services.batch_close(actor=world.district_member, batch=tet)

        officer = world.commune_officer
        scholarship = funded_batch(world.commune, actor=officer, code="scholarship", value=1_000_000,
                                   occasion="Học bổng 2025-2026")
        for _ in range(2):
            services.recipient_add(actor=officer, batch=scholarship, household=first, pupil=pupil_of(first),
                                   reason="Học sinh nghèo vượt khó")
        _hand_out(scholarship, officer, datetime.date(2026, 3, 1))
        _hand_out(batch_with(world.commune, [first], actor=officer, occasion="Quà 2025", value=700_000), officer,
                  datetime.date(2025, 12, 20))
        outsider = manager_of(world.other_district)
        _hand_out(batch_with(world.other_district, [poor_household(world.other_district_commune)], actor=outsider,
                             value=900_000), outsider, datetime.date(2026, 2, 9))
        yield


def _hand_out(batch, actor, day):
    services.batch_confirm(actor=actor, batch=batch)
    deliver_all(batch, actor, day=day)
    services.batch_close(actor=actor, batch=batch)


def _report(kind, unit, period=YEAR_SO_FAR):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=kind, unit=unit, period=period, options={}))


def test_the_districts_support_by_kind_counts_what_was_handed_over_in_the_period(world, support):
    by_kind = _tables(_report(SUPPORT_REPORT, world.district))["Support given by kind"]
    assert by_kind == {
        # Batches, lines delivered, value, households reached, pupils reached.
        TET: [1, 2, 1_000_000, 2, 0],
        SCHOLARSHIP: [1, 2, 2_000_000, 1, 2],
        "Total": [2, 4, 3_000_000, 2, 2],  # the household given both counts once
    }


def test_by_unit_a_district_batch_counts_in_each_commune_and_once_in_the_total(world, support):
    tables = _tables(_report(SUPPORT_REPORT, world.district))
    by_unit = tables["Support given by unit"]
    assert by_unit[COMMUNE] == [2, 3, 2_500_000, 1, 2]
    assert by_unit[SIBLING] == [1, 1, 500_000, 1, 0]
    assert by_unit["Total"] == [2, 4, 3_000_000, 2, 2]
    # Each kind, then the total amount across the kinds.
    assert tables["Value given by kind"][COMMUNE] == [500_000, 2_000_000, 2_500_000]
    assert tables["Value given by kind"]["Total"] == [1_000_000, 2_000_000, 3_000_000]


def test_the_provinces_report_has_each_district_and_the_year_before_counts_only_its_own(world, support):
    by_unit = _tables(_report(SUPPORT_REPORT, world.province))["Support given by unit"]
    assert by_unit["Huyện Mỏ Cày Bắc"] == [2, 4, 3_000_000, 2, 2]
    assert by_unit["Huyện Châu Thành"] == [1, 1, 900_000, 1, 0]
    last_year = _tables(_report(SUPPORT_REPORT, world.district, periods.year(2025)))["Support given by unit"]
    assert last_year[COMMUNE] == [1, 1, 700_000, 1, 0]


def test_a_communes_report_counts_its_households_only(world, support):
    by_unit = _tables(_report(SUPPORT_REPORT, world.commune))["Support given by unit"]
    assert by_unit == {COMMUNE: [2, 3, 2_500_000, 1, 2], "Total": [2, 3, 2_500_000, 1, 2]}


def test_the_social_security_summary_ends_with_the_support_given_and_the_typical_models(world, support):
    report = _report(SOCIAL_SECURITY, world.district)
    # Each domain adds its section in the order of INSTALLED_APPS: donations, then models_registry.
    assert [section.title for section in report.sections][-4:] == [
        "Support given by kind", "Support given by unit", "Value given by kind", "Typical models by unit"]
    assert _tables(report)["Support given by unit"]["Total"] == [2, 4, 3_000_000, 2, 2]


def test_the_support_given_is_five_queries_whatever_the_number_of_communes(
        world, support, django_assert_num_queries):
    context = figures.report_context(unit=world.province, period=YEAR_SO_FAR)
    assert context.breakdown.units
    with django_assert_num_queries(5):  # by row, by kind and the kinds' names, by row and kind, the totals
        support_given(context)


def test_the_data_version_changes_with_a_delivery(world, support):
    before = figures.data_version(kind=SUPPORT_REPORT, unit=world.district, period=YEAR_SO_FAR)
    batch = funded_batch(world.commune, actor=world.commune_officer, occasion="Quà 1/6")
    services.recipient_add(actor=world.commune_officer, batch=batch, household=poor_household(world.commune),
                           reason="Hộ khó khăn")
    assert figures.data_version(kind=SUPPORT_REPORT, unit=world.district, period=YEAR_SO_FAR) == before
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    deliver_all(batch, world.commune_officer, day=datetime.date(2026, 6, 1))
    assert figures.data_version(kind=SUPPORT_REPORT, unit=world.district, period=YEAR_SO_FAR) != before


# -- the files ------------------------------------------------------------------------------------

def _made_2026(world, file_format, capture):
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC), tick=False):
        return _made_for(world, file_format, capture)


def _made_for(world, file_format, capture):
    from frontwelfare.reports import services as report_services
    from frontwelfare.reports.choices import ReportStatus

    with capture(execute=True):
        report = report_services.report_request(actor=world.district_member, kind=SUPPORT_REPORT,
                                                unit=world.district, period=periods.year(2026),
                                                file_format=file_format)
    report_services.report_build(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.DONE, "")
    return report.file.read()


def test_the_support_report_as_a_workbook_holds_the_figures(world, support, queued,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    workbook = load_workbook(BytesIO(_made_2026(world, ReportFormat.XLSX, django_capture_on_commit_callbacks)))
    by_kind, by_unit, by_value = [
        {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
        for sheet in workbook.worksheets]
    assert by_kind["Quà Tết"] == (1, 2, 1_000_000, 2, 0)
    assert by_kind["Học bổng"] == (1, 2, 2_000_000, 1, 2)
    assert by_kind["Tổng cộng"] == (2, 4, 3_000_000, 2, 2)
    assert by_unit[COMMUNE] == (2, 3, 2_500_000, 1, 2)
    assert by_unit[SIBLING] == (1, 1, 500_000, 1, 0)
    assert by_unit["Tổng cộng"] == (2, 4, 3_000_000, 2, 2)
    assert by_value["Tổng cộng"] == (1_000_000, 2_000_000, 3_000_000)
    assert "Xã Tân Thạch" not in by_unit


def test_the_support_report_prints_as_pdf_with_the_figures(world, support, queued,  # noqa: F811
                                                           django_capture_on_commit_callbacks):
    text = _pdf_text(_made_2026(world, ReportFormat.PDF, django_capture_on_commit_callbacks))
    assert _figures_after(text, "Học bổng")[0] == ["1", "2", "2.000.000", "1", "2"]
    assert _figures_after(text, SIBLING)[0] == ["1", "1", "500.000", "1", "0"]
    # The totals of the tables by kind and by unit ("Tổng cộng" may wrap after "Tổng" in the narrow
    # first column of the table by kind).
    totals = [figures[1:] if figures[:1] == ["cộng"] else figures for figures in _figures_after(text, "Tổng")]
    assert totals[:2] == [["2", "4", "3.000.000", "2", "2"]] * 2
    assert "900.000" not in text and "700.000" not in text


# -- the dashboard ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["district_member", "commune_officer", "provincial_officer"])
def test_the_panel_shows_the_reports_figures_for_the_year_so_far(client, world, support, role):
    viewer = getattr(world, role)
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC), tick=False):
        _response, page = _page(client, viewer)
        report = _report(SUPPORT_REPORT, viewer.unit)
    by_kind, by_unit, _value = report.sections
    shown = page.tables["support-table"]
    assert shown["thead"][0][1:] == FIGURE_COLUMNS
    assert _figures(shown["tbody"]) == by_unit.rows
    assert _figures(shown["tfoot"]) == [by_unit.total]
    assert _figures(page.tables["support-kinds"]["tbody"]) == [[row[0], row[2], row[3]] for row in by_kind.rows]


def test_the_district_panel_counts_its_households_and_not_another_districts(client, world, support):
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC), tick=False):
        response, page = _page(client, world.district_member)
    assert _figures(page.tables["support-table"]["tfoot"]) == [["Total", 2, 4, 3_000_000, 2, 2]]
    assert "900.000" not in response.content.decode()

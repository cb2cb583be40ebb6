"""The member organisations' report (donations.support.organisation_report): organisations and their
members by kind, activities by kind and by unit in the period, within the report's unit only, in a
fixed number of grouped queries; and the files a user asks for, read back with openpyxl and pdftotext."""

import datetime
import shutil
import subprocess
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import load_workbook

from donations.choices import MemberOrganisation
from donations.support.choices import ActivityKind
from donations.support.models import Membership
from donations.support.organisation_report import MEMBER_ORGANISATIONS
from frontwelfare.reports import figures, periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus

from ..households.factories import HouseholdFactory
from .factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR_2025 = periods.year(2025)
OWN = "Huyện Mỏ Cày Bắc (the unit itself)"
COMMUNE, SIBLING = "Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ"
KINDS = MemberOrganisation.values
ACTIVITY_KINDS = ActivityKind.values


def _on(month, day=1):
    return datetime.date(2025, month, day)


@pytest.fixture
def work(world):
    """Organisations of the district, its two communes and another district; activities in and out
    of 2025, some serving households of the registry."""
    district_red_cross = OrganisationFactory(unit=world.district, kind=MemberOrganisation.RED_CROSS)
    commune_red_cross = OrganisationFactory(unit=world.commune, kind=MemberOrganisation.RED_CROSS)
    elderly = OrganisationFactory(unit=world.sibling_commune, kind=MemberOrganisation.ELDERLY)
    outsider = OrganisationFactory(unit=world.other_district, kind=MemberOrganisation.RED_CROSS)
    for organisation, year, members in ((district_red_cross, 2025, 900), (district_red_cross, 2024, 800),
                                        (commune_red_cross, 2024, 300), (commune_red_cross, 2026, 999),
                                        (elderly, 2023, 150), (outsider, 2025, 5000)):
        Membership.objects.create(organisation=organisation, year=year, members=members)
    served = HouseholdFactory.create_batch(3, commune=world.commune)
    ActivityFactory(unit=world.district, organisation=district_red_cross, kind=ActivityKind.MEDICAL_EXAMINATION,
                    starts_on=_on(3), occurrences=4, people_served=600, value=120_000_000).households.set(served[:2])
    ActivityFactory(unit=world.commune, organisation=commune_red_cross, kind=ActivityKind.MEDICAL_EXAMINATION,
                    starts_on=_on(5), occurrences=1, people_served=80, value=20_000_000).households.set(served[1:])
    ActivityFactory(unit=world.sibling_commune, kind=ActivityKind.LEGAL_AID, starts_on=_on(12, 31), ends_on=None,
                    occurrences=9, people_served=40, value=0)
    ActivityFactory(unit=world.commune, kind=ActivityKind.HEART_SURGERY, starts_on=datetime.date(2024, 12, 31),
                    ends_on=_on(1, 15), occurrences=2, people_served=2, value=300_000_000)  # began in 2024
    ActivityFactory(unit=world.other_district, kind=ActivityKind.MEDICAL_EXAMINATION, starts_on=_on(6),
                    occurrences=50, people_served=5000, value=10**9)


def _report(unit, period=YEAR_2025):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=MEMBER_ORGANISATIONS, unit=unit, period=period, options={}))


def _tables(report) -> dict[str, dict[str, list]]:
    return {section.title: {row[0]: row[1:] for row in [*section.rows, section.total]}
            for section in report.sections}


def _kind(kind, row):
    return row[KINDS.index(kind)]


def test_organisations_and_their_latest_members_in_the_period_count_by_kind_and_unit(world, work):
    tables = _tables(_report(world.district))
    organisations, members = tables["Member organisations by kind"], tables["Members by kind"]
    assert list(organisations) == [OWN, SIBLING, COMMUNE, "Total"]
    assert _kind(MemberOrganisation.RED_CROSS, organisations["Total"]) == 2
    assert organisations["Total"][-1] == 3
    assert _kind(MemberOrganisation.RED_CROSS, members[OWN]) == 900, "the latest year of the period"
    assert _kind(MemberOrganisation.RED_CROSS, members[COMMUNE]) == 0, "2024 and 2026 are outside 2025"
    assert members["Total"][-1] == 900
    over_three_years = _tables(_report(world.district, periods.date_range(datetime.date(2023, 1, 1),
                                                                         datetime.date(2025, 12, 31))))
    assert over_three_years["Members by kind"]["Total"][-1] == 900 + 300 + 150


def test_activities_count_by_kind_by_unit_and_by_the_day_they_began(world, work):
    tables = _tables(_report(world.district))
    by_kind = tables["Activities by kind"]
    # Records, occurrences, people served, households of the registry, value.
    assert by_kind["Free medical examination and medicine"] == [2, 5, 680, 3, 140_000_000]
    assert by_kind["Legal aid"] == [1, 9, 40, 0, 0]
    assert by_kind["Heart surgery"] == [0, 0, 0, 0, 0], "it began in 2024"
    assert by_kind["Total"] == [3, 14, 720, 3, 140_000_000]
    by_unit = tables["Activities by unit"]
    assert by_unit[OWN] == [1, 4, 600, 2, 120_000_000]
    assert by_unit[COMMUNE] == [1, 1, 80, 2, 20_000_000]
    assert by_unit["Total"] == [3, 14, 720, 3, 140_000_000], "a household served twice counts once"
    occurrences = tables["Sessions, cases or operations by kind"]
    assert occurrences[SIBLING][ACTIVITY_KINDS.index(ActivityKind.LEGAL_AID)] == 9
    assert tables["Value by kind"]["Total"][ACTIVITY_KINDS.index(ActivityKind.MEDICAL_EXAMINATION)] == 140_000_000


def test_a_communes_report_has_its_own_figures_only(world, work):
    tables = _tables(_report(world.commune))
    assert list(tables["Activities by unit"]) == [COMMUNE, "Total"]
    assert tables["Activities by unit"]["Total"] == [1, 1, 80, 2, 20_000_000]


def test_the_provinces_report_counts_each_district_with_its_communes(world, work):
    by_unit = _tables(_report(world.province))["Activities by unit"]
    assert by_unit["Huyện Mỏ Cày Bắc"] == [3, 14, 720, 3, 140_000_000]
    assert by_unit["Huyện Châu Thành"] == [1, 50, 5000, 0, 10**9]


def test_the_report_is_a_fixed_number_of_queries(world, work, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # the rows, two for organisations, four for activities
        _report(world.province)


def test_the_data_version_changes_with_an_activity_or_a_year_of_members(world, work):
    def version():
        return figures.data_version(kind=MEMBER_ORGANISATIONS, unit=world.district, period=YEAR_2025, options={})

    before = version()
    ActivityFactory(unit=world.commune, starts_on=_on(7))
    after_activity = version()
    assert after_activity != before
    Membership.objects.create(organisation=OrganisationFactory(unit=world.commune), year=2025, members=1)
    assert version() != after_activity


# -- the files ---------------------------------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async", lambda args, **options: None)


def _made(world, file_format, capture) -> bytes:
    with capture(execute=True):
        report = services.report_request(actor=world.district_member, kind=MEMBER_ORGANISATIONS, unit=world.district,
                                         period=YEAR_2025, file_format=file_format)
    services.report_build(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.DONE, "")
    return report.file.read()


def test_the_workbook_holds_the_figures(world, work, queued, django_capture_on_commit_callbacks):
    workbook = load_workbook(BytesIO(_made(world, ReportFormat.XLSX, django_capture_on_commit_callbacks)))
    sheets = [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
              for sheet in workbook.worksheets]
    organisations, members, by_kind, by_unit = sheets[:4]
    assert organisations["Tổng cộng"][-1] == 3
    assert members["Tổng cộng"][-1] == 900
    assert by_kind["Tổng cộng"] == (3, 14, 720, 3, 140_000_000)
    assert by_unit[COMMUNE] == (1, 1, 80, 2, 20_000_000)
    assert by_unit["Tổng cộng"] == (3, 14, 720, 3, 140_000_000)
    assert "Huyện Châu Thành" not in by_unit


def test_the_pdf_prints_the_figures(world, work, queued, django_capture_on_commit_callbacks):
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], check=True, capture_output=True, timeout=30,
                          input=_made(world, ReportFormat.PDF, django_capture_on_commit_callbacks)).stdout.decode()
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in text
    rows = [line.split(COMMUNE, 1)[1].split() for line in text.splitlines() if COMMUNE in line]
    assert ["1", "1", "80", "2", "20.000.000"] in rows
    assert "Châu Thành" not in text and "1.000.000.000" not in text

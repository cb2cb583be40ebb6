"""The quick start's member organisations: Lâm Đồng's mass organisations and their work 2014-2024
(seed 003), whose report over the period reproduces the source's totals, read back from the workbook
a user gets."""

import datetime
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from donations.support.choices import ActivityKind
from donations.support.models import Organisation
from donations.support.organisation_demo import load_member_organisations
from donations.support.organisation_report import MEMBER_ORGANISATIONS
from frontwelfare.accounts.models import User
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.demo import demo_load
from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus

BILLION = 1_000_000_000
TOTAL = "Tổng cộng"


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real units and the whole demo, loaded once for this module in a transaction rolled back
    after it; its files go to a temporary folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), \
            transaction.atomic():
        call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
        demo_load()
        yield AdministrativeUnit.objects.get(era="legacy", level="province", code="68")
        transaction.set_rollback(True)


@pytest.fixture
def sheets(province, monkeypatch, django_capture_on_commit_callbacks):
    """The member organisations' report on Lâm Đồng over 2014-01-01..2024-12-31, asked for by its
    provincial officer as a workbook: {sheet title: {first cell: the rest of the row}}."""
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async", lambda args, **options: None)
    officer = User.objects.get(username="demo.lamdong")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=officer, kind=MEMBER_ORGANISATIONS, unit=province, file_format=ReportFormat.XLSX,
            period=periods.date_range(datetime.date(2014, 1, 1), datetime.date(2024, 12, 31)))
    services.report_build(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.DONE, "")
    workbook = load_workbook(BytesIO(report.file.read()))
    return [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
            for sheet in workbook.worksheets]


def _by_kind(sheets) -> dict[str, tuple]:
    """The activities by kind, keyed by kind: records, occurrences, people served, households, value.
    (The report is made in Vietnamese, whoever asks: its rows are the kinds' Vietnamese names.)"""
    with translation.override("vi"):
        return {kind: sheets[2][str(kind.label)] for kind in ActivityKind}


@pytest.mark.django_db
def test_the_province_has_672_mass_organisations_with_520000_members(sheets):
    organisations, members = sheets[0], sheets[1]
    assert organisations[TOTAL][-1] == 672
    assert members[TOTAL][-1] == 520_000
    assert len(organisations) > 10, "broken down by the province's own and its districts"


@pytest.mark.django_db
def test_the_red_cross_examined_157087_people_363_times_for_25_5_billion(sheets):
    examinations = _by_kind(sheets)[ActivityKind.MEDICAL_EXAMINATION]
    assert (examinations[1], examinations[2], examinations[4]) == (363, 157_087, 25_500_000_000)


@pytest.mark.django_db
def test_the_poor_patients_association_paid_for_the_surgeries_and_over_673_billion(sheets):
    by_kind = _by_kind(sheets)
    heart, cataract = by_kind[ActivityKind.HEART_SURGERY], by_kind[ActivityKind.CATARACT_SURGERY]
    corrective = by_kind[ActivityKind.CORRECTIVE_SURGERY]
    assert (heart[1], cataract[1], corrective[1]) == (1_400, 21_000, 541)
    association = heart[4] + cataract[4] + corrective[4] + by_kind[ActivityKind.OTHER][4]
    assert association > 673 * BILLION


@pytest.mark.django_db
def test_consultations_legal_aid_and_study_funds_match_the_source(sheets):
    by_kind = _by_kind(sheets)
    assert 190 <= by_kind[ActivityKind.CONSULTATION][1] <= 210
    assert by_kind[ActivityKind.LEGAL_AID][1] > 3_600
    assert by_kind[ActivityKind.STUDY_FUND][4] > 211 * BILLION


@pytest.mark.django_db
def test_loading_again_adds_nothing(province):
    assert load_member_organisations() == 0
    assert Organisation.objects.filter(unit__province=province).count() == 672

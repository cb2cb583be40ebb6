"""The quick start's housing demo: Mỏ Cày Bắc's programmes show the figures of the source documents,
and this year's programme has a case in every state of the workflow."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from frontwelfare.accounts.models import User
from frontwelfare.demo import demo_load
from housing.choices import CaseState, WorkKind
from housing.models import CaseTransition, HousingCase, Programme
from housing.report_sections import HOUSING
from housing.selectors import programme_progress


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real units and the whole demo, loaded once for this module in a transaction that is
    rolled back after it (each test runs in a savepoint inside it); its files go to a temporary
    folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), \
            transaction.atomic():
        call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
        demo_load()
        yield User.objects.get(username="demo.huyen")
        transaction.set_rollback(True)


def _progress(programme, user):
    return programme_progress(programme=programme, user=user)


@pytest.mark.django_db
def test_decision_781_has_104_houses_94_new_and_10_repaired_all_handed_over(demo):
    programme = Programme.objects.get(decision_number="781/QĐ-UBND")
    total = _progress(programme, demo).total

    assert (programme.decision_date.strftime("%d/%m/%Y"), programme.unit.name) == ("13/03/2025", "Huyện Mỏ Cày Bắc")
    assert (total.new.target, total.new.handed_over) == (94, 94)
    assert (total.repair.target, total.repair.handed_over) == (10, 10)
    assert programme.cases.count() == 104


@pytest.mark.django_db
def test_the_elimination_programme_handed_over_258_of_258_by_its_deadline(demo):
    programme = Programme.objects.get(kind="temporary_houses", decision_number="1520/KH-UBND")
    total = _progress(programme, demo).total

    assert total.target_total == 258
    assert total.new.handed_over + total.repair.handed_over == 258
    assert not programme.cases.filter(handover_date__gt=programme.deadline).exists()


@pytest.mark.django_db
def test_military_civilian_tet_2025_handed_over_30_houses(demo):
    programme = Programme.objects.get(kind="military_civilian_tet")
    assert programme.cases.filter(state=CaseState.HANDED_OVER, work_kind=WorkKind.NEW_BUILD).count() == 30
    assert all(case.army_amount > 0 and case.army_unit for case in programme.cases.all())


@pytest.mark.django_db
def test_this_years_programme_has_cases_in_every_state_with_their_steps(demo):
    programme = Programme.objects.get(kind="great_solidarity")
    states = set(programme.cases.values_list("state", flat=True))

    assert states == set(CaseState.values)
    handed_over = programme.cases.filter(state=CaseState.HANDED_OVER).first()
    assert list(handed_over.transitions.values_list("to_state", flat=True)) == [
        "proposed", "surveyed", "approved", "construction_started", "completed", "handed_over"]
    assert handed_over.attachments.filter(kind="handover_record").exists()


@pytest.mark.django_db
def test_every_demo_case_has_its_proposal_step_and_a_funding_plan_within_the_support_level(demo):
    assert not HousingCase.objects.exclude(pk__in=CaseTransition.objects.filter(from_state="").values("case")) \
        .exists()
    for case in HousingCase.objects.select_related("programme"):
        assert case.support_total <= case.programme.support_for(case.work_kind)
        assert case.plan_total >= case.estimated_cost


@pytest.mark.django_db
def test_loading_the_demo_again_adds_nothing(demo):
    before = HousingCase.objects.count()
    demo_load()
    assert HousingCase.objects.count() == before


def _housing_report_2025(programme, district):
    """The housing report of Mỏ Cày Bắc for 2025, made as the worker makes it, read back from its XLSX:
    the totals row of "Houses by stage" as {(kind, column): figure}."""
    from io import BytesIO

    from openpyxl import load_workbook

    from frontwelfare.reports import periods
    from frontwelfare.reports.choices import ReportFormat, ReportStatus
    from frontwelfare.reports.models import Report
    from frontwelfare.reports.services import report_build

    period = periods.year(2025)
    report = Report.objects.create(kind=HOUSING, unit=district, options={"programme": programme.pk},
                                   period_kind=period.kind, period_start=period.start, period_end=period.end,
                                   format=ReportFormat.XLSX)
    report_build(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    sheet = load_workbook(BytesIO(report.file.read())).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    groups, labels = next((rows[i], rows[i + 1]) for i, row in enumerate(rows) if row[0] == "Đơn vị")
    total = next(row for row in rows if row[0] == "Tổng cộng")
    kinds, figures = [], {}
    for index, label in enumerate(labels[1:], start=1):
        kinds.append(groups[index] or kinds[-1])
        figures[kinds[-1], label] = total[index]
    return figures


@pytest.mark.django_db
def test_the_2025_housing_report_shows_decision_781s_104_houses(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    programme = Programme.objects.get(decision_number="781/QĐ-UBND")
    figures = _housing_report_2025(programme, programme.unit)
    assert (figures["Nhà xây mới", "Chỉ tiêu"], figures["Nhà xây mới", "Đã bàn giao"]) == (94, 94)
    assert (figures["Nhà sửa chữa", "Chỉ tiêu"], figures["Nhà sửa chữa", "Đã bàn giao"]) == (10, 10)


@pytest.mark.django_db
def test_the_2025_housing_report_shows_30_military_civilian_tet_houses_handed_over(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    programme = Programme.objects.get(kind="military_civilian_tet")
    assert _housing_report_2025(programme, programme.unit)["Nhà xây mới", "Đã bàn giao"] == 30


@pytest.mark.django_db
def test_the_demo_districts_dashboard_of_the_current_year_shows_households_and_houses(demo, client):
    from django.utils import timezone

    from households.models import HouseholdStatus

    from ..scope_harness import POOR_COLUMN, column_sum, figure

    client.force_login(demo)  # demo.huyen: the home page is Mỏ Cày Bắc's dashboard of the current year
    client.cookies.load({"django_language": "en"})
    home = client.get("/").content.decode()

    assert column_sum("categories-table", POOR_COLUMN)(home) > 0, "poor households this year"
    assert column_sum("categories-table", POOR_COLUMN + 1)(home) > 0, "near-poor households this year"
    assert figure("tr", data_stage="approved")(home) > 0, "houses approved this year"
    assert HouseholdStatus.objects.filter(year=2025, decision_number="09/QĐ-UBND").exists(), "the sources' 2025"
    assert HouseholdStatus.objects.filter(year=timezone.localdate().year, decision_date__lte=timezone.localdate()) \
        .exists()

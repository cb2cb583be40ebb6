"""The quick start's support demo (donations.support.demo): Phước Mỹ Trung's Tet 2026 gifts from the
district's Fund for the Poor and the scholarships to its pupils, handed out and closed, and the
district Red Cross's examination days; their figures come out in the support report."""

import datetime
from types import SimpleNamespace

import pytest
from django.db.models import Count, Q, Sum
from django.utils import translation

from donations.choices import Earmark
from donations.selectors import earmark_balances
from donations.support.choices import DELIVERED, BatchState
from donations.support.demo import demo_support_load
from donations.support.models import Activity, Batch, Recipient
from donations.support.report_sections import SUPPORT_REPORT
from frontwelfare.reports import figures, periods
from households.models import HouseholdStatus

from .test_demo import demo  # noqa: F401

pytestmark = pytest.mark.django_db
COMMUNE = "Thị trấn Phước Mỹ Trung"


def _batch(occasion) -> Batch:
    return Batch.objects.select_related("fund__unit", "posting").get(occasion=occasion)


def test_the_district_gives_tet_gifts_to_the_communes_poor_and_near_poor_households(demo):  # noqa: F811
    batch = _batch("Quà Tết Bính Ngọ 2026")
    assert (batch.unit.code, batch.fund.unit.code, batch.state, batch.value) == ("838", "838", BatchState.CLOSED,
                                                                                 500_000)
    households = set(batch.recipients.values_list("household_id", flat=True))
    in_need = set(HouseholdStatus.objects.filter(household__commune__code="28915", year=2025,
                                                 category__in=["poor", "near_poor"])
                  .values_list("household_id", flat=True))
    assert households == in_need and len(households) > 10
    delivered = batch.recipients.filter(delivery__in=DELIVERED)
    assert 0 < delivered.count() < len(households), "a few were not found"
    # Only the delivered lines are posted to the district's fund.
    assert -sum(batch.posting.lines.filter(fund=batch.fund).values_list("amount", flat=True)) == \
        500_000 * delivered.count()


def test_scholarships_go_to_each_pupil_with_school_and_grade(demo):  # noqa: F811
    batch = _batch("Học bổng năm học 2025-2026")
    lines = list(batch.recipients.select_related("pupil"))
    assert lines and all(line.pupil_id and line.school.startswith("Trường") and line.grade for line in lines)
    assert batch.state == BatchState.CLOSED


def test_the_district_fund_paid_the_batches_out_of_the_money_it_held(demo):  # noqa: F811
    balances = earmark_balances(demo)
    assert min(balances.values()) >= 0
    tet = Recipient.objects.filter(batch__occasion="Quà Tết Bính Ngọ 2026", delivery__in=DELIVERED)
    assert balances[Earmark.TET_GIFTS] == 63_500_000 - tet.aggregate(v=Sum("value"))["v"]


def test_the_red_cross_examination_days_are_activities_of_the_district_red_cross(demo):  # noqa: F811
    days = Activity.objects.filter(organisation__name="Hội Chữ thập đỏ huyện Mỏ Cày Bắc").order_by("starts_on")
    assert [activity.starts_on for activity in days] == [datetime.date(2025, 6, 14), datetime.date(2025, 9, 20),
                                                         datetime.date(2026, 3, 21)]
    assert sum(activity.people_served for activity in days) == 850
    assert days[0].households.count() == 15


def test_the_demo_is_loaded_once(demo):  # noqa: F811
    assert demo_support_load() == 0


def test_the_demo_figures_come_out_in_the_support_report(demo):  # noqa: F811
    lines = Recipient.objects.filter(delivery__in=DELIVERED, removed=False,
                                     delivered_on__year=2026).aggregate(
        lines=Count("pk"), value=Sum("value"), households=Count("household", distinct=True),
        pupils=Count("pupil", distinct=True, filter=Q(pupil__isnull=False)))
    with translation.override("en"):
        report = figures.report_data(SimpleNamespace(kind=SUPPORT_REPORT, unit=demo.unit,
                                                     period=periods.year(2026), options={}))
    by_unit = {section.title: section for section in report.sections}["Support given by unit"]
    rows = {row[0]: row[1:] for row in by_unit.rows}
    expected = [2, lines["lines"], lines["value"], lines["households"], lines["pupils"]]
    assert rows[COMMUNE] == expected
    assert by_unit.total == ["Total", *expected]
    by_kind = {row[0]: row[1:] for row in {s.title: s for s in report.sections}["Support given by kind"].rows}
    assert by_kind["Tet gifts"][0] == by_kind["Scholarship"][0] == 1
    assert by_kind["Scholarship"][4] == lines["pupils"] > 0

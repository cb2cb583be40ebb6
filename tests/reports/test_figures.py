"""The reports' figures, counted in SQL by the units one level below: checked against the records
the tests create, at commune, district and province level."""

import datetime

import pytest
from django.utils import timezone

from frontwelfare.reports import figures, periods
from frontwelfare.reports.breakdown import breakdown_of
from households.choices import Category, PolicyType
from households.report_sections import (
    SOCIAL_SECURITY,
    households_by_category,
    households_by_policy,
    members_of_households_in_need,
    poverty_movements,
)
from housing.choices import CaseState, Transition, WorkKind
from housing.models import CaseTransition
from housing.report_sections import HOUSING, housing_figures

from ..households.factories import HouseholdFactory, HouseholdPolicyFactory, HouseholdStatusFactory, MemberFactory
from ..housing.factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state

YEAR_2025 = periods.year(2025)


def _context(unit, period, **options):
    return figures.report_context(unit=unit, period=period, options=options)


def _social_security_figures(unit, period):
    context = _context(unit, period)
    return {"categories": households_by_category(context), "policies": households_by_policy(context),
            "movements": poverty_movements(context), "members": members_of_households_in_need(context)}


def _housing_figures(unit, period, programme=None):
    return housing_figures(_context(unit, period, **({"programme": programme} if programme else {})))


def _status(household, category, year=2025, day=datetime.date(2025, 3, 1)):
    return HouseholdStatusFactory(household=household, category=category, year=year, decision_date=day)


@pytest.fixture
def registry(world):
    """Phước Mỹ Trung: 2 poor (one of them poor since 2024), 1 near-poor, 1 newly escaped; Phú Mỹ:
    1 poor with a disabled member and a pupil; Châu Thành (another district): 1 poor."""
    poor_since_2024 = HouseholdFactory(commune=world.commune)
    _status(poor_since_2024, Category.POOR, 2024, datetime.date(2024, 3, 1))
    _status(poor_since_2024, Category.POOR)
    _status(HouseholdFactory(commune=world.commune), Category.POOR)
    _status(HouseholdFactory(commune=world.commune), Category.NEAR_POOR)
    escaped = HouseholdFactory(commune=world.commune)
    _status(escaped, Category.POOR, 2024, datetime.date(2024, 3, 1))
    _status(escaped, Category.ESCAPED_POVERTY, day=datetime.date(2025, 11, 20))
    phu_my = HouseholdFactory(commune=world.sibling_commune)
    _status(phu_my, Category.POOR)
    MemberFactory(household=phu_my, disability="severe", school_level="")
    MemberFactory(household=phu_my, school_level="primary")
    HouseholdPolicyFactory(household=phu_my, policy_type=PolicyType.MARTYR_FAMILY)
    _status(HouseholdFactory(commune=world.other_district_commune), Category.POOR)
    HouseholdFactory(commune=world.commune)  # no status: not a household in need


def test_a_districts_summary_counts_each_commune_by_category(world, registry):
    counted = _social_security_figures(world.district, YEAR_2025)["categories"]
    assert counted[world.commune.pk] == {"poor": 2, "near_poor": 1, "escaped_poverty": 1, "difficult": 0}
    assert counted[world.sibling_commune.pk]["poor"] == 1
    assert world.other_district_commune.pk not in counted


def test_a_provinces_summary_counts_by_district(world, registry):
    counted = _social_security_figures(world.province, YEAR_2025)["categories"]
    assert counted[world.district.pk]["poor"] == 3
    assert counted[world.other_district.pk]["poor"] == 1
    assert set(counted) == {world.district.pk, world.other_district.pk}


def test_categories_are_those_decided_by_the_end_of_the_period(world, registry):
    counted = _social_security_figures(world.district, periods.half_year(2025, 1))["categories"]
    assert counted[world.commune.pk]["escaped_poverty"] == 0  # decided in November


def test_entering_poverty_needs_no_poverty_the_year_before_and_leaving_is_escaping_it(world, registry):
    moved = _social_security_figures(world.district, YEAR_2025)["movements"]
    assert moved[world.commune.pk] == {"entered": 2, "left": 1}  # the new poor and the near-poor
    assert moved[world.sibling_commune.pk] == {"entered": 1, "left": 0}


def test_people_with_a_disability_and_pupils_are_counted_in_the_households_in_need(world, registry):
    people = _social_security_figures(world.district, YEAR_2025)["members"]
    # Phú Mỹ's household: its head (from the factory) and the two members added.
    assert people[world.sibling_commune.pk] == {"households": 1, "members": 3, "disabled": 1, "pupils": 1}
    assert _social_security_figures(world.district, YEAR_2025)["policies"][world.sibling_commune.pk][
        "martyr_family"] == 1


def test_a_communes_report_has_the_commune_as_its_one_row(world, registry):
    assert breakdown_of(world.commune).units == [world.commune]
    assert set(_social_security_figures(world.commune, YEAR_2025)["categories"]) == {world.commune.pk}


def test_each_section_is_one_query_whatever_the_number_of_communes(world, registry, django_assert_num_queries):
    context = _context(world.province, YEAR_2025)
    assert context.breakdown.units  # the rows, read once for the report
    with django_assert_num_queries(4):
        households_by_category(context)
        households_by_policy(context)
        poverty_movements(context)
        members_of_households_in_need(context)


# -- housing --------------------------------------------------------------------------------------

def _case(programme, commune, state, **fields):
    return case_in_state(state, programme=programme, household=HouseholdFactory(commune=commune), **fields)


def _step(case, to_state, day):
    CaseTransition.objects.create(case=case, name=Transition.APPROVE, to_state=to_state, actor=case.proposed_by,
                                  happened_on=day)


def test_houses_are_counted_in_the_stage_they_had_reached_at_the_end_of_the_period(world):
    programme = ProgrammeFactory(unit=world.district)
    case = _case(programme, world.commune, CaseState.HANDED_OVER)
    _step(case, CaseState.APPROVED, datetime.date(2025, 4, 10))
    _step(case, CaseState.CONSTRUCTION_STARTED, datetime.date(2025, 5, 1))
    _step(case, CaseState.HANDED_OVER, datetime.date(2025, 7, 15))

    in_q2 = _housing_figures(world.district, periods.quarter(2025, 2))[world.commune.pk]
    in_q3 = _housing_figures(world.district, periods.quarter(2025, 3))[world.commune.pk]

    assert (in_q2["new_build_approved"], in_q2["new_build_under_construction"], in_q2["new_build_handed_over"]) \
        == (1, 1, 0)
    assert (in_q3["new_build_under_construction"], in_q3["new_build_completed"], in_q3["new_build_handed_over"]) \
        == (0, 1, 1)
    assert in_q3["money_state_budget"] == 40_000_000


def test_housing_targets_of_a_district_are_its_own_or_its_communes_sum(world):
    own = ProgrammeFactory(unit=world.province)
    ProgrammeTargetFactory(programme=own, unit=world.district, new_builds=5, repairs=1)
    ProgrammeTargetFactory(programme=own, unit=world.commune, new_builds=3, repairs=1)
    summed = ProgrammeFactory(unit=world.province)
    ProgrammeTargetFactory(programme=summed, unit=world.other_district_commune, new_builds=2, repairs=0)

    counted = _housing_figures(world.province, YEAR_2025)

    assert (counted[world.district.pk]["new_build_target"], counted[world.district.pk]["repair_target"]) == (5, 1)
    assert counted[world.other_district.pk]["new_build_target"] == 2


def test_the_housing_report_of_one_programme_leaves_the_others_out(world):
    chosen, other = ProgrammeFactory(unit=world.district), ProgrammeFactory(unit=world.district)
    _step(_case(chosen, world.commune, CaseState.APPROVED), CaseState.APPROVED, datetime.date(2025, 4, 10))
    repair = _case(other, world.commune, CaseState.APPROVED, work_kind=WorkKind.REPAIR, estimated_cost=30_000_000,
                   state_budget=30_000_000, fund_for_the_poor=0, family_amount=0)
    _step(repair, CaseState.APPROVED, datetime.date(2025, 4, 10))
    counted = _housing_figures(world.district, YEAR_2025, chosen)[world.commune.pk]
    assert (counted["new_build_approved"], counted["repair_approved"]) == (1, 0)


def test_the_housing_report_lays_out_stages_money_and_percentages_with_totals(world, english):
    programme = ProgrammeFactory(unit=world.district, name="Xóa nhà tạm 2025")
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=2, repairs=0)
    case = _case(programme, world.commune, CaseState.APPROVED)
    _step(case, CaseState.APPROVED, datetime.date(2025, 4, 10))

    report = type("R", (), {"kind": HOUSING, "unit": world.district, "period": YEAR_2025,
                            "options": {"programme": programme.pk}})()
    data = figures.report_data(report)

    stages, money, percent = data.sections
    assert data.place == "Mỏ Cày Bắc"
    assert [row[0] for row in stages.rows] == ["Xã Phú Mỹ", "Thị trấn Phước Mỹ Trung"]
    assert stages.total[:3] == ["Total", 2, 1]  # target 2, approved 1
    assert money.total[1] == 40_000_000
    assert percent.total[1] == 50


def test_data_version_changes_when_a_counted_record_changes(world, registry):
    before = figures.data_version(kind=SOCIAL_SECURITY, unit=world.district, period=YEAR_2025)
    _status(HouseholdFactory(commune=world.other_district_commune), Category.POOR)
    assert figures.data_version(kind=SOCIAL_SECURITY, unit=world.district, period=YEAR_2025) == before
    _status(HouseholdFactory(commune=world.sibling_commune), Category.NEAR_POOR)
    assert figures.data_version(kind=SOCIAL_SECURITY, unit=world.district, period=YEAR_2025) != before


def test_up_to_today_a_house_counts_in_the_stage_it_is_in_now(world):
    programme = ProgrammeFactory(unit=world.district, deadline=datetime.date(2099, 12, 31))
    case = _case(programme, world.commune, CaseState.COMPLETED)
    _step(case, CaseState.COMPLETED, datetime.date(2025, 7, 1))
    up_to_today = periods.date_range(datetime.date(2025, 1, 1), timezone.localdate())

    counted = _housing_figures(world.district, up_to_today)[world.commune.pk]

    # The same as the stage its last step reached: the figures agree whichever way they are read.
    assert (counted["new_build_completed"], counted["new_build_handed_over"]) == (1, 0)
    assert counted == _housing_figures(world.district, periods.date_range(
        datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))[world.commune.pk]


def test_a_district_programmes_own_plan_is_its_row_in_the_provinces_report(world):
    ProgrammeFactory(unit=world.district, new_build_target=15, repair_target=5)
    counted = _housing_figures(world.province, YEAR_2025)[world.district.pk]
    assert (counted["new_build_target"], counted["repair_target"]) == (15, 5)


def test_a_target_set_for_the_whole_district_is_the_total_of_its_report(world, english):
    programme = ProgrammeFactory(unit=world.province)
    ProgrammeTargetFactory(programme=programme, unit=world.district, new_builds=10, repairs=2)
    own = ProgrammeFactory(unit=world.district, new_build_target=15, repair_target=0)
    ProgrammeTargetFactory(programme=own, unit=world.commune, new_builds=6, repairs=0)

    report = type("R", (), {"kind": HOUSING, "unit": world.district, "period": YEAR_2025,
                            "options": {}})()
    stages = figures.report_data(report).sections[0]

    # The communes' rows show what is broken down to them (6); the total, the district's 10 + 15.
    assert [row[1] for row in stages.rows] == [0, 6]
    assert (stages.total[1], stages.total[6]) == (25, 2)

"""A programme's progress table: its figures at commune, district and province level, the money
by source, the communes behind schedule, and what each viewer's scope lets into it."""

import datetime

import pytest

from housing.choices import CaseState, WorkKind
from housing.selectors import programme_progress

from ..factories import CommuneFactory
from ..households.factories import HouseholdFactory
from .factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state

# Half way between the factories' start date (13/03/2025) and deadline (30/09/2025).
MIDWAY = datetime.date(2025, 6, 21)


def _case(programme, commune, state, work_kind=WorkKind.NEW_BUILD, **fields):
    return case_in_state(state, programme=programme, household=HouseholdFactory(commune=commune),
                         work_kind=work_kind, **fields)


def _row(progress, unit):
    return next(row for row in progress.rows if row.unit == unit)


def _figures(work):
    return {name: figure for name, figure, _percent in work.cells()}


@pytest.fixture
def district_programme(world):
    """A programme of Mỏ Cày Bắc with targets for its two communes, and cases in every state."""
    programme = ProgrammeFactory(unit=world.district, new_build_target=6, repair_target=2)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=1)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=2, repairs=1)
    for state in CaseState:
        _case(programme, world.commune, state)
    _case(programme, world.commune, CaseState.HANDED_OVER, WorkKind.REPAIR, estimated_cost=35_000_000,
          state_budget=30_000_000, fund_for_the_poor=0, family_amount=5_000_000)
    _case(programme, world.sibling_commune, CaseState.CONSTRUCTION_STARTED)
    return programme


def test_commune_row_counts_its_cases_by_state_for_each_kind_of_work(world, district_programme):
    row = _row(programme_progress(programme=district_programme, user=world.district_member, today=MIDWAY),
               world.commune)

    # Approved counts every house approved and not withdrawn; completed includes those handed over.
    assert _figures(row.new) == {"target": 4, "approved": 4, "under_construction": 1, "completed": 2,
                                 "handed_over": 1}
    assert _figures(row.repair) == {"target": 1, "approved": 1, "under_construction": 0, "completed": 1,
                                    "handed_over": 1}
    assert row.new.percent("approved") == 100
    assert row.new.percent("handed_over") == 25


def test_progress_counts_the_viewers_cases_in_every_state_as_the_case_list_does(world, district_programme):
    from housing.models import HousingCase
    from housing.selectors import state_counts

    for viewer, cases in ((world.district_member, 10), (world.commune_officer, 9)):
        progress = programme_progress(programme=district_programme, user=viewer, today=MIDWAY)
        assert progress.state_counts == state_counts(
            HousingCase.objects.visible_to(viewer).filter(programme=district_programme))
        assert progress.case_count == cases
        assert progress.cases_in(CaseState.HANDED_OVER) == 2
        assert progress.cases_in(CaseState.CONSTRUCTION_STARTED) == (2 if viewer == world.district_member else 1)


def test_district_programme_totals_its_communes(world, district_programme):
    progress = programme_progress(programme=district_programme, user=world.district_member, today=MIDWAY)

    assert [row.unit for row in progress.rows] == [world.sibling_commune, world.commune]  # GSO code order
    assert _figures(progress.total.new) == {"target": 6, "approved": 5, "under_construction": 2, "completed": 2,
                                            "handed_over": 1}
    assert _figures(progress.total.repair)["handed_over"] == 1


def test_money_is_committed_only_for_approved_houses_by_source(world, district_programme):
    progress = programme_progress(programme=district_programme, user=world.district_member, today=MIDWAY)
    commune = _row(progress, world.commune)

    # Four approved new houses at 40 + 20 + 20 million, and the repair at 30 + 5 million; the
    # proposed, surveyed, rejected and cancelled cases commit nothing.
    assert commune.money["state_budget"] == 4 * 40_000_000 + 30_000_000
    assert commune.money["fund_for_the_poor"] == 4 * 20_000_000
    assert commune.money["family"] == 4 * 20_000_000 + 5_000_000
    assert progress.total.money_total == commune.money_total + 80_000_000


def test_province_programme_shows_districts_with_their_communes_under_them(world):
    programme = ProgrammeFactory(unit=world.province, new_build_target=5, repair_target=0)
    ProgrammeTargetFactory(programme=programme, unit=world.district, new_builds=3, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.other_district, new_builds=2, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=3, repairs=0)
    _case(programme, world.commune, CaseState.HANDED_OVER)
    _case(programme, world.sibling_commune, CaseState.COMPLETED)
    _case(programme, world.other_district_commune, CaseState.APPROVED)

    progress = programme_progress(programme=programme, user=world.provincial_officer, today=MIDWAY)

    assert [(row.unit, row.depth) for row in progress.rows] == [
        (world.other_district, 0), (world.other_district_commune, 1),
        (world.district, 0), (world.sibling_commune, 1), (world.commune, 1),
    ]
    district = _row(progress, world.district)
    # The district keeps its own target and sums its communes' cases.
    assert _figures(district.new) == {"target": 3, "approved": 2, "under_construction": 0, "completed": 2,
                                      "handed_over": 1}
    assert _figures(progress.total.new) == {"target": 5, "approved": 3, "under_construction": 0, "completed": 2,
                                            "handed_over": 1}


def test_a_district_without_its_own_target_shows_the_sum_of_its_communes(world):
    programme = ProgrammeFactory(unit=world.province, new_build_target=None, repair_target=None)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=3, repairs=1)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=2, repairs=2)

    progress = programme_progress(programme=programme, user=world.provincial_officer, today=MIDWAY)

    assert (_row(progress, world.district).new.target, _row(progress, world.district).repair.target) == (5, 3)


def test_communes_behind_schedule_are_flagged_against_the_time_passed(world):
    programme = ProgrammeFactory(unit=world.district)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=4, repairs=0)
    _case(programme, world.commune, CaseState.COMPLETED)
    _case(programme, world.sibling_commune, CaseState.HANDED_OVER)
    _case(programme, world.sibling_commune, CaseState.HANDED_OVER)

    # 110 of the programme's 201 days have passed: two of four houses should stand.
    progress = programme_progress(programme=programme, user=world.district_member, today=datetime.date(2025, 7, 1))

    assert _row(progress, world.commune).behind
    assert not _row(progress, world.sibling_commune).behind
    assert progress.total.behind  # 3 of 8 finished, 4 due
    assert not any(row.behind for row in programme_progress(
        programme=programme, user=world.district_member, today=datetime.date(2025, 3, 20)).rows)


def test_days_left_count_down_to_the_deadline_and_past_it(world):
    programme = ProgrammeFactory(unit=world.district)

    assert programme_progress(programme=programme, user=world.district_member,
                              today=datetime.date(2025, 9, 20)).days_left == 10
    late = programme_progress(programme=programme, user=world.district_member, today=datetime.date(2025, 10, 3))
    assert (late.days_left, late.days_overdue) == (-3, 3)


def test_a_commune_officer_sees_only_their_communes_row(world, district_programme):
    progress = programme_progress(programme=district_programme, user=world.commune_officer, today=MIDWAY)

    assert [row.unit for row in progress.rows] == [world.commune]
    assert progress.total.new.approved == 4  # the sibling commune's house is not in the total


def test_a_district_member_sees_no_figures_of_another_district(world):
    programme = ProgrammeFactory(unit=world.province)
    ProgrammeTargetFactory(programme=programme, unit=world.other_district, new_builds=2, repairs=0)
    _case(programme, world.other_district_commune, CaseState.APPROVED)
    _case(programme, world.commune, CaseState.APPROVED)

    progress = programme_progress(programme=programme, user=world.district_member, today=MIDWAY)

    assert world.other_district not in [row.unit for row in progress.rows]
    assert world.other_district_commune not in [row.unit for row in progress.rows]
    assert progress.total.new.approved == 1


def test_progress_takes_the_same_number_of_queries_for_many_communes(world, django_assert_max_num_queries):
    programme = ProgrammeFactory(unit=world.district)
    for _ in range(12):
        commune = CommuneFactory(parent=world.district)
        ProgrammeTargetFactory(programme=programme, unit=commune)
        _case(programme, commune, CaseState.HANDED_OVER)

    with django_assert_max_num_queries(3):
        progress = programme_progress(programme=programme, user=world.district_member, today=MIDWAY)
    assert progress.total.new.handed_over == 12

"""Households and houses for the dashboard's tests (tests/reports/test_dashboard.py and the browser's
tests/e2e/test_dashboard.py), in the world of tests/conftest.py, for a year and a day in it."""

import datetime
from dataclasses import dataclass

from households.choices import Category
from housing.choices import CaseState, WorkKind
from housing.models import CaseTransition, Programme

from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from ..housing.factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state


@dataclass
class DistrictFigures:
    district_programme: Programme
    province_programme: Programme


def status(commune, category: str, year: int, day: datetime.date):
    return HouseholdStatusFactory(household=HouseholdFactory(commune=commune), category=category, year=year,
                                  decision_date=day)


def house(programme, commune, state: str, day: datetime.date, kind: str = WorkKind.NEW_BUILD):
    """A case that reached ``state`` on ``day``, with the step that says so (the reports count the
    stage a case had reached by a date from its steps)."""
    case = case_in_state(state, programme=programme, household=HouseholdFactory(commune=commune), work_kind=kind)
    CaseTransition.objects.create(case=case, name="", to_state=state, actor=case.proposed_by,
                                  happened_on=day)
    return case


def district_figures(world, *, year: int, today: datetime.date) -> DistrictFigures:
    """In Mỏ Cày Bắc, for ``year``, on ``today`` (which must be past 5 January of it):

    - Phước Mỹ Trung: 3 poor, 2 near-poor, 1 newly escaped, 1 in difficult circumstances (also poor);
      Phú Mỹ: 1 poor; Châu Thành (another district): 4 poor. A status decided after ``today``
      and one of the year before count nowhere.
    - The district's programme (1 January to 31 December: about ``today``'s share of the year
      passed): Phước Mỹ Trung's target 4 new houses and 2 repairs, 2 new houses handed over, 1 under
      construction and 1 repair completed: 3 finished of 6, behind once more than two thirds of
      the year has passed; Phú Mỹ's target 2 new houses, both handed over: on schedule.
    - The province's programme, with a target of 3 new houses for Phú Mỹ and none built: Phú Mỹ
      is behind in it once a third of its time has passed, though ahead in the district's.
    - Châu Thành: 5 houses handed over in the district's sibling's programme, counted nowhere here.
    """
    decided = datetime.date(year, 1, 5)
    poor = [status(world.commune, Category.POOR, year, decided) for _ in range(3)]
    for category, count in ((Category.NEAR_POOR, 2), (Category.ESCAPED_POVERTY, 1)):
        for _ in range(count):
            status(world.commune, category, year, decided)
    HouseholdStatusFactory(household=poor[0].household, category=Category.DIFFICULT, year=year, decision_date=decided)
    status(world.sibling_commune, Category.POOR, year, decided)
    status(world.sibling_commune, Category.POOR, year - 1, datetime.date(year - 1, 1, 5))
    status(world.sibling_commune, Category.NEAR_POOR, year, today + datetime.timedelta(days=1))
    for _ in range(4):
        status(world.other_district_commune, Category.POOR, year, decided)

    start, deadline = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    district_programme = ProgrammeFactory(unit=world.district, start_date=start, deadline=deadline,
                                          decision_date=start)
    ProgrammeTargetFactory(programme=district_programme, unit=world.commune, new_builds=4, repairs=2)
    ProgrammeTargetFactory(programme=district_programme, unit=world.sibling_commune, new_builds=2, repairs=0)
    earlier = today - datetime.timedelta(days=3)
    for _ in range(2):
        house(district_programme, world.commune, CaseState.HANDED_OVER, earlier)
    house(district_programme, world.commune, CaseState.CONSTRUCTION_STARTED, earlier)
    house(district_programme, world.commune, CaseState.COMPLETED, earlier, kind=WorkKind.REPAIR)
    for _ in range(2):
        house(district_programme, world.sibling_commune, CaseState.HANDED_OVER, earlier)

    province_programme = ProgrammeFactory(unit=world.province, start_date=start, deadline=deadline,
                                          decision_date=start)
    ProgrammeTargetFactory(programme=province_programme, unit=world.sibling_commune, new_builds=3, repairs=0)

    other_programme = ProgrammeFactory(unit=world.other_district, start_date=start, deadline=deadline,
                                       decision_date=start)
    for _ in range(5):
        house(other_programme, world.other_district_commune, CaseState.HANDED_OVER, earlier)
    return DistrictFigures(district_programme=district_programme, province_programme=province_programme)

"""What a current-era unit's report counts of a split former commune's households, once the province
has assigned their hamlets: their categories in the commune they went to, and a report made again when
one of them changes (not served from the file made before)."""

import datetime

from django.utils import translation

from frontwelfare.reports import figures, periods, registry
from households.choices import Category
from households.report_sections import SOCIAL_SECURITY
from households.services import hamlets_assign
from housing.report_sections import HOUSING

from ..households.factories import HouseholdStatusFactory
from ..households.test_hamlet_assignment import split  # noqa: F401 - the fixture the tests take
from ..housing.factories import case_in_state

YEAR_2025 = periods.year(2025)


def _poor_in(households, hamlets):
    for hamlet in hamlets:
        for household in households[hamlet]:
            HouseholdStatusFactory(household=household, category=Category.POOR, year=2025,
                                   decision_date=datetime.date(2025, 3, 1))


def _categories(unit) -> dict[str, list]:
    context = figures.report_context(unit=unit, period=YEAR_2025)
    with translation.override("en"):
        table = registry.sections_of(registry.kind(SOCIAL_SECURITY))[0].build(context)[0]
    return {row[0]: row[1:] for row in [*table.rows, table.total]}


def test_the_households_assigned_to_a_current_commune_count_in_its_categories_and_in_its_provinces_row(split):  # noqa: F811 - the fixture
    _poor_in(split["households"], ("Ấp 1", "Ấp 2", "Ấp 3"))
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})

    assert _categories(split["east"])["Total"][0] == 2
    assert _categories(split["west"])["Total"][0] == 0
    province = _categories(split["east"].province)
    assert province[split["east"].name][0] == 2
    marked = next(name for name in province if name.startswith(f"{split['former'].name} (former)"))
    assert province[marked][0] == 4  # Ấp 2 and Ấp 3: not yet assigned
    assert province["Total"][0] == 6  # each household once


def test_a_current_communes_reports_are_made_again_when_an_assigned_household_changes(split):  # noqa: F811 - the fixture
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    versions = {kind: figures.data_version(kind=kind, unit=split["east"], period=YEAR_2025)
                for kind in (SOCIAL_SECURITY, HOUSING)}

    household = split["households"]["Ấp 1"][0]
    _poor_in(split["households"], ("Ấp 1",))
    case_in_state("approved", household=household)

    for kind, before in versions.items():
        assert figures.data_version(kind=kind, unit=split["east"], period=YEAR_2025) != before, kind

"""The dashboard of a unit: the panels the domain apps register (reports.registry.DashboardPanel:
the households by category, the housing programmes' progress against target and the houses by
stage), one row per unit one level below (the communes of a district, the districts of a
province; a commune is its own one row).

Each panel reads the queries its app's report sections are made of, for the same period. "The
same date" means: the dashboard of the current year shows the year so far, from 1 January to today,
so that it equals, figure for figure, the summary report asked for today "from 1 January to today"
(for the households, that is their status for this year decided by today; for the houses, the stage
each had reached by the end of today). A past year's dashboard equals that year's report.
tests/reports/test_dashboard.py shows it.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import unit_in_scope
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit

from . import figures, periods, registry
from .periods import Period

# The years a dashboard can show: this one and a few before it.
YEARS_BACK = 4


@dataclass(frozen=True)
class Panel:
    """A registered panel's figures, and the template that shows them."""

    name: str
    template: str
    figures: Any


@dataclass(frozen=True)
class UnitDashboard:
    unit: AdministrativeUnit
    period: Period
    year: int
    years: list[int]
    units: list[AdministrativeUnit]  # the rows
    row_level: str  # the level of the rows (Level), and its name: "Commune", "District"
    row_label: str
    panels: dict[str, Panel]
    charts: dict  # what dashboard.js draws (the page embeds it with json_script)

    def panel(self, name: str) -> Any:
        """The figures of the panel ``name`` ("categories", "housing")."""
        return self.panels[name].figures


def dashboard_unit(*, user, pk: int) -> AdministrativeUnit | None:
    """The unit whose dashboard ``user`` asks for; None when there is none or it lies outside their
    scope, which the page answers alike (404)."""
    unit = AdministrativeUnit.objects.select_related("parent").filter(pk=pk).first()
    return unit if unit is not None and unit_in_scope(user, unit) else None


def dashboard_period(year: int | None, today: datetime.date) -> Period:
    """The current year so far (1 January to today), or a whole past year."""
    if year is None or year >= today.year:
        return periods.date_range(datetime.date(today.year, 1, 1), today)
    return periods.year(year)


def dashboard_year(value, today: datetime.date) -> int:
    """The year asked for in the address (``?year=``), if it is one the page offers; else this year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if today.year - YEARS_BACK <= year <= today.year else today.year


def unit_dashboard(*, unit: AdministrativeUnit, year: int | None = None,
                   today: datetime.date | None = None) -> UnitDashboard:
    """The figures of ``unit``'s dashboard: one query for the rows' units, then each panel's own
    (households: one; housing: the programmes and two for the houses of all of them); none per
    programme, row, household or case."""
    today = today or timezone.localdate()
    year = year or today.year
    context = figures.report_context(unit=unit, period=dashboard_period(year, today))
    units = context.breakdown.units
    # The short names ("Phú Mỹ" for "Xã Phú Mỹ") label the bars on a narrow screen; the tooltip
    # gives the full name.
    names = {"labels": [figures.place_name(row) for row in units], "names": [row.name for row in units]}
    panels, charts = {}, {}
    for registered in registry.panels():
        built = registered.build(context)
        panels[registered.name] = Panel(registered.name, registered.template, built)
        charts.update(registered.charts(built, names))
    row_level = units[0].level if units else ""
    return UnitDashboard(
        unit=unit, period=context.period, year=year, years=list(range(today.year, today.year - YEARS_BACK - 1, -1)),
        units=units, row_level=row_level, row_label=str(Level(row_level).label) if row_level else _("Unit"),
        panels=panels, charts=charts,
    )

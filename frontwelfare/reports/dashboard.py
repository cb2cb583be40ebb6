"""The dashboard of a unit: its households by category, its housing programmes' progress against
target and its houses by stage, one row per unit one level below (the communes of a district, the
districts of a province; a commune is its own one row).

Every figure comes from reports.figures, the functions the summary reports are made with, for the
same period. "The same date" means: the dashboard of the current year shows the year so far, from
1 January to today, so that it equals, figure for figure, the summary report asked for today "from
1 January to today" (for the households, that is their status for this year decided by today;
for the houses, the stage each had reached by the end of today). A past year's dashboard equals
that year's report. tests/reports/test_dashboard.py shows it.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import unit_in_scope
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from households.choices import Category
from housing.models import Programme

# The programme page's rule for "behind schedule", so that both pages flag the same units.
from housing.selectors import PROGRESS_LABELS, UnitProgress, WorkProgress, _behind, _elapsed_share

from . import figures, periods
from .periods import Period

# One colour per household category, the same in the chart and beside the table's headings.
# Blues for poverty (darker is poorer), green for escaping it, orange for hardship: none is red, which means
# "behind schedule" on this page.
CATEGORY_COLOURS = {
    Category.POOR: "#0072b2",
    Category.NEAR_POOR: "#56b4e9",
    Category.ESCAPED_POVERTY: "#009e73",
    Category.DIFFICULT: "#e69f00",
}
# The categories a household has at most one of in a year: they stack into one bar. "Difficult"
# may come on top of any of them, so it has a bar of its own (stacking it would count twice).
STACKED_CATEGORIES = (Category.POOR, Category.NEAR_POOR, Category.ESCAPED_POVERTY)
PROGRESS_COLOURS = {"target": "#adb5bd", "completed": "#198754", "handed_over": "#0f5132"}
KIND_COLOURS = {"new_build": "#6f42c1", "repair": "#c29ffa"}
KINDS = ("new_build", "repair")
# The housing table: for each kind of work, these columns of the report's "Houses by stage".
HOUSING_COLUMNS = ("target", "completed", "handed_over")
STAGES = ("approved", "under_construction", "completed", "handed_over")
# The years a dashboard can show: this one and a few before it.
YEARS_BACK = 4


@dataclass(frozen=True)
class Row:
    unit: AdministrativeUnit
    figures: list[int]
    behind: bool = False


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    total: list[int]


@dataclass(frozen=True)
class ProgrammeLine:
    """A programme the housing figures count, with how far its time has run and how many rows
    are behind its schedule."""

    programme: Programme
    elapsed_percent: int
    units_behind: int


@dataclass(frozen=True)
class UnitDashboard:
    unit: AdministrativeUnit
    period: Period
    year: int
    years: list[int]
    row_level: str  # the level of the rows (Level), and its name: "Commune", "District"
    row_label: str
    category_labels: list[tuple[str, str, str]]  # (category, label, colour)
    categories: Table
    housing: Table  # per kind: target, completed, handed over (HOUSING_COLUMNS)
    stages: list[tuple[str, str, int, int]]  # (stage, label, new builds, repairs): the housing total
    programmes: list[ProgrammeLine]

    @property
    def charts(self) -> dict:
        """What dashboard.js draws (the page embeds it with json_script)."""
        return _charts(self)

    @property
    def units_behind(self) -> int:
        return sum(row.behind for row in self.housing.rows)

    @property
    def has_households(self) -> bool:
        return any(self.categories.total)


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
    """The figures of ``unit``'s dashboard. Queries: the rows' units, the households by category,
    the programmes, and two for the houses of all of them (reports.figures.housing_figures_by_programme,
    the queries the housing report is made of); none per programme, row, household or case.

    A row is behind schedule when it is behind in any of the programmes, by the programme page's
    rule (housing.selectors): summing the programmes would let one run ahead hide another's delay.
    """
    today = today or timezone.localdate()
    year = year or today.year
    period = dashboard_period(year, today)
    breakdown = figures.breakdown_of(unit)
    units = breakdown.units
    by_category = figures.households_by_category(unit, period, breakdown)
    categories = _table(units, [[by_category.get(u.pk, {}).get(c.value, 0) for c in Category] for u in units])

    programmes = figures.programmes_of(unit, period)
    housing_totals: dict[int, dict[str, int]] = {u.pk: {} for u in units}
    behind: set[int] = set()
    lines = []
    per_programme = figures.housing_figures_by_programme(unit, period, programmes, breakdown)
    for programme in programmes:
        counted = per_programme[programme.pk]
        share = _elapsed_share(programme, period.end)
        behind_here = {u.pk for u in units if _behind(_progress(counted.get(u.pk, {})), share)}
        behind |= behind_here
        lines.append(ProgrammeLine(programme, round(100 * share), len(behind_here)))
        for pk, values in counted.items():
            if pk in housing_totals:
                for name, value in values.items():
                    housing_totals[pk][name] = housing_totals[pk].get(name, 0) + value
    housing_rows = [[housing_totals[u.pk].get(f"{kind}_{name}", 0) for kind in KINDS for name in HOUSING_COLUMNS]
                    for u in units]
    housing = _table(units, housing_rows, behind=behind)
    # As in the report: the target set for the whole unit (reports.figures.WHOLE_UNIT) is the total's.
    whole = {name: sum(counted.get(figures.WHOLE_UNIT, {}).get(name, 0) for counted in per_programme.values())
             for name in ("new_build_target", "repair_target")}
    for position, (kind, name) in enumerate((kind, name) for kind in KINDS for name in HOUSING_COLUMNS):
        if name == "target":
            housing.total[position] = whole[f"{kind}_target"]
    stage_totals = {f"{kind}_{stage}": sum(values.get(f"{kind}_{stage}", 0) for values in housing_totals.values())
                    for kind in KINDS for stage in STAGES}
    stages = [(stage, str(PROGRESS_LABELS[stage]), stage_totals[f"new_build_{stage}"], stage_totals[f"repair_{stage}"])
              for stage in STAGES]

    row_level = units[0].level if units else ""
    return UnitDashboard(
        unit=unit, period=period, year=year, years=list(range(today.year, today.year - YEARS_BACK - 1, -1)),
        row_level=row_level, row_label=str(Level(row_level).label) if row_level else _("Unit"),
        category_labels=[(c.value, str(c.label), CATEGORY_COLOURS[c]) for c in Category],
        categories=categories, housing=housing, stages=stages, programmes=lines,
    )


def _table(units, rows: list[list[int]], behind: Collection[int] = ()) -> Table:
    total = [sum(column) for column in zip(*rows, strict=True)] if rows else []
    return Table(rows=[Row(unit, figures_, unit.pk in behind) for unit, figures_ in zip(units, rows, strict=True)],
                 total=total)


def _progress(values: dict[str, int]) -> UnitProgress:
    """One row of reports.figures.housing_figures as the programme page's UnitProgress."""
    return UnitProgress(unit=None, **{
        attribute: WorkProgress(target=values.get(f"{kind}_target", 0), completed=values.get(f"{kind}_completed", 0))
        for attribute, kind in (("new", "new_build"), ("repair", "repair"))
    })


def _charts(dashboard: UnitDashboard) -> dict:
    """The charts' data and words, for dashboard.js. The short names ("Phú Mỹ" for "Xã Phú Mỹ")
    label the bars on a narrow screen; the tooltip gives the full name."""
    units = [row.unit for row in dashboard.categories.rows]
    names = {"labels": [figures.place_name(unit) for unit in units], "names": [unit.name for unit in units]}
    index = {category: position for position, category in enumerate(Category)}
    categories = {**names, "series": [
        {"label": label, "colour": colour, "stack": "poverty" if category in STACKED_CATEGORIES else category,
         "data": [row.figures[index[category]] for row in dashboard.categories.rows]}
        for category, label, colour in dashboard.category_labels
    ]}
    columns = {(kind, name): position for position, (kind, name) in
               enumerate((kind, name) for kind in KINDS for name in HOUSING_COLUMNS)}
    housing = {**names, "behind": [row.behind for row in dashboard.housing.rows],
               "behindLabel": _("Behind schedule"), "series": [
        {"key": name, "label": str(PROGRESS_LABELS[name]), "colour": PROGRESS_COLOURS[name],
         "data": [sum(row.figures[columns[kind, name]] for kind in KINDS) for row in dashboard.housing.rows]}
        for name in HOUSING_COLUMNS
    ]}
    stages = {"labels": [label for _stage, label, _new, _repair in dashboard.stages], "series": [
        {"label": _("New houses"), "colour": KIND_COLOURS["new_build"], "stack": "houses",
         "data": [new for _stage, _label, new, _repair in dashboard.stages]},
        {"label": _("Repairs"), "colour": KIND_COLOURS["repair"], "stack": "houses",
         "data": [repair for _stage, _label, _new, repair in dashboard.stages]},
    ]}
    return {"categories": categories, "housing": housing, "stages": stages}

"""The member organisations' part of the reports (registered by donations.report_sections): the
organisations and their members by kind, and their activities by kind — records, sessions, cases or
operations (``occurrences``), people served, households of the registry, value — in the period,
broken down by the units below the report's unit (with a row of the unit's own).

Members are each organisation's latest year recorded within the period's years (an organisation
reports its members at a year's end); an activity counts in the period its first day falls in, by
the day it happened, never by when it was entered. One grouped query per table, never a loop over
records.
"""

import copy

from django.db.models import BigIntegerField, Case, Count, F, Max, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.reports.data import COUNT, MONEY, TEXT, Column, Section
from frontwelfare.reports.registry import ReportContext, ReportKindSpec, ReportSection
from frontwelfare.reports.tables import unit_table, with_total_across

from ..choices import MemberOrganisation
from .choices import ActivityKind
from .models import Activity, Membership, Organisation
from .selectors import latest_memberships

MEMBER_ORGANISATIONS = "member_organisations"
TOTAL = "total"


def _row_key(context: ReportContext, unit_path: str):
    """The report's row a record of a unit (reached by ``unit_path``) counts in: the unit's own row
    for a record of the report's unit itself (a province's Red Cross belongs to none of its
    districts), else the row of the unit below it."""
    below = context.key(unit_path)
    if context.unit is None:
        return below
    return Case(When(**{f"{unit_path}_id": context.unit.pk}, then=Value(context.unit.pk)), default=below,
                output_field=BigIntegerField())


def report_rows(context: ReportContext) -> list:
    """The unit itself (its own organisations and activities) first, then the units one level below
    (a commune's report has the commune as its one row)."""
    units = context.breakdown.units
    if context.unit is None or context.unit.pk in {unit.pk for unit in units}:
        return units
    own = copy.copy(context.unit)
    own.row_name = _("%(name)s (the unit itself)") % {"name": context.unit.name}
    return [own, *units]


def _organisations(context: ReportContext):
    return Organisation.objects.filter(context.within("unit"))


def _activities(context: ReportContext):
    period = context.period
    return Activity.objects.filter(context.within("unit"), starts_on__gte=period.start, starts_on__lte=period.end)


def _figures(rows, row: str, column: str, value: str) -> dict[int, dict[str, int]]:
    """{row: {column: value, TOTAL: the row's sum}} from grouped rows."""
    figures: dict = {}
    for entry in rows:
        if entry[row] is None:
            continue
        into = figures.setdefault(entry[row], {})
        into[entry[column]] = into.get(entry[column], 0) + (entry[value] or 0)
        into[TOTAL] = into.get(TOTAL, 0) + (entry[value] or 0)
    return figures


def organisation_figures(context: ReportContext) -> tuple[dict, dict]:
    """({row: {kind: organisations}}, {row: {kind: members}}): two grouped queries."""
    def compute():
        organisations = _organisations(context)
        counted = (organisations.annotate(row=_row_key(context, "unit")).values("row", "kind").order_by()
                   .annotate(n=Count("pk")))
        period = context.period
        members = (latest_memberships(organisations, year_until=period.end.year, year_from=period.start.year)
                   .annotate(row=_row_key(context, "organisation__unit"), kind=F("organisation__kind"))
                   .values("row", "kind").order_by().annotate(n=Sum("members")))
        return _figures(counted, "row", "kind", "n"), _figures(members, "row", "kind", "n")
    return context.shared_value("donations.organisations", compute)


ACTIVITY_MEASURES = ("activities", "occurrences", "people_served", "value")


def activity_figures(context: ReportContext) -> dict:
    """The activities of the period summed by row and kind (one query), and the distinct households
    of the registry they served by row, by kind and in all (three counts: a household served twice
    counts once)."""
    def compute():
        activities = _activities(context)
        by_row_kind = (activities.annotate(row=_row_key(context, "unit")).values("row", "kind").order_by()
                       .annotate(activities=Count("pk"), occurrences=Sum("occurrences"),
                                 people_served=Sum("people_served"), value=Sum("value")))
        by_row: dict = {}
        by_kind: dict = {}
        by_row_of_kind: dict = {measure: {} for measure in ACTIVITY_MEASURES}
        for entry in by_row_kind:
            for measure in ACTIVITY_MEASURES:
                amount = entry[measure] or 0
                _add(by_row.setdefault(entry["row"], {}), measure, amount)
                _add(by_kind.setdefault(entry["kind"], {}), measure, amount)
                _add(by_row_of_kind[measure].setdefault(entry["row"], {}), entry["kind"], amount)
                _add(by_row_of_kind[measure][entry["row"]], TOTAL, amount)
        served = Activity.households.through.objects.filter(activity__in=activities.values("pk"))
        row_of_link = _row_key(context, "activity__unit")
        for entry in served.annotate(row=row_of_link).values("row").order_by().annotate(
                n=Count("household", distinct=True)):
            _add(by_row.setdefault(entry["row"], {}), "households", entry["n"])
        for entry in served.values("activity__kind").order_by().annotate(n=Count("household", distinct=True)):
            _add(by_kind.setdefault(entry["activity__kind"], {}), "households", entry["n"])
        households = served.values("household").distinct().count()
        return {"by_row": by_row, "by_kind": by_kind, "by_row_of_kind": by_row_of_kind, "households": households}
    return context.shared_value("donations.activities", compute)


def _add(into: dict, name: str, amount: int) -> None:
    into[name] = into.get(name, 0) + amount


# -- the tables ------------------------------------------------------------------------------------


def _kind_columns(kind: str, total_label) -> list[tuple[str, Column]]:
    return [*((choice.value, Column(str(choice.label), kind)) for choice in MemberOrganisation),
            (TOTAL, Column(str(total_label), kind))]


def _activity_columns() -> list[tuple[str, Column]]:
    return [("activities", Column(_("Activities recorded"))),
            ("occurrences", Column(_("Sessions, cases or operations"))),
            ("people_served", Column(_("People served"))),
            ("households", Column(_("Households of the registry"))),
            ("value", Column(_("Value"), MONEY))]


def organisations_section(context: ReportContext) -> list[Section]:
    """The organisations by kind and their members (each organisation's latest year in the period)."""
    counted, members = organisation_figures(context)
    rows = report_rows(context)
    return [
        unit_table(_("Member organisations by kind"), rows, counted, _kind_columns(COUNT, _("Organisations")),
                   note=_("Every member organisation recorded in the unit and the units below it.")),
        unit_table(_("Members by kind"), rows, members, _kind_columns(COUNT, _("Members")),
                   note=_("Each organisation's members in the latest year of the period it recorded.")),
    ]


def activities_section(context: ReportContext) -> list[Section]:
    """The activities of the period by kind (the unit together), by unit, and each unit's sessions,
    people and value by kind."""
    figures = activity_figures(context)
    columns = _activity_columns()
    by_kind = Section(title=_("Activities by kind"), columns=[Column(_("Kind of activity"), TEXT),
                                                              *(column for _name, column in columns)],
                      note=_("Counted in the period of each activity's first day."))
    for kind in ActivityKind:
        values = figures["by_kind"].get(kind.value, {})
        by_kind.rows.append([str(kind.label), *(values.get(name, 0) for name, _column in columns)])
    by_kind.total = [_("Total"), *(sum(row[index] for row in by_kind.rows) for index in range(1, len(columns) + 1))]
    by_kind.total[4] = figures["households"]  # a household served by two kinds counts once
    rows = report_rows(context)
    by_unit = unit_table(_("Activities by unit"), rows, figures["by_row"], columns,
                         total={"households": figures["households"]})
    kinds = [(kind.value, Column(str(kind.label))) for kind in ActivityKind]
    return [
        by_kind, by_unit,
        unit_table(_("Sessions, cases or operations by kind"), rows, figures["by_row_of_kind"]["occurrences"],
                   kinds),
        unit_table(_("People served by kind"), rows, figures["by_row_of_kind"]["people_served"], kinds),
        with_total_across(unit_table(_("Value by kind"), rows, figures["by_row_of_kind"]["value"],
                                     [(name, Column(column.label, MONEY)) for name, column in kinds])),
    ]


def organisations_version(context: ReportContext) -> list:
    """The latest change of an organisation, a year's members or an activity anywhere (history rows
    are never changed), and the households linked to the unit's activities (not in the history)."""
    links = Activity.households.through.objects.filter(Q(activity__in=Activity.objects.filter(context.within("unit"))))
    return [
        Organisation.history.aggregate(v=Max("history_id"))["v"],
        Membership.history.aggregate(v=Max("history_id"))["v"],
        Activity.history.aggregate(v=Max("history_id"))["v"],
        *links.aggregate(v=Max("id"), n=Count("id")).values(),
    ]


ORGANISATION_SECTIONS = [
    ReportSection("donations.organisations", organisations_section, organisations_version),
    ReportSection("donations.activities", activities_section, organisations_version),
]
MEMBER_ORGANISATIONS_KIND = ReportKindSpec(
    MEMBER_ORGANISATIONS, gettext_lazy("Member organisations"),
    gettext_lazy("Report on the member organisations' work"),
    sections=tuple(section.name for section in ORGANISATION_SECTIONS), file_word="to-chuc-thanh-vien")

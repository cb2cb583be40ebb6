"""The figures of the reports, counted in SQL: one grouped query per section, by the units one level
below the report's unit (the communes of a district, the districts of a province; a commune's
report has the commune as its one row). Never a query per household, case or commune.

`social_security_figures` and `housing_figures` return {unit id: {column: figure}}, which the
district dashboard reads too, so that both always show the same numbers; `report_data` lays them
out as the sections of a report (reports.data) for the writers.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from households.choices import Category, PolicyType
from households.models import Household, HouseholdPolicy, HouseholdStatus, Member
from housing.choices import APPROVED_STATES, FINISHED_STATES, CaseState, WorkKind
from housing.models import FUNDING_FIELDS, CaseTransition, HousingCase, Programme, ProgrammeTarget

from .choices import ReportKind
from .data import MONEY, PERCENT, TEXT, Column, ReportData, Section
from .periods import Period

Figures = dict[int, dict[str, int]]


# -- the rows: the units one level below ----------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """The units a report's rows are, and how a commune (the unit of every record) leads to them."""

    units: list[AdministrativeUnit]
    by_district: bool  # rows are districts: a commune counts in its district's row

    def key(self, commune_path: str) -> str:
        """The column to group by, from a model whose commune is at ``commune_path``."""
        return f"{commune_path}__district_id" if self.by_district else f"{commune_path}_id"


def breakdown_of(unit: AdministrativeUnit) -> Breakdown:
    if unit.level == Level.COMMUNE:
        return Breakdown([unit], by_district=False)
    below = AdministrativeUnit.objects.filter(parent=unit).order_by("code")
    units = list(below)
    by_district = unit.level == Level.PROVINCE and any(child.level == Level.DISTRICT for child in units)
    return Breakdown(units, by_district=by_district)


def _within(unit: AdministrativeUnit, commune_path: str) -> Q:
    """The records whose commune lies within ``unit``: one indexed column, as in the scope rule."""
    column = {Level.PROVINCE: "province_id", Level.DISTRICT: "district_id"}.get(unit.level, "id")
    return Q(**{f"{commune_path}__{column}": unit.pk})


def _grouped(rows, key: str, columns: list[str]) -> Figures:
    return {row[key]: {name: row[name] or 0 for name in columns} for row in rows if row[key] is not None}


# -- social security ------------------------------------------------------------------------------

CATEGORY_COLUMNS = [category.value for category in Category]
POLICY_COLUMNS = [policy.value for policy in PolicyType]
POVERTY = (Category.POOR, Category.NEAR_POOR)


def households_by_category(unit, period: Period, breakdown: Breakdown) -> Figures:
    """Households of each category at the end of the period: their status for the period's last
    year, decided by then."""
    key = breakdown.key("household__commune")
    rows = (HouseholdStatus.objects.filter(_within(unit, "household__commune"), year=period.end.year,
                                           decision_date__lte=period.end)
            .values(key).order_by()
            .annotate(**{category: Count("household_id", distinct=True, filter=Q(category=category))
                         for category in CATEGORY_COLUMNS}))
    return _grouped(rows, key, CATEGORY_COLUMNS)


def households_by_policy(unit, breakdown: Breakdown) -> Figures:
    key = breakdown.key("household__commune")
    rows = (HouseholdPolicy.objects.filter(_within(unit, "household__commune"))
            .values(key).order_by()
            .annotate(**{policy: Count("household_id", distinct=True, filter=Q(policy_type=policy))
                         for policy in POLICY_COLUMNS}))
    return _grouped(rows, key, POLICY_COLUMNS)


def poverty_movements(unit, period: Period, breakdown: Breakdown) -> Figures:
    """Households that entered poverty (poor or near-poor by a decision in the period, and neither
    the year before) and that left it (newly escaped poverty by a decision in the period)."""
    key = breakdown.key("household__commune")
    poor_the_year_before = HouseholdStatus.objects.filter(household=OuterRef("household"), year=OuterRef("year") - 1,
                                                          category__in=POVERTY)
    rows = (HouseholdStatus.objects.filter(_within(unit, "household__commune"),
                                           decision_date__range=(period.start, period.end))
            .values(key).order_by()
            .annotate(entered=Count("household_id", distinct=True,
                                    filter=Q(category__in=POVERTY) & ~Q(Exists(poor_the_year_before))),
                      left=Count("household_id", distinct=True, filter=Q(category=Category.ESCAPED_POVERTY))))
    return _grouped(rows, key, ["entered", "left"])


def members_of_households_in_need(unit, period: Period, breakdown: Breakdown) -> Figures:
    """The people of the households with a status for the period's last year: how many, how many
    with a disability, how many at school."""
    key = breakdown.key("household__commune")
    has_status = HouseholdStatus.objects.filter(household=OuterRef("household"), year=period.end.year,
                                                decision_date__lte=period.end)
    rows = (Member.objects.filter(_within(unit, "household__commune"), Exists(has_status))
            .values(key).order_by()
            .annotate(households=Count("household_id", distinct=True), members=Count("id"),
                      disabled=Count("id", filter=~Q(disability="")),
                      pupils=Count("id", filter=~Q(school_level=""))))
    return _grouped(rows, key, ["households", "members", "disabled", "pupils"])


def social_security_figures(unit, period: Period) -> dict[str, Figures]:
    breakdown = breakdown_of(unit)
    return {
        "categories": households_by_category(unit, period, breakdown),
        "policies": households_by_policy(unit, breakdown),
        "movements": poverty_movements(unit, period, breakdown),
        "members": members_of_households_in_need(unit, period, breakdown),
    }


# -- housing --------------------------------------------------------------------------------------

PROGRESS = ("approved", "under_construction", "completed", "handed_over")
# The money columns of the case, and the names their sums take (a sum may not take a field's name).
MONEY_COLUMNS = [*FUNDING_FIELDS.values(), "labour_days"]
MONEY_SUMS = {field: f"money_{field}" for field in MONEY_COLUMNS}


def programmes_of(unit, period: Period, programme=None) -> list[Programme]:
    """The programme asked for, or every programme that covers ``unit`` (run by it, by a unit above
    it, or, for a province, by its districts) and runs during the period."""
    if programme is not None:
        return [programme]
    covering = Q(unit_id__in=[pk for pk in (unit.pk, unit.district_id, unit.province_id) if pk])
    if unit.level == Level.PROVINCE:
        covering |= Q(unit__province_id=unit.pk)
    return list(Programme.objects.filter(covering, start_date__lte=period.end, deadline__gte=period.start)
                .order_by("deadline", "name"))


def cases_by_state(unit, period: Period, programmes, breakdown: Breakdown, *, by_programme: bool = False):
    """For each unit and kind of work: houses approved, under construction, completed and handed
    over as things stood at the end of the period (each case's last step that had happened by
    then, by the day it happened, however late it was entered), and the money committed to those
    approved, by source. With ``by_programme``, {programme id: figures}, still one query."""
    key = breakdown.key("commune")
    if period.end >= timezone.localdate():
        # Up to today, the state then is the state now (no step may be dated in the future): no
        # need to look up each case's last step, which is most of this query's time for a province.
        state_then = F("state")
    else:
        state_then = Subquery(CaseTransition.objects.filter(case=OuterRef("pk"), happened_on__lte=period.end)
                              .order_by("-happened_on", "-id").values("to_state")[:1])
    buckets = {"approved": Q(state_then__in=APPROVED_STATES),
               "under_construction": Q(state_then=CaseState.CONSTRUCTION_STARTED),
               "completed": Q(state_then__in=FINISHED_STATES), "handed_over": Q(state_then=CaseState.HANDED_OVER)}
    aggregates = {f"{kind}_{name}": Count("id", filter=condition & Q(work_kind=kind))
                  for kind in WorkKind.values for name, condition in buckets.items()}
    aggregates.update({MONEY_SUMS[field]: Sum(field, filter=buckets["approved"]) for field in MONEY_COLUMNS})
    group_by = [key, "programme_id"] if by_programme else [key]
    rows = (HousingCase.objects.filter(_within(unit, "commune"), programme__in=programmes)
            .annotate(state_then=state_then).values(*group_by).order_by().annotate(**aggregates))
    if not by_programme:
        return _grouped(rows, key, list(aggregates))
    per_programme: dict[int, list] = defaultdict(list)
    for row in rows:
        per_programme[row["programme_id"]].append(row)
    return {pk: _grouped(grouped, key, list(aggregates)) for pk, grouped in per_programme.items()}


# In the targets, the key of the whole unit's target (the Total row): where the programme sets it for
# the unit itself, it may not be broken down over the rows at all.
WHOLE_UNIT = 0


def targets_by_unit(programmes, breakdown: Breakdown, unit, *, by_programme: bool = False):
    """Each row's targets for new houses and repairs, summed over the programmes (or, with
    ``by_programme``, {programme id: figures}), and under WHOLE_UNIT the whole unit's.

    A row's target is its own; a district without one has its communes' added up; the
    programme's own unit without one has the programme's plan. The whole unit's target is the
    one set for the unit itself (or the programme's plan, when it is the programme's unit), else
    the rows' sum."""
    rows = (ProgrammeTarget.objects.filter(programme__in=programmes)
            .values("programme_id", "unit_id", "unit__level", "unit__district_id", "new_builds", "repairs"))
    wanted = {row_unit.pk for row_unit in breakdown.units}
    own: dict[tuple[int, int], tuple[int, int]] = {}
    from_communes: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["unit_id"] in wanted or row["unit_id"] == unit.pk:
            own[row["programme_id"], row["unit_id"]] = (row["new_builds"], row["repairs"])
        elif breakdown.by_district and row["unit__level"] == Level.COMMUNE and row["unit__district_id"] in wanted:
            summed = from_communes[row["programme_id"], row["unit__district_id"]]
            summed[0] += row["new_builds"]
            summed[1] += row["repairs"]
    targets = {**{key: tuple(value) for key, value in from_communes.items()}, **own}
    for programme in programmes:
        planned = (programme.new_build_target, programme.repair_target)
        if programme.unit_id in wanted | {unit.pk} and planned != (None, None) \
                and (programme.pk, programme.unit_id) not in targets:
            targets[programme.pk, programme.unit_id] = tuple(value or 0 for value in planned)
    per_programme: dict[int, Figures] = {}
    for programme in programmes:
        by_unit = {unit_id: _target(*targets[programme.pk, unit_id]) for unit_id in wanted
                   if (programme.pk, unit_id) in targets}
        whole = targets.get((programme.pk, unit.pk))
        by_unit[WHOLE_UNIT] = _target(*whole) if whole is not None and unit.pk not in wanted else _target(
            sum(values["new_build_target"] for values in by_unit.values()),
            sum(values["repair_target"] for values in by_unit.values()))
        per_programme[programme.pk] = by_unit
    if by_programme:
        return per_programme
    figures: Figures = defaultdict(lambda: _target(0, 0))
    for by_unit in per_programme.values():
        for unit_id, values in by_unit.items():
            figures[unit_id]["new_build_target"] += values["new_build_target"]
            figures[unit_id]["repair_target"] += values["repair_target"]
    figures.setdefault(WHOLE_UNIT, _target(0, 0))  # no programme: the whole unit's target is nothing
    return dict(figures)


def _target(new_builds: int, repairs: int) -> dict[str, int]:
    return {"new_build_target": new_builds, "repair_target": repairs}


def housing_figures(unit, period: Period, programme=None) -> Figures:
    breakdown = breakdown_of(unit)
    programmes = programmes_of(unit, period, programme)
    return _merged(cases_by_state(unit, period, programmes, breakdown),
                   targets_by_unit(programmes, breakdown, unit))


def housing_figures_by_programme(unit, period: Period, programmes, breakdown: Breakdown) -> dict[int, Figures]:
    """{programme id: housing_figures of that programme}, for every programme at once: two queries."""
    cases = cases_by_state(unit, period, programmes, breakdown, by_programme=True)
    targets = targets_by_unit(programmes, breakdown, unit, by_programme=True)
    return {programme.pk: _merged(cases.get(programme.pk, {}), targets.get(programme.pk, {}))
            for programme in programmes}


def _merged(cases: Figures, targets: Figures) -> Figures:
    return {pk: {**targets.get(pk, {"new_build_target": 0, "repair_target": 0}), **cases.get(pk, {})}
            for pk in set(cases) | set(targets)}


# -- the report's sections ------------------------------------------------------------------------


def _section(title: str, units, figures: Figures, columns: list[tuple[str, Column]], note: str = "") -> Section:
    """A table with one row per unit (every unit, with zeros where nothing was counted) and totals."""
    section = Section(title=title, columns=[Column(_("Unit"), TEXT), *(column for _name, column in columns)],
                      note=note)
    totals = defaultdict(int)
    for unit in units:
        values = figures.get(unit.pk, {})
        section.rows.append([unit.name, *(values.get(name, 0) for name, _column in columns)])
        for name, _column in columns:
            totals[name] += values.get(name, 0)
    # A target set for the whole unit, not broken down over the rows, is the total's target.
    totals.update(figures.get(WHOLE_UNIT, {}))
    section.total = [_("Total"), *(totals[name] for name, _column in columns)]
    return section


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def social_security_sections(unit, period: Period, progress: Callable[[int], None]) -> list[Section]:
    breakdown = breakdown_of(unit)
    units = breakdown.units
    categories = households_by_category(unit, period, breakdown)
    progress(25)
    policies = households_by_policy(unit, breakdown)
    progress(45)
    movements = poverty_movements(unit, period, breakdown)
    progress(65)
    members = members_of_households_in_need(unit, period, breakdown)
    progress(85)
    return [
        _section(_("Households by category"), units, categories,
                 [(category.value, Column(str(category.label))) for category in Category],
                 note=_("Status for %(year)s decided by the end of the period.") % {"year": period.end.year}),
        _section(_("Policy families"), units, policies,
                 [(policy.value, Column(str(policy.label))) for policy in PolicyType]),
        _section(_("Into and out of poverty in the period"), units, movements,
                 [("entered", Column(_("Became poor or near-poor"))), ("left", Column(_("Newly escaped poverty")))]),
        _section(_("People in the households in need"), units, members,
                 [("households", Column(_("Households"))), ("members", Column(_("Members"))),
                  ("disabled", Column(_("With a disability"))), ("pupils", Column(_("Pupils and students")))]),
    ]


def housing_sections(unit, period: Period, programme, progress: Callable[[int], None]) -> list[Section]:
    breakdown = breakdown_of(unit)
    programmes = programmes_of(unit, period, programme)
    progress(10)
    cases = cases_by_state(unit, period, programmes, breakdown)
    progress(60)
    targets = targets_by_unit(programmes, breakdown, unit)
    progress(80)
    figures = {pk: {**targets.get(pk, {}), **cases.get(pk, {})} for pk in set(cases) | set(targets)}
    kinds = [(WorkKind.NEW_BUILD, _("New houses")), (WorkKind.REPAIR, _("Repairs"))]
    labels = {"target": _("Target"), "approved": _("Approved"), "under_construction": _("Under construction"),
              "completed": _("Completed"), "handed_over": _("Handed over")}
    progress_columns = [(f"{kind}_{name}", Column(str(label), group=str(group)))
                        for kind, group in kinds for name, label in labels.items()]
    # The targets are stored as new_build_target / repair_target.
    progress_section = _section(_("Houses by stage"), breakdown.units, figures, progress_columns,
                                note=_("Programmes: %(names)s.") % {"names": "; ".join(p.name for p in programmes)})
    money_columns = [(MONEY_SUMS[field], Column(str(source.label), MONEY)) for source, field in FUNDING_FIELDS.items()]
    money_columns.append((MONEY_SUMS["labour_days"], Column(_("Labour days"))))
    money_section = _section(_("Money committed to approved houses"), breakdown.units, figures, money_columns)
    return [progress_section, money_section, _percent_section(progress_section, kinds, labels)]


def _percent_section(counts: Section, kinds, labels) -> Section:
    """The stages as percentages of the target, from the counts table (totals included)."""
    columns = [Column(_("Unit"), TEXT)]
    columns += [Column(str(labels[name]), PERCENT, group=str(group)) for _kind, group in kinds for name in PROGRESS]
    section = Section(title=_("Houses by stage, as a share of the target"), columns=columns)
    stride = len(labels)

    def as_percent(row: list) -> list:
        values = [row[0]]
        for index in range(len(kinds)):
            target = row[1 + index * stride]
            values += [_percent(row[1 + index * stride + offset], target) for offset in range(1, stride)]
        return values

    section.rows = [as_percent(row) for row in counts.rows]
    section.total = as_percent(counts.total)
    return section


# -- the whole report -----------------------------------------------------------------------------

TYPE_WORDS = re.compile(r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+", re.IGNORECASE)


def place_name(unit: AdministrativeUnit) -> str:
    """The unit's name without its type, for the date line: "Huyện Mỏ Cày Bắc" → "Mỏ Cày Bắc"."""
    return TYPE_WORDS.sub("", unit.name)


def report_data(report, *, progress: Callable[[int], None] = lambda percent: None) -> ReportData:
    unit, period = report.unit, report.period
    if report.kind == ReportKind.SOCIAL_SECURITY:
        title, sections = _("Social-security summary report"), social_security_sections(unit, period, progress)
    else:
        title = _("Housing programme progress report")
        sections = housing_sections(unit, period, report.programme, progress)
        if report.programme is not None:
            title = f"{title}: {report.programme.name}"
    return ReportData(
        title=title.upper(), subtitle=f"{unit.name}, {period.label}",
        issuer=(_("Committee of the Vietnam Fatherland Front") + " " + unit.name).upper(),
        place=place_name(unit), made_on=timezone.localdate(), sections=sections,
        signer=_("On behalf of the standing committee").upper(),
    )


# -- has anything changed? ------------------------------------------------------------------------


def data_version(*, kind: str, unit, programme=None) -> str:
    """A fingerprint of everything the report counts within ``unit``: the latest change (insert,
    update or delete, from the change history) of each kind of record. The same report asked for
    again while it is unchanged is served from the file already made."""
    if kind == ReportKind.SOCIAL_SECURITY:
        parts = [
            Household.history.filter(_within(unit, "commune")).aggregate(v=Max("history_id"))["v"],
            HouseholdStatus.history.filter(_within(unit, "household__commune")).aggregate(v=Max("history_id"))["v"],
            HouseholdPolicy.history.filter(_within(unit, "household__commune")).aggregate(v=Max("history_id"))["v"],
            Member.history.filter(_within(unit, "household__commune")).aggregate(v=Max("history_id"))["v"],
        ]
    else:
        cases = HousingCase.history.filter(_within(unit, "commune"))
        if programme is not None:
            cases = cases.filter(programme_id=programme.pk)
        parts = [
            cases.aggregate(v=Max("history_id"))["v"],
            CaseTransition.objects.filter(_within(unit, "case__commune")).aggregate(v=Max("id"))["v"],
            ProgrammeTarget.history.aggregate(v=Max("history_id"))["v"],
            Programme.history.aggregate(v=Max("history_id"))["v"],
        ]
    return "-".join(str(part or 0) for part in parts)


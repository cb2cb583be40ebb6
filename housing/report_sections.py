"""The housing app's part of the reports (frontwelfare.reports.registry): the housing programme
progress report (houses by stage against the targets, the money committed, the stages as a share of
the target), its "programme" option, and the dashboard's housing panel, which reads the same queries
so that both always show the same numbers. Registered in HousingConfig.ready().

Everything is counted in SQL by the report's rows: one grouped query for the cases and one for the
targets, shared by the report's three tables; never a query per case, programme or commune.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.reports.breakdown import ROW, Figures, grouped
from frontwelfare.reports.data import MONEY, PERCENT, TEXT, Column, Section
from frontwelfare.reports.registry import (
    DashboardPanel,
    ReportContext,
    ReportKindSpec,
    ReportOption,
    ReportSection,
    register_kind,
    register_option,
    register_panel,
    register_section,
)
from frontwelfare.reports.tables import percent, unit_table, with_total_across
from frontwelfare.text import fold_diacritics
from households.report_sections import assignments_version

from .choices import WorkKind
from .models import FUNDING_FIELDS, CaseTransition, HousingCase, Programme, ProgrammeTarget
from .selectors import PROGRESS_BUCKETS, PROGRESS_LABELS, behind_schedule, elapsed_share

HOUSING = "housing"
PROGRESS = ("approved", "under_construction", "completed", "handed_over")
# The money columns of the case, and the names their sums take (a sum may not take a field's name).
MONEY_COLUMNS = [*FUNDING_FIELDS.values(), "labour_days"]
MONEY_SUMS = {field: f"money_{field}" for field in MONEY_COLUMNS}
# In the targets, the key of the whole unit's target (the Total row): where the programme sets it for
# the unit itself, it may not be broken down over the rows at all.
WHOLE_UNIT = 0


# -- the figures ----------------------------------------------------------------------------------


def programmes_of(context: ReportContext) -> list[Programme]:
    """The programme asked for (the report's option), or every programme that covers the unit
    (Programme.objects.counted_in) and runs during the period."""
    chosen = context.options.get("programme")
    if chosen is not None:
        return [chosen]
    period = context.period
    # With its unit: a current-era report's targets ask where the programme's unit lies (_current_whole).
    return list(Programme.objects.counted_in(context.unit).filter(start_date__lte=period.end,
                                                                 deadline__gte=period.start)
                .select_related("unit").order_by("deadline", "name"))


def cases_by_state(context: ReportContext, programmes, *, by_programme: bool = False):
    """For each row and kind of work: houses approved, under construction, completed and handed
    over as things stood at the end of the period (each case's last step that had happened by
    then, by the day it happened, however late it was entered), and the money committed to those
    approved, by source. With ``by_programme``, {programme id: figures}, still one query."""
    if context.period.end >= timezone.localdate():
        # Up to today, the state then is the state now (no step may be dated in the future): no
        # need to look up each case's last step, which is most of this query's time for a province.
        state_then = F("state")
    else:
        state_then = Subquery(CaseTransition.objects.filter(case=OuterRef("pk"), happened_on__lte=context.period.end)
                              .order_by("-happened_on", "-id").values("to_state")[:1])
    # The progress table's columns, as the programme page counts them (selectors.PROGRESS_BUCKETS).
    buckets = {name: Q(state_then__in=states) for name, states in PROGRESS_BUCKETS.items()}
    aggregates = {f"{kind}_{name}": Count("id", filter=condition & Q(work_kind=kind))
                  for kind in WorkKind.values for name, condition in buckets.items()}
    aggregates.update({MONEY_SUMS[field]: Sum(field, filter=buckets["approved"]) for field in MONEY_COLUMNS})
    group_by = ["programme_id"] if by_programme else []
    rows = (HousingCase.objects.filter(context.within("commune", "household"), programme__in=programmes)
            .annotate(state_then=state_then).values(*group_by, row=context.key("commune", "household"))
            .order_by().annotate(**aggregates))
    if not by_programme:
        return grouped(rows, ROW, list(aggregates))
    per_programme: dict[int, list] = defaultdict(list)
    for row in rows:
        per_programme[row["programme_id"]].append(row)
    return {pk: grouped(rows_, ROW, list(aggregates)) for pk, rows_ in per_programme.items()}


def targets_by_unit(context: ReportContext, programmes, *, by_programme: bool = False):
    """Each row's targets for new houses and repairs, summed over the programmes (or, with
    ``by_programme``, {programme id: figures}), and under WHOLE_UNIT the whole unit's: one query.

    A former-era report (`_legacy_targets`) places the targets set for its rows' units; a current-era
    one (`_current_targets`) places those set for the former units that became it, through the 2025
    mapping. Where a current commune's report cannot place a split predecessor's target, its sum is
    under LEFT_OUT (see `left_out_note`)."""
    current = context.breakdown.current is not None
    # Only a current commune's report needs to know which split former communes became partly it.
    feeds = {"feeds_report": _feeds(context.unit)} if current and context.unit.level == Level.COMMUNE else {}
    rows = ProgrammeTarget.objects.filter(programme__in=programmes).values(
        "programme_id", "unit_id", "unit__level", "unit__district_id", "unit__current_commune_id",
        "unit__current_province_id", "new_builds", "repairs", **feeds)
    place = _current_targets if current else _legacy_targets
    per_programme = place(context, programmes, list(rows))
    if by_programme:
        return per_programme
    figures: Figures = defaultdict(lambda: _target(0, 0))
    for by_unit in per_programme.values():
        for unit_id, values in by_unit.items():
            figures[unit_id]["new_build_target"] += values["new_build_target"]
            figures[unit_id]["repair_target"] += values["repair_target"]
    figures.setdefault(WHOLE_UNIT, _target(0, 0))  # no programme: the whole unit's target is nothing
    return dict(figures)


def _legacy_targets(context: ReportContext, programmes, rows: list[dict]) -> dict[int, Figures]:
    """A former-era (or the whole country's) report: a row's target is its own; a district without
    one has its communes' added up; the programme's own unit without one has the programme's plan.
    The whole unit's target is the one set for the unit itself (or the programme's plan, when it is
    the programme's unit), else the rows' sum."""
    unit, breakdown = context.unit, context.breakdown
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
        by_unit[WHOLE_UNIT] = _target(*whole) if whole is not None and unit.pk not in wanted else _rows_sum(by_unit)
        per_programme[programme.pk] = by_unit
    return per_programme


# In a current commune's targets, the key of those set for a split former commune that became partly
# this commune: they cannot be divided between its successors, so no row and not the total count them.
LEFT_OUT = -1


def _current_targets(context: ReportContext, programmes, rows: list[dict]) -> dict[int, Figures]:
    """A current-era report: a target set for a current unit of the report is its row's (or, for the
    report's unit, the total's); one set for a former commune counts in the row its records count in
    (`_current_target_row`: several former communes merged into one current commune add up); the
    whole unit's target is `_current_whole`'s."""
    wanted = {row_unit.pk for row_unit in context.breakdown.units}
    per_programme: dict[int, Figures] = {programme.pk: {} for programme in programmes}
    for row in rows:
        row_id = _current_target_row(row, wanted)
        if row_id is not None:
            values = per_programme[row["programme_id"]].setdefault(row_id, _target(0, 0))
            values["new_build_target"] += row["new_builds"]
            values["repair_target"] += row["repairs"]
    for programme in programmes:
        by_unit = per_programme[programme.pk]
        explicit = {row["unit_id"]: row for row in rows if row["programme_id"] == programme.pk}
        by_unit[WHOLE_UNIT] = _current_whole(context, programme, explicit, wanted) or _rows_sum(by_unit)
    return per_programme


def _current_target_row(row: dict, wanted: set[int]) -> int | None:
    """The row of a current-era report a target (a `targets_by_unit` query row) counts in: its unit's
    own row (a current commune, or a split former commune's marked row in its province's report), the
    current commune a former commune became whole, LEFT_OUT for a split predecessor of the report's
    commune; None for a target of no row (a former district's or province's, or another unit's)."""
    if row["unit_id"] in wanted:
        return row["unit_id"]
    if row["unit__level"] != Level.COMMUNE:
        return None
    if row["unit__current_commune_id"] is not None:
        return row["unit__current_commune_id"] if row["unit__current_commune_id"] in wanted else None
    return LEFT_OUT if row.get("feeds_report") else None


def _current_whole(context: ReportContext, programme: Programme, explicit: dict[int, dict],
                   wanted: set[int]) -> dict[str, int] | None:
    """The whole of a current province's report for ``programme``, as the legacy rule has it: the
    target set for the province itself; else, when the programme's unit is a former province or
    district lying in it, the target set for that unit, else the programme's plan; else the targets
    set for the former provinces (or, if none, districts) lying in it, added up. None (the rows' sum)
    for a current commune's report: a former district's target or plan cannot be placed in it."""
    unit = context.unit
    if unit.pk in wanted:  # a commune's report: its one row is the unit
        return None
    if unit.pk in explicit:
        return _target(explicit[unit.pk]["new_builds"], explicit[unit.pk]["repairs"])
    planned = (programme.new_build_target, programme.repair_target)
    if programme.unit_id == unit.pk or _former_unit_within(programme.unit, unit):
        if programme.unit_id in explicit:
            return _target(explicit[programme.unit_id]["new_builds"], explicit[programme.unit_id]["repairs"])
        if planned != (None, None):
            return _target(*(value or 0 for value in planned))
    formers = [row for row in explicit.values() if row["unit__current_province_id"] == unit.pk
               and row["unit__level"] in (Level.PROVINCE, Level.DISTRICT)]
    # A former province's target covers its districts': count one level only.
    formers = [row for row in formers if row["unit__level"] == Level.PROVINCE] or formers
    if not formers:
        return None
    return _target(sum(row["new_builds"] for row in formers), sum(row["repairs"] for row in formers))


def _former_unit_within(former, unit) -> bool:
    """Whether ``former`` (a programme's unit) is a former province or district lying in the current
    province ``unit``."""
    return former.level in (Level.PROVINCE, Level.DISTRICT) and former.current_province_id == unit.pk


def _feeds(unit) -> Exists:
    """Whether a target's unit is a predecessor of ``unit`` (it became, wholly or partly, ``unit``)."""
    through = AdministrativeUnit.successors.through
    return Exists(through.objects.filter(from_administrativeunit_id=OuterRef("unit_id"),
                                         to_administrativeunit_id=unit.pk))


def left_out_note(figures: Figures) -> str:
    """What a current commune's table says of the targets of its split predecessors ("" if none)."""
    left = figures.get(LEFT_OUT)
    if not left or not (left["new_build_target"] or left["repair_target"]):
        return ""
    return _("The targets set for former communes split between several current communes, part of which "
             "became this commune (new houses: %(new)s; repairs: %(repairs)s), cannot be divided between them: "
             "they are not counted here.") % {"new": left["new_build_target"], "repairs": left["repair_target"]}


def _rows_sum(by_unit: Figures) -> dict[str, int]:
    """The rows' targets added up (not the whole unit's, not those left out)."""
    rows = [values for unit_id, values in by_unit.items() if unit_id not in (WHOLE_UNIT, LEFT_OUT)]
    return _target(sum(values["new_build_target"] for values in rows), sum(values["repair_target"] for values in rows))


def _target(new_builds: int, repairs: int) -> dict[str, int]:
    return {"new_build_target": new_builds, "repair_target": repairs}


def housing_figures(context: ReportContext) -> Figures:
    """{row id: cases by stage, money and targets} of the report's programmes (WHOLE_UNIT: the whole
    unit's targets): the programmes, the cases and the targets, each once per report."""
    programmes = context.shared_value("housing.programmes", lambda: programmes_of(context))
    return context.shared_value("housing.figures", lambda: _merged(cases_by_state(context, programmes),
                                                                  targets_by_unit(context, programmes)))


def housing_figures_by_programme(context: ReportContext, programmes) -> dict[int, Figures]:
    """{programme id: housing_figures of that programme}, for every programme at once: two queries."""
    cases = cases_by_state(context, programmes, by_programme=True)
    targets = targets_by_unit(context, programmes, by_programme=True)
    return {programme.pk: _merged(cases.get(programme.pk, {}), targets.get(programme.pk, {}))
            for programme in programmes}


def _merged(cases: Figures, targets: Figures) -> Figures:
    return {pk: {**targets.get(pk, {"new_build_target": 0, "repair_target": 0}), **cases.get(pk, {})}
            for pk in set(cases) | set(targets)}


def housing_version(context: ReportContext) -> list:
    """The latest change of the cases (of the chosen programme, if one was), their steps, the
    targets and the programmes counted within the unit."""
    cases = HousingCase.history.filter(context.within("commune", "household"))
    chosen = context.options.get("programme")
    if chosen is not None:
        cases = cases.filter(programme_id=chosen.pk)
    return [
        cases.aggregate(v=Max("history_id"))["v"],
        CaseTransition.objects.filter(context.within("case__commune", "case__household")).aggregate(v=Max("id"))["v"],
        ProgrammeTarget.history.aggregate(v=Max("history_id"))["v"],
        Programme.history.aggregate(v=Max("history_id"))["v"],
        assignments_version(context),
    ]


# -- the sections ---------------------------------------------------------------------------------

KINDS = (WorkKind.NEW_BUILD, WorkKind.REPAIR)


def _kind_labels() -> dict[str, str]:
    return {WorkKind.NEW_BUILD: _("New houses"), WorkKind.REPAIR: _("Repairs")}


def stages_section(context: ReportContext) -> list[Section]:
    return [_stages_table(context)]


def _stages_table(context: ReportContext) -> Section:
    def make() -> Section:
        figures = housing_figures(context)
        programmes = context.shared_value("housing.programmes", lambda: programmes_of(context))
        columns = [(f"{kind}_{name}", Column(str(label), group=str(group)))
                   for kind, group in _kind_labels().items() for name, label in PROGRESS_LABELS.items()]
        # The targets are stored as new_build_target / repair_target; a target set for the whole unit,
        # not broken down over the rows, is the total's target.
        note = " ".join(part for part in (
            _("Programmes: %(names)s.") % {"names": "; ".join(p.name for p in programmes)},
            left_out_note(figures)) if part)
        return unit_table(_("Houses by stage"), context.breakdown.units, figures, columns, note=note,
                          total=figures.get(WHOLE_UNIT, {}))
    return context.shared_value("housing.stages", make)


def money_section(context: ReportContext) -> list[Section]:
    columns = [(MONEY_SUMS[field], Column(str(source.label), MONEY)) for source, field in FUNDING_FIELDS.items()]
    columns.append((MONEY_SUMS["labour_days"], Column(_("Labour days"))))
    return [with_total_across(unit_table(_("Money committed to approved houses"), context.breakdown.units,
                                         housing_figures(context), columns))]


def percent_section(context: ReportContext) -> list[Section]:
    """The stages as percentages of the target, from the stages table (totals included)."""
    counts = _stages_table(context)
    columns = [Column(_("Unit"), TEXT)]
    columns += [Column(str(PROGRESS_LABELS[name]), PERCENT, group=str(group))
                for group in _kind_labels().values() for name in PROGRESS]
    section = Section(title=_("Houses by stage, as a share of the target"), columns=columns)
    stride = len(PROGRESS_LABELS)

    def as_percent(row: list) -> list:
        values = [row[0]]
        for index in range(len(KINDS)):
            target = row[1 + index * stride]
            values += [percent(row[1 + index * stride + offset], target) for offset in range(1, stride)]
        return values

    section.rows = [as_percent(row) for row in counts.rows]
    section.total = as_percent(counts.total)
    return [section]


# The programmes table's figures, for each kind of work.
PROGRAMME_FIGURES = ("target", "completed", "handed_over")


def programmes_section(context: ReportContext) -> list[Section]:
    """One row per programme counted in the unit (its decision beside its name): for each kind of work
    the target, the houses completed and handed over by the end of the period, and the money committed
    to its approved houses — what a year-end report says of each programme ("Quyết định 781/QĐ-UBND:
    104 căn, 94 xây mới, 10 sửa chữa"). Two queries, whatever the number of programmes."""
    programmes = context.shared_value("housing.programmes", lambda: programmes_of(context))
    by_programme = housing_figures_by_programme(context, programmes)
    columns = [Column(_("Programme"), TEXT)]
    columns += [Column(str(PROGRESS_LABELS[name]), group=str(group))
                for group in _kind_labels().values() for name in PROGRAMME_FIGURES]
    columns.append(Column(_("Money committed"), MONEY))
    section = Section(title=_("Housing programmes"), columns=columns, note=_(
        "Houses completed and handed over by the end of the period, by the day each step happened."))
    for programme in programmes:
        section.rows.append([f"{programme.name} ({programme.decision_number})",
                             *_programme_figures(by_programme.get(programme.pk, {}))])
    section.total = [_("Total"), *(sum(row[index] for row in section.rows) for index in range(1, len(columns)))]
    return [section]


def _programme_figures(figures: Figures) -> list[int]:
    """A programme's figures summed over the report's rows; its target is the whole unit's."""
    cases = [values for unit_id, values in figures.items() if unit_id not in (WHOLE_UNIT, LEFT_OUT)]
    whole = figures.get(WHOLE_UNIT, {})
    values = []
    for kind in KINDS:
        values.append(whole.get(f"{kind}_target", 0))
        values += [sum(row.get(f"{kind}_{name}", 0) for row in cases) for name in PROGRAMME_FIGURES[1:]]
    values.append(sum(row.get(MONEY_SUMS[field], 0) for row in cases for field in FUNDING_FIELDS.values()))
    return values


SECTIONS = [
    ReportSection("housing.programmes", programmes_section, housing_version),
    ReportSection("housing.stages", stages_section, housing_version),
    ReportSection("housing.money", money_section, housing_version),
    ReportSection("housing.percent", percent_section, housing_version),
]
PROGRAMME_OPTION = ReportOption(
    "programme", gettext_lazy("Programme"), gettext_lazy("Every programme of the unit"),
    choices=lambda user: (Programme.objects.all() if user is None else Programme.objects.visible_to(user))
    .select_related("unit").order_by("-deadline", "name"),
    covers=lambda programme, unit: programme.is_counted_in(unit),
    not_covering=gettext_lazy("This programme does not cover the chosen unit."),
    describe=lambda programme: programme.name,
    detail=lambda programme: f"{programme.name} ({programme.decision_number})",
    file_word=lambda programme: slugify(fold_diacritics(programme.decision_number).replace("/", "-")),
)
HOUSING_KIND = ReportKindSpec(
    HOUSING, gettext_lazy("Housing programme progress"), gettext_lazy("Housing programme progress report"),
    # The programmes' table is the year-end report's (frontwelfare.reports.annual): here the programme
    # is the report's option, and the tables are by unit.
    sections=("housing.stages", "housing.money", "housing.percent"), options=("programme",), file_word="nha-o")


# -- the dashboard's panel ------------------------------------------------------------------------

PROGRESS_COLOURS = {"target": "#adb5bd", "completed": "#198754", "handed_over": "#0f5132"}
KIND_COLOURS = {"new_build": "#6f42c1", "repair": "#c29ffa"}
# The housing table: for each kind of work, these columns of the report's "Houses by stage".
HOUSING_COLUMNS = ("target", "completed", "handed_over")


@dataclass(frozen=True)
class Row:
    unit: object
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
class HousingPanel:
    housing: Table  # per kind: target, completed, handed over (HOUSING_COLUMNS)
    stages: list[tuple[str, str, int, int]]  # (stage, label, new builds, repairs): the housing total
    programmes: list[ProgrammeLine]

    @property
    def units_behind(self) -> int:
        return sum(row.behind for row in self.housing.rows)


def housing_panel(context: ReportContext) -> HousingPanel:
    """The programmes, and two queries for the houses of all of them (housing_figures_by_programme,
    the queries the housing report is made of); none per programme, row or case.

    A row is behind schedule when it is behind in any of the programmes, by the programme page's
    rule (housing.selectors.behind_schedule): summing the programmes would let one run ahead hide
    another's delay."""
    units = context.breakdown.units
    programmes = programmes_of(context)
    per_programme = housing_figures_by_programme(context, programmes)
    totals: dict[int, dict[str, int]] = {unit.pk: defaultdict(int) for unit in units}
    behind: set[int] = set()
    lines = []
    for programme in programmes:
        counted = per_programme[programme.pk]
        share = elapsed_share(programme, context.period.end)
        behind_here = {unit.pk for unit in units if _behind(counted.get(unit.pk, {}), share)}
        behind |= behind_here
        lines.append(ProgrammeLine(programme, round(100 * share), len(behind_here)))
        for pk, values in counted.items():
            if pk in totals:
                for name, value in values.items():
                    totals[pk][name] += value
    rows = [Row(unit, [totals[unit.pk][f"{kind}_{name}"] for kind in KINDS for name in HOUSING_COLUMNS],
                unit.pk in behind) for unit in units]
    # As in the report: the target set for the whole unit (WHOLE_UNIT) is the total's.
    whole = {kind: sum(counted.get(WHOLE_UNIT, {}).get(f"{kind}_target", 0) for counted in per_programme.values())
             for kind in KINDS}
    total = [whole[kind] if name == "target" else sum(row.figures[position] for row in rows)
             for position, (kind, name) in enumerate((kind, name) for kind in KINDS for name in HOUSING_COLUMNS)]
    stages = [(stage, str(PROGRESS_LABELS[stage]),
               *(sum(values[f"{kind}_{stage}"] for values in totals.values()) for kind in KINDS))
              for stage in PROGRESS]
    return HousingPanel(housing=Table(rows, total if rows else []), stages=stages, programmes=lines)


def _behind(values: dict[str, int], share: float) -> bool:
    """A row of housing_figures behind the programme's schedule, both kinds of work together."""
    return behind_schedule(target=sum(values.get(f"{kind}_target", 0) for kind in KINDS),
                           finished=sum(values.get(f"{kind}_completed", 0) for kind in KINDS),
                           elapsed_share=share)


def housing_charts(panel: HousingPanel, names: dict) -> dict:
    columns = {(kind, name): position for position, (kind, name) in
               enumerate((kind, name) for kind in KINDS for name in HOUSING_COLUMNS)}
    housing = {**names, "behind": [row.behind for row in panel.housing.rows],
               "behindLabel": _("Behind schedule"), "series": [
        {"key": name, "label": str(PROGRESS_LABELS[name]), "colour": PROGRESS_COLOURS[name],
         "data": [sum(row.figures[columns[kind, name]] for kind in KINDS) for row in panel.housing.rows]}
        for name in HOUSING_COLUMNS
    ]}
    stages = {"labels": [label for _stage, label, _new, _repair in panel.stages], "series": [
        {"label": _("New houses"), "colour": KIND_COLOURS["new_build"], "stack": "houses",
         "data": [new for _stage, _label, new, _repair in panel.stages]},
        {"label": _("Repairs"), "colour": KIND_COLOURS["repair"], "stack": "houses",
         "data": [repair for _stage, _label, _new, repair in panel.stages]},
    ]}
    return {"housing": housing, "stages": stages}


HOUSING_PANEL = DashboardPanel("housing", "housing/partials/dashboard_panel.html", housing_panel, housing_charts)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
    register_option(PROGRAMME_OPTION)
    register_kind(HOUSING_KIND)
    register_panel(HOUSING_PANEL)

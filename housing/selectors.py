"""Reads of the housing app that are more than a filter: a programme's progress by unit, the
number of cases per state, a case's history. Everything is counted in the database, within
the viewer's scope."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import scope_q, unit_in_scope
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.history import HistoryEntry, HistorySource, history_entries

from .choices import APPROVED_STATES, CLOSED_STATES, FINISHED_STATES, CaseState, FundingSource, WorkKind
from .models import FUNDING_FIELDS, HousingCase, Programme, ProgrammeTarget

# What each column of a progress table counts: the cases in these states. "Approved" and
# "completed" are cumulative: a house handed over was approved and completed too; "under
# construction" is the state now.
PROGRESS_BUCKETS = {
    "approved": APPROVED_STATES,
    "under_construction": (CaseState.CONSTRUCTION_STARTED,),
    "completed": FINISHED_STATES,
    "handed_over": (CaseState.HANDED_OVER,),
}
PROGRESS_LABELS = {
    "target": _("Target"),
    "approved": _("Approved"),
    "under_construction": _("Under construction"),
    "completed": _("Completed"),
    "handed_over": _("Handed over"),
}


@dataclass
class WorkProgress:
    """The houses of one kind of work in one unit."""

    target: int = 0
    approved: int = 0
    under_construction: int = 0
    completed: int = 0
    handed_over: int = 0

    def add(self, other: "WorkProgress") -> None:
        for name in PROGRESS_LABELS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def percent(self, name: str) -> int | None:
        """``name``'s figure as a whole percentage of the target; None without a target."""
        return round(100 * getattr(self, name) / self.target) if self.target else None

    def cells(self) -> list[tuple[str, int, int | None]]:
        """(column, figure, percent of target) in column order, for tables and files."""
        return [(name, getattr(self, name), None if name == "target" else self.percent(name))
                for name in PROGRESS_LABELS]


@dataclass
class UnitProgress:
    """One row of a programme's progress table: a district or a commune, or the total."""

    unit: AdministrativeUnit | None
    depth: int = 0
    new: WorkProgress = field(default_factory=WorkProgress)
    repair: WorkProgress = field(default_factory=WorkProgress)
    # Money committed to approved houses, by funding source, and the neighbours' labour days.
    money: dict[str, int] = field(default_factory=lambda: {source.value: 0 for source in FUNDING_FIELDS})
    labour_days: int = 0
    has_own_target: bool = False
    behind: bool = False
    # Where a page folds a district's communes away: whether they show, and how many are behind.
    is_open: bool | None = None
    communes_behind: int = 0

    def add(self, other: "UnitProgress", *, targets: bool = True) -> None:
        targets_before = (self.new.target, self.repair.target)
        self.new.add(other.new)
        self.repair.add(other.repair)
        if not targets:
            self.new.target, self.repair.target = targets_before
        for source, amount in other.money.items():
            self.money[source] += amount
        self.labour_days += other.labour_days

    @property
    def money_total(self) -> int:
        return sum(self.money.values())

    @property
    def target_total(self) -> int:
        return self.new.target + self.repair.target

    @property
    def finished_total(self) -> int:
        return self.new.completed + self.repair.completed


@dataclass
class ProgrammeProgress:
    programme: Programme
    rows: list[UnitProgress]
    total: UnitProgress
    days_left: int
    elapsed_share: float
    funding_sources: list[tuple[str, str]]
    # The viewer's cases of the programme per state, every state in workflow order (as state_counts).
    state_counts: list[tuple[str, str, int]]

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def case_count(self) -> int:
        return sum(count for _state, _label, count in self.state_counts)

    def cases_in(self, state: str) -> int:
        return next(count for value, _label, count in self.state_counts if value == state)


def programme_progress(*, programme: Programme, user, today: date | None = None) -> ProgrammeProgress:
    """The programme's progress for every unit below it that ``user`` may see: targets and
    cases by state, for new houses and repairs, and the money committed by source.

    Three queries whatever the number of cases: the cases grouped by commune, kind of work and
    state, the targets, and the units' names. Units are listed in GSO code order; a district's
    row sums its communes, and keeps its own target where it has one.
    """
    today = today or timezone.localdate()
    by_commune, by_state = _case_figures(programme, user)
    visible_targets = ProgrammeTarget.objects.filter(programme=programme).filter(scope_q(user, "unit"))
    targets = {target.unit_id: target for target in visible_targets.select_related("unit")}
    parents = {district for _, district in by_commune.values()} | {t.unit.parent_id for t in targets.values()}
    units = AdministrativeUnit.objects.in_bulk((set(by_commune) | set(targets) | parents) - {None, programme.unit_id})
    rows = _rows(programme, by_commune, targets, {pk: unit for pk, unit in units.items() if unit_in_scope(user, unit)})
    share = elapsed_share(programme, today)
    total = UnitProgress(unit=None)
    for row in rows:
        row.behind = _behind(row, share)
        if row.depth == 0:
            total.add(row)
    total.behind = _behind(total, share)
    return ProgrammeProgress(
        programme=programme, rows=rows, total=total, days_left=programme.days_left(today), elapsed_share=share,
        funding_sources=[(source.value, str(source.label)) for source in FundingSource],
        state_counts=[(state.value, str(state.label), by_state[state.value]) for state in CaseState],
    )


def _case_figures(programme: Programme, user) -> tuple[dict[int, tuple[UnitProgress, int | None]], Counter]:
    """({commune id: (its figures, its district id)}, {state: number of cases}) from one query:
    the cases grouped by commune and kind of work, counted per state, with the money of the
    approved ones. The progress columns are sums of states (PROGRESS_BUCKETS), added up here."""
    approved = Q(state__in=APPROVED_STATES)
    aggregates = {f"state_{state}": Count("id", filter=Q(state=state)) for state in CaseState.values}
    aggregates.update({field_name: Sum(field_name, filter=approved)
                       for field_name in (*FUNDING_FIELDS.values(), "labour_days")})
    groups = (HousingCase.objects.visible_to(user).filter(programme=programme)
              .values("commune_id", "commune__district_id", "work_kind").annotate(**aggregates).order_by())
    figures: dict[int, tuple[UnitProgress, int | None]] = {}
    by_state: Counter = Counter()
    for group in groups:
        cases = {state: group[f"state_{state}"] for state in CaseState.values}
        by_state.update(cases)
        if group["commune_id"] not in figures:
            figures[group["commune_id"]] = (UnitProgress(unit=None), group["commune__district_id"])
        progress = figures[group["commune_id"]][0]
        work = progress.new if group["work_kind"] == WorkKind.NEW_BUILD else progress.repair
        for name, states in PROGRESS_BUCKETS.items():
            setattr(work, name, sum(cases[state] for state in states))
        for source, field_name in FUNDING_FIELDS.items():
            progress.money[source.value] += group[field_name] or 0
        progress.labour_days += group["labour_days"] or 0
    return figures, by_state


def _rows(programme, by_commune, targets, units) -> list[UnitProgress]:
    """The table's rows in order: top-level units (the districts of a province's programme,
    or the communes of a district's) each followed by the communes under it. A district the
    viewer does not cover as a whole (a commune officer's) is left out: its communes stand alone."""
    progress: dict[int, UnitProgress] = {}
    for unit_id, unit in units.items():
        row = by_commune.get(unit_id, (UnitProgress(unit=None), None))[0]
        row.unit = unit
        target = targets.get(unit_id)
        if target is not None:
            row.new.target, row.repair.target, row.has_own_target = target.new_builds, target.repairs, True
        progress[unit_id] = row
    for row in progress.values():
        row.depth = 1 if row.unit.parent_id in progress else 0
    for row in progress.values():
        parent = progress.get(row.unit.parent_id) if row.depth == 1 else None
        if parent is not None:
            # A district with a target of its own keeps it; without one, its communes' add up.
            parent.add(row, targets=not parent.has_own_target)
    ordered = []
    for row in sorted((row for row in progress.values() if row.depth == 0), key=lambda row: row.unit.code):
        ordered.append(row)
        ordered.extend(sorted((child for child in progress.values()
                               if child.depth == 1 and child.unit.parent_id == row.unit.pk),
                              key=lambda child: child.unit.code))
    return ordered


def elapsed_share(programme: Programme, today: date) -> float:
    """How much of the programme's time has passed, from 0 (not started) to 1 (deadline passed)."""
    length = (programme.deadline - programme.start_date).days
    if length <= 0:
        return 1.0 if today >= programme.deadline else 0.0
    return min(max((today - programme.start_date).days / length, 0.0), 1.0)


def _behind(row: UnitProgress, share: float) -> bool:
    return behind_schedule(target=row.target_total, finished=row.finished_total, elapsed_share=share)


def behind_schedule(*, target: int, finished: int, elapsed_share: float) -> bool:
    """Behind schedule: fewer houses completed than the target's share for the time passed
    (at an even pace from the start date to the deadline, rounded down). The programme page, the
    dashboard and the reports flag units by this one rule."""
    return target > 0 and finished < math.floor(target * elapsed_share)


# A household that got a new house this recently (or has one under way) is flagged when proposed again.
RECENT_NEW_HOUSE_YEARS = 5


def recent_new_house(*, household) -> HousingCase | None:
    """The household's new house that a proposal should be flagged for: one still open in any
    programme (the same house must not be funded twice), or the latest completed within
    RECENT_NEW_HOUSE_YEARS."""
    since = _years_before(timezone.localdate(), RECENT_NEW_HOUSE_YEARS)
    still_open = ~Q(state__in=CLOSED_STATES)
    finished_lately = Q(state__in=FINISHED_STATES, completion_date__gte=since)
    return (HousingCase.objects.filter(still_open | finished_lately, household=household,
                                       work_kind=WorkKind.NEW_BUILD)
            .select_related("programme")
            .order_by(F("completion_date").desc(nulls_first=True), "-created_at").first())


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def state_counts(cases) -> list[tuple[str, str, int]]:
    """(state, label, number of cases) for every state, in workflow order: one query."""
    counts = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    return [(state.value, str(state.label), counts.get(state.value, 0)) for state in CaseState]


def programmes_with_figures(programmes, *, user):
    """Programmes annotated with the viewer's cases: how many are open and handed over, and the
    targets of the units the viewer sees. Two aggregates per programme row, in one query."""
    visible = scope_q(user, "cases__commune")
    return programmes.select_related("unit").annotate(
        case_count=Count("cases", filter=visible, distinct=True),
        handed_over_count=Count("cases", filter=visible & Q(cases__state=CaseState.HANDED_OVER), distinct=True),
    )


def case_history(*, case: HousingCase) -> list[HistoryEntry]:
    """Every change to the case's own fields and to its programme-facing plan, newest first."""
    fields = ("work_kind", "current_condition", "estimated_cost", "state_budget", "fund_for_the_poor",
              "sponsor_amount", "sponsor_name", "army_amount", "army_unit", "family_amount", "labour_days", "state",
              "survey_date", "survey_findings", "start_date", "completion_date", "final_cost", "handover_date")
    return history_entries([HistorySource(HousingCase.history.filter(id=case.pk), HousingCase, fields,
                                          lambda record: str(_("Case")))])


def programme_history(*, programme: Programme) -> list[HistoryEntry]:
    programme_fields = ("name", "kind", "decision_number", "decision_date", "decision_issuer", "start_date",
                        "deadline", "new_build_support", "repair_support", "new_build_target", "repair_target",
                        "notes")
    return history_entries([
        HistorySource(Programme.history.filter(id=programme.pk), Programme, programme_fields,
                      lambda record: str(_("Programme"))),
        HistorySource(ProgrammeTarget.history.filter(programme_id=programme.pk).select_related("unit"),
                      ProgrammeTarget, ("new_builds", "repairs"),
                      lambda record: str(_("Target of %(unit)s") % {"unit": record.unit.name})),
    ])

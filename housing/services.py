"""Every write of the housing app. Pages and the API call these; none of them holds a rule.

Programmes: `programme_create`, `programme_update`, `programme_targets_set`.
Cases: `case_propose`, `case_update` (the proposal, before the district decides),
`case_advance` (every step of the workflow), `attachment_add`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import covers, locked_in_scope
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.services import (
    bulk_delete_with_history,
    conflicts_reported,
    require_known,
    validated_save,
)
from households.models import Household

from .attachments import attachment_store, thumbnail_store
from .choices import AttachmentKind, Transition, WorkKind
from .hooks import construction_started
from .models import CaseAttachment, CaseTransition, HousingCase, Programme, ProgrammeTarget
from .permissions import (
    NOT_PROGRAMME_MANAGER,
    NOT_PROPOSER,
    PROPOSAL_DECIDED,
    STEP_NOT_FOR_ROLE,
    can_manage_programme_of,
    is_commune_officer_of,
)
from .selectors import recent_new_house
from .workflow import STEPS, Step, attach_refusal, can_edit_proposal, may_take

PROGRAMME_FIELDS = (
    "name", "kind", "decision_number", "decision_date", "decision_issuer", "unit", "start_date", "deadline",
    "new_build_support", "repair_support", "new_build_target", "repair_target", "notes",
)
CASE_FIELDS = (
    "work_kind", "current_condition", "estimated_cost", "state_budget", "fund_for_the_poor", "sponsor_amount",
    "sponsor_name", "army_amount", "army_unit", "family_amount", "labour_days",
)
# -- programmes -------------------------------------------------------------------------------------


def _require_programme_manager(actor: User, unit) -> None:
    if not can_manage_programme_of(actor, unit):
        raise PermissionDenied(NOT_PROGRAMME_MANAGER)


@transaction.atomic
def programme_create(*, actor: User, **fields) -> Programme:
    """Create a programme for a unit the actor runs (see can_manage_programme_of)."""
    require_known(fields, PROGRAMME_FIELDS, "programme_create")
    _require_programme_manager(actor, fields.get("unit"))
    programme = Programme(created_by=actor, **fields)
    validated_save(programme, actor=actor)
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, **fields) -> Programme:
    """Change a programme's own fields. Its totals must still agree with its units' targets."""
    require_known(fields, PROGRAMME_FIELDS, "programme_update")
    programme = _locked_programme(actor, programme)
    if "unit" in fields and fields["unit"] != programme.unit:
        if programme.cases.exists():
            raise ValidationError({"unit": _("The unit cannot change once the programme has cases.")})
        if programme.targets.exclude(unit__in=AdministrativeUnit.objects.below(fields["unit"])).exists():
            # Another district's targets would stay on the programme, and be shown to the new
            # unit's committee, which must not see that district's figures.
            raise ValidationError({"unit": _("The programme has targets for units outside the new unit: clear "
                                             "them on the targets page first.")})
    for name, value in fields.items():
        setattr(programme, name, value)
    _require_programme_manager(actor, programme.unit)
    validated_save(programme, actor=actor)
    targets = {target.unit: (target.new_builds, target.repairs)
               for target in programme.targets.select_related("unit")}
    _check_targets_add_up(programme, targets)
    return programme


def _locked_programme(actor: User, programme: Programme) -> Programme:
    """The programme re-read under lock, within what the actor sees and may change."""
    locked = locked_in_scope(Programme.objects.select_related("unit"), actor=actor, pk=programme.pk)
    _require_programme_manager(actor, locked.unit)
    return locked


@transaction.atomic
def programme_targets_set(*, actor: User, programme: Programme, targets: dict[int, tuple[int, int]]) -> None:
    """Make the programme's targets exactly ``targets``: {unit id: (new houses, repairs)}.

    Each unit must lie below the programme's unit. Where a unit (or the programme) has a
    target and the units below it have targets too, theirs must add up to it, for new houses
    and for repairs separately.
    """
    programme = _locked_programme(actor, programme)
    units = AdministrativeUnit.objects.below(programme.unit).in_bulk(list(targets))
    if len(units) != len(targets):
        raise ValidationError(_("A target names a unit that the programme does not cover."))
    for new_builds, repairs in targets.values():
        if min(new_builds, repairs) < 0:
            raise ValidationError(_("A target cannot be negative."))
    _check_targets_add_up(programme, {units[pk]: values for pk, values in targets.items()})
    existing = {target.unit_id: target for target in programme.targets.all()}
    dropped = [target for unit_id, target in existing.items() if unit_id not in targets]
    changed, added = [], []
    for unit_id, (new_builds, repairs) in targets.items():
        target = existing.get(unit_id) or ProgrammeTarget(programme=programme, unit_id=unit_id)
        if target.pk and (target.new_builds, target.repairs) == (new_builds, repairs):
            continue
        target.new_builds, target.repairs = new_builds, repairs
        # Only the numbers can fail: the programme is locked above, every unit was read below
        # it, and the one-target-per-unit rule holds because every write of a programme's
        # targets takes that lock first.
        target.full_clean(exclude={"programme", "unit"}, validate_unique=False, validate_constraints=False)
        (changed if target.pk else added).append(target)
    with conflicts_reported():
        bulk_delete_with_history(dropped, ProgrammeTarget, actor=actor)
        bulk_update_with_history(changed, ProgrammeTarget, ["new_builds", "repairs"], default_user=actor)
        bulk_create_with_history(added, ProgrammeTarget, default_user=actor)


def _check_targets_add_up(programme: Programme, targets: dict[AdministrativeUnit, tuple[int, int]]) -> None:
    """Raise if some unit's target differs from the sum of the targets below it (see
    programme_targets_set). A unit without a target counts as the sum of those below it."""
    own: dict[int, tuple[int | None, int | None]] = {programme.unit_id: (programme.new_build_target,
                                                                         programme.repair_target)}
    names = {programme.unit_id: programme.name}
    below: dict[int, set[int]] = defaultdict(set)
    for unit, values in targets.items():
        own[unit.pk], names[unit.pk] = values, unit.name
        below[unit.parent_id].add(unit.pk)
    # A commune targeted under a district that has no target of its own: the district still
    # stands between it and the programme, as a unit without a target.
    for parent_id in list(below):
        if parent_id != programme.unit_id and parent_id not in own:
            own[parent_id] = (None, None)
            below[programme.unit_id].add(parent_id)
    problems: list[str] = []

    def effective(unit_id: int) -> tuple[int | None, int | None]:
        if not below.get(unit_id):
            return own[unit_id]
        sums = [0, 0]
        for child_id in below[unit_id]:
            sums = [total + (value or 0) for total, value in zip(sums, effective(child_id), strict=True)]
        for index, kind in enumerate((_("new houses"), _("repairs"))):
            if own[unit_id][index] is not None and own[unit_id][index] != sums[index]:
                problems.append(_("The targets under %(unit)s add up to %(sum)s %(kind)s, but its target is "
                                  "%(target)s.") % {"unit": names[unit_id], "sum": sums[index], "kind": kind,
                                                    "target": own[unit_id][index]})
        return tuple(sums[index] if own[unit_id][index] is None else own[unit_id][index] for index in range(2))

    effective(programme.unit_id)
    if problems:
        raise ValidationError(problems)


# -- cases ------------------------------------------------------------------------------------------


@dataclass
class CaseData:
    """A proposal as the page or the API gives it: the house and its funding plan."""

    work_kind: str
    current_condition: str
    estimated_cost: int
    state_budget: int = 0
    fund_for_the_poor: int = 0
    sponsor_amount: int = 0
    sponsor_name: str = ""
    army_amount: int = 0
    army_unit: str = ""
    family_amount: int = 0
    labour_days: int = 0

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in CASE_FIELDS}


@transaction.atomic
def case_propose(*, actor: User, household: Household, programme: Programme, data: CaseData,
                 proposed_on: datetime.date | None = None) -> HousingCase:
    """Propose a house for ``household`` under ``programme``, on ``proposed_on`` (today by default;
    a past programme entered late gives its own day). The household must be of the officer's own
    commune and the programme must cover it; a household with an open case in the programme is
    refused, one that got a new house in the last five years is flagged."""
    proposed_on = proposed_on or timezone.localdate()
    if proposed_on > timezone.localdate():
        raise ValidationError({"proposed_on": _("The date cannot be in the future.")})
    household = locked_in_scope(Household.objects.select_related("commune"), actor=actor, pk=household.pk)
    if not is_commune_officer_of(actor, household.commune_id):
        raise PermissionDenied(NOT_PROPOSER)
    try:
        # Locked, so that the support level checked below is the one in force when the case is saved.
        programme = locked_in_scope(Programme.objects, actor=actor, pk=programme.pk)
    except Programme.DoesNotExist:
        programme = None
    commune = household.commune
    if programme is None or not covers(programme.unit_id, commune):
        raise ValidationError({"programme": _("This programme does not cover the household's commune.")})
    case = HousingCase(programme=programme, household=household, commune=commune, proposed_by=actor,
                       **data.as_fields())
    _check_support_level(case)
    case.recent_new_house = recent_new_house(household=household)
    validated_save(case, actor=actor)
    _record_step(case, actor=actor, name="", from_state="", note="", happened_on=proposed_on)
    return case


def _check_support_level(case: HousingCase) -> None:
    level = case.programme.support_for(case.work_kind)
    if level is not None and case.support_total > level:
        raise ValidationError(
            _("The support (%(support)s ₫) exceeds the programme's level for a %(kind)s (%(level)s ₫); the rest "
              "must come from the family.")
            % {"support": _dotted(case.support_total), "kind": WorkKind(case.work_kind).label.lower(),
               "level": _dotted(level)}
        )


def _dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


@transaction.atomic
def case_update(*, actor: User, case: HousingCase, **fields) -> HousingCase:
    """Change the proposal and its funding plan, while the district has not decided yet."""
    require_known(fields, CASE_FIELDS, "case_update")
    case = _locked_case(actor, case, lock_programme=True)
    if not can_edit_proposal(actor, case):
        raise PermissionDenied(PROPOSAL_DECIDED)
    for name, value in fields.items():
        setattr(case, name, value)
    _check_support_level(case)
    validated_save(case, actor=actor)
    return case


def _locked_case(actor: User, case: HousingCase, *, lock_programme: bool = False) -> HousingCase:
    """The case re-read under lock, within the actor's scope, inside the transaction: a case
    moved along by someone else since the page was shown is judged by its state now."""
    # With lock_programme, for the writes that check the case against the programme's support
    # level (changing the proposal, approving it): programme_update locks the same row, so the
    # level cannot be lowered between the check and the commit. Without the lock, a district
    # could approve a plan that fits the old level while the level is being lowered, and both
    # would commit. The other steps do not read the programme; locking it there made every step
    # of every case of a programme, across its province, wait for the one before it.
    # The day of its latest step rides along (a subquery: FOR UPDATE refuses GROUP BY), for the
    # rule that a step is not dated before the one before it.
    latest_step_day = (CaseTransition.objects.filter(case=OuterRef("pk"))
                       .order_by("-happened_on").values("happened_on")[:1])
    cases = HousingCase.objects.select_related("programme", "commune").annotate(
        latest_step_on=Subquery(latest_step_day))
    return locked_in_scope(cases, actor=actor, pk=case.pk, of=("self", "programme") if lock_programme else ("self",))


@transaction.atomic
def case_advance(*, actor: User, case: HousingCase, step: str, note: str = "", handover_record=None,
                 decided_on: datetime.date | None = None, **values) -> HousingCase:
    """Take workflow ``step`` (a housing.choices.Transition) on ``case``: check the actor's
    role and the case's state (housing.workflow.STEPS), record the step's fields, move the
    state, and write who, the day it happened, when it was entered and the note. Handing over
    needs the handover record: one already attached, or ``handover_record`` (an uploaded file)
    attached now.

    The day a step happened is its own date field (``survey_date``, ``start_date``,
    ``completion_date``, ``handover_date``) or, for a decision, ``decided_on`` (today by default).
    It may not be in the future, nor before the case's previous step.

    Starting construction runs the construction-start hooks (housing.hooks) in the same
    transaction: with the donations app, the plan's Fund-for-the-Poor part is paid out of a fund,
    and the step is refused when the fund cannot cover it."""
    case = _locked_case(actor, case, lock_programme=step == Transition.APPROVE)
    chosen = STEPS.get(step)
    if chosen is None:
        raise ValidationError(_("Unknown step."))
    if not may_take(actor, case, chosen):
        raise PermissionDenied(STEP_NOT_FOR_ROLE)
    if case.state not in chosen.sources:
        raise ValidationError(_("The case is %(state)s: it cannot be moved to “%(step)s”.")
                              % {"state": case.get_state_display().lower(), "step": chosen.name.label})
    require_known(values, chosen.fields, f"case_advance({step})")
    if decided_on is not None and not chosen.is_decision:
        raise TypeError(f"case_advance({step}) is dated by {chosen.day_field}, not decided_on")
    happened_on = values.get(chosen.day_field) if chosen.day_field else decided_on or timezone.localdate()
    _check_step_values(case, chosen, note=note, values=values, happened_on=happened_on,
                       handover_record=handover_record)
    if chosen.name == Transition.APPROVE:
        # The programme's level may have been lowered since the proposal: the district commits
        # the money at approval, so the plan must fit the level in force now.
        _check_support_level(case)
    from_state = case.state
    for name, value in values.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    case.state = chosen.target
    validated_save(case, actor=actor)
    _record_step(case, actor=actor, name=chosen.name, from_state=from_state, note=note, happened_on=happened_on)
    if chosen.name == Transition.START:
        # Other apps' part in it (housing.hooks): the donations app pays the plan's Fund-for-the-Poor
        # part here, and its refusal (the fund cannot cover it) rolls the step back with it.
        construction_started(actor=actor, case=case)
    if handover_record is not None:
        # A file that fails its checks raises here, and the step above is rolled back with it.
        attachment_add(actor=actor, case=case, kind=AttachmentKind.HANDOVER_RECORD, uploaded_file=handover_record)
    return case


def _check_step_values(case: HousingCase, step: Step, *, note: str, values: dict, happened_on,
                       handover_record) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    for name in step.fields:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name].append(_("This field is required."))
    if happened_on is not None and (problem := _step_day_problem(case, happened_on)):
        errors[step.day_field or "decided_on"].append(problem)
    if step.note_required and not note.strip():
        errors["note"].append(_("Give the reason."))
    if step.name == Transition.HAND_OVER and handover_record is None \
            and not case.attachments.filter(kind=AttachmentKind.HANDOVER_RECORD).exists():
        errors["handover_record"].append(_("Attach the handover record."))
    if errors:
        raise ValidationError(dict(errors))


def _step_day_problem(case: HousingCase, happened_on: datetime.date) -> str | None:
    """Why a step of ``case`` cannot be dated ``happened_on``, if it cannot: the day may not be in
    the future, nor before the day of the case's previous step (work is entered late, but it
    happens in order). ``case`` comes from _locked_case, with the day of its latest step."""
    if happened_on > timezone.localdate():
        return _("The date cannot be in the future.")
    # The case's own step dates too: a case written without its steps (an import, old data) still
    # cannot start before its survey.
    recorded = [getattr(case, step.day_field) for step in STEPS.values() if step.day_field]
    previous = max((day for day in (case.latest_step_on, *recorded) if day is not None), default=None)
    if previous is not None and happened_on < previous:
        return _("The date cannot be before the case's previous step (%(day)s).") % {
            "day": date_format(previous, "SHORT_DATE_FORMAT")}
    return None


def _record_step(case: HousingCase, *, actor, name: str, from_state: str, note: str,
                 happened_on: datetime.date) -> CaseTransition:
    """The workflow's own record of a step (the proposal itself is the first, with no name)."""
    return CaseTransition.objects.create(case=case, name=name, from_state=from_state, to_state=case.state,
                                         actor=actor, note=note.strip(), happened_on=happened_on)


@transaction.atomic
def attachment_add(*, actor: User, case: HousingCase, kind: str, uploaded_file) -> CaseAttachment:
    """Attach a photo or document to ``case`` after checking its content (housing.attachments).
    The file is stored under a name the server makes; nothing is stored if a check fails."""
    case = _locked_case(actor, case)
    refusal = attach_refusal(actor, case)
    if refusal is not None:
        raise refusal
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    from .tasks import attachment_thumbnail_task  # the tasks module imports this one

    return attachment_store(CaseAttachment(case=case, kind=kind, uploaded_by=actor), uploaded_file,
                            thumbnail_task=attachment_thumbnail_task)


def attachment_make_thumbnail(attachment_id: int) -> None:
    """Make a stored photo's thumbnail (the Celery task's work): housing.attachments.thumbnail_store."""
    thumbnail_store(CaseAttachment, attachment_id)

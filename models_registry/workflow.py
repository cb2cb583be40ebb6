"""A typical model's state machine: each named step, from which states, by whom.

Pages and the API offer `steps_for(user, model)`; every write goes through models_registry.services,
which checks the same table again under lock. Some steps are taken by recording something: a line
of the inspection plan (``plan``), an inspection with its scores (``inspect``), the agency meeting
(``present``) and its decision (``recognise``, ``not_recognise``); ``via`` names the form that takes
them. The others are taken directly, with a note (``model_advance``).
"""

from dataclasses import dataclass

from .choices import COMMUNE_EDITABLE_STATES, AttachmentKind, ModelState, Transition
from .permissions import is_approver_of, is_commune_officer_of

COMMUNE = "commune"  # the Front officers of the model's commune
ABOVE = "above"  # the standing committee above it (permissions.is_approver_of)

DIRECT = "direct"
PLAN = "plan"
INSPECTION = "inspection"
MEETING = "meeting"
DECISION = "decision"


@dataclass(frozen=True)
class Step:
    name: Transition
    sources: frozenset[str]
    target: ModelState
    by: str
    via: str = DIRECT
    note_required: bool = False
    # Registering and submitting are refused after the round's deadline unless it was reopened for
    # the commune (a model returned to the commune may be submitted again whatever the day).
    before_deadline: bool = False


STEPS: dict[str, Step] = {step.name: step for step in (
    Step(Transition.REGISTER, frozenset({ModelState.DRAFT}), ModelState.REGISTERED, COMMUNE, before_deadline=True),
    Step(Transition.SUBMIT, frozenset({ModelState.REGISTERED, ModelState.RETURNED}), ModelState.SUBMITTED, COMMUNE,
         before_deadline=True),
    Step(Transition.RETURN, frozenset({ModelState.SUBMITTED}), ModelState.RETURNED, ABOVE, note_required=True),
    Step(Transition.PLAN, frozenset({ModelState.SUBMITTED}), ModelState.PLANNED, ABOVE, via=PLAN),
    Step(Transition.INSPECT, frozenset({ModelState.PLANNED}), ModelState.INSPECTED, ABOVE, via=INSPECTION),
    Step(Transition.PRESENT, frozenset({ModelState.INSPECTED}), ModelState.PRESENTED, ABOVE, via=MEETING),
    Step(Transition.RECOGNISE, frozenset({ModelState.PRESENTED}), ModelState.RECOGNISED, ABOVE, via=DECISION),
    Step(Transition.NOT_RECOGNISE, frozenset({ModelState.PRESENTED}), ModelState.NOT_RECOGNISED, ABOVE,
         via=DECISION),
    Step(Transition.PROPOSE_HIGHER, frozenset({ModelState.RECOGNISED}), ModelState.PROPOSED_HIGHER, ABOVE,
         note_required=True),
)}


def may_take(user, model, step: Step) -> bool:
    """Whether ``user``'s role lets them take ``step`` on ``model`` (whatever its state)."""
    if step.by == COMMUNE:
        return is_commune_officer_of(user, model.commune_id)
    return is_approver_of(user, model.commune)


def steps_for(user, model, *, via: str | None = None) -> list[Step]:
    """The steps ``user`` may take on ``model`` now, in workflow order (only those taken ``via`` a
    given form, when named)."""
    return [step for step in STEPS.values()
            if model.state in step.sources and (via is None or step.via == via) and may_take(user, model, step)]


def can_edit(user, model) -> bool:
    """The commune edits its registration (fields and files) until it is submitted, and again once
    it is returned with a comment."""
    return model.state in COMMUNE_EDITABLE_STATES and is_commune_officer_of(user, model.commune_id)


def can_delete(user, model) -> bool:
    """A draft is thrown away by its commune; a registered model stays, with its history."""
    return model.state == ModelState.DRAFT and can_edit(user, model)


def can_record_replication(user, model) -> bool:
    """Study visits and media coverage are recorded by the model's commune or the level above."""
    return is_commune_officer_of(user, model.commune_id) or is_approver_of(user, model.commune)


def attachable_kinds(user, model) -> list[str]:
    """The kinds of file ``user`` may attach to ``model`` now (the page offers these; the service
    `attachment_add` checks the same under lock): photos and documents while the commune holds the
    registration and its final report at any time, by the commune; the inspection's photos by the
    level above once the inspection is recorded. Reads ``model.inspection`` (select it with the model)."""
    kinds = []
    if can_edit(user, model):
        kinds += [AttachmentKind.PHOTO, AttachmentKind.DOCUMENT]
    if is_commune_officer_of(user, model.commune_id):
        kinds.append(AttachmentKind.FINAL_REPORT)
    if is_approver_of(user, model.commune) and getattr(model, "inspection", None) is not None:
        kinds.append(AttachmentKind.INSPECTION_PHOTO)
    return kinds

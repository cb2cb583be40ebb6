"""The house case's state machine: each named step, from which states, by whom, with what.

Pages and the API offer `steps_for(user, case)`; both call housing.services.case_advance,
which checks the same table again under lock.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .choices import CaseState, Transition
from .permissions import NOT_CASE_OFFICER, is_approver_of, is_commune_officer_of

COMMUNE = "commune"  # the Front officers of the case's commune
DISTRICT = "district"  # the standing committee of its district (see is_approver_of)


@dataclass(frozen=True)
class Step:
    name: Transition
    sources: frozenset[str]
    target: CaseState
    by: str
    # Case fields the step records; each is required.
    fields: tuple[str, ...] = ()
    note_required: bool = False
    # The one of ``fields`` that holds the day the step happened. A decision (approval, rejection,
    # cancellation) has none on the case: it is dated by its ``decided_on``, today by default.
    day_field: str | None = None
    # A step that closes the case for good is confirmed, with its reason, before it is taken.
    confirm: bool = False

    @property
    def is_decision(self) -> bool:
        return self.day_field is None


STEPS: dict[str, Step] = {step.name: step for step in (
    Step(Transition.SURVEY, frozenset({CaseState.PROPOSED}), CaseState.SURVEYED, COMMUNE,
         fields=("survey_date", "survey_findings"), day_field="survey_date"),
    Step(Transition.APPROVE, frozenset({CaseState.SURVEYED}), CaseState.APPROVED, DISTRICT),
    Step(Transition.REJECT, frozenset({CaseState.SURVEYED}), CaseState.REJECTED, DISTRICT, note_required=True),
    Step(Transition.START, frozenset({CaseState.APPROVED}), CaseState.CONSTRUCTION_STARTED, COMMUNE,
         fields=("start_date",), day_field="start_date"),
    Step(Transition.COMPLETE, frozenset({CaseState.CONSTRUCTION_STARTED}), CaseState.COMPLETED, COMMUNE,
         fields=("completion_date", "final_cost"), day_field="completion_date"),
    Step(Transition.HAND_OVER, frozenset({CaseState.COMPLETED}), CaseState.HANDED_OVER, COMMUNE,
         fields=("handover_date",), day_field="handover_date"),
    Step(Transition.CANCEL, frozenset({CaseState.PROPOSED, CaseState.SURVEYED, CaseState.APPROVED,
                                       CaseState.CONSTRUCTION_STARTED}), CaseState.CANCELLED, DISTRICT,
         note_required=True, confirm=True),
)}

# Case fields that may still be changed (the proposal and its funding plan) before the
# district decides; afterwards the plan is what was approved.
EDITABLE_STATES = (CaseState.PROPOSED, CaseState.SURVEYED)


def may_take(user, case, step: Step) -> bool:
    """Whether ``user``'s role lets them take ``step`` on ``case`` (whatever its state)."""
    if step.by == COMMUNE:
        return is_commune_officer_of(user, case.commune_id)
    return is_approver_of(user, case.commune)


def steps_for(user, case) -> list[Step]:
    """The steps ``user`` may take on ``case`` now, in workflow order."""
    return [step for step in STEPS.values() if case.state in step.sources and may_take(user, case, step)]


def can_edit_proposal(user, case) -> bool:
    return case.state in EDITABLE_STATES and is_commune_officer_of(user, case.commune_id)


def attach_refusal(user, case) -> Exception | None:
    """Why ``user`` may not attach a file to ``case`` now (the error to raise), or None when they
    may: its commune's Front officers, while the case is neither rejected nor cancelled. The one
    rule of the page's upload form, the API and attachment_add."""
    if not is_commune_officer_of(user, case.commune_id):
        return PermissionDenied(NOT_CASE_OFFICER)
    if case.state in (CaseState.REJECTED, CaseState.CANCELLED):
        return ValidationError(_("Files cannot be attached to a rejected or cancelled case."))
    return None


def can_attach(user, case) -> bool:
    return attach_refusal(user, case) is None

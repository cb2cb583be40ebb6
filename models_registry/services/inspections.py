"""The level above's inspection plan and the inspections on site, scored against the round's
criteria (the version in force when the inspection is recorded)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Transition
from ..models import Inspection, PlannedInspection, Round, Score, TypicalModel
from ..workflow import STEPS
from .registrations import advance, locked_model
from .rounds import current_criteria


@transaction.atomic
def inspection_plan(*, actor, model: TypicalModel, officers: str, planned_on: datetime.date, note: str = "",
                    decided_on: datetime.date | None = None) -> PlannedInspection:
    """Put a submitted model on the round's inspection plan, with the officers in charge of movement
    work assigned and the day planned; the model is then "planned for inspection"."""
    model = locked_model(actor, model)
    if not officers.strip():
        raise ValidationError({"officers": _("Name the officers assigned.")})
    if planned_on.year != model.round.year:
        raise ValidationError({"planned_on": _("Plan the inspection within the round's year.")})
    if decided_on is not None and planned_on < decided_on:
        raise ValidationError({"planned_on": _("The inspection cannot be planned for a day before the plan was "
                                               "decided.")})
    advance(actor=actor, model=model, step=STEPS[Transition.PLAN], happened_on=decided_on)
    planned = PlannedInspection(model=model, officers=officers.strip(), planned_on=planned_on, note=note.strip(),
                                created_by=actor)
    planned.full_clean(exclude=["model"])
    planned.save()
    return planned


@transaction.atomic
def inspection_record(*, actor, model: TypicalModel, inspected_on: datetime.date, officers: str, findings: str,
                      scores: dict[int, int]) -> Inspection:
    """Record the inspection of a planned model: the day, the officers, the findings, and a score for
    every criterion of the round's version in force ({criterion id: points}, each from 0 to the
    criterion's weight). The model is then "inspected"; its total is the sum of the points."""
    # The race this prevents: the level above changes the criteria (criteria_set, which locks the
    # round) while the scores are written; the scores would then name a version being replaced. The
    # round is locked before its criteria are read, so one waits for the other — and before the model,
    # in the order meeting_record takes them (round, then models), so the two never deadlock.
    round_id = TypicalModel.objects.visible_to(actor).filter(pk=model.pk).values_list("round_id", flat=True).first()
    if round_id is None:
        raise TypicalModel.DoesNotExist
    locked_round_row = Round.objects.select_for_update().get(pk=round_id)
    model = locked_model(actor, model)
    model.round = locked_round_row
    errors = {}
    if not officers.strip():
        errors["officers"] = _("Name the officers who inspected.")
    if not findings.strip():
        errors["findings"] = _("Write what the inspection found.")
    if inspected_on > timezone.localdate():
        errors["inspected_on"] = _("The date cannot be in the future.")
    criteria = current_criteria(model.round)
    missing = [criterion for criterion in criteria if scores.get(criterion.pk) is None]
    if missing or set(scores) - {criterion.pk for criterion in criteria}:
        errors["scores"] = _("Give a score for each criterion of the round, and only those.")
    else:
        for criterion in criteria:
            points = scores[criterion.pk]
            if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= criterion.weight:
                errors["scores"] = _("“%(criterion)s” is scored from 0 to %(weight)s points.") % {
                    "criterion": criterion.name, "weight": criterion.weight}
                break
    if errors:
        raise ValidationError(errors)
    advance(actor=actor, model=model, step=STEPS[Transition.INSPECT], happened_on=inspected_on)
    inspection = Inspection.objects.create(
        model=model, inspected_on=inspected_on, officers=officers.strip(), findings=findings.strip(),
        criteria_version=model.round.criteria_version, total_score=sum(scores.values()), recorded_by=actor)
    Score.objects.bulk_create([Score(inspection=inspection, criterion=criterion, points=scores[criterion.pk])
                               for criterion in criteria])
    return inspection

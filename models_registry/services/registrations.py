"""A commune's model: entered as a draft, changed while the commune holds it, moved along the
workflow (models_registry.workflow), and its files attached."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.services import require_known, validated_save
from frontwelfare.text import fold_diacritics
from housing.attachments import attachment_store

from ..choices import PHOTO_KINDS, RECOGNISED_STATES, AttachmentKind, ModelState
from ..models import ModelAttachment, ModelStep, TypicalModel
from ..permissions import (
    NOT_LEVEL_ABOVE,
    NOT_MODEL_OFFICER,
    NOT_REGISTERING_OFFICER,
    STEP_NOT_FOR_ROLE,
    is_approver_of,
    is_commune_officer_of,
)
from ..selectors import organisations_to_lead
from ..tasks import attachment_thumbnail_task
from ..workflow import DIRECT, STEPS, Step, attachable_kinds, can_delete, can_edit, may_take
from .rounds import registration_refusal, round_of

MODEL_FIELDS = ("name", "field", "replicates", "leader_organisation", "leader_name", "goals", "started_on",
                "expected_results", "participants", "budget", "budget_sources", "description")


@transaction.atomic
def model_create(*, actor, year: int, drafted_on: datetime.date | None = None, **fields) -> TypicalModel:
    """A draft model of the officer's own commune for ``year``'s round (made if need be), drafted on
    ``drafted_on`` (today by default; a registration copied from the paper records gives its day)."""
    require_known(fields, MODEL_FIELDS, "model_create")
    commune = actor.unit if getattr(actor, "unit_id", None) else None
    if commune is None or not is_commune_officer_of(actor, commune.pk):
        raise PermissionDenied(NOT_REGISTERING_OFFICER)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Choose this year or next.")})
    drafted_on = drafted_on or timezone.localdate()
    if drafted_on > timezone.localdate():
        raise ValidationError({"drafted_on": _("The date cannot be in the future.")})
    round_ = round_of(commune=commune, year=year, actor=actor)
    model = TypicalModel(round=round_, commune=commune, created_by=actor, **fields)
    _check_fields(model, actor)
    validated_save(model, actor=actor)
    record_step(model, actor=actor, name="", from_state="", note="", happened_on=drafted_on)
    return model


@transaction.atomic
def model_update(*, actor, model: TypicalModel, **fields) -> TypicalModel:
    """Change the registration while the commune holds it (draft, registered, returned)."""
    require_known(fields, MODEL_FIELDS, "model_update")
    model = locked_model(actor, model)
    if not can_edit(actor, model):
        raise PermissionDenied(NOT_MODEL_OFFICER)
    for name, value in fields.items():
        setattr(model, name, value.strip() if isinstance(value, str) else value)
    _check_fields(model, actor)
    validated_save(model, actor=actor)
    return model


@transaction.atomic
def model_delete(*, actor, model: TypicalModel) -> None:
    """A draft is thrown away by its commune; a registered model stays, with its history."""
    model = locked_model(actor, model)
    if not can_delete(actor, model):
        raise PermissionDenied(_("Only a draft can be deleted, by its commune's officers."))
    attachments = list(model.attachments.all())
    model._history_user = actor
    model.delete()
    # The files go once the deletion is committed: a rollback keeps the rows and their files.
    transaction.on_commit(lambda: [attachment.delete_files() for attachment in attachments])


def _check_fields(model: TypicalModel, actor) -> None:
    model.name_folded = fold_diacritics(model.name)
    errors = {}
    original = model.replicates
    if original is not None:
        # A replica copies a model recognised before (in an earlier round, or this one), one the
        # officer may see or that was recognised anywhere: the recognised models are public.
        if original.state not in RECOGNISED_STATES:
            errors["replicates"] = _("A replica copies a model that has been recognised.")
        elif original.pk == model.pk:
            errors["replicates"] = _("A model cannot replicate itself.")
    organisation = model.leader_organisation
    if organisation is not None and not organisations_to_lead(model.commune).filter(pk=organisation.pk).exists():
        errors["leader_organisation"] = _("Choose a member organisation of the commune or of a unit above it.")
    if model.started_on and model.started_on > timezone.localdate():
        errors["started_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def locked_model(actor, model: TypicalModel) -> TypicalModel:
    """The model re-read under lock, within the actor's scope, with the day of its latest step.

    The draft's entry (the step with no name) is dated the day it was typed in, not a day something
    happened: a registration made on paper in March and entered in May is dated in March, so the
    entry does not bound the next step's day."""
    latest_step_day = (ModelStep.objects.filter(model=OuterRef("pk")).exclude(name="").order_by("-happened_on")
                       .values("happened_on")[:1])
    models = TypicalModel.objects.select_related("commune", "round").annotate(latest_step_on=Subquery(latest_step_day))
    return locked_in_scope(models, actor=actor, pk=model.pk)


@transaction.atomic
def model_advance(*, actor, model: TypicalModel, step: str, note: str = "",
                  happened_on: datetime.date | None = None) -> TypicalModel:
    """Take a direct step (register, submit, return, propose for a higher award) on ``model``. The
    steps taken by recording something (a plan line, an inspection, a meeting, its decision) are
    taken by their own services, which call `advance` the same way."""
    model = locked_model(actor, model)
    chosen = STEPS.get(step)
    if chosen is None or chosen.via != DIRECT:
        raise ValidationError(_("Unknown step."))
    return advance(actor=actor, model=model, step=chosen, note=note, happened_on=happened_on)


def advance(*, actor, model: TypicalModel, step: Step, note: str = "",
            happened_on: datetime.date | None = None) -> TypicalModel:
    """Move ``model`` (locked, from `locked_model`) by ``step``: the role, the state, the deadline, the
    note and the day checked, the state moved, the step recorded. Inside the caller's transaction."""
    if not may_take(actor, model, step):
        raise PermissionDenied(STEP_NOT_FOR_ROLE)
    if model.state not in step.sources:
        raise ValidationError(_("The model is %(state)s: it cannot be moved to “%(step)s”.")
                              % {"state": model.get_state_display().lower(), "step": step.name.label})
    errors = defaultdict(list)
    happened_on = happened_on or timezone.localdate()
    if problem := _step_day_problem(model, happened_on):
        errors["happened_on"].append(problem)
    if step.note_required and not note.strip():
        errors["note"].append(_("Give the reason."))
    refusal = registration_refusal(model.round, model.commune) \
        if step.before_deadline and model.state != ModelState.RETURNED else None
    if refusal:
        errors["__all__"].append(refusal)
    if errors:
        raise ValidationError(dict(errors))
    from_state = model.state
    model.state = step.target
    validated_save(model, actor=actor)
    record_step(model, actor=actor, name=step.name, from_state=from_state, note=note, happened_on=happened_on)
    return model


def _step_day_problem(model: TypicalModel, happened_on: datetime.date) -> str | None:
    """A step is not dated in the future, nor before the model's previous step."""
    if happened_on > timezone.localdate():
        return _("The date cannot be in the future.")
    previous = getattr(model, "latest_step_on", None)
    if previous is not None and happened_on < previous:
        return _("The date cannot be before the model's previous step (%(day)s).") % {
            "day": date_format(previous, "SHORT_DATE_FORMAT")}
    return None


def record_step(model: TypicalModel, *, actor, name: str, from_state: str, note: str,
                happened_on: datetime.date) -> ModelStep:
    return ModelStep.objects.create(model=model, name=name, from_state=from_state, to_state=model.state, actor=actor,
                                    note=note.strip(), happened_on=happened_on)


@transaction.atomic
def attachment_add(*, actor, model: TypicalModel, kind: str, uploaded_file) -> ModelAttachment:
    """Attach a photo or document to ``model`` after the housing checks of its content, when the kind
    is one the actor may attach now (workflow.attachable_kinds, which the page offers): the commune
    while it holds the registration (its final report at any time), the level above the photos of
    its inspection."""
    model = locked_model(actor, model)
    if kind not in AttachmentKind.values or kind == AttachmentKind.MINUTES:
        raise ValidationError({"kind": _("Choose what the file is.")})
    if kind not in attachable_kinds(actor, model):
        if kind != AttachmentKind.INSPECTION_PHOTO:
            raise PermissionDenied(NOT_MODEL_OFFICER)
        if not is_approver_of(actor, model.commune):
            raise PermissionDenied(NOT_LEVEL_ABOVE)
        raise ValidationError({"kind": _("Record the inspection before its photos.")})
    inspection = getattr(model, "inspection", None)  # the reverse one-to-one: None when not recorded
    attachment = ModelAttachment(model=model, kind=kind, uploaded_by=actor,
                                 inspection=inspection if kind == AttachmentKind.INSPECTION_PHOTO else None)
    return attachment_store(attachment, uploaded_file, photo_kinds=PHOTO_KINDS,
                            thumbnail_task=attachment_thumbnail_task)

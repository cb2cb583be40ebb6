"""A commune's typical model (mô hình điển hình) of a year: what it is, who leads it, its money,
its files, and every step of its way from draft to recognition."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import ScopedQuerySet
from frontwelfare.validation import CheckedInOneQuery

from ..choices import RECOGNISED_STATES, AttachmentKind, Field, ModelState, Transition
from .rounds import Round


class TypicalModelQuerySet(ScopedQuerySet):
    unit_path = "commune"

    def recognised(self):
        return self.filter(state__in=RECOGNISED_STATES)


class TypicalModel(CheckedInOneQuery, models.Model):
    """One typical model a commune's Front standing committee registers for a year's round.

    A replica names the recognised model it copies (another commune's, usually): the original's
    page and the reports count the communes that replicated it. The state moves only through
    models_registry.services (see models_registry.workflow)."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="models", verbose_name=_("round"))
    commune = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    name = models.CharField(_("name of the model"), max_length=255)
    # The name without diacritics or case, for the list's search (frontwelfare.text.fold_diacritics);
    # kept by models_registry.services.
    name_folded = models.CharField(max_length=255, editable=False, default="")
    field = models.CharField(_("field"), max_length=24, choices=Field.choices)
    replicates = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="replicas",
                                   verbose_name=_("replicates the recognised model"))
    leader_organisation = models.ForeignKey("donations.Organisation", models.PROTECT, null=True, blank=True,
                                            related_name="typical_models",
                                            verbose_name=_("member organisation leading it"))
    leader_name = models.CharField(_("person or group leading it"), max_length=255, blank=True)
    goals = models.TextField(_("goals"))
    started_on = models.DateField(_("start date"))
    expected_results = models.TextField(_("expected results"), blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    budget = models.BigIntegerField(_("budget (VND)"), default=0)
    budget_sources = models.CharField(_("sources of the budget"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ModelState.choices, default=ModelState.DRAFT,
                             editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"), editable=False)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TypicalModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("typical model")
        verbose_name_plural = _("typical models")
        ordering = ["-round__year", "commune__code", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="models_model_budget_not_negative",
                                   violation_error_message=_("The budget cannot be negative.")),
            models.CheckConstraint(condition=~models.Q(replicates=models.F("pk")), name="models_model_not_own_replica",
                                   violation_error_message=_("A model cannot replicate itself.")),
        ]
        indexes = [
            models.Index(fields=["round", "state"], name="models_model_round_state"),
            models.Index(fields=["commune", "round"], name="models_model_commune_round"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not (self.leader_name.strip() or self.leader_organisation_id):
            raise ValidationError({"leader_name": _("Name the member organisation or the person leading the model.")})

    @property
    def is_replica(self) -> bool:
        return self.replicates_id is not None

    @property
    def is_recognised(self) -> bool:
        return self.state in RECOGNISED_STATES

    @property
    def leader(self) -> str:
        return str(self.leader_organisation) if self.leader_organisation_id else self.leader_name


class ModelStepQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class ModelStep(models.Model):
    """One step of a model's workflow: who took it, the day it happened, when it was entered, from
    which state to which, and the note. Written by models_registry.services only; never changed.
    Reports count a model registered, inspected or recognised on ``happened_on``."""

    model = models.ForeignKey(TypicalModel, models.CASCADE, related_name="steps", verbose_name=_("model"))
    # Empty for the model's first entry (the draft).
    name = models.CharField(_("step"), max_length=16, choices=Transition.choices, blank=True)
    from_state = models.CharField(_("from"), max_length=20, choices=ModelState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ModelState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    happened_on = models.DateField(_("day it happened"))
    at = models.DateTimeField(_("entered at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = ModelStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("model step")
        verbose_name_plural = _("model steps")
        ordering = ["happened_on", "id"]
        indexes = [models.Index(fields=["name", "happened_on"], name="models_step_name_day")]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


def attachment_path(attachment: "ModelAttachment", filename: str) -> str:
    """A name the server makes; the uploader's name is kept for display only."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"models/{attachment.model_id}/{uuid.uuid4().hex}{extension}"


class ModelAttachmentQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class ModelAttachment(CheckedInOneQuery, models.Model):
    """A photo or document of a model, or of its inspection; checked by content with the housing
    attachments' checks (housing.attachments), stored without metadata, served only in scope."""

    model = models.ForeignKey(TypicalModel, models.CASCADE, related_name="attachments", verbose_name=_("model"))
    inspection = models.ForeignKey("models_registry.Inspection", models.CASCADE, null=True, blank=True,
                                   related_name="attachments", verbose_name=_("inspection"))
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=attachment_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ModelAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("model attachment")
        verbose_name_plural = _("model attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def delete_files(self) -> None:
        for stored in (self.file, self.thumbnail):
            if stored:
                stored.delete(save=False)

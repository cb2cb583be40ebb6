"""Typical models as JSON: the registration, its way so far and the steps the caller may take, the
inspection, decision, notices, awards, support and replication; and the bodies of their writes."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from donations.api.serializers import ScopedRelatedField, WholeDongField
from donations.api.support_batches import RefSerializer
from donations.choices import Earmark
from donations.models import Fund
from donations.permissions import funds_managed_by
from donations.support.models import Organisation
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR
from housing.api.serializers import UnitRefSerializer, user_name
from models_registry.choices import AttachmentKind, AwardKind, Decision, SupportKind, Transition
from models_registry.models import (
    Award,
    Inspection,
    MediaCoverage,
    MeetingItem,
    ModelAttachment,
    ModelStep,
    ModelSupport,
    Notice,
    PlannedInspection,
    Score,
    StudyVisit,
    TypicalModel,
)
from models_registry.selectors import organisations_to_lead
from models_registry.services.registrations import MODEL_FIELDS
from models_registry.workflow import DECISION, DIRECT, INSPECTION, MEETING, PLAN, STEPS, Step, can_edit, steps_for

from .rounds import CriterionSerializer

# The steps taken with a note alone (models_registry.services.model_advance), each at its own URL.
DIRECT_STEPS = [str(name) for name, step in STEPS.items() if step.via == DIRECT]


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _ref(record, seen: bool) -> dict | None:
    return {"id": record.pk, "name": record.name} if record is not None and seen else None


# -- models: reading ----------------------------------------------------------------------------------


class ModelRefSerializer(serializers.ModelSerializer):
    commune = UnitRefSerializer(read_only=True)

    class Meta:
        model = TypicalModel
        fields = ["id", "name", "commune", "state"]


class ModelStepSerializer(serializers.ModelSerializer):
    """One step of the model's way; its entry as a draft is the first, with an empty name."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = ModelStep
        fields = ["name", "from_state", "to_state", "actor", "happened_on", "at", "note"]
        extra_kwargs = {"happened_on": {"help_text": _("The day the step happened (reports count it on this day).")},
                        "at": {"help_text": _("When the step was entered.")}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, step) -> str:
        return user_name(step.actor)


class ModelAttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata; the file itself is served by the model's page, which checks scope."""

    uploaded_by = serializers.SerializerMethodField()

    class Meta:
        model = ModelAttachment
        fields = ["id", "kind", "original_name", "content_type", "size", "inspection", "uploaded_by", "uploaded_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_uploaded_by(self, attachment) -> str:
        return user_name(attachment.uploaded_by)


class ModelAvailableStepSerializer(serializers.Serializer):
    """A step the caller may take on the model now, and where: a direct step at its own URL (with a
    note), the others by recording what takes them (``via``: the plan, the inspection, the meeting,
    the decision)."""

    name = serializers.ChoiceField(choices=Transition.choices, read_only=True)
    label = serializers.CharField(source="name.label", read_only=True)
    via = serializers.ChoiceField(choices=[DIRECT, PLAN, INSPECTION, MEETING, DECISION], read_only=True)
    note_required = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, step: Step) -> str:
        model = self.context["model"]
        if step.via == DIRECT:
            url = reverse("api:models-model-step", kwargs={"pk": model.pk, "step": step.name})
        elif step.via == MEETING:  # a meeting presents the round's inspected models (POST)
            url = reverse("api:models-meeting-list")
        else:
            url = reverse(f"api:models-model-{step.via}", args=[model.pk])
        return _absolute(self.context.get("request"), url)


class PlannedInspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedInspection
        fields = ["officers", "planned_on", "note", "created_at"]


class ScoreSerializer(serializers.ModelSerializer):
    criterion = CriterionSerializer(read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "points"]


class InspectionSerializer(serializers.ModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["inspected_on", "officers", "findings", "criteria_version", "total_score", "scores", "recorded_by",
                  "recorded_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, inspection) -> str:
        return user_name(inspection.recorded_by)


class ModelDecisionSerializer(serializers.ModelSerializer):
    """The model at the agency meeting: the day it was presented, its score, the decision (empty
    until decided)."""

    presented_on = serializers.DateField(source="meeting.held_on", read_only=True)

    class Meta:
        model = MeetingItem
        fields = ["presented_on", "score", "decision", "note"]


class NoticeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "reference", "issued_on"]


class _PaidSerializer(serializers.ModelSerializer):
    """Money given to a model: its fund and the fund's posting, named only to those who see the fund
    (a commune officer does not see the district's)."""

    fund = serializers.SerializerMethodField()
    posting = serializers.SerializerMethodField()

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_fund(self, record):
        return _ref(record.fund, record.fund_seen)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_posting(self, record):
        return record.posting_id if record.fund_seen else None


class AwardSerializer(_PaidSerializer):
    class Meta:
        model = Award
        fields = ["id", "kind", "title", "awarded_on", "amount", "fund", "earmark", "posting", "notice", "created_at"]


class ModelSupportSerializer(_PaidSerializer):
    class Meta:
        model = ModelSupport
        fields = ["id", "kind", "given_on", "description", "amount", "fund", "earmark", "posting", "created_at"]


class StudyVisitSerializer(serializers.ModelSerializer):
    visiting_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StudyVisit
        fields = ["id", "visiting_unit", "visitors", "visited_on", "people", "note", "created_at"]


class MediaCoverageSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaCoverage
        fields = ["id", "outlet", "title", "published_on", "link", "created_at"]


class ReplicationSerializer(serializers.Serializer):
    communes = serializers.IntegerField(read_only=True, help_text=_("Communes that registered a replica of it."))
    visits = serializers.IntegerField(read_only=True)
    people = serializers.IntegerField(read_only=True, help_text=_("People who came on the study visits."))
    media = serializers.IntegerField(read_only=True)


class TypicalModelSerializer(serializers.ModelSerializer):
    """A row of the model list."""

    year = serializers.IntegerField(source="round.year", read_only=True)
    commune = UnitRefSerializer(read_only=True)
    leader = serializers.CharField(read_only=True, help_text=_("The member organisation or person leading it."))

    class Meta:
        model = TypicalModel
        fields = ["id", "year", "round", "commune", "name", "field", "state", "replicates", "leader", "participants",
                  "budget", "created_at", "updated_at"]


class TypicalModelDetailSerializer(TypicalModelSerializer):
    """One model: its registration, its way so far and the steps the caller may take now, its
    inspection with the scores, the meeting's decision, the notices, awards and support, and how
    it was replicated."""

    leader_organisation = RefSerializer(read_only=True, allow_null=True)
    created_by = serializers.SerializerMethodField()
    steps = ModelStepSerializer(many=True, read_only=True)
    available_steps = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField(help_text=_(
        "Whether the caller may still change the registration and its files."))
    attachments = ModelAttachmentSerializer(many=True, read_only=True)
    planned_inspection = serializers.SerializerMethodField()
    inspection = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    notices = NoticeRefSerializer(source="notices_seen", many=True, read_only=True, help_text=_(
        "The recognition notices naming it that the caller sees (those of the level above)."))
    awards = AwardSerializer(many=True, read_only=True)
    support = ModelSupportSerializer(many=True, read_only=True)
    study_visits = StudyVisitSerializer(many=True, read_only=True)
    media = MediaCoverageSerializer(many=True, read_only=True)
    replication = serializers.SerializerMethodField()

    class Meta(TypicalModelSerializer.Meta):
        fields = [*TypicalModelSerializer.Meta.fields, "leader_organisation", "leader_name", "goals", "started_on",
                  "expected_results", "budget_sources", "description", "created_by", "steps", "available_steps",
                  "can_edit", "attachments", "planned_inspection", "inspection", "decision", "notices", "awards",
                  "support", "study_visits", "media", "replication"]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, model) -> str:
        return user_name(model.created_by)

    @extend_schema_field(ModelAvailableStepSerializer(many=True))
    def get_available_steps(self, model):
        return ModelAvailableStepSerializer(steps_for(self._user(), model), many=True,
                                       context={**self.context, "model": model}).data

    def get_can_edit(self, model) -> bool:
        return can_edit(self._user(), model)

    @extend_schema_field(PlannedInspectionSerializer(allow_null=True))
    def get_planned_inspection(self, model):
        planned = getattr(model, "planned_inspection", None)
        return PlannedInspectionSerializer(planned).data if planned is not None else None

    @extend_schema_field(InspectionSerializer(allow_null=True))
    def get_inspection(self, model):
        inspection = getattr(model, "inspection", None)
        return InspectionSerializer(inspection).data if inspection is not None else None

    @extend_schema_field(ModelDecisionSerializer(allow_null=True))
    def get_decision(self, model):
        item = getattr(model, "meeting_item", None)
        return ModelDecisionSerializer(item).data if item is not None else None

    @extend_schema_field(ReplicationSerializer)
    def get_replication(self, model):
        return ReplicationSerializer(self.context["replication"]).data


# -- models: writing ----------------------------------------------------------------------------------


def _organisations_to_lead(request):
    """The organisations that may lead the caller's commune's model (selectors.organisations_to_lead)."""
    return organisations_to_lead(request.user.unit if request.user.unit_id else None)


class TypicalModelWriteSerializer(serializers.ModelSerializer):
    """The registration's fields. Those left out of a change stay as they are."""

    replicates = serializers.PrimaryKeyRelatedField(
        queryset=TypicalModel.objects.recognised(), required=False, allow_null=True,
        help_text=_("A recognised model (of any commune) this one replicates."))
    leader_organisation = ScopedRelatedField(Organisation, scope=_organisations_to_lead, required=False,
                                             allow_null=True, help_text=_(
                                                 "A member organisation of the commune or a unit above it."))
    budget = WholeDongField(min_value=0, required=False)
    participants = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)

    class Meta:
        model = TypicalModel
        fields = list(MODEL_FIELDS)
        validators = []


class TypicalModelCreateSerializer(TypicalModelWriteSerializer):
    """A draft of the caller's own commune in ``year``'s round (made if its level above has not yet)."""

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta(TypicalModelWriteSerializer.Meta):
        fields = ["year", *MODEL_FIELDS]


class StepBodySerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "The reason: required to return a model to its commune and to propose it for a higher award."))
    happened_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_(
        "The day it happened; today if left out (give it when entering past work)."))


_UPLOAD_KINDS = [choice for choice in AttachmentKind.choices if choice[0] != AttachmentKind.MINUTES]


class ModelAttachmentUploadSerializer(serializers.Serializer):
    """A photo or document; its content is checked by models_registry.services."""

    kind = serializers.ChoiceField(choices=_UPLOAD_KINDS, help_text=_(
        "The commune attaches photos and documents while it holds the registration, and the final report; "
        "the level above the photos of its inspection."))
    # An empty file reaches the service, which refuses it with its own message.
    file = serializers.FileField(allow_empty_file=True,
                                 help_text=_("A photo (JPEG, PNG, WebP) or a PDF document, at most 10 MB."))


class PlanSerializer(serializers.Serializer):
    officers = serializers.CharField(max_length=500, allow_blank=True, help_text=_(
        "The officers in charge of movement work assigned."))
    planned_on = serializers.DateField(help_text=_("The day planned, within the round's year."))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_(
        "The day the plan was decided; today if left out."))


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text=_("A criterion of the version in force (the round's criteria)."))
    points = serializers.IntegerField(min_value=0, max_value=100, help_text=_("From 0 to the criterion's weight."))


class InspectionBodySerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    officers = serializers.CharField(max_length=500, allow_blank=True)
    findings = serializers.CharField(allow_blank=True)
    scores = ScoreInputSerializer(many=True, help_text=_("One score for each criterion in force, and only those."))

    def validate_scores(self, scores):
        criteria = [score["criterion"] for score in scores]
        if len(set(criteria)) != len(criteria):
            raise serializers.ValidationError(_("Each criterion may be scored only once."))
        return scores

    def scores_by_criterion(self) -> dict[int, int]:
        return {score["criterion"]: score["points"] for score in self.validated_data["scores"]}


class DecisionBodySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StudyVisitBodySerializer(serializers.Serializer):
    visiting_unit = ScopedRelatedField(
        AdministrativeUnit, required=False, allow_null=True, default=None,
        help_text=_("The unit that came (any unit of the list), or leave it out and say who in ``visitors``."))
    visitors = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    visited_on = serializers.DateField()
    people = serializers.IntegerField(min_value=0, max_value=1_000_000)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MediaBodySerializer(serializers.Serializer):
    outlet = serializers.CharField(max_length=255, allow_blank=True)
    title = serializers.CharField(max_length=500, allow_blank=True)
    published_on = serializers.DateField()
    link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


def _funds_managed(request):
    return funds_managed_by(request.user)


class _MoneyBodySerializer(serializers.Serializer):
    amount = WholeDongField(required=False, allow_null=True, default=None, help_text=_(
        "In whole đồng, for money only; paid out of ``fund`` as a disbursement."))
    fund = ScopedRelatedField(Fund, scope=_funds_managed, required=False, allow_null=True, default=None,
                              help_text=_("A fund of the caller's own unit, which the money is paid from."))
    earmark = serializers.ChoiceField(choices=Earmark.choices, required=False, default=Earmark.NONE)


class AwardBodySerializer(_MoneyBodySerializer):
    kind = serializers.ChoiceField(choices=AwardKind.choices)
    title = serializers.CharField(max_length=255, allow_blank=True, help_text=_("For example Giấy khen"))
    awarded_on = serializers.DateField()
    notice = ScopedRelatedField(Notice, required=False, allow_null=True, default=None,
                                help_text=_("The notice recognising the model, if the award comes with it."))


class SupportBodySerializer(_MoneyBodySerializer):
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    given_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True)

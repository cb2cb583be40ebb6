"""Typical models as JSON: rounds, models with their steps, inspection, decision, awards, support and
replication, agency meetings and recognition notices. Serializers read and parse; every rule is in
models_registry.services (and the models), which the views call with what these parsed.

Records that hang off a visible record are shown only where their own ``visible_to`` lets the
caller see them (a reopening of another commune, a fund of the level above, a notice), read with
the record by the viewsets' querysets.
"""

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
from frontwelfare.accounts.scope import covers_q
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR
from housing.api.serializers import UnitRefSerializer, user_name
from models_registry.choices import (
    AttachmentKind,
    AwardKind,
    Decision,
    Field,
    ModelState,
    SupportKind,
    Transition,
)
from models_registry.models import (
    Award,
    Criterion,
    Inspection,
    MediaCoverage,
    Meeting,
    MeetingItem,
    ModelAttachment,
    ModelStep,
    ModelSupport,
    Notice,
    PlannedInspection,
    Reopening,
    Round,
    Score,
    StudyVisit,
    TypicalModel,
)
from models_registry.permissions import runs_round
from models_registry.services.registrations import MODEL_FIELDS
from models_registry.workflow import DECISION, DIRECT, INSPECTION, MEETING, PLAN, STEPS, Step, can_edit, steps_for

# The steps taken with a note alone (models_registry.services.model_advance), each at its own URL.
DIRECT_STEPS = [str(name) for name, step in STEPS.items() if step.via == DIRECT]


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _ref(record, seen: bool) -> dict | None:
    return {"id": record.pk, "name": record.name} if record is not None and seen else None


# -- rounds ---------------------------------------------------------------------------------------------


class RoundRefSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Round
        fields = ["id", "year", "unit"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", "name", "description", "weight"]


class CriteriaVersionSerializer(serializers.Serializer):
    """One version of the round's criteria: an inspection scored against it keeps it."""

    version = serializers.IntegerField(read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)


class ReopeningSerializer(serializers.ModelSerializer):
    commune = UnitRefSerializer(read_only=True)
    reopened_by = serializers.SerializerMethodField()

    class Meta:
        model = Reopening
        fields = ["id", "commune", "until", "reason", "reopened_by", "reopened_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_reopened_by(self, reopening) -> str:
        return user_name(reopening.reopened_by)


class SynthesisSentSerializer(serializers.Serializer):
    """The synthesis sent to the province: when, by whom, and the two reports it was frozen as
    (their ids at /api/v1/reports/; null for a caller who does not see the round's unit's reports)."""

    sent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    sent_by = serializers.CharField(read_only=True)
    xlsx_report = serializers.IntegerField(read_only=True, allow_null=True)
    pdf_report = serializers.IntegerField(read_only=True, allow_null=True)


class RoundSerializer(serializers.ModelSerializer):
    """A round as the list shows it."""

    unit = UnitRefSerializer(read_only=True, help_text=_("The district (the province, for the current units) "
                                                         "whose communes register in it."))

    class Meta:
        model = Round
        fields = ["id", "unit", "year", "deadline", "mid_year_review_on", "final_report_on", "criteria_version",
                  "synthesis_sent_at"]


class RoundDetailSerializer(RoundSerializer):
    """One round: the criteria in force and every version, the reopenings the caller sees, the
    synthesis sent, and whether the caller runs it."""

    criteria = serializers.SerializerMethodField(help_text=_("The version in force: new inspections score "
                                                             "against it."))
    criteria_versions = serializers.SerializerMethodField()
    reopenings = ReopeningSerializer(source="reopenings_seen", many=True, read_only=True)
    synthesis = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    can_manage = serializers.SerializerMethodField(help_text=_(
        "Whether the caller sets this round's dates and criteria, reopens it and sends its synthesis."))

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "criteria", "criteria_versions", "reopenings", "synthesis",
                  "created_by", "created_at", "can_manage"]

    def _versions(self, round_) -> dict[int, list[Criterion]]:
        versions: dict[int, list[Criterion]] = {}
        for criterion in round_.criteria.all():  # prefetched, in version and position order
            versions.setdefault(criterion.version, []).append(criterion)
        return versions

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, round_):
        return CriterionSerializer(self._versions(round_).get(round_.criteria_version, []), many=True).data

    @extend_schema_field(CriteriaVersionSerializer(many=True))
    def get_criteria_versions(self, round_):
        rows = [{"version": version, "criteria": criteria} for version, criteria in self._versions(round_).items()]
        return CriteriaVersionSerializer(rows, many=True).data

    @extend_schema_field(SynthesisSentSerializer)
    def get_synthesis(self, round_):
        return SynthesisSentSerializer({
            "sent_at": round_.synthesis_sent_at, "sent_by": user_name(round_.synthesis_sent_by),
            "xlsx_report": round_.synthesis_xlsx_id if round_.xlsx_seen else None,
            "pdf_report": round_.synthesis_pdf_id if round_.pdf_seen else None,
        }).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, round_) -> str:
        return user_name(round_.created_by)

    def get_can_manage(self, round_) -> bool:
        return runs_round(self.context["request"].user, round_.unit)


class RoundDatesSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, help_text=_(
        "The last day communes register; 31 March of the round's year if left out."))
    mid_year_review_on = serializers.DateField(required=False, allow_null=True)
    final_report_on = serializers.DateField(required=False, allow_null=True)


class RoundCreateSerializer(RoundDatesSerializer):
    """A round of the caller's own unit (the district, or the province for the current units)."""

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(min_value=1, max_value=100, help_text=_("The most points it gives."))


class CriteriaSerializer(serializers.Serializer):
    """The round's criteria, in order; their weights add up to 100."""

    criteria = CriterionInputSerializer(many=True)

    def rows(self) -> list[tuple[str, str, int]]:
        return [(row["name"], row["description"], row["weight"]) for row in self.validated_data["criteria"]]


def _communes(request):
    return AdministrativeUnit.objects.visible_to(request.user).filter(level=Level.COMMUNE)


class ReopenSerializer(serializers.Serializer):
    commune = ScopedRelatedField(AdministrativeUnit, scope=_communes, help_text=_("One of the round's communes."))
    until = serializers.DateField(help_text=_("The last day it may register and submit; within the round's year."))
    reason = serializers.CharField(allow_blank=True)


class SynthesisModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = TypicalModel
        fields = ["id", "name", "state", "replicates"]


class SynthesisFieldSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=Field.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    models = SynthesisModelSerializer(many=True, read_only=True)


class SynthesisRowSerializer(serializers.Serializer):
    """A commune of the round with its registrations by field (registered and later; drafts are
    the commune's own)."""

    commune = UnitRefSerializer(read_only=True)
    total = serializers.IntegerField(read_only=True)
    registered_none = serializers.BooleanField(read_only=True, help_text=_("The commune registered no model."))
    by_field = serializers.SerializerMethodField(help_text=_("The fields it registered models in."))

    @extend_schema_field(SynthesisFieldSerializer(many=True))
    def get_by_field(self, row):
        labels = dict(Field.choices)
        return SynthesisFieldSerializer([{"field": value, "label": labels[value], "models": models}
                                         for value, models in row.by_field.items()], many=True).data


class SynthesisSerializer(serializers.Serializer):
    round = RoundRefSerializer(read_only=True)
    rows = SynthesisRowSerializer(many=True, read_only=True)


# One integer per state, keyed by the state's value (models_registry.choices.ModelState).
StateCountsSerializer = type("StateCountsSerializer", (serializers.Serializer,), {
    "__doc__": "How many models are in each state.",
    **{state.value: serializers.IntegerField(read_only=True, label=state.label) for state in ModelState},
})


class BoardSerializer(serializers.Serializer):
    """The round's models the caller sees, counted by state."""

    round = RoundRefSerializer(read_only=True)
    total = serializers.IntegerField(read_only=True)
    states = StateCountsSerializer(read_only=True)


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
    """A model is led by a member organisation of its commune or of a unit above it (the service
    checks it again): the caller is the commune's officer."""
    unit = request.user.unit if request.user.unit_id else None
    return Organisation.objects.filter(covers_q(unit, "unit")) if unit is not None else Organisation.objects.none()


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


# -- meetings and notices ------------------------------------------------------------------------------


class MeetingItemSerializer(serializers.ModelSerializer):
    model = ModelRefSerializer(read_only=True)

    class Meta:
        model = MeetingItem
        fields = ["model", "score", "decision", "note"]


class MeetingSerializer(serializers.ModelSerializer):
    round = RoundRefSerializer(read_only=True)
    created_by = serializers.SerializerMethodField()
    has_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "round", "held_on", "chaired_by", "participants", "has_minutes", "created_by", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, meeting) -> str:
        return user_name(meeting.created_by)

    def get_has_minutes(self, meeting) -> bool:
        return bool(meeting.minutes)


class MeetingDetailSerializer(MeetingSerializer):
    items = MeetingItemSerializer(source="items_seen", many=True, read_only=True,
                                  help_text=_("The models presented, highest score first."))

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "items"]


def _models_seen(request):
    return TypicalModel.objects.visible_to(request.user)


class MeetingCreateSerializer(serializers.Serializer):
    round = ScopedRelatedField(Round, help_text=_("A round the caller runs."))
    held_on = serializers.DateField()
    chaired_by = serializers.CharField(max_length=255, allow_blank=True)
    participants = serializers.CharField(allow_blank=True)
    models = ScopedRelatedField(TypicalModel, scope=_models_seen, many=True, help_text=_(
        "The round's inspected models presented, each with its inspection's score."))


class NoticeSerializer(serializers.ModelSerializer):
    round = RoundRefSerializer(read_only=True)
    recipients = serializers.ListField(source="recipient_lines", child=serializers.CharField(), read_only=True,
                                       help_text=_("Nơi nhận, one per line."))
    models = ModelRefSerializer(source="models_seen", many=True, read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "round", "number", "symbol", "reference", "issued_on", "signer", "signer_title", "recipients",
                  "models", "created_at"]


class NoticeCreateSerializer(serializers.Serializer):
    round = ScopedRelatedField(Round, help_text=_("A round the caller runs."))
    number = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    symbol = serializers.CharField(max_length=40, required=False, default="TB-MTTQ")
    issued_on = serializers.DateField()
    signer = serializers.CharField(max_length=255, allow_blank=True)
    signer_title = serializers.CharField(max_length=255, allow_blank=True, help_text=_("For example PHÓ CHỦ TỊCH"))
    recipients = serializers.CharField(allow_blank=True, help_text=_("Nơi nhận, one per line."))
    models = ScopedRelatedField(TypicalModel, scope=_models_seen, many=True, help_text=_(
        "The round's recognised models the notice recognises."))

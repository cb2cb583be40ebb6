"""Housing programmes and house cases as JSON. Serializers read and parse; every rule is in the
models and in housing.services, which the views call with what the serializers parsed."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from frontwelfare.accounts.scope import scope_q
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import MAX_VND
from households.models import Household
from housing.choices import AttachmentKind, CaseState, FundingSource, Transition
from housing.models import CaseAttachment, CaseTransition, HousingCase, Programme, ProgrammeTarget
from housing.selectors import ProgrammeProgress, programme_progress
from housing.services import CASE_FIELDS, PROGRAMME_FIELDS, CaseData
from housing.workflow import STEPS, Step, can_edit_proposal, steps_for


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def step_url_name(step: str) -> str:
    """The API route of a workflow step: ``hand_over`` is ``api:housing-case-hand-over``."""
    return f"api:housing-case-{step.replace('_', '-')}"


def amount_field(**kwargs) -> serializers.IntegerField:
    """Whole dong, as a JSON integer, within what the pages' money fields accept."""
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", MAX_VND)
    return serializers.IntegerField(**kwargs)


class UnitRefSerializer(serializers.ModelSerializer):
    """A province, district or commune, by id, GSO code and name."""

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]


# -- programmes -----------------------------------------------------------------------------------


class WorkProgressSerializer(serializers.Serializer):
    """The houses of one kind of work in one unit. "approved" and "completed" are cumulative (a
    house handed over was approved and completed too); "under_construction" is the state now."""

    target = serializers.IntegerField(read_only=True)
    approved = serializers.IntegerField(read_only=True)
    under_construction = serializers.IntegerField(read_only=True)
    completed = serializers.IntegerField(read_only=True)
    handed_over = serializers.IntegerField(read_only=True)


# One integer per funding source, keyed by the source's value (housing.choices.FundingSource).
FundingAmountsSerializer = type("FundingAmountsSerializer", (serializers.Serializer,), {
    "__doc__": "Money committed to approved houses, in VND, by funding source.",
    **{source.value: serializers.IntegerField(read_only=True, label=source.label) for source in FundingSource},
})


class UnitProgressSerializer(serializers.Serializer):
    """One row of a programme's progress: a district or a commune (``unit``), or the total
    (``unit`` null). ``depth`` 1 is a commune under the district row above it."""

    unit = UnitRefSerializer(read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)
    has_own_target = serializers.BooleanField(read_only=True)
    behind = serializers.BooleanField(
        read_only=True, help_text=_("Fewer houses completed than the target's share for the time passed."),
    )
    new_build = WorkProgressSerializer(source="new", read_only=True)
    repair = WorkProgressSerializer(read_only=True)
    money = FundingAmountsSerializer(read_only=True)
    money_total = serializers.IntegerField(read_only=True)
    labour_days = serializers.IntegerField(read_only=True)

    def to_representation(self, row):
        # The fields above document the shape (OpenAPI); the rows are plain figures, written out
        # directly: a province's 150-odd rows through nested serializers cost a tenth of a second.
        unit = row.unit
        return {
            "unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None,
            "depth": row.depth, "has_own_target": row.has_own_target, "behind": row.behind,
            "new_build": _work_figures(row.new), "repair": _work_figures(row.repair),
            "money": dict(row.money), "money_total": row.money_total, "labour_days": row.labour_days,
        }


def _work_figures(work) -> dict[str, int]:
    return {name: getattr(work, name) for name in WorkProgressSerializer._declared_fields}


class ProgrammeProgressSerializer(serializers.Serializer):
    """The programme's progress in every unit below it that the caller sees."""

    rows = UnitProgressSerializer(many=True, read_only=True)
    total = UnitProgressSerializer(read_only=True)
    days_left = serializers.IntegerField(read_only=True, help_text=_("Negative once the deadline has passed."))
    days_overdue = serializers.IntegerField(read_only=True)
    elapsed_share = serializers.FloatField(read_only=True)
    behind = serializers.BooleanField(source="total.behind", read_only=True)


class ProgrammeTargetSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = ProgrammeTarget
        fields = ["unit", "new_builds", "repairs"]


class ProgrammeListSerializer(serializers.ModelSerializer):
    """A row of the programme list, with the number of the caller's cases in it."""

    unit = UnitRefSerializer(read_only=True)
    days_left = serializers.SerializerMethodField()
    case_count = serializers.IntegerField(read_only=True)
    handed_over_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "kind", "decision_number", "decision_date", "decision_issuer", "unit", "start_date",
                  "deadline", "days_left", "new_build_support", "repair_support", "new_build_target",
                  "repair_target", "case_count", "handed_over_count"]

    def get_days_left(self, programme) -> int:
        return programme.days_left()


class ProgrammeSerializer(ProgrammeListSerializer):
    """One programme with its targets and its progress, both within the caller's scope."""

    created_by = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    # From the progress, which groups the cases by state anyway (the list annotates them instead).
    case_count = serializers.SerializerMethodField()
    handed_over_count = serializers.SerializerMethodField()

    class Meta(ProgrammeListSerializer.Meta):
        fields = [*ProgrammeListSerializer.Meta.fields, "notes", "created_by", "created_at", "updated_at",
                  "targets", "progress"]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, programme) -> str:
        return user_name(programme.created_by)

    @extend_schema_field(ProgrammeTargetSerializer(many=True))
    def get_targets(self, programme):
        targets = programme.targets.filter(scope_q(self._user(), "unit")).select_related("unit")
        return ProgrammeTargetSerializer(targets, many=True).data

    def _progress(self, programme) -> ProgrammeProgress:
        """The programme's progress for the caller, computed once per programme shown."""
        if programme.pk not in self._progress_by_programme:
            self._progress_by_programme[programme.pk] = programme_progress(programme=programme, user=self._user())
        return self._progress_by_programme[programme.pk]

    @cached_property
    def _progress_by_programme(self) -> dict[int, ProgrammeProgress]:
        return {}

    @extend_schema_field(ProgrammeProgressSerializer)
    def get_progress(self, programme):
        return ProgrammeProgressSerializer(self._progress(programme)).data

    def get_case_count(self, programme) -> int:
        return self._progress(programme).case_count

    def get_handed_over_count(self, programme) -> int:
        return self._progress(programme).cases_in(CaseState.HANDED_OVER)


class ProgrammeWriteSerializer(serializers.ModelSerializer):
    """A programme's own fields. Whether the caller may run a programme for ``unit`` is decided
    by housing.services (403 otherwise)."""

    unit = serializers.PrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT]),
        help_text=_("The province or district that runs the programme."),
    )
    new_build_support = amount_field(required=False, allow_null=True,
                                     help_text=_("Leave empty if the programme sets no limit."))
    repair_support = amount_field(required=False, allow_null=True,
                                  help_text=_("Leave empty if the programme sets no limit."))

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        # The constraints are checked by full_clean inside the services, with their own messages.
        validators = []


class TargetEntrySerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("Id of a district or commune below the programme's unit."))
    new_builds = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    repairs = serializers.IntegerField(min_value=0, max_value=100_000, default=0)


class TargetsSerializer(serializers.Serializer):
    """All the programme's targets: units left out lose the target they had."""

    targets = TargetEntrySerializer(many=True)

    def validate_targets(self, entries):
        units = [entry["unit"] for entry in entries]
        if len(set(units)) != len(units):
            raise serializers.ValidationError(_("Each unit may appear only once."))
        return entries

    def targets_by_unit(self) -> dict[int, tuple[int, int]]:
        return {entry["unit"]: (entry["new_builds"], entry["repairs"]) for entry in self.validated_data["targets"]}


# -- cases ----------------------------------------------------------------------------------------


class ProgrammeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "deadline"]


class CaseHouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "code", "head_name", "hamlet"]


class TransitionSerializer(serializers.ModelSerializer):
    """One step of the case's workflow; the proposal itself is the first, with an empty name."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = CaseTransition
        fields = ["name", "from_state", "to_state", "actor", "happened_on", "at", "note"]
        extra_kwargs = {"happened_on": {"help_text": _("The day the step happened (reports count it on this day).")},
                        "at": {"help_text": _("When the step was entered.")}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, transition) -> str:
        return user_name(transition.actor)


class AttachmentSerializer(serializers.ModelSerializer):
    """An attachment's metadata. The file itself is served by the page route, which checks scope."""

    uploaded_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseAttachment
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at",
                  "download_url", "thumbnail_url"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_uploaded_by(self, attachment) -> str:
        return user_name(attachment.uploaded_by)

    def _url(self, attachment, query: str = "") -> str:
        return _absolute(self.context.get("request"),
                         reverse("housing:attachment-download", args=[attachment.pk]) + query)

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment) -> str:
        return self._url(attachment)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, attachment) -> str | None:
        return self._url(attachment, "?size=thumbnail") if attachment.thumbnail else None


class AvailableStepSerializer(serializers.Serializer):
    """A workflow step the caller may take on the case now, and what to send to take it."""

    name = serializers.ChoiceField(choices=Transition.choices, read_only=True)
    label = serializers.CharField(source="name.label", read_only=True)
    fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    note_required = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, step: Step) -> str:
        case = self.context["case"]
        return _absolute(self.context.get("request"), reverse(step_url_name(step.name), args=[case.pk]))


class CaseListSerializer(serializers.ModelSerializer):
    """A row of the case list."""

    programme = ProgrammeRefSerializer(read_only=True)
    household = CaseHouseholdSerializer(read_only=True)
    commune = UnitRefSerializer(read_only=True)
    support_total = serializers.IntegerField(read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Still open after the programme's deadline."))

    class Meta:
        model = HousingCase
        fields = ["id", "programme", "household", "commune", "work_kind", "state", "estimated_cost",
                  "support_total", "overdue", "created_at", "updated_at"]

    def get_overdue(self, case) -> bool:
        return case.is_overdue


class CaseSerializer(CaseListSerializer):
    """One case with its funding plan, the dates of its steps, its history of steps, its
    attachments and the steps the caller may take now."""

    plan_total = serializers.IntegerField(read_only=True)
    proposed_by = serializers.SerializerMethodField()
    transitions = TransitionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    available_steps = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField(
        help_text=_("Whether the caller may still change the proposal and its funding plan."),
    )

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "current_condition", "state_budget", "fund_for_the_poor",
                  "sponsor_amount", "sponsor_name", "army_amount", "army_unit", "family_amount", "plan_total",
                  "labour_days", "survey_date", "survey_findings", "start_date", "completion_date", "final_cost",
                  "handover_date", "recent_new_house", "proposed_by", "transitions", "attachments", "available_steps",
                  "can_edit"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_proposed_by(self, case) -> str:
        return user_name(case.proposed_by)

    @extend_schema_field(AvailableStepSerializer(many=True))
    def get_available_steps(self, case):
        steps = steps_for(self.context["request"].user, case)
        return AvailableStepSerializer(steps, many=True, context={**self.context, "case": case}).data

    def get_can_edit(self, case) -> bool:
        return can_edit_proposal(self.context["request"].user, case)


class CaseFieldsSerializer(serializers.ModelSerializer):
    """The proposal and its funding plan. Amounts are whole dong; those left out are 0 on a new
    case and unchanged on an existing one. The funding rules are checked by housing.services."""

    estimated_cost = amount_field(min_value=1)
    state_budget = amount_field(required=False)
    fund_for_the_poor = amount_field(required=False)
    sponsor_amount = amount_field(required=False)
    army_amount = amount_field(required=False)
    family_amount = amount_field(required=False)

    class Meta:
        model = HousingCase
        fields = list(CASE_FIELDS)
        validators = []


class CaseCreateSerializer(CaseFieldsSerializer):
    """A proposal: the household (of the caller's commune) and the programme, by id."""

    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(),
        error_messages={"does_not_exist": _("Household not found."), "incorrect_type": _("Household not found.")},
    )
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    proposed_on = serializers.DateField(
        required=False, allow_null=True,
        help_text=_("The day the commune proposed the house; today if left out (give it when entering past work)."),
    )

    class Meta(CaseFieldsSerializer.Meta):
        fields = ["household", "programme", "proposed_on", *CASE_FIELDS]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Out of scope reads as missing: the same 400 for another commune's household.
            fields["household"].queryset = Household.objects.visible_to(request.user)
            fields["programme"].queryset = Programme.objects.visible_to(request.user)
        return fields

    def case_data(self) -> CaseData:
        attrs = self.validated_data
        return CaseData(**{name: attrs[name] for name in CASE_FIELDS if name in attrs})


class CaseUpdateSerializer(CaseFieldsSerializer):
    pass


# -- workflow steps and attachments -------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    """What a workflow step records, and a note. Every value of the step is required, dates may
    not be in the future or out of order, and rejecting or cancelling needs the reason in the
    note: housing.services.case_advance checks it all and answers 400, keyed by field."""

    def step_values(self, step: Step) -> dict:
        values = {name: self.validated_data.get(name) for name in step.fields}
        if step.is_decision:
            values["decided_on"] = self.validated_data.get("decided_on")
        return values


def _step_field(name: str) -> serializers.Field:
    label = HousingCase._meta.get_field(name).verbose_name
    if name == "final_cost":
        return amount_field(min_value=1, label=label, required=False, allow_null=True)
    if name == "survey_findings":
        return serializers.CharField(label=label, required=False, allow_blank=True)
    return serializers.DateField(label=label, required=False, allow_null=True)


def _step_serializer(step: Step) -> type[StepSerializer]:
    """The request body of one step, built from its row in housing.workflow.STEPS."""
    fields: dict[str, serializers.Field] = {name: _step_field(name) for name in step.fields}
    fields["note"] = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text=_("The reason; required for this step.") if step.note_required else _("An optional note."),
    )
    if step.is_decision:
        fields["decided_on"] = serializers.DateField(
            required=False, allow_null=True,
            help_text=_("The day of the decision; today if left out (give it when entering past work)."),
        )
    if step.name == Transition.HAND_OVER:
        fields["handover_record"] = serializers.FileField(
            required=False, allow_null=True, allow_empty_file=True,
            help_text=_("PDF or a photo of the signed record, at most 10 MB. Not needed if already attached."),
        )
    name = "".join(part.title() for part in step.name.split("_"))
    return type(f"{name}StepSerializer", (StepSerializer,), fields)


STEP_SERIALIZERS: dict[str, type[StepSerializer]] = {name: _step_serializer(step) for name, step in STEPS.items()}


class AttachmentUploadSerializer(serializers.Serializer):
    """A photo or document to attach; its content is checked by housing.services."""

    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    # An empty file reaches the service, which refuses it with its own message.
    file = serializers.FileField(allow_empty_file=True,
                                 help_text=_("A photo (JPEG, PNG, WebP) or a PDF document, at most 10 MB."))


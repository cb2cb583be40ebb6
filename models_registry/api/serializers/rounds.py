"""Rounds as JSON: dates, criteria and their versions, reopenings, the synthesis and the board."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from donations.api.serializers import ScopedRelatedField
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR
from housing.api.serializers import UnitRefSerializer, user_name
from models_registry.choices import Field, ModelState
from models_registry.models import Criterion, Reopening, Round, TypicalModel
from models_registry.permissions import runs_round


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
    until = serializers.DateField(help_text=_(
        "The last day it may register and submit; today or later (a past round may be reopened to enter its "
        "paper records)."))
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

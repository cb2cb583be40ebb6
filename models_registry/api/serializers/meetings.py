"""Agency meetings and recognition notices as JSON, and the bodies that record them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from donations.api.serializers import ScopedRelatedField
from housing.api.serializers import user_name
from models_registry.models import Meeting, MeetingItem, Notice, Round, TypicalModel

from .rounds import RoundRefSerializer
from .typical_models import ModelRefSerializer


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

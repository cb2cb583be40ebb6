"""The household registry as JSON. Serializers read and parse; every rule is in the model and
in households.services, which the views call with what the serializers parsed."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from frontwelfare.api import api_errors
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from households.choices import Category, PolicyType
from households.filters import current_year
from households.models import FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR, Household, HouseholdStatus, Member
from households.permissions import can_see_full_citizen_ids_of, mask_citizen_id
from households.services import (
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    HouseholdData,
    MemberData,
    StatusData,
    member_normalise,
)
from households.validators import validate_citizen_id_format


def member_data(attrs: dict) -> MemberData:
    return MemberData(**{"birth_year": None, **{name: attrs[name] for name in MEMBER_FIELDS if name in attrs}})


def status_data(attrs: dict) -> StatusData:
    return StatusData(**{name: attrs[name] for name in ("year", "category", "decision_number", "decision_date")})


def user_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]


# -- members --------------------------------------------------------------------------------------


class MemberFieldsSerializer(serializers.ModelSerializer):
    """A member's own fields. The citizen ID is masked unless the caller may see it in full
    (`can_see_full_citizen_ids_of`); without a request in the context it is always masked."""

    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=FIRST_BIRTH_YEAR, max_value=LAST_BIRTH_YEAR,
        help_text=_("May be left out when the date of birth is given."),
    )
    # Checked by the model after the service has normalised it (capital letters), not before.
    health_insurance_number = serializers.CharField(
        max_length=15, required=False, allow_blank=True,
        help_text=_("2 letters and 13 digits, or the 10-digit social insurance number."),
    )

    class Meta:
        model = Member
        fields = ["id", *MEMBER_FIELDS]
        # The constraints (one head, a citizen ID registered once) are checked by the model's
        # full_clean inside the services, under the household's lock; DRF's own copies of
        # them would run outside it, with other messages, and make fields required that are not.
        validators = []
        extra_kwargs = {"citizen_id": {"validators": [validate_citizen_id_format]}}

    def to_representation(self, member):
        data = super().to_representation(member)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not can_see_full_citizen_ids_of(user, member.household):
            data["citizen_id"] = mask_citizen_id(data["citizen_id"])
        return data


class NewMemberSerializer(MemberFieldsSerializer):
    """A member given with a new household."""

    def validate(self, attrs):
        # The model's own checks (the citizen ID's digits against sex and birth year, a citizen
        # ID already registered), run here only so that an error names the member it belongs
        # to; household_register runs them all again when it saves.
        member = Member(**attrs)
        member_normalise(member)  # exactly as household_register will before it checks
        exclude = ["household"] + ([] if member.birth_year else ["birth_year"])
        try:
            member.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(api_errors(exc)) from exc
        return attrs


class MemberSerializer(MemberFieldsSerializer):
    """A member through /members/: the household is given by id, and must be one the caller sees."""

    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(),
        error_messages={"does_not_exist": _("Household not found."), "incorrect_type": _("Household not found.")},
    )

    class Meta(MemberFieldsSerializer.Meta):
        fields = ["id", "household", *MEMBER_FIELDS]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not fields["household"].read_only:
            # Out of scope reads as missing: the same 400 for a household of another commune.
            fields["household"].queryset = Household.objects.visible_to(request.user)
        return fields


class MemberUpdateSerializer(MemberSerializer):
    """A member changed through /members/{id}/: it stays in its household."""

    household = serializers.PrimaryKeyRelatedField(read_only=True)


# -- statuses -------------------------------------------------------------------------------------


class StatusSerializer(serializers.ModelSerializer):
    """A household's category in one year, as the commune's decision recognised it."""

    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdStatus
        fields = ["id", "year", "category", "decision_number", "decision_date", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_at"]
        # status_record checks the constraints, and replaces the year's other poverty category
        # where a validator here would refuse it.
        validators = []

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, status) -> str:
        return user_name(status.recorded_by)


# -- households -----------------------------------------------------------------------------------


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Category.choices)))
class CategoriesField(serializers.Field):
    """The household's categories in the year the list is read for: the ``year`` filter, or
    the current year. Reads the statuses the view prefetched (``year_statuses``), or else
    all of them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", _("Categories in the year of the “year” filter, or in the current year."))
        super().__init__(**kwargs)

    def to_representation(self, household):
        statuses = getattr(household, "year_statuses", None)
        if statuses is None:
            year = current_year()
            statuses = [status for status in household.statuses.all() if status.year == year]
        return sorted(status.category for status in statuses)


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=PolicyType.choices)))
class PolicyTypesField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, household):
        return sorted(policy.policy_type for policy in household.policies.all())


class HouseholdListSerializer(serializers.ModelSerializer):
    """A row of the household list."""

    commune = CommuneSerializer(read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    categories = CategoriesField()
    policy_types = PolicyTypesField()

    class Meta:
        model = Household
        fields = ["id", "code", "commune", "hamlet", "address", "phone", "head_name", "member_count",
                  "categories", "policy_types"]


class HouseholdSerializer(HouseholdListSerializer):
    """One household with its members, consent and yearly statuses."""

    members = MemberFieldsSerializer(many=True, read_only=True)
    statuses = StatusSerializer(many=True, read_only=True)
    consent_recorded_by = serializers.SerializerMethodField()

    class Meta(HouseholdListSerializer.Meta):
        fields = [*HouseholdListSerializer.Meta.fields, "notes", "consent_purpose", "consent_date",
                  "consent_recorded_by", "created_at", "updated_at", "members", "statuses"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_consent_recorded_by(self, household) -> str:
        return user_name(household.consent_recorded_by)


class HouseholdStatusesSerializer(serializers.ModelSerializer):
    """A household's yearly statuses, newest year first."""

    statuses = StatusSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "code", "statuses"]


class HouseholdCreateSerializer(serializers.ModelSerializer):
    """A new household: its fields, its members (one of them the head), and optionally its
    policy types and statuses. The code is generated."""

    commune = serializers.PrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.filter(level=Level.COMMUNE),
        error_messages={"does_not_exist": _("Commune not found."), "incorrect_type": _("Commune not found.")},
        help_text=_("The commune the household lives in; only its own Front officers register households."),
    )
    members = NewMemberSerializer(many=True, allow_empty=False)
    policy_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PolicyType.choices), required=False, default=list,
    )
    statuses = StatusSerializer(many=True, required=False, default=list)
    duplicates_checked = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text=_("Set once the likely duplicates the first request answered with have been checked."),
    )

    class Meta:
        model = Household
        fields = ["commune", *HOUSEHOLD_FIELDS, "members", "policy_types", "statuses", "duplicates_checked"]
        validators = []

    def household_data(self) -> HouseholdData:
        attrs = self.validated_data
        return HouseholdData(
            **{name: attrs[name] for name in HOUSEHOLD_FIELDS if name in attrs},
            members=[member_data(member) for member in attrs["members"]],
            policy_types=list(dict.fromkeys(attrs["policy_types"])),
            statuses=[status_data(status) for status in attrs["statuses"]],
        )


class _ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class _DuplicateMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    household = serializers.IntegerField(source="household_id")
    household_code = serializers.CharField(source="household.code")


class DuplicateHitSerializer(serializers.Serializer):
    """A likely duplicate, as the registration page shows it: the person, their household and
    commune when the caller may see it; otherwise only that a match exists elsewhere in the
    district, for which person entered, and whom to ask: the district's Front committee (the
    province's for a post-2025 commune)."""

    reason = serializers.CharField()
    commune = CommuneSerializer(allow_null=True)
    member = _DuplicateMemberSerializer(allow_null=True)
    entered = serializers.CharField(help_text=_("For a match the caller may not see: the name of the person "
                                                "being entered, as sent."))
    ask = CommuneSerializer(allow_null=True, help_text=_("For a match the caller may not see: the unit whose "
                                                         "Front committee to ask."))
    contacts = _ContactSerializer(many=True, help_text=_("The members of that committee."))


class DuplicatesSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateHitSerializer(many=True)


class HouseholdUpdateSerializer(serializers.ModelSerializer):
    """The household's own fields; members, statuses and policy types have their own endpoints."""

    class Meta:
        model = Household
        fields = list(HOUSEHOLD_FIELDS)
        validators = []

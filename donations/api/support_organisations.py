"""The member organisations' API: `/api/v1/donations/organisations/` (with each organisation's
members by year, `…/{id}/memberships/`) and `/api/v1/donations/activities/`; the pages' scope,
FilterSets and services (donations.support.services), which hold every rule.

Reads go through `visible_to` (404 outside it, like missing); writes are refused with 403 to those
who see a record they do not keep (the units above), before a body is parsed.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from donations.permissions import NOT_ORGANISATION_KEEPER, can_keep_organisations
from donations.support import services
from donations.support.filters import ActivityFilterSet, OrganisationFilterSet
from donations.support.models import Activity, Membership, Organisation
from donations.support.selectors import organisations_with_latest
from donations.support.services import FIRST_MEMBERSHIP_YEAR, MAX_COUNT, ORGANISATION_FIELDS
from frontwelfare.forms import MAX_VND
from households.models import Household
from housing.api.serializers import UnitRefSerializer, user_name

from .serializers import ScopedRelatedField, WholeDongField
from .views import LedgerViewSet, _create_schema

# -- serializers -----------------------------------------------------------------------------------


class StrictIntegerField(serializers.IntegerField):
    """A count as a JSON integer: "12", 12.0 or true are refused rather than read."""

    default_error_messages = {"not_whole": _("Give a whole number, as a JSON integer without quotes or decimals.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_whole")
        return super().to_internal_value(data)


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class OrganisationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    latest_year = serializers.IntegerField(read_only=True, allow_null=True,
                                           help_text=_("The latest year whose members are recorded."))
    latest_members = serializers.IntegerField(read_only=True, allow_null=True,
                                              help_text=_("The members of that year."))
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "unit", "kind", "name", "note", "latest_year", "latest_members", "created_by", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, organisation) -> str:
        return user_name(organisation.created_by)


class OrganisationWriteSerializer(serializers.ModelSerializer):
    """An organisation's own fields; the unit is the caller's. The rules are the services'."""

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        validators = []


class MembershipSerializer(serializers.ModelSerializer):
    year = StrictIntegerField(min_value=FIRST_MEMBERSHIP_YEAR, max_value=9999)
    members = StrictIntegerField(min_value=0, max_value=MAX_COUNT)

    class Meta:
        model = Membership
        fields = ["year", "members"]
        validators = []


class ActivitySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    households = serializers.SerializerMethodField()
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "unit", "organisation", "kind", "name", "starts_on", "ends_on", "occurrences",
                  "people_served", "households", "value", "funders", "note", "recorded_by", "recorded_at"]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_households(self, activity) -> list[int]:
        # Prefetched (`ActivityViewSet.prepare_queryset`): the households are within the activity's
        # unit, which the caller sees whole.
        return sorted(household.pk for household in activity.households.all())

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, activity) -> str:
        return user_name(activity.recorded_by)


def _own_organisations(request):
    return Organisation.objects.visible_to(request.user).filter(unit_id=request.user.unit_id)


class ActivityWriteSerializer(serializers.ModelSerializer):
    """An activity's fields; its unit is the caller's. ``households``: ids of households of the
    registry within the unit. The rules are the services'."""

    organisation = ScopedRelatedField(Organisation, scope=_own_organisations, required=False, allow_null=True)
    households = ScopedRelatedField(Household, many=True, required=False)
    occurrences = StrictIntegerField(min_value=1, max_value=MAX_COUNT, required=False)
    people_served = StrictIntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    value = WholeDongField(min_value=0, max_value=MAX_VND, required=False)

    class Meta:
        model = Activity
        fields = ["organisation", "kind", "name", "starts_on", "ends_on", "occurrences", "people_served",
                  "households", "value", "funders", "note"]
        validators = []


# -- viewsets --------------------------------------------------------------------------------------


class KeepsOrganisations(permissions.BasePermission):
    """Recorded by a unit's officers, changed by those of the record's own unit."""

    message = NOT_ORGANISATION_KEEPER

    def has_permission(self, request, view):
        return view.action != "create" or can_keep_organisations(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_keep_organisations(request.user, obj.unit_id)


class _KeptViewSet(mixins.ListModelMixin, LedgerViewSet):
    permission_classes = [permissions.IsAuthenticated, KeepsOrganisations]
    write_serializer_class = None

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _parsed(self, record, *, partial: bool) -> dict:
        serializer = self.write_serializer_class(record, data=self.request.data, partial=partial,
                                                 context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary=_("List member organisations"), description=_(
        "The organisations of the caller's unit and the units below it, with the latest members recorded.")),
    retrieve=extend_schema(summary=_("Show a member organisation")),
    create=_create_schema(_("Record a member organisation of the caller's unit"), OrganisationWriteSerializer,
                          OrganisationSerializer),
    update=extend_schema(summary=_("Change a member organisation"), request=OrganisationWriteSerializer,
                         responses=OrganisationSerializer),
    partial_update=extend_schema(summary=_("Change some of a member organisation's fields"),
                                 request=OrganisationWriteSerializer, responses=OrganisationSerializer),
)
class OrganisationViewSet(_KeptViewSet):
    model = Organisation
    list_serializer_class = OrganisationSerializer
    detail_serializer_class = OrganisationSerializer
    write_serializer_class = OrganisationWriteSerializer

    @property
    def filterset_class(self):
        return None if self.action == "memberships" else OrganisationFilterSet

    def prepare_queryset(self, queryset):
        return organisations_with_latest(queryset.select_related("unit", "created_by")
                                         .order_by("unit__code", "kind", "name", "pk"))

    def create(self, request, *args, **kwargs):
        return self.create_with(OrganisationWriteSerializer, lambda serializer: services.organisation_create(
            actor=request.user, **serializer.validated_data))

    def update(self, request, *args, partial=False, **kwargs):
        organisation = self.get_object()
        fields = self._parsed(organisation, partial=partial)
        return self.shown(services.organisation_update(actor=request.user, organisation=organisation, **fields))

    @extend_schema(methods=["get"], summary=_("List an organisation's members by year"),
                   responses=MembershipSerializer(many=True))
    @extend_schema(methods=["post"], summary=_("Record an organisation's members of a year"),
                   description=_("A year recorded again is corrected."), request=MembershipSerializer,
                   responses={201: MembershipSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=MembershipSerializer, pagination_class=None)
    def memberships(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "GET":
            return Response(MembershipSerializer(organisation.memberships.order_by("-year"), many=True).data)
        serializer = MembershipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_record(actor=request.user, organisation=organisation,
                                                **serializer.validated_data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List the member organisations' activities")),
    retrieve=extend_schema(summary=_("Show an activity")),
    create=_create_schema(_("Record an activity of the caller's unit"), ActivityWriteSerializer, ActivitySerializer),
    update=extend_schema(summary=_("Change an activity"), request=ActivityWriteSerializer,
                         responses=ActivitySerializer),
    partial_update=extend_schema(summary=_("Change some of an activity's fields"), request=ActivityWriteSerializer,
                                 responses=ActivitySerializer),
)
class ActivityViewSet(_KeptViewSet):
    model = Activity
    list_serializer_class = ActivitySerializer
    detail_serializer_class = ActivitySerializer
    write_serializer_class = ActivityWriteSerializer
    filterset_class = ActivityFilterSet

    def prepare_queryset(self, queryset):
        # The households served as ids only (up to 1,000 an activity): not their whole rows.
        households = Prefetch("households", queryset=Household.objects.only("pk"))
        return (queryset.select_related("unit", "organisation", "recorded_by").prefetch_related(households)
                .order_by("-starts_on", "-pk"))

    def create(self, request, *args, **kwargs):
        return self.create_with(ActivityWriteSerializer, lambda serializer: services.activity_record(
            actor=request.user, **serializer.validated_data))

    def update(self, request, *args, partial=False, **kwargs):
        activity = self.get_object()
        fields = self._parsed(activity, partial=partial)
        return self.shown(services.activity_update(actor=request.user, activity=activity, **fields))

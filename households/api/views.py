"""The household registry's API: the same scope, FilterSet and services as the pages.

Reads go through `visible_to` (ScopedViewSetMixin); an out-of-scope record answers 404 like a
missing one. Writes call households.services, which re-check scope and the editor under lock;
`ServiceErrorsMixin` turns what they raise into DRF answers, so a refused write is never a 500.
"""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from frontwelfare.api import (
    IDEMPOTENCY_KEY,
    ScopedModelViewSet,
    ScopedViewSetMixin,
    ServiceErrorsMixin,
    created_once,
)
from frontwelfare.filters import IdFilter
from frontwelfare.paging import CountedPaginator, ListCount, PagePagination
from households.filters import HouseholdFilterSet, categories_year, households_in_name_order
from households.models import Household, HouseholdStatus, Member
from households.permissions import NOT_EDITOR, can_edit_households_of
from households.selectors import duplicates_to_confirm, household_tallied_count
from households.services import (
    household_register,
    household_require_editor,
    household_update,
    member_add,
    member_remove,
    member_update,
    status_record,
)

from .serializers import (
    DuplicatesSerializer,
    HouseholdCreateSerializer,
    HouseholdListSerializer,
    HouseholdSerializer,
    HouseholdStatusesSerializer,
    HouseholdUpdateSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    StatusSerializer,
    member_data,
)


class CanEditHousehold(permissions.BasePermission):
    """Reading follows scope (the queryset); writing a household, its members or statuses is for
    the Front officers of its own commune. Checked on the object before the body is parsed, so a
    district member gets 403 rather than a list of field errors; the services check it again."""

    message = NOT_EDITOR

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        household = obj if isinstance(obj, Household) else obj.household
        return can_edit_households_of(request.user, household.commune)


class HouseholdPagination(PagePagination):
    """Pages of the household list whose total comes from the tallies when they keep it
    (selectors.household_tallied_count: no filter, a unit, a category in a year), as on the list
    page; counted from the rows otherwise. The count stays exact either way."""

    def paginate_queryset(self, queryset, request, view=None):
        self.tallied = view.tallied_count() if view is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        if self.tallied is None:
            return Paginator(queryset, page_size)
        return CountedPaginator(queryset, page_size, list_count=ListCount(self.tallied))


class MemberFilterSet(django_filters.FilterSet):
    household = IdFilter(field_name="household_id", help_text=_("Household id."))

    class Meta:
        model = Member
        fields = []


@extend_schema_view(
    list=extend_schema(summary=_("List households"), responses=HouseholdListSerializer),
    retrieve=extend_schema(summary=_("Show a household with its members and statuses")),
    create=extend_schema(
        summary=_("Register a household with its members"),
        description=_("Likely duplicates in the district are answered with 409 and listed, and nothing is saved, "
                      "until the request says they were checked (“duplicates_checked”), as on the page."),
        request=HouseholdCreateSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: HouseholdSerializer, 200: HouseholdSerializer, 409: DuplicatesSerializer},
    ),
    update=extend_schema(
        summary=_("Change a household's own fields"), request=HouseholdUpdateSerializer,
        responses=HouseholdSerializer,
    ),
    partial_update=extend_schema(
        summary=_("Change some of a household's own fields"), request=HouseholdUpdateSerializer,
        responses=HouseholdSerializer,
    ),
)
class HouseholdViewSet(ServiceErrorsMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Households within the caller's unit. Only the Front officers of a commune register and
    change its households; households are not deleted through the API."""

    model = Household
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet
    permission_classes = [permissions.IsAuthenticated, CanEditHousehold]

    pagination_class = HouseholdPagination

    def tallied_count(self) -> int | None:
        """The list's total from the tallies, when its filters are ones they keep (never a search's:
        its filter set is not built again, which would search again)."""
        if self.request.query_params.get("q"):
            return None
        filterset = HouseholdFilterSet(self.request.query_params, queryset=Household.objects.none(),
                                       request=self.request)
        if not filterset.is_valid():
            return None
        return household_tallied_count(user=self.request.user, filters=filterset.form.cleaned_data,
                                       year=self.categories_year())

    def categories_year(self) -> int:
        """The year whose categories the list shows: the ``year`` filter's, or the current one.
        (An invalid year never gets here: the FilterSet answers 400.)"""
        return categories_year(self.request.query_params if self.request is not None else None)

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("commune").prefetch_related("policies")
        if self.action == "list":
            queryset = queryset.prefetch_related(Prefetch(
                "statuses", queryset=HouseholdStatus.objects.filter(year=self.categories_year()),
                to_attr="year_statuses",
            ))
        else:
            queryset = queryset.select_related("consent_recorded_by").prefetch_related(
                "members", Prefetch("statuses", queryset=HouseholdStatus.objects.select_related("recorded_by")),
            )
        return households_in_name_order(queryset, by_index=not self.request.query_params.get("q"))

    def get_serializer_class(self):
        return HouseholdListSerializer if self.action == "list" else HouseholdSerializer

    def _shown(self, household: Household, *, status_code=status.HTTP_200_OK) -> Response:
        """The household as retrieve shows it, read again within the caller's scope."""
        household = self.get_queryset().get(pk=household.pk)
        return Response(self.get_serializer(household).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = HouseholdCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        commune, data = serializer.validated_data["commune"], serializer.household_data()
        household_require_editor(request.user, commune)

        def register() -> Household | Response:
            duplicates = duplicates_to_confirm(user=request.user, commune=commune, members=data.members,
                                               checked=serializer.validated_data["duplicates_checked"])
            if duplicates:
                # As on the page: nothing is saved until the caller says they checked them.
                body = {"detail": _("Likely duplicates are registered: check them, then send the household again "
                                    "with “duplicates_checked”."), "duplicates": duplicates}
                return Response(DuplicatesSerializer(body, context=self.get_serializer_context()).data,
                                status=status.HTTP_409_CONFLICT)
            return household_register(actor=request.user, commune=commune, data=data)

        return created_once(request, register, lambda household, code: self._shown(household, status_code=code))

    def update(self, request, *args, partial=False, **kwargs):
        household = self.get_object()
        serializer = HouseholdUpdateSerializer(household, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        household = household_update(actor=request.user, household=household, **serializer.validated_data)
        return self._shown(household)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        methods=["GET"], summary=_("A household's yearly statuses, newest year first"),
        request=None, responses=HouseholdStatusesSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Record a household's category for a year"),
        description=_("A poverty category replaces the year's other poverty category; the history keeps the old one."),
        request=StatusSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: StatusSerializer, 200: StatusSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def statuses(self, request, pk=None):
        household = self.get_object()
        if request.method == "GET":
            return Response(HouseholdStatusesSerializer(household, context=self.get_serializer_context()).data)
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return created_once(
            request, lambda: status_record(actor=request.user, household=household, **serializer.validated_data),
            lambda recorded, code: Response(StatusSerializer(recorded).data, status=code),
        )


@extend_schema_view(
    list=extend_schema(summary=_("List members")),
    retrieve=extend_schema(summary=_("Show a member")),
    create=extend_schema(summary=_("Add a member to a household"), parameters=[IDEMPOTENCY_KEY],
                         responses={201: MemberSerializer, 200: MemberSerializer}),
    update=extend_schema(summary=_("Change a member"), request=MemberUpdateSerializer,
                         responses=MemberUpdateSerializer),
    partial_update=extend_schema(summary=_("Change some of a member's fields"), request=MemberUpdateSerializer,
                                 responses=MemberUpdateSerializer),
    destroy=extend_schema(summary=_("Remove a member who has left the household")),
)
class MemberViewSet(ServiceErrorsMixin, ScopedModelViewSet):
    """Members of the households within the caller's unit. The citizen ID is masked unless the
    caller works with the household (its commune officer or its district committee)."""

    model = Member
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    permission_classes = [permissions.IsAuthenticated, CanEditHousehold]

    def prepare_queryset(self, queryset):
        return queryset.select_related("household__commune").order_by("household_id", "id")

    def get_serializer_class(self):
        return MemberUpdateSerializer if self.action in ("update", "partial_update") else MemberSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return created_once(
            request,
            lambda: member_add(actor=request.user, household=serializer.validated_data["household"],
                               data=member_data(serializer.validated_data)),
            lambda member, code: Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data,
                                          status=code),
        )

    def perform_update(self, serializer):
        member = member_update(actor=self.request.user, member=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=member.pk)

    def perform_destroy(self, instance):
        member_remove(actor=self.request.user, member=instance)

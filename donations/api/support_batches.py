"""The API of support to households: kinds of support, distribution batches, their recipients and
deliveries; the pages' scope, FilterSets and services (donations.support).

Reads go through `visible_to`: a batch is seen by its unit, the units above and below it; its
lines where their households are (a commune officer sees their commune's lines of the district's
Tet batch, and its figures count only those). Writes call donations.support.services, which
check the role, the batch's unit and state again under lock; `ServiceErrorsMixin` turns what they
raise into 400, 403 and 404. The permission classes ask donations.permissions the pages'
questions before a body is parsed, so that a caller who may not act gets 403 rather than field
errors.

Shapes:
- ``/support-kinds/``: the kinds available to the caller's unit; POST adds one of the unit.
- ``/batches/``: list, create (a draft), retrieve (with its figures), update and delete a draft;
  ``/batches/{id}/recipients-by-filter/`` (the households' filters), ``confirm/``, ``close/``,
  ``flags/`` (the duplicate-benefit check's lines, with where else each was helped).
- ``/recipients/``: a batch's lines; POST adds a household by hand with a reason;
  ``/recipients/{id}/remove/`` with a reason; ``/recipients/{id}/delivery/`` records its delivery.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from donations.choices import Earmark
from donations.models import Donor, Fund
from donations.permissions import (
    NOT_BATCH_KEEPER,
    NOT_DELIVERY_RECORDER,
    can_keep_batches,
    can_manage_batch,
    can_record_delivery,
)
from donations.support import selectors, services
from donations.support.choices import BatchState, Delivery, Details, Recipients
from donations.support.filters import BatchFilterSet, RecipientFilterSet, require_a_filter
from donations.support.models import Batch, Organisation, Recipient, SupportKind
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR
from households.choices import Category, PolicyType, SchoolLevel
from households.filters import HouseholdFilterSet
from households.models import Household, Member
from housing.api.serializers import UnitRefSerializer, user_name

from .serializers import ScopedRelatedField, WholeDongField
from .views import LedgerViewSet, _create_schema

# -- kinds of support -------------------------------------------------------------------------------


class SupportKindSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True, allow_null=True, help_text=_(
        "The unit whose committee added it; null for the nationwide kinds."))
    name = serializers.CharField(read_only=True, help_text=_("In the language of the request."))

    class Meta:
        model = SupportKind
        fields = ["id", "code", "name", "name_vi", "name_en", "purpose", "recipients", "details", "unit"]


class SupportKindWriteSerializer(serializers.ModelSerializer):
    recipients = serializers.ChoiceField(choices=Recipients.choices, default=Recipients.HOUSEHOLD)
    details = serializers.ChoiceField(choices=Details.choices, default=Details.NONE, allow_blank=True)

    class Meta:
        model = SupportKind
        fields = ["name_vi", "name_en", "purpose", "recipients", "details"]
        validators = []


class CanKeepBatches(permissions.BasePermission):
    """Kinds and batches are added by a unit's officers; a batch is changed by its own unit's."""

    message = NOT_BATCH_KEEPER
    MANAGING = {"update", "partial_update", "destroy", "recipients_by_filter", "confirm", "close"}

    def has_permission(self, request, view):
        return view.action != "create" or can_keep_batches(request.user)

    def has_object_permission(self, request, view, obj):
        return view.action not in self.MANAGING or can_manage_batch(request.user, obj)


@extend_schema_view(
    list=extend_schema(summary=_("List the kinds of support available to the caller's unit")),
    retrieve=extend_schema(summary=_("Show a kind of support")),
    create=_create_schema(_("Add a kind of support of the caller's unit"), SupportKindWriteSerializer,
                          SupportKindSerializer,
                          description=_("Beside the nationwide kinds; its code is made from its name.")),
)
class SupportKindViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The nationwide kinds and those added by the caller's unit or a unit above it."""

    list_serializer_class = SupportKindSerializer
    detail_serializer_class = SupportKindSerializer
    permission_classes = [permissions.IsAuthenticated, CanKeepBatches]

    def get_queryset(self):
        return SupportKind.objects.visible_to(self.request.user).select_related("unit").order_by("unit_id", "pk")

    def create(self, request, *args, **kwargs):
        return self.create_with(SupportKindWriteSerializer, lambda serializer: services.kind_create(
            actor=request.user, **serializer.validated_data))


# -- batches ------------------------------------------------------------------------------------------


class SupportKindRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    recipients = serializers.CharField(read_only=True)


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(record, seen: bool) -> dict | None:
    return {"id": record.pk, "name": record.name} if record is not None and seen else None


class BatchSerializer(serializers.ModelSerializer):
    """A batch as the list shows it. Its fund, donor and organisation are named only to those who
    see them (a commune officer does not see the district's fund)."""

    unit = UnitRefSerializer(read_only=True)
    kind = SupportKindRefSerializer(read_only=True)
    fund = serializers.SerializerMethodField(help_text=_(
        "The fund it draws on; null when given directly by a donor, or when the fund is of a unit above the "
        "caller's."))
    donor = serializers.SerializerMethodField(help_text=_(
        "The donor who gives directly; null when it draws on a fund, or when the donor is kept by a unit above "
        "the caller's."))
    organisation = serializers.SerializerMethodField()
    recipients = serializers.IntegerField(source="recipient_count", read_only=True, help_text=_(
        "The lines not taken out that the caller sees (their households within the caller's unit)."))

    class Meta:
        model = Batch
        fields = ["id", "unit", "kind", "occasion", "happened_on", "fund", "earmark", "donor", "organisation",
                  "value", "in_kind", "goods", "state", "closing_since", "close_error", "recipients", "created_at"]
        read_only_fields = ["closing_since", "close_error"]

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_fund(self, batch):
        return _ref(batch.fund, batch.fund_seen)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_donor(self, batch):
        return _ref(batch.donor, batch.donor_seen)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_organisation(self, batch):
        return _ref(batch.organisation, batch.organisation_seen)


class BatchFiguresSerializer(serializers.Serializer):
    """Over the lines the caller sees, not taken out of the batch."""

    lines = serializers.IntegerField(read_only=True)
    value = serializers.IntegerField(read_only=True)
    pending = serializers.IntegerField(read_only=True)
    delivered = serializers.IntegerField(read_only=True, help_text=_("Delivered, to the household or to a "
                                                                     "representative."))
    delivered_value = serializers.IntegerField(read_only=True)
    not_found = serializers.IntegerField(read_only=True)
    refused = serializers.IntegerField(read_only=True)
    households = serializers.IntegerField(read_only=True)


class BatchDetailSerializer(BatchSerializer):
    figures = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField(help_text=_(
        "Lines the caller sees whose household (or pupil) was already helped for the same kind and occasion in "
        "another batch: listed at flags/."))
    posting = serializers.SerializerMethodField(help_text=_("The fund's posting of the delivered lines, once "
                                                            "closed; null before, or when the caller does not see "
                                                            "the fund."))
    confirmed_by = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()
    can_manage = serializers.SerializerMethodField(help_text=_(
        "Whether the caller draws up, confirms and closes this batch (its own unit's officers)."))

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "note", "duplicate_reason", "duplicates_at_confirmation",
                  "confirmed_by", "confirmed_at", "closed_by", "closed_at", "posting", "figures", "flagged",
                  "can_manage"]

    @extend_schema_field(BatchFiguresSerializer)
    def get_figures(self, batch):
        return BatchFiguresSerializer(self.context["figures"]).data

    def get_flagged(self, batch) -> int:
        return self.context["flagged"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_posting(self, batch):
        return batch.posting_id if batch.fund_seen else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_confirmed_by(self, batch) -> str:
        return user_name(batch.confirmed_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_closed_by(self, batch) -> str:
        return user_name(batch.closed_by)

    def get_can_manage(self, batch) -> bool:
        return can_manage_batch(self.context["request"].user, batch)


def _kinds_of_the_unit(request):
    return SupportKind.objects.available_to(request.user.unit) if request.user.unit_id else SupportKind.objects.none()


class BatchWriteSerializer(serializers.ModelSerializer):
    """A draft's details. The fund must be one of the caller's unit, or a donor they keep gives
    directly (one of the two): donations.support.services checks it."""

    kind = ScopedRelatedField(SupportKind, scope=_kinds_of_the_unit, help_text=_(
        "A nationwide kind or one of the caller's unit or a unit above it (/support-kinds/)."))
    fund = ScopedRelatedField(Fund, required=False, allow_null=True, help_text=_(
        "The fund it draws on: one of the caller's unit."))
    earmark = serializers.ChoiceField(choices=Earmark.choices, required=False)
    donor = ScopedRelatedField(Donor, required=False, allow_null=True, help_text=_(
        "Or the donor who gives directly: money reported through the Front, never in a Front fund."))
    organisation = ScopedRelatedField(Organisation, required=False, allow_null=True)
    value = WholeDongField(help_text=_("Per recipient (household or pupil), in whole đồng."))

    class Meta:
        model = Batch
        fields = list(services.BATCH_FIELDS)
        validators = []


class HouseholdFiltersSerializer(serializers.Serializer):
    """The households' filters (the household list's, households.filters.HouseholdFilterSet),
    chosen in the body: the households of the batch's unit the caller sees that match them all."""

    q = serializers.CharField(required=False, allow_blank=True, help_text=_("Name or citizen ID."))
    unit = serializers.IntegerField(required=False, help_text=_("A unit id: the households within it."))
    hamlet = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False, help_text=_(
        "The category in ``year`` (the current year without it)."))
    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    policy_type = serializers.ChoiceField(choices=PolicyType.choices, required=False)
    has_disability = serializers.BooleanField(required=False)
    has_pupil = serializers.BooleanField(required=False)
    school_level = serializers.ChoiceField(choices=[choice for choice in SchoolLevel.choices if choice[0]],
                                           required=False, help_text=_(
                                               "Has a pupil at this level; for a kind given per pupil, only "
                                               "its pupils at this level are added."))
    no_support_since = serializers.DateField(required=False, help_text=_(
        "Only the households that received nothing since this day (from a batch, a fund or a house)."))


class AddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(read_only=True, help_text=_("How many lines were added."))


class ConfirmSerializer(serializers.Serializer):
    duplicate_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                             help_text=_("Needed when lines are flagged (flags/)."))


class HelpedElsewhereSerializer(serializers.Serializer):
    """Another batch of the same kind and occasion: named when the caller sees it, else only by
    the unit that gave."""

    unit_name = serializers.CharField(read_only=True)
    batch = serializers.IntegerField(source="batch_id", read_only=True, allow_null=True)
    occasion = serializers.CharField(read_only=True)
    happened_on = serializers.DateField(read_only=True, allow_null=True)


class RecipientHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    head_name = serializers.CharField(read_only=True)
    hamlet = serializers.CharField(read_only=True)


class PupilRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class FlagSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(source="pk", read_only=True)
    household = RecipientHouseholdSerializer(read_only=True)
    pupil = PupilRefSerializer(read_only=True, allow_null=True)
    helped_elsewhere = serializers.SerializerMethodField()

    @extend_schema_field(HelpedElsewhereSerializer(many=True))
    def get_helped_elsewhere(self, line):
        return HelpedElsewhereSerializer(self.context["helped"].get(line.pk, []), many=True).data


def _exists_seen(model, user, column: str):
    return Exists(model.objects.visible_to(user).filter(pk=OuterRef(column)))


def _lines_seen(user):
    """How many standing lines of the batch in OuterRef ``user`` sees, in the batch's own query."""
    lines = (Recipient.objects.visible_to(user).filter(batch=OuterRef("pk"), removed=False).order_by()
             .values("batch").annotate(count=Count("pk")).values("count"))
    return Coalesce(Subquery(lines, output_field=IntegerField()), 0)


@extend_schema_view(
    list=extend_schema(summary=_("List distribution batches")),
    retrieve=extend_schema(summary=_("Show a batch with its figures")),
    create=_create_schema(_("Draw up a batch (a draft)"), BatchWriteSerializer, BatchDetailSerializer,
                          description=_("Of the caller's unit. Recipients are then chosen with recipients-by-filter/ "
                                        "or added by hand at /recipients/.")),
    update=extend_schema(summary=_("Change a draft batch"), request=BatchWriteSerializer,
                         responses=BatchDetailSerializer),
    partial_update=extend_schema(summary=_("Change some of a draft batch's fields"), request=BatchWriteSerializer,
                                 responses=BatchDetailSerializer,
                                 description=_("The lines at the batch's value follow a new value.")),
    destroy=extend_schema(summary=_("Throw a draft batch away, with its lines")),
)
class BatchViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Batches of the caller's unit, of the units above it (handed out by its communes) and below it."""

    model = Batch
    list_serializer_class = BatchSerializer
    detail_serializer_class = BatchDetailSerializer
    permission_classes = [permissions.IsAuthenticated, CanKeepBatches]

    @property
    def filterset_class(self):
        return None if self.action == "flags" else BatchFilterSet

    def prepare_queryset(self, queryset):
        user = self.request.user
        queryset = queryset.select_related("unit", "kind", "fund", "donor", "organisation").annotate(
            fund_seen=_exists_seen(Fund, user, "fund_id"), donor_seen=_exists_seen(Donor, user, "donor_id"),
            organisation_seen=_exists_seen(Organisation, user, "organisation_id"), recipient_count=_lines_seen(user))
        if self.action != "list":
            queryset = queryset.select_related("confirmed_by", "closed_by")
        return queryset.order_by("-happened_on", "-pk")

    def detail_context(self, batch):
        user = self.request.user
        return {"figures": selectors.batch_figures(batch, user),
                "flagged": selectors.flagged_lines(batch).visible_to(user).count()}

    def create(self, request, *args, **kwargs):
        return self.create_with(BatchWriteSerializer, lambda serializer: services.batch_create(
            actor=request.user, **serializer.validated_data))

    def update(self, request, *args, partial=False, **kwargs):
        batch = self.get_object()
        serializer = BatchWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self.shown(services.batch_update(actor=request.user, batch=batch, **serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.batch_delete(actor=request.user, batch=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Add the households chosen by the households' filters"),
        description=_("The filters of the household list, in the body: the households of the batch's unit that the "
                      "caller sees and that match them all, and are not in the batch yet, are added at the batch's "
                      "value (for a kind given per pupil: each of their pupils). At least one filter is needed: a "
                      "batch is not given to every household. Only for a draft."),
        request=HouseholdFiltersSerializer, responses=AddedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="recipients-by-filter")
    def recipients_by_filter(self, request, pk=None):
        batch = self.get_object()
        body = HouseholdFiltersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The household list's own FilterSet, on the caller's households, as the households API reads it.
        filterset = HouseholdFilterSet(data=body.validated_data, queryset=Household.objects.visible_to(request.user),
                                       request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.form.errors.as_data())
        require_a_filter(filterset.form.cleaned_data)
        added = services.batch_add_by_filter(actor=request.user, batch=batch, households=filterset.qs,
                                             school_level=filterset.form.cleaned_data.get("school_level") or "")
        return Response(AddedSerializer({"added": added}).data)

    @extend_schema(
        summary=_("Confirm a batch's recipients"),
        description=_("After the duplicate-benefit check: when lines are flagged (flags/), only with a reason for "
                      "helping them again. Then its deliveries are recorded."),
        request=ConfirmSerializer, responses=BatchDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        batch = self.get_object()
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.batch_confirm(actor=request.user, batch=batch, **body.validated_data))

    @extend_schema(
        summary=_("Close a batch"),
        description=_("Once every line's delivery is recorded: the delivered lines are posted to the fund as one "
                      "disbursement, refused whole (nothing posted) when its earmark holds less than their sum. A "
                      "batch of more than 2,000 lines is closed by a worker: the answer is 202 with "
                      "\"closing_since\" set; the batch's \"state\" becomes \"closed\", or \"close_error\" says "
                      "why not."),
        request=None, responses={200: BatchDetailSerializer, 202: BatchDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        batch = services.batch_close_request(actor=request.user, batch=self.get_object())
        closed = batch.state == BatchState.CLOSED
        return self.shown(batch, status_code=status.HTTP_200_OK if closed else status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=_("List a batch's flagged lines, with where else each was helped"),
        description=_("The lines the caller sees whose household (or pupil) is in another batch of the same kind and "
                      "occasion, at any level, from any fund or donor. A batch the caller does not see is named only "
                      "by its unit."),
        request=None, responses=FlagSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def flags(self, request, pk=None):
        batch = self.get_object()
        lines = (selectors.flagged_lines(batch).visible_to(request.user).select_related("household", "pupil")
                 .order_by("household__hamlet", "pk"))
        page = self.paginate_queryset(lines)
        context = {**self.get_serializer_context(),
                   "helped": selectors.helped_elsewhere(batch, page, request.user)}
        return self.get_paginated_response(FlagSerializer(page, many=True, context=context).data)


# -- recipients and deliveries -----------------------------------------------------------------------


class BatchRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    occasion = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)


class RecipientSerializer(serializers.ModelSerializer):
    batch = BatchRefSerializer(read_only=True)
    household = RecipientHouseholdSerializer(read_only=True)
    pupil = PupilRefSerializer(read_only=True, allow_null=True)
    delivery_recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = ["id", "batch", "household", "pupil", "value", "school", "grade", "school_year", "card_number",
                  "card_valid_until", "goods", "added_reason", "removed", "removed_reason", "delivery",
                  "delivered_on", "representative", "delivery_recorded_by", "delivery_recorded_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_delivery_recorded_by(self, recipient) -> str:
        return user_name(recipient.delivery_recorded_by)


def _batches_seen(request):
    return Batch.objects.visible_to(request.user)


class RecipientAddSerializer(serializers.Serializer):
    """A household (or, for a kind given per pupil, one of its pupils) added by hand to a draft,
    with the reason; what the kind records for each line may come with it."""

    batch = ScopedRelatedField(Batch, scope=_batches_seen)
    household = ScopedRelatedField(Household)
    pupil = ScopedRelatedField(Member, required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500, allow_blank=True)
    school = serializers.CharField(max_length=255, required=False, allow_blank=True)
    grade = serializers.CharField(max_length=20, required=False, allow_blank=True)
    school_year = serializers.CharField(max_length=9, required=False, allow_blank=True)
    card_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    card_valid_until = serializers.DateField(required=False, allow_null=True)
    goods = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class DeliverySerializer(serializers.Serializer):
    delivery = serializers.ChoiceField(choices=[choice for choice in Delivery.choices
                                                if choice[0] != Delivery.PENDING])
    delivered_on = serializers.DateField(required=False, allow_null=True, default=None, help_text=_(
        "The day it was handed over: needed when delivered (to the household or a representative)."))
    representative = serializers.CharField(max_length=150, required=False, allow_blank=True, default="",
                                           help_text=_("Who received it, when delivered to a representative."))


class DetailsSerializer(serializers.Serializer):
    """What the batch's kind records for a line; the fields of other kinds are left as they are."""

    school = serializers.CharField(max_length=255, required=False, allow_blank=True)
    grade = serializers.CharField(max_length=20, required=False, allow_blank=True)
    school_year = serializers.CharField(max_length=9, required=False, allow_blank=True,
                                        help_text=_("e.g. 2025-2026"))
    card_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    card_valid_until = serializers.DateField(required=False, allow_null=True)
    goods = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CanChangeRecipient(permissions.BasePermission):
    """Lines are added and taken out by the officers of the batch's unit; deliveries are recorded
    by any unit officer whose scope holds the household (the queryset)."""

    def has_permission(self, request, view):
        if view.action == "create" and not can_keep_batches(request.user):
            self.message = NOT_BATCH_KEEPER
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if view.action in ("remove", "details") and not can_manage_batch(request.user, obj.batch):
            self.message = NOT_BATCH_KEEPER
            return False
        if view.action == "delivery" and not can_record_delivery(request.user):
            self.message = NOT_DELIVERY_RECORDER
            return False
        return True


@extend_schema_view(
    list=extend_schema(summary=_("List the recipients of batches")),
    retrieve=extend_schema(summary=_("Show a recipient")),
    create=_create_schema(_("Add a household to a draft batch by hand"), RecipientAddSerializer, RecipientSerializer,
                          description=_("With the reason; one taken out earlier comes back.")),
)
class RecipientViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The lines of the batches the caller sees whose households are within the caller's unit."""

    model = Recipient
    list_serializer_class = RecipientSerializer
    detail_serializer_class = RecipientSerializer
    filterset_class = RecipientFilterSet
    permission_classes = [permissions.IsAuthenticated, CanChangeRecipient]

    def prepare_queryset(self, queryset):
        return (queryset.select_related("batch", "household", "pupil", "delivery_recorded_by")
                .order_by("-batch_id", "household__hamlet", "pk"))

    def create(self, request, *args, **kwargs):
        def make(serializer):
            fields = dict(serializer.validated_data)
            return services.recipient_add(actor=request.user, batch=fields.pop("batch"),
                                          household=fields.pop("household"), reason=fields.pop("reason"),
                                          pupil=fields.pop("pupil"), **fields)

        return self.create_with(RecipientAddSerializer, make)

    @extend_schema(summary=_("Take a line out of a draft batch"),
                   description=_("With the reason; the line stays, marked, so that the reason is kept."),
                   request=ReasonSerializer, responses=RecipientSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        recipient = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.recipient_remove(actor=request.user, recipient=recipient, **body.validated_data))

    @extend_schema(summary=_("Record a line's details"),
                   description=_("A pupil's school, grade and school year; a health-insurance card's number and "
                                 "validity; the goods given — by the officers of the batch's unit, until it is "
                                 "closed."),
                   request=DetailsSerializer, responses=RecipientSerializer)
    @action(detail=True, methods=["post"])
    def details(self, request, pk=None):
        recipient = self.get_object()
        body = DetailsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.recipient_details_update(actor=request.user, recipient=recipient,
                                                            **body.validated_data))

    @extend_schema(summary=_("Record a line's delivery"),
                   description=_("Delivered on a day (to the household, or to a representative named), not found, or "
                                 "refused; corrected the same way until the batch is closed. By the officers whose "
                                 "unit holds the household, once the batch is confirmed."),
                   request=DeliverySerializer, responses=RecipientSerializer)
    @action(detail=True, methods=["post"])
    def delivery(self, request, pk=None):
        recipient = self.get_object()
        body = DeliverySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.delivery_record(actor=request.user, recipient=recipient, **body.validated_data))

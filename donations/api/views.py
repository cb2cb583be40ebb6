"""The funds API: funds (read), their entries, donors, campaigns, pledges, receipts, spending
decisions, transfers and the ledger's postings with their reversal; the pages' scope, FilterSets
and services.

Reads go through `visible_to` (ScopedViewSetMixin): out of scope answers 404 like missing. Writes
call donations.services, which check the role, the fund's manager and every rule again;
`ServiceErrorsMixin` turns what they raise into 400, 403 and 404, so no rule is written here. The
permission classes only ask donations.permissions the pages' questions before a body is parsed,
so that a caller who may not act gets 403 rather than a list of field errors. Amounts are whole
đồng as JSON integers: the API reads JSON only.
"""

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from donations import selectors, services
from donations.choices import PostingKind
from donations.filters import (
    CampaignFilterSet,
    DecisionFilterSet,
    DonorFilterSet,
    EntryFilterSet,
    FundFilterSet,
    PledgeFilterSet,
    PostingFilterSet,
    ReceiptFilterSet,
    TransferFilterSet,
)
from donations.models import (
    Campaign,
    Donor,
    Fund,
    Pledge,
    Posting,
    PostingLine,
    Receipt,
    SoftCredit,
    SpendingDecision,
)
from donations.permissions import (
    NOT_DONOR_KEEPER,
    NOT_FUND_MANAGER,
    NOT_REVERSER,
    can_edit_donor,
    can_keep_donors,
    can_manage_fund,
    can_reverse,
)
from frontwelfare.accounts.scope import scope_q
from frontwelfare.api import IDEMPOTENCY_KEY, ScopedViewSetMixin, ServiceErrorsMixin, created_once
from households.models import Household

from .serializers import (
    CampaignDetailSerializer,
    CampaignSerializer,
    CampaignWriteSerializer,
    DecisionListSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    DonorCreateSerializer,
    DonorSerializer,
    DonorWriteSerializer,
    DuplicateDonorsSerializer,
    EntrySerializer,
    FundListSerializer,
    FundSerializer,
    PledgeDetailSerializer,
    PledgeSerializer,
    PledgeWriteSerializer,
    PostingSerializer,
    ReceiptListSerializer,
    ReceiptSerializer,
    ReceiptWriteSerializer,
    ReversalSerializer,
    TransferWriteSerializer,
)


def seen_lines(user):
    """Posting lines, each annotated with whether ``user`` sees its fund (``fund_seen``), its
    household (``household_seen``) and the unit that posted it (``posting_seen``): what the
    serializers leave out or count, read in the same query as the lines."""
    return PostingLine.objects.select_related("fund", "household").annotate(
        fund_seen=Exists(Fund.objects.visible_to(user).filter(pk=OuterRef("fund_id"))),
        household_seen=Exists(Household.objects.visible_to(user).filter(pk=OuterRef("household_id"))),
        posting_seen=Exists(Posting.objects.filter(scope_q(user, "unit"), pk=OuterRef("posting_id"))),
    ).order_by("pk")


def _fund_seen(user):
    return Exists(Fund.objects.visible_to(user).filter(pk=OuterRef("fund_id")))


class LedgerViewSet(ServiceErrorsMixin, ScopedViewSetMixin, viewsets.GenericViewSet):
    """A scoped viewset whose list and detail have serializers of their own; the detail reads
    what `detail_context` adds (a balance, a trail) besides the record."""

    parser_classes = [JSONParser]
    permission_classes = [permissions.IsAuthenticated]
    list_serializer_class = None
    detail_serializer_class = None

    def get_serializer_class(self):
        return self.list_serializer_class if self.action == "list" else self.detail_serializer_class

    def detail_context(self, record) -> dict:
        return {}

    def respond(self, record, *, status_code=status.HTTP_200_OK) -> Response:
        context = {**self.get_serializer_context(), **self.detail_context(record)}
        return Response(self.detail_serializer_class(record, context=context).data, status=status_code)

    def shown(self, record, *, status_code=status.HTTP_200_OK) -> Response:
        """The record as its detail shows it, read again within the caller's scope (after a write)."""
        return self.respond(self.get_queryset().get(pk=record.pk), status_code=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def create_with(self, write_serializer, make) -> Response:
        """Parse the body with ``write_serializer`` and call ``make(validated_data)`` (a service),
        at most once per Idempotency-Key; answer with the record as its detail shows it."""
        serializer = write_serializer(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return created_once(self.request, lambda: make(serializer),
                            lambda record, code: self.shown(record, status_code=code))


def _create_schema(summary, request, response, **kwargs):
    return extend_schema(summary=summary, request=request, parameters=[IDEMPOTENCY_KEY],
                         responses={201: response, 200: response}, **kwargs)


# -- funds --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List funds with their balances")),
    retrieve=extend_schema(summary=_("Show a fund with its balance per earmark")),
)
class FundViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The funds of the caller's unit and of the units below it. A balance is summed from the
    fund's lines, never stored. Funds are created by their unit's officers on the pages."""

    model = Fund
    list_serializer_class = FundListSerializer
    detail_serializer_class = FundSerializer

    @property
    def filterset_class(self):
        return EntryFilterSet if self.action == "entries" else FundFilterSet

    def get_queryset(self):
        if self.action == "entries":  # the lines of the funds the caller sees
            return (PostingLine.objects.filter(fund__in=Fund.objects.visible_to(self.request.user))
                    .select_related("posting__receipt__donor", "posting__decision", "posting__reversed_by",
                                    "household")
                    .order_by("-posting__happened_on", "-posting_id", "pk"))
        return super().get_queryset()

    def prepare_queryset(self, queryset):
        return queryset.select_related("unit").order_by("unit__code", "name", "pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "balances": selectors.fund_balances([f.pk for f in page])}
        return self.get_paginated_response(FundListSerializer(page, many=True, context=context).data)

    def detail_context(self, fund):
        return {"earmark_balances": selectors.earmark_balances(fund)}

    @extend_schema(summary=_("List a fund's entries"), responses=EntrySerializer(many=True),
                   description=_("The fund's lines, newest first: money in (positive) and out (negative), with "
                                 "the posting, receipt or decision behind each."))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        fund = generics.get_object_or_404(Fund.objects.visible_to(request.user), pk=pk)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset().filter(fund=fund)))
        return self.get_paginated_response(EntrySerializer(page, many=True, context=self.get_serializer_context())
                                           .data)


# -- donors -------------------------------------------------------------------------------------------


class CanKeepDonors(permissions.BasePermission):
    """Donors are recorded by a unit's officers, and changed by those of the unit that keeps them."""

    message = NOT_DONOR_KEEPER

    def has_permission(self, request, view):
        return view.action != "create" or can_keep_donors(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_edit_donor(request.user, obj)


@extend_schema_view(
    list=extend_schema(summary=_("List donors")),
    retrieve=extend_schema(summary=_("Show a donor")),
    create=_create_schema(
        _("Record a donor"), DonorCreateSerializer, DonorSerializer,
        description=_("Likely duplicates among the caller's donors (the same name without diacritics, tax code or "
                      "phone) are answered with 409 and listed, and nothing is saved, until the request says they "
                      "were checked (“duplicates_checked”), as on the page."),
    ),
    update=extend_schema(summary=_("Change a donor"), request=DonorWriteSerializer, responses=DonorSerializer),
    partial_update=extend_schema(summary=_("Change some of a donor's fields"), request=DonorWriteSerializer,
                                 responses=DonorSerializer),
)
class DonorViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The donors kept by the caller's unit and the units below it."""

    model = Donor
    list_serializer_class = DonorSerializer
    detail_serializer_class = DonorSerializer
    filterset_class = DonorFilterSet
    permission_classes = [permissions.IsAuthenticated, CanKeepDonors]

    def prepare_queryset(self, queryset):
        return queryset.select_related("unit", "created_by")

    @extend_schema(responses={201: DonorSerializer, 200: DonorSerializer, 409: DuplicateDonorsSerializer})
    def create(self, request, *args, **kwargs):
        def make(serializer):
            fields = dict(serializer.validated_data)
            checked = fields.pop("duplicates_checked")
            duplicates = [] if checked else list(selectors.likely_duplicate_donors(
                request.user, name=fields.get("name", ""), tax_code=fields.get("tax_code", ""),
                phone=fields.get("phone", "")))
            if duplicates:
                body = {"detail": _("Likely duplicates are recorded: check them, then send the donor again with "
                                    "“duplicates_checked”."), "duplicates": duplicates}
                return Response(DuplicateDonorsSerializer(body).data, status=status.HTTP_409_CONFLICT)
            return services.donor_create(actor=request.user, **fields)

        return self.create_with(DonorCreateSerializer, make)

    def update(self, request, *args, partial=False, **kwargs):
        donor = self.get_object()
        serializer = DonorWriteSerializer(donor, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.shown(services.donor_update(actor=request.user, donor=donor, **serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


# -- campaigns and pledges -----------------------------------------------------------------------------


class CanManageCampaign(permissions.BasePermission):
    """A campaign is changed by the officers who manage the fund its money goes into."""

    message = NOT_FUND_MANAGER

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_manage_fund(request.user, obj.fund)


@extend_schema_view(
    list=extend_schema(summary=_("List campaigns")),
    retrieve=extend_schema(summary=_("Show a campaign with its progress: pledged, received, spent by purpose")),
    create=_create_schema(_("Create a campaign"), CampaignWriteSerializer, CampaignDetailSerializer),
    update=extend_schema(summary=_("Change a campaign"), request=CampaignWriteSerializer,
                         responses=CampaignDetailSerializer),
    partial_update=extend_schema(summary=_("Change some of a campaign's fields"), request=CampaignWriteSerializer,
                                 responses=CampaignDetailSerializer),
)
class CampaignViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Campaigns of the caller's unit, of the units above it (which it collects for) and below it."""

    model = Campaign
    list_serializer_class = CampaignSerializer
    detail_serializer_class = CampaignDetailSerializer
    filterset_class = CampaignFilterSet
    permission_classes = [permissions.IsAuthenticated, CanManageCampaign]

    def prepare_queryset(self, queryset):
        return (queryset.select_related("unit", "fund", "created_by")
                .annotate(fund_seen=_fund_seen(self.request.user)).order_by("-starts_on", "pk"))

    def detail_context(self, campaign):
        return {"progress": selectors.campaign_progress(campaign)}

    def create(self, request, *args, **kwargs):
        return self.create_with(CampaignWriteSerializer, lambda serializer: services.campaign_create(
            actor=request.user, **serializer.validated_data))

    def update(self, request, *args, partial=False, **kwargs):
        campaign = self.get_object()
        serializer = CampaignWriteSerializer(campaign, data=request.data, partial=partial,
                                             context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self.shown(services.campaign_update(actor=request.user, campaign=campaign,
                                                   **serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class CanKeepPledges(permissions.BasePermission):
    message = NOT_DONOR_KEEPER

    def has_permission(self, request, view):
        return view.action != "create" or can_keep_donors(request.user)


@extend_schema_view(
    list=extend_schema(summary=_("List pledges")),
    retrieve=extend_schema(summary=_("Show a pledge with what is left to settle")),
    create=_create_schema(_("Record a pledge"), PledgeWriteSerializer, PledgeDetailSerializer,
                          description=_("Money a donor announced for a campaign: not money until a receipt settles "
                                        "it.")),
)
class PledgeViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Pledges recorded by the caller's unit and the units below it."""

    model = Pledge
    list_serializer_class = PledgeSerializer
    detail_serializer_class = PledgeDetailSerializer
    filterset_class = PledgeFilterSet
    permission_classes = [permissions.IsAuthenticated, CanKeepPledges]

    def prepare_queryset(self, queryset):
        return queryset.select_related("unit", "campaign", "donor", "recorded_by")

    def detail_context(self, pledge):
        return {"outstanding": services.pledge_outstanding(pledge)}

    def create(self, request, *args, **kwargs):
        return self.create_with(PledgeWriteSerializer, lambda serializer: services.pledge_record(
            actor=request.user, **serializer.validated_data))


# -- receipts and decisions ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List receipts")),
    retrieve=extend_schema(summary=_("Show a receipt and where its money went")),
    create=_create_schema(_("Record a receipt"), ReceiptWriteSerializer, ReceiptSerializer,
                          description=_("Money or goods (valued in đồng) received into a fund of the caller's unit, "
                                        "numbered next in the fund's series for the year (PT-2025-000123).")),
)
class ReceiptViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Receipts of the funds of the caller's unit and of the units below it. A receipt is never
    changed: a mistake is corrected by reversing its posting (/postings/{id}/reverse/)."""

    model = Receipt
    list_serializer_class = ReceiptListSerializer
    detail_serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilterSet

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("fund", "donor", "campaign", "posting__reversed_by")
        if self.action != "list":
            queryset = queryset.select_related("recorded_by").prefetch_related(
                Prefetch("soft_credits", queryset=SoftCredit.objects.order_by("pk")))
        return queryset.order_by("-happened_on", "-pk")

    def detail_context(self, receipt):
        return {"trail": selectors.receipt_trail_for(self.request.user, receipt)}

    def create(self, request, *args, **kwargs):
        return self.create_with(ReceiptWriteSerializer, lambda serializer: services.receipt_record(
            actor=request.user, **serializer.service_arguments()))


@extend_schema_view(
    list=extend_schema(summary=_("List spending decisions")),
    retrieve=extend_schema(summary=_("Show a spending decision with its payments")),
    create=_create_schema(
        _("Record a spending decision and its payments"), DecisionWriteSerializer, DecisionSerializer,
        description=_("Each payment goes to a household of the fund's unit, into a fund above or below it, or to a "
                      "work or recipient described in words. Refused whole when the earmark cannot pay them all."),
    ),
)
class DecisionViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Spending decisions of the funds of the caller's unit and of the units below it."""

    model = SpendingDecision
    list_serializer_class = DecisionListSerializer
    detail_serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet

    def prepare_queryset(self, queryset):
        # What the decision paid out of its fund: the sum of the fund's lines in its posting.
        paid = (PostingLine.objects.filter(posting=OuterRef("posting_id"), fund=OuterRef("fund_id"))
                .values("posting").annotate(total=Sum("amount")).values("total"))
        queryset = queryset.select_related("fund", "posting__reversed_by").annotate(
            fund_total=Coalesce(Subquery(paid, output_field=IntegerField()), 0))
        if self.action != "list":
            queryset = queryset.select_related("recorded_by").prefetch_related(
                Prefetch("posting__lines", queryset=seen_lines(self.request.user)))
        return queryset.order_by("-decided_on", "-pk")

    def create(self, request, *args, **kwargs):
        def make(serializer):
            fields = dict(serializer.validated_data)
            payments = [services.Payment(**payment) for payment in fields.pop("payments")]
            return services.decision_record(actor=request.user, payments=payments, **fields)

        return self.create_with(DecisionWriteSerializer, make)


# -- postings: transfers, the journal, reversals --------------------------------------------------------


class PostingsViewSet(mixins.ListModelMixin, LedgerViewSet):
    """Postings the caller sees: those of their units, and those touching a fund of theirs (a
    district's transfer into a commune's fund is seen by the commune), with the lines of funds
    and households within their units."""

    model = Posting
    list_serializer_class = PostingSerializer
    detail_serializer_class = PostingSerializer

    def prepare_queryset(self, queryset):
        return (queryset.select_related("unit", "recorded_by", "receipt", "decision", "reversed_by")
                .prefetch_related(Prefetch("lines", queryset=seen_lines(self.request.user)))
                .order_by("-happened_on", "-pk"))


@extend_schema_view(
    list=extend_schema(summary=_("List transfers between funds")),
    retrieve=extend_schema(summary=_("Show a transfer")),
    create=_create_schema(
        _("Transfer money between funds"), TransferWriteSerializer, PostingSerializer,
        description=_("From a fund of the caller's unit down to a fund below it, or up to a fund above it. The "
                      "earmark and the trace of the receipts travel with the money."),
    ),
)
class TransferViewSet(PostingsViewSet):
    filterset_class = TransferFilterSet

    def prepare_queryset(self, queryset):
        return super().prepare_queryset(queryset.filter(kind=PostingKind.TRANSFER))

    def create(self, request, *args, **kwargs):
        return self.create_with(TransferWriteSerializer, lambda serializer: services.transfer_record(
            actor=request.user, **serializer.validated_data))


class CanReverse(permissions.BasePermission):
    message = NOT_REVERSER

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_reverse(request.user, obj)


@extend_schema_view(
    list=extend_schema(summary=_("List postings (the ledger's journal)")),
    retrieve=extend_schema(summary=_("Show a posting and its lines")),
)
class PostingViewSet(PostingsViewSet):
    filterset_class = PostingFilterSet
    permission_classes = [permissions.IsAuthenticated, CanReverse]

    @extend_schema(
        summary=_("Reverse a posting"),
        description=_("The one way to correct a receipt, a decision or a transfer: a posting of the opposite lines "
                      "that names it, with a reason. The reversed posting stays, marked. Only the committee of the "
                      "level above the posting's unit may reverse it."),
        request=ReversalSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: PostingSerializer, 200: PostingSerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        posting = self.get_object()
        serializer = ReversalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return created_once(
            request,
            lambda: services.posting_reverse(actor=request.user, posting=posting, **serializer.validated_data),
            lambda reversal, code: self.shown(reversal, status_code=code),
        )

"""Fund pages: the list with balances, a new fund, a fund's page (balance per earmark, its entries
with filters and pages, the actions the viewer may take), a transfer between levels, and the
correction of a posting by reversal.

Funds and postings are read through `visible_to` (404 outside it); moving money is for the
officers of the fund's unit (`can_manage_fund`, 403 for others who see it), correcting it for the
level above (`can_reverse`); every write goes through donations.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from frontwelfare.forms import add_service_error
from frontwelfare.paging import CountedPaginator, bounded_count
from frontwelfare.submissions import made_once
from frontwelfare.templatetags.frontwelfare import vnd
from frontwelfare.views import RecordGoneMixin, ScopedQuerysetMixin, filter_data
from households.models import Household

from .. import services
from ..choices import Earmark, Party, PostingKind
from ..filters import EntryFilterSet, FundFilterSet
from ..forms import FundForm, ReverseForm, TransferForm
from ..models import Fund, Posting
from ..permissions import can_create_fund, can_manage_fund, can_reverse
from ..selectors import earmark_balances, fund_balances, fund_entries, other_funds_of

ENTRIES_PER_PAGE = 50


def fund_for(request, pk: int, *, manage: bool = False) -> Fund:
    """The fund ``pk`` if the user sees it (404 otherwise); with ``manage`` the user must also
    record its money (403)."""
    fund = get_object_or_404(Fund.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if manage and not can_manage_fund(request.user, fund):
        raise PermissionDenied
    return fund


def visible_households(user, lines) -> set[int]:
    """Of the households ``lines`` pay, those ``user`` may see by name: one read."""
    ids = {line.household_id for line in lines if line.household_id}
    return set(Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


class FundListView(ScopedQuerysetMixin, ListView):
    """The funds the viewer sees, each with its balance (one read for the whole page)."""

    model = Fund
    filterset_class = FundFilterSet
    paginate_by = 30
    template_name = "donations/fund_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("unit__level", "unit__code", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        funds = list(context["object_list"])
        balances = fund_balances([fund.pk for fund in funds])
        for fund in funds:
            fund.balance = balances[fund.pk]
        context.update(title=_("Funds"), funds=funds, can_create=can_create_fund(self.request.user))
        return context


class FundCreateView(View):
    """A new fund of the officer's own unit."""

    template_name = "donations/fund_form.html"

    def get(self, request):
        self._require_creator(request)
        return self._render(request, FundForm())

    def post(self, request):
        self._require_creator(request)
        form = FundForm(request.POST)
        if form.is_valid():
            try:
                fund = made_once(request, lambda: services.fund_create(actor=request.user, **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Fund “%(name)s” created.") % {"name": fund.name})
                return redirect("donations:fund-detail", pk=fund.pk)
        return self._render(request, form, status=400)

    @staticmethod
    def _require_creator(request):
        if not can_create_fund(request.user):
            raise PermissionDenied

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"title": _("New fund"), "form": form,
                                                    "unit": request.user.unit}, status=status)


class FundDetailView(View):
    """A fund: its balance and balance per earmark, a page of its entries (filtered), and what
    the viewer may do with it."""

    template_name = "donations/fund_detail.html"

    def get(self, request, pk):
        fund = fund_for(request, pk)
        user = request.user
        by_earmark = earmark_balances(fund)
        filterset = EntryFilterSet(filter_data(request, EntryFilterSet), queryset=fund_entries(fund).select_related(
            "posting__unit", "posting__reversed_by__recorded_by"), request=request)
        entries = filterset.qs if filterset.is_bound else filterset.queryset
        paginator = CountedPaginator(entries, ENTRIES_PER_PAGE, list_count=bounded_count(entries))
        page = paginator.get_page(request.GET.get("page"))
        lines = list(page.object_list)
        other_funds = other_funds_of([line for line in lines if line.posting.kind in (PostingKind.TRANSFER,
                                                                                       PostingKind.DISBURSEMENT,
                                                                                       PostingKind.REVERSAL)])
        shown = visible_households(user, lines)
        for line in lines:
            line.other_funds = other_funds.get(line.posting_id, [])
            line.household_shown = line.household if line.household_id in shown else None
            line.may_reverse = (line.posting.kind != PostingKind.REVERSAL and not _reversed(line.posting)
                                and can_reverse(user, line.posting))
        manages = can_manage_fund(user, fund)
        return render(request, self.template_name, {
            "title": fund.name, "fund": fund, "balance": sum(by_earmark.values()),
            "earmarks": [(Earmark(earmark).label, amount) for earmark, amount in by_earmark.items() if amount],
            "filterset": filterset, "entries": lines, "page_obj": page, "paginator": paginator,
            "can_manage": manages,
        })


def _reversed(posting: Posting) -> bool:
    """Whether a reversal names ``posting`` (read with it when selected with it)."""
    return hasattr(posting, "reversed_by")


class TransferCreateView(RecordGoneMixin, View):
    """Money passed from this fund to a fund of a unit above or below it (điều tiết)."""

    template_name = "donations/transfer_form.html"

    def get(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        return self._render(request, fund, TransferForm(fund=fund))

    def post(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        form = TransferForm(request.POST, fund=fund)
        if form.is_valid():
            try:
                made_once(request, lambda: services.transfer_record(actor=request.user, source=fund,
                                                                    **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("%(amount)s passed to %(fund)s.") % {
                    "amount": vnd(form.cleaned_data["amount"]), "fund": form.cleaned_data["destination"].name})
                return redirect("donations:fund-detail", pk=fund.pk)
        return self._render(request, fund, form, status=400)

    def _render(self, request, fund, form, status=200):
        return render(request, self.template_name, {
            "title": _("Pass money to another fund"), "fund": fund, "form": form,
            "balances": [(Earmark(earmark).label, amount) for earmark, amount in earmark_balances(fund).items()
                         if amount],
        }, status=status)


def document_url(posting: Posting) -> str:
    """The page of the document behind ``posting`` (its receipt or decision), else its fund's."""
    if hasattr(posting, "receipt"):
        return reverse("donations:receipt-detail", args=[posting.receipt.pk])
    if hasattr(posting, "decision"):
        return reverse("donations:decision-detail", args=[posting.decision.pk])
    fund_id = next((line.fund_id for line in posting.lines.all() if line.fund_id), None)
    return reverse("donations:fund-detail", args=[fund_id]) if fund_id else reverse("donations:fund-list")


class PostingReverseView(RecordGoneMixin, View):
    """The correction of a posting: a reversing posting with a reason, for the level above. The
    posting stays, marked as reversed, on its receipt, decision and fund pages."""

    template_name = "donations/posting_reverse.html"

    def get(self, request, pk):
        posting = self._posting(request, pk)
        return self._render(request, posting, ReverseForm())

    def post(self, request, pk):
        posting = self._posting(request, pk)
        form = ReverseForm(request.POST)
        if form.is_valid():
            try:
                made_once(request, lambda: services.posting_reverse(actor=request.user, posting=posting,
                                                                    **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The posting is reversed; it stays on the record, marked."))
                return redirect(document_url(posting))
        return self._render(request, posting, form, status=400)

    @staticmethod
    def _posting(request, pk) -> Posting:
        posting = get_object_or_404(
            Posting.objects.visible_to(request.user).select_related(
                "unit", "receipt__donor", "receipt__fund", "decision__fund", "reversed_by__recorded_by"),
            pk=pk)
        if not can_reverse(request.user, posting):
            raise PermissionDenied
        return posting

    def _render(self, request, posting, form, status=200):
        lines = list(posting.lines.select_related("fund", "household").order_by("pk"))
        shown = visible_households(request.user, lines)
        for line in lines:
            line.household_shown = line.household if line.household_id in shown else None
        return render(request, self.template_name, {
            "title": _("Reverse a posting"), "posting": posting, "form": form, "back_url": document_url(posting),
            "fund_lines": [line for line in lines if line.party == Party.FUND],
            "other_lines": [line for line in lines if line.party != Party.FUND],
            "already_reversed": _reversed(posting),
        }, status=status)

"""Receipt pages: the list, recording a receipt into a fund, and a receipt with where its money
went (the households the viewer may see by name, the others counted).

Receipts are read through `Receipt.objects.visible_to` (404 outside it); recording one is for
the officers of the fund's unit and goes through services.receipt_record.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import CountedListMixin, RecordGoneMixin, ScopedQuerysetMixin

from .. import services
from ..choices import Purpose
from ..filters import ReceiptFilterSet
from ..forms import ReceiptForm
from ..models import Receipt
from ..permissions import can_manage_fund, can_reverse
from ..selectors import receipt_trail_for
from .funds import fund_for


class ReceiptListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    model = Receipt
    filterset_class = ReceiptFilterSet
    paginate_by = 50
    template_name = "donations/receipt_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("donor", "fund", "campaign", "posting__reversed_by").order_by(
            "-happened_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Receipts")
        return context


class ReceiptCreateView(RecordGoneMixin, View):
    """A receipt into the fund: the donor, campaign and pledge chosen among those the officer sees
    (``?donor=``, ``?campaign=``, ``?pledge=`` preselect one, from the donor's or campaign's page)."""

    template_name = "donations/receipt_form.html"

    def get(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        initial = {name: request.GET[name] for name in ("donor", "campaign", "pledge")
                   if request.GET.get(name, "").isdigit()}
        return self._render(request, fund, ReceiptForm(initial=initial, user=request.user, fund=fund))

    def post(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        form = ReceiptForm(request.POST, user=request.user, fund=fund)
        if form.is_valid():
            try:
                receipt = made_once(request, lambda: services.receipt_record(actor=request.user, fund=fund,
                                                                             **form.service_values()))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Receipt %(number)s recorded.") % {"number": receipt.number})
                return redirect("donations:receipt-detail", pk=receipt.pk)
        return self._render(request, fund, form, status=400)

    def _render(self, request, fund, form, status=200):
        return render(request, self.template_name, {"title": _("Record a receipt"), "fund": fund, "form": form},
                      status=status)


class ReceiptDetailView(ScopedQuerysetMixin, DetailView):
    model = Receipt
    context_object_name = "receipt"
    template_name = "donations/receipt_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(
            "donor", "fund__unit", "campaign", "pledge", "recorded_by", "posting__unit",
            "posting__reversed_by__recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt, user = self.object, self.request.user
        reversal = receipt.posting.reversed_by if hasattr(receipt.posting, "reversed_by") else None
        context.update(
            title=_("Receipt %(number)s") % {"number": receipt.number},
            trail=receipt_trail_for(user, receipt),
            soft_credits=list(receipt.soft_credits.order_by("pk")),
            reversal=reversal,
            may_reverse=reversal is None and can_reverse(user, receipt.posting),
            can_manage=can_manage_fund(user, receipt.fund),
            purposes=dict(Purpose.choices),
        )
        return context

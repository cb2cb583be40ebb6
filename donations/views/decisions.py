"""Spending decision pages: the list, a decision with its payment lines, and recording one from
a fund (several lines: a household of the fund's unit typed by its code, a work and its place,
or another fund).

Decisions are read through `SpendingDecision.objects.visible_to` (404 outside it); recording one
is for the officers of the fund's unit and goes through services.decision_record.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import CountedListMixin, RecordGoneMixin, ScopedQuerysetMixin
from households.filters import HouseholdFilterSet, households_in_name_order

from .. import services
from ..choices import Earmark, Party, Purpose
from ..filters import DecisionFilterSet
from ..forms import DecisionForm, PaymentLineFormSet, destinations_for, households_of
from ..models import PostingLine, SpendingDecision
from ..permissions import can_manage_fund, can_reverse
from ..selectors import earmark_balances
from .funds import fund_for, visible_households

LINES_AT_FIRST = 3
# Up to this many households of the fund's unit are offered as the household code box's
# suggestions (a datalist: typing a name or a code narrows them); a bigger unit finds them by
# the search above the lines instead, so that the page stays light on a phone.
HOUSEHOLDS_SUGGESTED = 300
FOUND_AT_MOST = 20


class DecisionListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    model = SpendingDecision
    filterset_class = DecisionFilterSet
    paginate_by = 50
    template_name = "donations/decision_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("fund", "posting__reversed_by").order_by("-decided_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decisions = list(context["object_list"])
        totals = decision_totals(decisions)
        for decision in decisions:
            decision.total = totals.get(decision.posting_id, 0)
        context.update(title=_("Spending decisions"), decisions=decisions)
        return context


def decision_totals(decisions) -> dict[int, int]:
    """{posting id: what the decision pays out of its fund}, for a page of decisions: one read."""
    wanted = {decision.posting_id: decision.fund_id for decision in decisions}
    rows = (PostingLine.objects.filter(posting_id__in=list(wanted), amount__lt=0, party=Party.FUND)
            .values_list("posting_id", "fund_id").annotate(total=Sum("amount")).order_by())
    return {posting_id: -total for posting_id, fund_id, total in rows if wanted[posting_id] == fund_id}


class DecisionDetailView(ScopedQuerysetMixin, DetailView):
    model = SpendingDecision
    context_object_name = "decision"
    template_name = "donations/decision_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("fund__unit", "recorded_by", "posting__unit",
                                                     "posting__reversed_by__recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision, user = self.object, self.request.user
        # The payments are the lines on the other side of the fund's: to a recipient, or into another fund.
        payments = list(decision.posting.lines.exclude(party=Party.FUND, fund=decision.fund)
                        .select_related("fund__unit", "household").order_by("pk"))
        shown = visible_households(user, payments)
        for line in payments:
            line.household_shown = line.household if line.household_id in shown else None
            line.purpose_label = Purpose(line.purpose).label if line.purpose else ""
        posting = decision.posting
        reversal = posting.reversed_by if hasattr(posting, "reversed_by") else None
        context.update(
            title=_("Decision %(number)s") % {"number": decision.number},
            payments=payments, total=sum(line.amount for line in payments),
            hidden_households=len({line.household_id for line in payments
                                   if line.household_id and line.household_shown is None}),
            reversal=reversal, may_reverse=reversal is None and can_reverse(user, posting),
        )
        return context


class DecisionCreateView(RecordGoneMixin, View):
    """A spending decision of the fund, with its payment lines. ``?find=`` looks a household of
    the fund's unit up by name or code; with htmx, the "Add a line" button asks this page for one
    more empty line (``add_line``)."""

    template_name = "donations/decision_form.html"

    def get(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        htmx = request.headers.get("HX-Request") == "true"
        if htmx and "add_line" in request.GET:
            return self._new_line(request, fund)
        if htmx and "find" in request.GET:
            return render(request, "donations/partials/household_matches.html",
                          households_found(request, households_of(request.user, fund)))
        formset = self._formset(request, fund, extra=LINES_AT_FIRST)
        return self._render(request, fund, DecisionForm(), formset)

    def post(self, request, pk):
        fund = fund_for(request, pk, manage=True)
        form = DecisionForm(request.POST)
        formset = self._formset(request, fund, data=request.POST)
        if form.is_valid() and formset.is_valid():
            payments = [services.Payment(
                amount=line["amount"], purpose=line["purpose"] or Purpose.OTHER, description=line["description"],
                household=line["household"], destination=line["destination"],
            ) for line in formset.cleaned_data if line]
            try:
                decision = made_once(request, lambda: services.decision_record(
                    actor=request.user, fund=fund, payments=payments, **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Decision %(number)s recorded.") % {"number": decision.number})
                return redirect("donations:decision-detail", pk=decision.pk)
        return self._render(request, fund, form, formset, status=400)

    @staticmethod
    def _formset(request, fund, *, data=None, extra=0):
        formset_class = PaymentLineFormSet
        if extra:
            formset_class = type("PaymentLines", (PaymentLineFormSet,), {"extra": extra})
        return formset_class(data, prefix="lines", form_kwargs={
            "households": households_of(request.user, fund), "destinations": destinations_for(fund)})

    def _new_line(self, request, fund):
        try:
            index = max(0, min(int(request.GET.get("lines-TOTAL_FORMS", "0")), 99))
        except ValueError:
            index = 0
        form = self._formset(request, fund).empty_form
        form.prefix = f"lines-{index}"
        return render(request, "donations/partials/payment_line_added.html", {"line": form, "index": index})

    def _render(self, request, fund, form, formset, status=200):
        households = households_of(request.user, fund)
        suggested = list(households_in_name_order(households, by_index=False)
                         .values_list("code", "head_name", "hamlet")[:HOUSEHOLDS_SUGGESTED + 1])
        return render(request, self.template_name, {
            "title": _("Record a spending decision"), "fund": fund, "form": form, "formset": formset,
            "suggested": suggested if len(suggested) <= HOUSEHOLDS_SUGGESTED else None,
            "balances": [(Earmark(earmark).label, amount) for earmark, amount in earmark_balances(fund).items()
                         if amount],
            "can_manage": can_manage_fund(request.user, fund),
            **households_found(request, households_of(request.user, fund)),
        }, status=status)


def households_found(request, households) -> dict:
    """The households of ``households`` matching what was typed (``?find=``: a name or a code, as
    the household list searches), for the partial "donations/partials/household_matches.html" of
    the pages that add a household by hand (a decision's payment, a batch's line)."""
    typed = request.GET.get("find", "").strip()[:100]
    found = []
    if typed:
        filterset = HouseholdFilterSet({"q": typed}, queryset=households, request=request)
        if filterset.is_valid():
            found = list(households_in_name_order(filterset.qs, by_index=False)[:FOUND_AT_MOST])
    return {"typed": typed, "found": found}

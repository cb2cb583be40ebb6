"""Pages of the distribution batches (đợt trao): the list, a new batch, a batch's page (its
figures, and by state: choosing recipients and the duplicate-benefit review while a draft, the
signature sheets, deliveries and closing once confirmed, the posting once closed), choosing
recipients by the households' filters, the deliveries page made for a phone, and the history.

Batches are read through `Batch.objects.visible_to` and their lines through
`Recipient.objects.visible_to` (a commune officer sees their commune's lines of the district's
batch), 404 outside them; drawing a batch up is for the officers of its unit
(`can_manage_batch`, 403 for others who see it), recording deliveries for the officers covering
the household; every write goes through donations.support.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from frontwelfare.accounts.scope import within_q
from frontwelfare.forms import add_service_error
from frontwelfare.history import HistorySource, history_entries
from frontwelfare.paging import CountedPaginator, bounded_count
from frontwelfare.submissions import made_once
from frontwelfare.views import CountedListMixin, HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin, filter_data
from households.filters import HouseholdFilterSet, households_in_name_order
from households.models import Household, Member

from ...permissions import (
    NOT_BATCH_KEEPER,
    NOT_DELIVERY_RECORDER,
    can_keep_batches,
    can_manage_batch,
    can_record_delivery,
)
from ...selectors import earmark_balances
from ...views.decisions import households_found
from .. import services
from ..choices import DELIVERED, BatchState, Delivery
from ..filters import CHOOSING_FILTERS, BatchFilterSet, require_a_filter
from ..forms import BatchForm, ConfirmForm, DeliveryForm, ReasonForm, RecipientAddForm, RecipientDetailsForm
from ..models import Batch, Recipient
from ..selectors import batch_figures, batch_hamlets, flagged_lines, helped_elsewhere, sheet_lines

LINES_PER_PAGE = 50
CARDS_PER_PAGE = 50
# The occasions of a kind suggested on the create page (the most recent first).
OCCASIONS_SUGGESTED = 30
# Up to this many households of the batch's unit are suggested in the "add by hand" box (a
# datalist); a bigger unit finds them by the search beside it, so the page stays light on a phone.
HOUSEHOLDS_SUGGESTED = 300
SHOWN_LINES = ("all", "flagged", "removed")


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def batch_for(request, pk: int, *, manage: bool = False) -> Batch:
    """The batch ``pk`` if the user sees it (404 otherwise); with ``manage`` the user must also
    draw it up (an officer of its unit: 403)."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related(
        "unit", "kind", "fund", "donor", "organisation", "created_by", "confirmed_by", "closed_by"), pk=pk)
    if manage and not can_manage_batch(request.user, batch):
        raise PermissionDenied(NOT_BATCH_KEEPER)
    return batch


def households_of(user, batch: Batch):
    """The households a batch may be given to, as the viewer sees them: of the batch's unit."""
    return Household.objects.visible_to(user).filter(within_q(batch.unit, "commune"))


def _to_detail(batch: Batch, **query) -> str:
    url = reverse("support:batch-detail", args=[batch.pk])
    return f"{url}?{urlencode(query)}" if query else url


# -- the list and a new batch ------------------------------------------------------------------------


class BatchListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    """The batches the viewer sees, each with the lines they see of it (a commune officer: their
    commune's lines of the district's batch): one grouped read for the page."""

    model = Batch
    filterset_class = BatchFilterSet
    paginate_by = 30
    template_name = "support/batch_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "kind", "fund", "donor").order_by("-happened_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batches = list(context["object_list"])
        figures = _figures_of(batches, self.request.user)
        for batch in batches:
            batch.figures = figures.get(batch.pk, {"lines": 0, "value": 0, "delivered": 0})
        context.update(title=_("Support to households"), batches=batches,
                       can_create=can_keep_batches(self.request.user))
        return context


def _figures_of(batches: list[Batch], user) -> dict[int, dict]:
    """{batch id: its lines, value and delivered lines that ``user`` sees}, for a page of batches."""
    rows = (Recipient.objects.visible_to(user).filter(batch__in=[batch.pk for batch in batches], removed=False)
            .values("batch_id").annotate(lines=Count("pk"), value=Sum("value"),
                                         delivered=Count("pk", filter=Q(delivery__in=DELIVERED)))
            .order_by())
    return {row.pop("batch_id"): row for row in rows}


class BatchCreateView(View):
    """A draft batch of the officer's unit. The occasions of the kind chosen that the officer can
    see (the district's Tet batch, on a commune's page) are suggested, so that committees type the
    same text and the duplicate-benefit check finds the same occasion."""

    template_name = "support/batch_form.html"

    def get(self, request):
        _require_keeper(request)
        if _is_htmx(request) and "occasions_for" in request.GET:
            return render(request, "support/partials/occasions.html",
                          {"occasions": _occasions(request.user, request.GET.get("kind"))})
        return self._render(request, BatchForm(user=request.user))

    def post(self, request):
        _require_keeper(request)
        form = BatchForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                batch = made_once(request, lambda: services.batch_create(actor=request.user, **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Batch “%(occasion)s” drawn up: now choose its recipients.")
                                 % {"occasion": batch.occasion})
                return redirect("support:batch-detail", pk=batch.pk)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {
            "title": _("New batch of support"), "form": form,
            "occasions": _occasions(request.user, form["kind"].value()),
        }, status=status)


def _occasions(user, kind_id) -> list[str]:
    """The occasions of the batches of ``kind_id`` the user sees, the most recent first (of every
    kind when none is chosen)."""
    batches = Batch.objects.visible_to(user)
    if str(kind_id or "").isdigit():
        batches = batches.filter(kind_id=int(kind_id))
    return list(batches.values_list("occasion", flat=True).annotate(last=Max("happened_on"))
                .order_by("-last", "occasion")[:OCCASIONS_SUGGESTED])


def _require_keeper(request) -> None:
    if not can_keep_batches(request.user):
        raise PermissionDenied(NOT_BATCH_KEEPER)


# -- a batch's page ---------------------------------------------------------------------------------


class BatchDetailView(View):
    """A batch: its figures and state, a page of its lines (all, flagged by the duplicate-benefit
    check, or taken out), and what the viewer may do in its state. With htmx, ``?find=`` looks a
    household of the batch's unit up by name or code (the "add by hand" box)."""

    template_name = "support/batch_detail.html"

    def get(self, request, pk):
        batch = batch_for(request, pk)
        if _is_htmx(request) and "find" in request.GET and can_manage_batch(request.user, batch):
            # The "add by hand" box's search: the households of the batch's unit matching a name or code.
            return render(request, "donations/partials/household_matches.html",
                          households_found(request, households_of(request.user, batch)))
        return batch_page(request, batch)


def batch_page(request, batch: Batch, *, add_form=None, confirm_form=None, remove_errors=None, status=200):
    """The batch's page, with the forms of a write that was refused (their errors shown)."""
    user = request.user
    manages = can_manage_batch(user, batch)
    draft = batch.state == BatchState.DRAFT
    shown = request.GET.get("show") if request.GET.get("show") in SHOWN_LINES else "all"
    page, paginator = _lines_page(request, batch, shown)
    lines = list(page.object_list)
    elsewhere = helped_elsewhere(batch, lines, user) if lines and batch.state != BatchState.CLOSED else {}
    for line in lines:
        line.elsewhere = elsewhere.get(line.pk, [])
    context = {
        "title": str(batch), "batch": batch, "figures": batch_figures(batch, user), "lines": lines,
        "page_obj": page, "paginator": paginator, "shown": shown, "manages": manages,
        "remove_errors": remove_errors or {}, "may_record": can_record_delivery(user),
        "flagged": (flagged_lines(batch).visible_to(user).count() if draft
                    else batch.duplicates_at_confirmation),
        "removed": Recipient.objects.visible_to(user).filter(batch=batch, removed=True).count() if draft else 0,
    }
    # What the fund's earmark holds, beside what the batch is worth, for the officers who will close
    # it: the ledger refuses a closing it cannot pay, better known before the gifts are handed out.
    context["fund_holds"] = (earmark_balances(batch.fund)[batch.earmark]
                             if manages and batch.fund_id and batch.state != BatchState.CLOSED else None)
    if draft and manages:
        context.update(_adding(request, batch, add_form), confirm_form=confirm_form or ConfirmForm())
    if batch.state != BatchState.DRAFT:
        context["hamlets"] = batch_hamlets(batch, user)
    return render(request, "support/batch_detail.html", context, status=status)


def _lines_page(request, batch: Batch, shown: str):
    lines = Recipient.objects.visible_to(request.user).filter(batch=batch)
    if shown == "removed":
        lines = lines.filter(removed=True)
    elif shown == "flagged":
        lines = flagged_lines(batch).visible_to(request.user)
    else:
        lines = lines.filter(removed=False)
    lines = lines.select_related("household", "household__commune", "pupil").order_by(
        "household__commune__name", "household__hamlet", "household__head_name", "pk")
    paginator = CountedPaginator(lines, LINES_PER_PAGE, list_count=bounded_count(lines))
    return paginator.get_page(request.GET.get("page")), paginator


def _adding(request, batch: Batch, add_form) -> dict:
    """What the "add a household by hand" box needs: its form, the households found by ``?find=``
    and, for a small unit, every household as suggestions."""
    households = households_of(request.user, batch)
    suggested = list(households_in_name_order(households, by_index=False)
                     .values_list("code", "head_name", "hamlet")[:HOUSEHOLDS_SUGGESTED + 1])
    return {"add_form": add_form or RecipientAddForm(households=households, per_pupil=batch.per_pupil),
            "suggested": suggested if len(suggested) <= HOUSEHOLDS_SUGGESTED else None,
            **households_found(request, households_of(request.user, batch))}


# -- choosing recipients (a draft) --------------------------------------------------------------------


class BatchChooseView(RecordGoneMixin, View):
    """The batch's recipients chosen by the households' filters (category in a year, policy type,
    hamlet, a pupil at a school level, a member with a disability): how many match is shown
    before they are added."""

    template_name = "support/batch_choose.html"

    def get(self, request, pk):
        batch = self._draft(request, pk)
        filterset = self._filterset(request, batch, filter_data(request, HouseholdFilterSet))
        return self._render(request, batch, filterset)

    def post(self, request, pk):
        batch = self._draft(request, pk)
        filterset = self._filterset(request, batch, request.POST)
        if not filterset.is_valid():
            return self._render(request, batch, filterset, status=400)
        try:
            require_a_filter(filterset.form.cleaned_data)
            added = services.batch_add_by_filter(actor=request.user, batch=batch, households=filterset.qs,
                                                 school_level=filterset.form.cleaned_data.get("school_level") or "")
        except ValidationError as error:
            return self._render(request, batch, filterset, status=400, error=" ".join(error.messages))
        messages.success(request, ngettext("%(count)s line added to the batch.", "%(count)s lines added to the batch.",
                                           added) % {"count": added})
        return redirect("support:batch-detail", pk=batch.pk)

    @staticmethod
    def _draft(request, pk) -> Batch:
        batch = batch_for(request, pk, manage=True)
        if batch.state != BatchState.DRAFT:
            raise PermissionDenied(_("The recipients of a confirmed batch can no longer change."))
        return batch

    @staticmethod
    def _filterset(request, batch, data):
        filterset = HouseholdFilterSet(data, queryset=households_of(request.user, batch), request=request)
        filterset.page_fields = tuple(name for name in filterset.page_fields if name in CHOOSING_FILTERS)
        return filterset

    def _render(self, request, batch, filterset, *, status=200, error=""):
        matching = new = None
        if filterset.is_bound and filterset.is_valid():
            matching = filterset.qs.count()
            # As the service adds them: households with no line of the batch yet (one taken out by
            # hand stays out: the officer adds it back by hand).
            new = filterset.qs.filter(~Exists(Recipient.objects.filter(batch=batch, household=OuterRef("pk")))).count()
        return render(request, self.template_name, {
            "title": _("Choose the recipients"), "batch": batch, "filterset": filterset, "matching": matching,
            "new": new, "error": error,
            "query": {name: value for name, value in filterset.data.items()
                      if name in HouseholdFilterSet.base_filters and value} if filterset.is_bound else {},
        }, status=status)


class RecipientAddView(RecordGoneMixin, View):
    """A household of the batch's unit added by hand, with the reason."""

    def post(self, request, pk):
        batch = batch_for(request, pk, manage=True)
        form = RecipientAddForm(request.POST, households=households_of(request.user, batch),
                                per_pupil=batch.per_pupil)
        if form.is_valid():
            household = form.cleaned_data["household"]
            try:
                pupil = form.cleaned_data["pupil"] or _pupil_of(batch, household)
                services.recipient_add(actor=request.user, batch=batch, household=household,
                                       reason=form.cleaned_data["reason"], pupil=pupil)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("%(name)s added to the batch.") % {"name": household.head_name})
                return redirect("support:batch-detail", pk=batch.pk)
        return batch_page(request, batch, add_form=form, status=400)


def _pupil_of(batch: Batch, household: Household) -> Member | None:
    """For a kind given per pupil with no pupil named, the household's first pupil not in the batch
    yet (the service refuses the household when it has none)."""
    if not batch.per_pupil:
        return None
    return (Member.objects.filter(household=household).exclude(school_level="")
            .filter(~Exists(Recipient.objects.filter(batch=batch, pupil=OuterRef("pk"), removed=False)))
            .order_by("pk").first())


class RecipientRemoveView(RecordGoneMixin, View):
    """A line taken out of a draft, with the reason (it stays, marked)."""

    def post(self, request, pk):
        line = get_object_or_404(Recipient.objects.visible_to(request.user).select_related("household"), pk=pk)
        batch = batch_for(request, line.batch_id, manage=True)
        form = ReasonForm(request.POST)
        error = None
        if form.is_valid():
            try:
                services.recipient_remove(actor=request.user, recipient=line, reason=form.cleaned_data["reason"])
            except ValidationError as refused:
                error = " ".join(refused.messages)
        else:
            error = _("Say why this household is taken out of the batch.")
        if error:
            return batch_page(request, batch, remove_errors={line.pk: error}, status=400)
        messages.success(request, _("%(name)s taken out of the batch.") % {"name": line.household.head_name})
        return redirect(_to_detail(batch))


class RecipientDetailsView(RecordGoneMixin, View):
    """What the batch's kind records for one line (a pupil's school, grade and school year; a
    health-insurance card's number and validity; the goods given), by the batch's keepers until
    the batch is closed."""

    template_name = "support/recipient_details.html"

    def get(self, request, pk):
        line, batch = self._line(request, pk)
        return self._render(request, line, batch, RecipientDetailsForm(instance=line, details=batch.kind.details))

    def post(self, request, pk):
        line, batch = self._line(request, pk)
        form = RecipientDetailsForm(request.POST, instance=Recipient.objects.get(pk=line.pk),
                                    details=batch.kind.details)
        if form.is_valid():
            try:
                services.recipient_details_update(actor=request.user, recipient=line, **{
                    name: form.cleaned_data[name] for name in form.fields})
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Saved for %(name)s.") % {"name": line.household.head_name})
                return redirect(_to_detail(batch))
        return self._render(request, line, batch, form, status=400)

    @staticmethod
    def _line(request, pk):
        line = get_object_or_404(Recipient.objects.visible_to(request.user).select_related("household", "pupil"),
                                 pk=pk)
        batch = batch_for(request, line.batch_id, manage=True)
        if not batch.kind.details or batch.state == BatchState.CLOSED:
            raise Http404
        return line, batch

    def _render(self, request, line, batch, form, status=200):
        return render(request, self.template_name, {"title": _("Details of the line"), "line": line,
                                                    "batch": batch, "form": form}, status=status)


class BatchConfirmView(RecordGoneMixin, View):
    """The recipients confirmed after the duplicate-benefit review: a reason when lines are flagged."""

    def post(self, request, pk):
        batch = batch_for(request, pk, manage=True)
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.batch_confirm(actor=request.user, batch=batch,
                                       duplicate_reason=form.cleaned_data["duplicate_reason"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The batch is confirmed: print the signature sheets and record the "
                                            "deliveries."))
                return redirect("support:batch-detail", pk=batch.pk)
        return batch_page(request, batch, confirm_form=form, status=400)


class BatchCloseView(RecordGoneMixin, View):
    """The batch closed: its delivered lines are posted to the fund."""

    def post(self, request, pk):
        batch = batch_for(request, pk, manage=True)
        try:
            batch = services.batch_close_request(actor=request.user, batch=batch)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if batch.state == BatchState.CLOSED:
                messages.success(request, _("The batch is closed: what was delivered is posted to the fund."))
            else:
                messages.info(request, _("The batch is big: it is being closed in the background. This page "
                                         "shows it closed in a moment."))
        return redirect("support:batch-detail", pk=batch.pk)


# -- deliveries, on a phone ---------------------------------------------------------------------------


class BatchDeliveriesView(View):
    """One card per line of the hamlet chosen (``?commune=&hamlet=``), with a button for each
    outcome; without a hamlet, the hamlets with their progress."""

    template_name = "support/batch_deliveries.html"

    def get(self, request, pk):
        batch = batch_for(request, pk)
        commune_id, hamlet = _place(request.GET)
        context = {"title": _("Deliveries"), "batch": batch, "today": timezone.localdate(),
                   "may_record": can_record_delivery(request.user) and batch.state == BatchState.CONFIRMED}
        if hamlet is None:
            context["hamlets"] = batch_hamlets(batch, request.user)
        else:
            lines = sheet_lines(batch, request.user, commune_id=commune_id, hamlet=hamlet)
            page = CountedPaginator(lines, CARDS_PER_PAGE, list_count=bounded_count(lines)).get_page(
                request.GET.get("page"))
            context.update(hamlet=hamlet, commune_id=commune_id, lines=list(page.object_list), page_obj=page,
                           progress=hamlet_progress(batch, request.user, commune_id, hamlet))
        return render(request, self.template_name, context)


def _place(query) -> tuple[int | None, str | None]:
    commune = query.get("commune", "")
    hamlet = query.get("hamlet")
    return (int(commune) if commune.isdigit() else None), hamlet


def hamlet_progress(batch: Batch, user, commune_id: int | None, hamlet: str) -> dict:
    """How many of the hamlet's lines were delivered, and recorded at all: one read."""
    return sheet_lines(batch, user, commune_id=commune_id, hamlet=hamlet).order_by().aggregate(
        lines=Count("pk"), delivered=Count("pk", filter=Q(delivery__in=DELIVERED)),
        recorded=Count("pk", filter=~Q(delivery=Delivery.PENDING)))


class DeliveryRecordView(RecordGoneMixin, View):
    """One tap of a card: what happened to the line. With htmx the card is swapped (and the
    hamlet's progress with it); without, the page comes back at the card."""

    def post(self, request, pk):
        line = get_object_or_404(Recipient.objects.visible_to(request.user)
                                 .select_related("batch", "household", "household__commune", "pupil"), pk=pk)
        if not can_record_delivery(request.user):
            raise PermissionDenied(NOT_DELIVERY_RECORDER)
        form = DeliveryForm(request.POST, initial={"delivered_on": timezone.localdate()})
        error = ""
        if form.is_valid():
            try:
                services.delivery_record(actor=request.user, recipient=line, **form.cleaned_data)
            except ValidationError as refused:
                error = " ".join(refused.messages)
        else:
            error = " ".join(message for messages_ in form.errors.values() for message in messages_)
        if _is_htmx(request):
            return self._card(request, line, error)
        if error:
            messages.error(request, error)
        else:
            line.refresh_from_db(fields=["delivery"])  # as the service recorded it
            messages.success(request, _("%(name)s: %(delivery)s.") % {
                "name": line.household.head_name, "delivery": line.get_delivery_display().lower()})
        query = urlencode({"commune": line.household.commune_id, "hamlet": line.household.hamlet})
        return redirect(f"{reverse('support:batch-deliveries', args=[line.batch_id])}?{query}#line-{line.pk}")

    @staticmethod
    def _card(request, line, error) -> HttpResponse:
        line.refresh_from_db(fields=["delivery", "delivered_on", "representative"])
        household = line.household
        return render(request, "support/partials/delivery_card.html", {
            "line": line, "batch": line.batch, "error": error, "today": timezone.localdate(), "may_record": True,
            "swap_progress": True,
            "progress": hamlet_progress(line.batch, request.user, household.commune_id, household.hamlet),
        })


# -- history -----------------------------------------------------------------------------------------

HISTORY_FIELDS = ("kind", "occasion", "happened_on", "fund", "earmark", "donor", "organisation", "value", "in_kind",
                  "goods", "state", "duplicate_reason", "note")


class BatchHistoryView(HistoryPageView):
    template_name = "support/batch_history.html"

    def record_for(self, request, pk):
        return batch_for(request, pk)

    def history_of(self, batch):
        return history_entries([HistorySource(Batch.history.filter(id=batch.pk), Batch, HISTORY_FIELDS,
                                              lambda record: str(_("Batch")))])


"""Donor pages: list, create (with the likely duplicates shown before saving), detail with the
donor's receipts and pledges, edit, change history.

Donors are read through `Donor.objects.visible_to` (404 outside it); they are kept (created,
corrected) by the officers of the donor's unit (403 for others who see it), through the services.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import submit_once
from frontwelfare.views import CountedListMixin, HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin

from .. import services
from ..filters import DonorFilterSet
from ..forms import DonorForm
from ..models import Donor, Pledge, Receipt
from ..permissions import NOT_DONOR_KEEPER, can_edit_donor, can_keep_donors
from ..selectors import (
    donor_given,
    donor_history,
    likely_duplicate_donors,
    pledges_with_outstanding,
    receipts_marked_reversed,
)
from .sections import section_page

CONFIRM_FIELD = "duplicates_checked"


def _require_keeper(request) -> None:
    if not can_keep_donors(request.user):
        raise PermissionDenied(NOT_DONOR_KEEPER)


def _donor_for(request, pk: int, *, for_update: bool = False) -> Donor:
    """The donor ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user must
    also keep it (403)."""
    donor = get_object_or_404(Donor.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if for_update and not can_edit_donor(request.user, donor):
        raise PermissionDenied(NOT_DONOR_KEEPER)
    return donor


def _duplicates(request, form: DonorForm, *, editing: Donor | None = None) -> list[Donor]:
    """The donors in the viewer's scope that look like the one typed (selectors.likely_duplicate_donors);
    on an edit, only when the name, tax code or phone changed."""
    typed = form.typed()
    if editing is not None and typed == {name: getattr(editing, name) for name in typed}:
        return []
    return list(likely_duplicate_donors(request.user, exclude=editing, **typed))


class DonorListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    model = Donor
    filterset_class = DonorFilterSet
    paginate_by = 50
    template_name = "donations/donor_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("name_folded", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Donors"), can_create=can_keep_donors(self.request.user))
        return context


class DonorFormMixin:
    """Create and edit: the likely duplicates are shown before saving, and saving waits until the
    officer says they checked them."""

    template_name = "donations/donor_form.html"

    def _save(self, request, form: DonorForm, save, *, editing: Donor | None = None):
        """``save(**cleaned data)``'s donor, or the page again: with the errors, or with the likely
        duplicates to check (which show with the errors too)."""
        duplicates = _duplicates(request, form, editing=editing)
        confirmed = bool(request.POST.get(CONFIRM_FIELD))
        if not form.is_valid():
            return self._render(request, form, duplicates=duplicates, status=400)
        if duplicates and not confirmed:
            return self._render(request, form, duplicates=duplicates)
        try:
            return save(**form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self._render(request, form, duplicates=duplicates, status=400)

    donor = None  # the donor edited

    def _render(self, request, form, *, duplicates=(), status=200):
        donor = self.donor
        return render(request, self.template_name, {
            "title": _("Edit donor") if donor else _("New donor"), "form": form, "donor": donor,
            "duplicates": duplicates, "confirm_field": CONFIRM_FIELD,
            "confirmed": bool(request.POST.get(CONFIRM_FIELD)),
        }, status=status)


class DonorCreateView(DonorFormMixin, View):
    def get(self, request):
        _require_keeper(request)
        return self._render(request, DonorForm())

    def post(self, request):
        _require_keeper(request)
        form = DonorForm(request.POST)
        donor, _first = submit_once(request, lambda: self._save(
            request, form, lambda **fields: services.donor_create(actor=request.user, **fields)), page=True)
        if isinstance(donor, HttpResponse):
            return donor
        messages.success(request, _("Donor “%(name)s” saved.") % {"name": donor.name})
        return redirect("donations:donor-detail", pk=donor.pk)


class DonorUpdateView(DonorFormMixin, RecordGoneMixin, View):
    def get(self, request, pk):
        self.donor = _donor_for(request, pk, for_update=True)
        return self._render(request, DonorForm(instance=self.donor))

    def post(self, request, pk):
        self.donor = _donor_for(request, pk, for_update=True)
        # The form writes what was typed on its instance: a copy, so the page keeps the donor as saved.
        form = DonorForm(request.POST, instance=copy.copy(self.donor))
        result = self._save(request, form, lambda **fields: services.donor_update(
            actor=request.user, donor=self.donor, **fields), editing=self.donor)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, _("Donor saved."))
        return redirect("donations:donor-detail", pk=result.pk)


class DonorDuplicatesView(View):
    """The likely duplicates of the donor typed so far on the create or edit page (htmx)."""

    def post(self, request):
        _require_keeper(request)
        editing = None
        if str(request.POST.get("editing", "")).isdigit():
            editing = Donor.objects.visible_to(request.user).filter(pk=int(request.POST["editing"])).first()
        duplicates = _duplicates(request, DonorForm(request.POST), editing=editing)
        return render(request, "donations/partials/donor_duplicates.html", {"duplicates": duplicates})


class DonorDetailView(ScopedQuerysetMixin, DetailView):
    """The donor, what they gave (receipts into the funds the viewer sees, reversed ones marked)
    and what they pledged, with what each pledge still has to settle."""

    model = Donor
    template_name = "donations/donor_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        donor, user = self.object, self.request.user
        receipts = receipts_marked_reversed(Receipt.objects.visible_to(user).filter(donor=donor)
                                            .select_related("fund", "campaign").order_by("-happened_on", "-pk"))
        pledges = pledges_with_outstanding(Pledge.objects.visible_to(user).filter(donor=donor)
                                           .select_related("campaign").order_by("-pledged_on", "-pk"))
        context.update(
            title=donor.name,
            receipts=section_page(self.request, receipts, "receipts"),
            pledges=section_page(self.request, pledges, "pledges"),
            given=donor_given(donor, viewer=user),
            can_edit=can_edit_donor(user, donor),
        )
        return context


class DonorHistoryView(HistoryPageView):
    template_name = "donations/history.html"

    def record_for(self, request, pk):
        return _donor_for(request, pk)

    def history_of(self, donor):
        return donor_history(donor=donor)

    def extra_context(self, donor) -> dict:
        return {"back_url": "donations:donor-detail"}

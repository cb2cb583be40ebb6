"""Pages of the member organisations and their activities: the organisations (list with counts by
kind and their latest members; detail with the members by year, a form to record a year, and the
organisation's activities; create, edit, change history) and the activities (list with totals,
create, detail, edit, change history).

Both are read through `visible_to` (404 outside it): a unit's are seen by the unit and the units
above. They are kept by the officers of their own unit (403 for others who see them), through
donations.support.services.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import CountedListMixin, HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin
from households.models import Household

from ...permissions import NOT_ORGANISATION_KEEPER, can_keep_organisations
from ...views.sections import section_page
from .. import services
from ..filters import ActivityFilterSet, OrganisationFilterSet
from ..forms import ActivityForm, MembershipForm, OrganisationForm
from ..models import Activity, Organisation
from ..selectors import (
    activity_history,
    activity_totals,
    organisation_counts,
    organisation_history,
    organisations_with_latest,
)

# -- member organisations --------------------------------------------------------------------------


def _require_keeper(request) -> None:
    if not can_keep_organisations(request.user):
        raise PermissionDenied(NOT_ORGANISATION_KEEPER)


def _organisation_for(request, pk: int, *, for_update: bool = False) -> Organisation:
    """The organisation ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user
    must also keep it (403)."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if for_update and not can_keep_organisations(request.user, organisation.unit_id):
        raise PermissionDenied(NOT_ORGANISATION_KEEPER)
    return organisation


class OrganisationListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    paginate_by = 50
    template_name = "support/organisation_list.html"

    def get_queryset(self):
        return organisations_with_latest(super().get_queryset().select_related("unit")
                                         .order_by("unit__code", "kind", "name", "pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, total = organisation_counts(self.object_list)
        context.update(title=_("Member organisations"), counts=rows, counts_total=total,
                       can_create=can_keep_organisations(self.request.user))
        return context


class OrganisationFormView(View):
    template_name = "support/organisation_form.html"

    def _render(self, request, form, organisation=None, status=200):
        return render(request, self.template_name, {
            "title": _("Edit organisation") if organisation else _("New member organisation"), "form": form,
            "organisation": organisation,
        }, status=status)


class OrganisationCreateView(OrganisationFormView):
    def get(self, request):
        _require_keeper(request)
        return self._render(request, OrganisationForm())

    def post(self, request):
        _require_keeper(request)
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = made_once(request, lambda: services.organisation_create(
                    actor=request.user, **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Organisation “%(name)s” saved.") % {"name": organisation.name})
                return redirect("support:organisation-detail", pk=organisation.pk)
        return self._render(request, form, status=400)


class OrganisationUpdateView(RecordGoneMixin, OrganisationFormView):
    def get(self, request, pk):
        organisation = _organisation_for(request, pk, for_update=True)
        return self._render(request, OrganisationForm(instance=organisation), organisation)

    def post(self, request, pk):
        organisation = _organisation_for(request, pk, for_update=True)
        # The form writes what was typed on its instance: a copy, so the page keeps the organisation as saved.
        form = OrganisationForm(request.POST, instance=copy.copy(organisation))
        if form.is_valid():
            try:
                services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Organisation saved."))
                return redirect("support:organisation-detail", pk=organisation.pk)
        return self._render(request, form, organisation, status=400)


def _organisation_page(request, organisation: Organisation, membership_form: MembershipForm, status=200):
    """The organisation's page: its members by year (with the form to record a year) and its activities."""
    activities = (Activity.objects.visible_to(request.user).filter(organisation=organisation)
                  .order_by("-starts_on", "-pk"))
    return render(request, "support/organisation_detail.html", {
        "title": organisation.name, "organisation": organisation,
        "memberships": organisation.memberships.order_by("-year"), "membership_form": membership_form,
        "activities": section_page(request, activities, "activities"), "totals": activity_totals(activities),
        "can_edit": can_keep_organisations(request.user, organisation.unit_id),
    }, status=status)


class OrganisationDetailView(View):
    def get(self, request, pk):
        return _organisation_page(request, _organisation_for(request, pk), MembershipForm())


class MembershipRecordView(RecordGoneMixin, View):
    """The members of a year, recorded from the organisation's page (a year recorded again is corrected)."""

    def post(self, request, pk):
        organisation = _organisation_for(request, pk, for_update=True)
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                services.membership_record(actor=request.user, organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Members of %(year)s recorded.") % {"year": form.cleaned_data["year"]})
                return redirect("support:organisation-detail", pk=organisation.pk)
        return _organisation_page(request, organisation, form, status=400)


class OrganisationHistoryView(HistoryPageView):
    template_name = "donations/history.html"

    def record_for(self, request, pk):
        return _organisation_for(request, pk)

    def history_of(self, organisation):
        return organisation_history(organisation=organisation)

    def extra_context(self, organisation) -> dict:
        return {"back_url": "support:organisation-detail"}


# -- activities ------------------------------------------------------------------------------------


def _activity_for(request, pk: int, *, for_update: bool = False) -> Activity:
    activity = get_object_or_404(Activity.objects.visible_to(request.user)
                                 .select_related("unit", "organisation", "recorded_by"), pk=pk)
    if for_update and not can_keep_organisations(request.user, activity.unit_id):
        raise PermissionDenied(NOT_ORGANISATION_KEEPER)
    return activity


class ActivityListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    model = Activity
    filterset_class = ActivityFilterSet
    paginate_by = 50
    template_name = "support/activity_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "organisation").order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Activities of the member organisations"), totals=activity_totals(self.object_list),
                       can_create=can_keep_organisations(self.request.user))
        return context


class ActivityFormView(View):
    template_name = "support/activity_form.html"

    def _render(self, request, form, activity=None, status=200):
        return render(request, self.template_name, {
            "title": _("Edit activity") if activity else _("New activity"), "form": form, "activity": activity,
        }, status=status)


class ActivityCreateView(ActivityFormView):
    def get(self, request):
        _require_keeper(request)
        form = ActivityForm(user=request.user, unit_id=request.user.unit_id,
                            initial={"organisation": request.GET.get("organisation")})
        return self._render(request, form)

    def post(self, request):
        _require_keeper(request)
        form = ActivityForm(request.POST, user=request.user, unit_id=request.user.unit_id)
        if form.is_valid():
            try:
                activity = made_once(request, lambda: services.activity_record(actor=request.user,
                                                                               **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Activity “%(name)s” saved.") % {"name": activity.name})
                return redirect("support:activity-detail", pk=activity.pk)
        return self._render(request, form, status=400)


class ActivityUpdateView(RecordGoneMixin, ActivityFormView):
    def get(self, request, pk):
        activity = _activity_for(request, pk, for_update=True)
        return self._render(request, ActivityForm(instance=activity, user=request.user, unit_id=activity.unit_id),
                            activity)

    def post(self, request, pk):
        activity = _activity_for(request, pk, for_update=True)
        form = ActivityForm(request.POST, instance=copy.copy(activity), user=request.user, unit_id=activity.unit_id)
        if form.is_valid():
            try:
                services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Activity saved."))
                return redirect("support:activity-detail", pk=activity.pk)
        return self._render(request, form, activity, status=400)


class ActivityDetailView(ScopedQuerysetMixin, DetailView):
    model = Activity
    template_name = "support/activity_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "organisation", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        households = (Household.objects.visible_to(user).filter(activities=activity)
                      .select_related("commune").order_by("code"))
        context.update(title=activity.name, households=section_page(self.request, households, "households"),
                       can_edit=can_keep_organisations(user, activity.unit_id))
        return context


class ActivityHistoryView(HistoryPageView):
    template_name = "donations/history.html"

    def record_for(self, request, pk):
        return _activity_for(request, pk)

    def history_of(self, activity):
        return activity_history(activity=activity)

    def extra_context(self, activity) -> dict:
        return {"back_url": "support:activity-detail"}


"""Campaign pages: list, create, detail with the progress against target, the pledges and the
receipts, edit, change history, and recording a pledge.

Campaigns are read through `Campaign.objects.visible_to` (404 outside it): the campaign of a unit
is seen by that unit, the units below it (who collect for it) and above. They are created and
changed by the officers of the unit whose fund receives the money (403 for others who see them);
a pledge is recorded by any unit's officer who sees the campaign, for a donor they see.
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
from frontwelfare.submissions import made_once, submit_once
from frontwelfare.views import HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin

from .. import services
from ..choices import Purpose
from ..filters import CampaignFilterSet
from ..forms import CampaignForm, PledgeForm
from ..models import Campaign, Pledge, Receipt
from ..permissions import NOT_DONOR_KEEPER, NOT_FUND_MANAGER, can_keep_donors, can_manage_fund, funds_managed_by
from ..selectors import (
    campaign_history,
    campaign_progress,
    campaigns_with_totals,
    pledges_with_outstanding,
    receipts_marked_reversed,
)
from .sections import section_page


def _campaign_for(request, pk: int, *, for_update: bool = False) -> Campaign:
    """The campaign ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user must
    also manage its fund (403)."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("unit", "fund"), pk=pk)
    if for_update and not can_manage_fund(request.user, campaign.fund):
        raise PermissionDenied(NOT_FUND_MANAGER)
    return campaign


def _share(part: int, whole: int) -> int:
    """``part`` as a whole percentage of ``whole``, for a bar (at most 100; 0 without a whole)."""
    return min(100, part * 100 // whole) if whole > 0 else 0


class CampaignListView(ScopedQuerysetMixin, ListView):
    model = Campaign
    filterset_class = CampaignFilterSet
    paginate_by = 30
    template_name = "donations/campaign_list.html"

    def get_queryset(self):
        return campaigns_with_totals(super().get_queryset().select_related("unit", "fund")
                                     .order_by("-starts_on", "name", "pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for campaign in context["object_list"]:
            campaign.received_share = _share(campaign.received, campaign.target)
        context.update(title=_("Campaigns"), can_create=funds_managed_by(self.request.user).exists())
        return context


class CampaignFormView(View):
    template_name = "donations/campaign_form.html"

    def _render(self, request, form, campaign=None, status=200):
        return render(request, self.template_name, {
            "title": _("Edit campaign") if campaign else _("New campaign"), "form": form, "campaign": campaign,
        }, status=status)


class CampaignCreateView(CampaignFormView):
    def get(self, request):
        self._require_fund(request)
        return self._render(request, CampaignForm(user=request.user))

    def post(self, request):
        self._require_fund(request)
        # The form is checked under the one-time key too: sent again, its code is taken (by the
        # campaign the first sending made), and the answer must still be that campaign.
        campaign, _first = submit_once(request, lambda: self._create(request), page=True)
        if isinstance(campaign, HttpResponse):
            return campaign
        messages.success(request, _("Campaign “%(name)s” created.") % {"name": campaign.name})
        return redirect("donations:campaign-detail", pk=campaign.pk)

    def _create(self, request) -> Campaign | HttpResponse:
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                return services.campaign_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
        return self._render(request, form, status=400)

    @staticmethod
    def _require_fund(request):
        if not funds_managed_by(request.user).exists():
            raise PermissionDenied(_("A campaign is run by the officers of the unit whose fund receives its money; "
                                     "your unit has no fund."))


class CampaignUpdateView(RecordGoneMixin, CampaignFormView):
    def get(self, request, pk):
        campaign = _campaign_for(request, pk, for_update=True)
        return self._render(request, CampaignForm(instance=campaign, user=request.user), campaign)

    def post(self, request, pk):
        campaign = _campaign_for(request, pk, for_update=True)
        # The form writes what was typed on its instance: a copy, so the page keeps the campaign as saved.
        form = CampaignForm(request.POST, instance=copy.copy(campaign), user=request.user)
        if form.is_valid():
            try:
                services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("donations:campaign-detail", pk=campaign.pk)
        return self._render(request, form, campaign, status=400)


class CampaignDetailView(ScopedQuerysetMixin, DetailView):
    """The campaign's progress (target, pledged, received, spent by purpose, left: the whole
    campaign's, as its public page shows them), the pledges and receipts the viewer sees."""

    model = Campaign
    template_name = "donations/campaign_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "fund", "fund__unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign, user = self.object, self.request.user
        progress = campaign_progress(campaign)
        purposes = dict(Purpose.choices)
        pledges = pledges_with_outstanding(Pledge.objects.visible_to(user).filter(campaign=campaign)
                                           .select_related("donor", "unit").order_by("-pledged_on", "-pk"))
        receipts = receipts_marked_reversed(Receipt.objects.visible_to(user).filter(campaign=campaign)
                                            .select_related("donor", "fund").order_by("-happened_on", "-pk"))
        context.update(
            title=campaign.name,
            progress=progress,
            received_share=_share(progress.received, campaign.target),
            pledged_share=_share(progress.pledged, campaign.target),
            spent=[(purposes.get(purpose, purpose), amount) for purpose, amount in
                   sorted(progress.spent_by_purpose.items(), key=lambda item: -item[1])],
            pledges=section_page(self.request, pledges, "pledges"),
            receipts=section_page(self.request, receipts, "receipts"),
            can_edit=can_manage_fund(user, campaign.fund),
            can_pledge=can_keep_donors(user),
        )
        return context


class CampaignHistoryView(HistoryPageView):
    template_name = "donations/history.html"

    def record_for(self, request, pk):
        return _campaign_for(request, pk)

    def history_of(self, campaign):
        return campaign_history(campaign=campaign)

    def extra_context(self, campaign) -> dict:
        return {"back_url": "donations:campaign-detail"}


class PledgeCreateView(RecordGoneMixin, View):
    """A pledge announced for the campaign, by a donor the officer sees (services.pledge_record)."""

    template_name = "donations/pledge_form.html"

    def get(self, request, pk):
        campaign = self._campaign(request, pk)
        return self._render(request, campaign, PledgeForm(user=request.user))

    def post(self, request, pk):
        campaign = self._campaign(request, pk)
        form = PledgeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                pledge = made_once(request, lambda: services.pledge_record(actor=request.user, campaign=campaign,
                                                                           **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Pledge of %(donor)s recorded.") % {"donor": pledge.donor.name})
                return redirect("donations:campaign-detail", pk=campaign.pk)
        return self._render(request, campaign, form, status=400)

    @staticmethod
    def _campaign(request, pk) -> Campaign:
        campaign = _campaign_for(request, pk)
        if not can_keep_donors(request.user):
            raise PermissionDenied(NOT_DONOR_KEEPER)
        return campaign

    def _render(self, request, campaign, form, status=200):
        return render(request, self.template_name, {
            "title": _("Record a pledge"), "campaign": campaign, "form": form,
        }, status=status)

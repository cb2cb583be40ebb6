"""The level above's pages of a round: the list of rounds, setting one up, its page (dates, criteria
and their versions, reopenings, meetings, notices), its criteria, reopening it for a commune, the
synthesis sent to the province, and the inspection plan.

The level above is the district's standing committee, or the province's for the communes of the
current units (`permissions.runs_round`). Rounds and their records are read through
``visible_to`` (404 outside it); the others who see a round read its pages and are refused (403)
its forms; every change goes through models_registry.services, which checks again under lock.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.areas.choices import Level
from frontwelfare.forms import add_service_error
from frontwelfare.reports.models import Report
from frontwelfare.submissions import made_once
from frontwelfare.views import RecordGoneMixin, ScopedQuerysetMixin

from .. import services
from ..choices import Field, Transition
from ..filters import RoundFilterSet
from ..forms_above import CriteriaFormSet, PlanForm, ReopenForm, RoundCreateForm, RoundDatesForm
from ..models import Criterion, Meeting, Notice, PlannedInspection, Reopening, Round, TypicalModel
from ..permissions import is_approver_of, runs_round
from ..selectors import round_synthesis
from ..services.rounds import ROUND_FIELDS, criteria_in_use
from ..workflow import STEPS

TEMPLATES = "models_registry/above/"


def round_for(request, pk: int, *, for_update: bool = False) -> Round:
    """The round ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user must also
    run it (403)."""
    round_ = get_object_or_404(Round.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if for_update and not runs_round(request.user, round_.unit):
        raise PermissionDenied
    return round_


def model_for(request, pk: int, *, for_update: bool = False) -> TypicalModel:
    """The model ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user must be the
    level above its commune (403)."""
    model = get_object_or_404(TypicalModel.objects.visible_to(request.user)
                              .select_related("commune", "round__unit"), pk=pk)
    if for_update and not is_approver_of(request.user, model.commune):
        raise PermissionDenied
    return model


def _own_unit_runs_rounds(user) -> bool:
    """Whether the user is a committee that runs rounds (a district's member, a province's officer)."""
    return user.unit_id is not None and runs_round(user, user.unit)


# -- the list and setting one up --------------------------------------------------------------------


class RoundListView(ScopedQuerysetMixin, ListView):
    """The rounds the viewer sees, newest first: a province sees each district's, sent to it or not."""

    model = Round
    filterset_class = RoundFilterSet
    paginate_by = 30
    template_name = TEMPLATES + "round_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "synthesis_sent_by").order_by("-year", "unit__code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Rounds of typical models"), can_create=_own_unit_runs_rounds(self.request.user))
        return context


class RoundCreateView(View):
    """The committee sets up its round of a year ahead of its communes, with its own dates."""

    template_name = TEMPLATES + "round_form.html"

    def get(self, request):
        self._require_committee(request)
        return self._render(request, RoundCreateForm())

    def post(self, request):
        self._require_committee(request)
        form = RoundCreateForm(request.POST)
        if form.is_valid():
            try:
                round_ = made_once(request, lambda: services.round_create(
                    actor=request.user, unit=request.user.unit, year=form.cleaned_data["year"], **form.dates()))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Round %(round)s set up.") % {"round": round_})
                return redirect("models:round-detail", pk=round_.pk)
        return self._render(request, form, status=400)

    @staticmethod
    def _require_committee(request):
        if not _own_unit_runs_rounds(request.user):
            raise PermissionDenied

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"title": _("Set up the round"), "form": form}, status=status)


# -- the round's page ---------------------------------------------------------------------------------


class RoundDetailView(ScopedQuerysetMixin, DetailView):
    """The round's dates, the criteria in force (and the older versions), the communes it was
    reopened for, its meetings and notices."""

    model = Round
    context_object_name = "round"
    template_name = TEMPLATES + "round_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "synthesis_sent_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_, user = self.object, self.request.user
        current, older = criteria_versions(round_, user)
        context.update(
            title=str(round_),
            can_manage=runs_round(user, round_.unit),
            criteria=current,
            criteria_total=sum(criterion.weight for criterion in current),
            older_versions=older,
            reopenings=Reopening.objects.visible_to(user).filter(round=round_).select_related("commune",
                                                                                               "reopened_by"),
            meetings=Meeting.objects.visible_to(user).filter(round=round_),
            notices=Notice.objects.visible_to(user).filter(round=round_),
        )
        return context


def criteria_versions(round_: Round, user) -> tuple[list[Criterion], list[tuple[int, list[Criterion]]]]:
    """The round's criteria in force, and the older versions (newest first) as (version, criteria):
    one query."""
    criteria = list(Criterion.objects.visible_to(user).filter(round=round_).order_by("-version", "position"))
    current = [criterion for criterion in criteria if criterion.version == round_.criteria_version]
    older = [(version, list(rows)) for version, rows in groupby(
        (criterion for criterion in criteria if criterion.version != round_.criteria_version),
        key=lambda criterion: criterion.version)]
    return current, older


class RoundUpdateView(RecordGoneMixin, View):
    """The round's deadline, mid-year review and final-report date."""

    template_name = TEMPLATES + "round_form.html"

    def get(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        form = RoundDatesForm(initial={name: getattr(round_, name) for name in ROUND_FIELDS})
        return self._render(request, round_, form)

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        form = RoundDatesForm(request.POST)
        if form.is_valid():
            try:
                services.round_update(actor=request.user, round_=round_, **form.dates())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The round's dates are saved."))
                return redirect("models:round-detail", pk=round_.pk)
        return self._render(request, round_, form, status=400)

    def _render(self, request, round_, form, status=200):
        return render(request, self.template_name, {
            "title": _("Dates of %(round)s") % {"round": round_}, "round": round_, "form": form,
        }, status=status)


class RoundCriteriaView(RecordGoneMixin, View):
    """The criteria of the round and their weights, edited as rows; once an inspection was scored
    with the version in force, saving makes a new version (the page says so beforehand)."""

    template_name = TEMPLATES + "round_criteria.html"

    def get(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        current = services.current_criteria(round_)
        formset = CriteriaFormSet(initial=[{"name": criterion.name, "description": criterion.description,
                                            "weight": criterion.weight} for criterion in current])
        return self._render(request, round_, formset)

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        formset = CriteriaFormSet(request.POST)
        if formset.is_valid():
            try:
                version = services.criteria_set(actor=request.user, round_=round_, criteria=formset.criteria())
            except ValidationError as error:
                formset.add_service_error(error)
            else:
                messages.success(request, _("Criteria saved (version %(version)s).") % {"version": version})
                return redirect(reverse("models:round-detail", args=[round_.pk]) + "#criteria")
        return self._render(request, round_, formset, status=400)

    def _render(self, request, round_, formset, status=200):
        return render(request, self.template_name, {
            "title": _("Criteria of %(round)s") % {"round": round_}, "round": round_, "formset": formset,
            "new_version": criteria_in_use(round_),
        }, status=status)


class RoundReopenView(RecordGoneMixin, View):
    """The round opened again for one of its communes after the deadline, until a day, with the reason."""

    template_name = TEMPLATES + "round_reopen.html"

    def get(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        return self._render(request, round_, ReopenForm(round_=round_, user=request.user))

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        form = ReopenForm(request.POST, round_=round_, user=request.user)
        if form.is_valid():
            try:
                reopening = made_once(request, lambda: services.round_reopen(actor=request.user, round_=round_,
                                                                             **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The round is open for %(commune)s until %(until)s.") % {
                    "commune": reopening.commune.name, "until": date_format(reopening.until, "SHORT_DATE_FORMAT")})
                return redirect(reverse("models:round-detail", args=[round_.pk]) + "#reopenings")
        return self._render(request, round_, form, status=400)

    def _render(self, request, round_, form, status=200):
        return render(request, self.template_name, {
            "title": _("Reopen %(round)s for a commune") % {"round": round_}, "round": round_, "form": form,
        }, status=status)


# -- the synthesis --------------------------------------------------------------------------------------


class RoundSynthesisView(RecordGoneMixin, View):
    """Every registration of the round by commune and field, the communes that registered none marked
    (in words too, not by colour alone), totals by field; sent to the province, with its reports."""

    template_name = TEMPLATES + "round_synthesis.html"

    def get(self, request, pk):
        round_ = round_for(request, pk)
        rows = round_synthesis(round_, request.user)
        fields = list(Field.choices)
        totals = {value: sum(len(row.by_field.get(value, [])) for row in rows) for value, _label in fields}
        return render(request, self.template_name, {
            "title": _("Synthesis of %(round)s") % {"round": round_}, "round": round_, "rows": rows,
            "fields": fields, "totals": totals, "total": sum(totals.values()),
            "without_any": sum(row.registered_none for row in rows),
            "can_send": runs_round(request.user, round_.unit),
            "sends_to_province": round_.unit.level == Level.DISTRICT,
            "reports": _synthesis_reports(round_, request.user),
        })


def _synthesis_reports(round_: Round, user) -> list[Report]:
    """The reports the synthesis was frozen into, those the viewer may open."""
    ids = [pk for pk in (round_.synthesis_xlsx_id, round_.synthesis_pdf_id) if pk]
    return list(Report.objects.visible_to(user).filter(pk__in=ids).order_by("format")) if ids else []


class RoundSendView(RecordGoneMixin, View):
    """"Send to the province": the synthesis frozen as reports (XLSX and PDF) the province reads."""

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        try:
            services.synthesis_send(actor=request.user, round_=round_)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The synthesis is sent: its reports are being made."))
        return redirect("models:round-synthesis", pk=round_.pk)


# -- the inspection plan --------------------------------------------------------------------------------


class RoundPlanView(RecordGoneMixin, View):
    """The round's submitted models, each with the form that puts it on the inspection plan (the
    officers assigned, the day), and the models planned so far."""

    template_name = TEMPLATES + "round_plan.html"

    def get(self, request, pk):
        round_ = round_for(request, pk)
        return self._render(request, round_)

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        chosen = str(request.POST.get("model", ""))
        numeric = chosen.isascii() and chosen.isdigit()  # "²" is a digit to isdigit(), not to the database
        model = self._awaiting(request, round_).filter(pk=chosen).first() if numeric else None
        if model is None:
            messages.error(request, _("Choose a model of this round that awaits its inspection plan."))
            return self._render(request, round_, status=400)
        form = PlanForm(request.POST, prefix=f"plan-{model.pk}")
        if form.is_valid():
            try:
                made_once(request, lambda: services.inspection_plan(actor=request.user, model=model,
                                                                    **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("“%(model)s” is on the inspection plan.") % {"model": model.name})
                return redirect("models:round-plan", pk=round_.pk)
        return self._render(request, round_, bound={model.pk: form}, status=400)

    @staticmethod
    def _awaiting(request, round_):
        awaiting = STEPS[Transition.PLAN].sources  # the states the workflow plans an inspection from
        return TypicalModel.objects.visible_to(request.user).filter(round=round_, state__in=awaiting) \
            .select_related("commune").order_by("commune__code", "name")

    def _render(self, request, round_, *, bound=None, status=200):
        can_manage = runs_round(request.user, round_.unit)
        awaiting = list(self._awaiting(request, round_))
        for model in awaiting:
            model.plan_form = ((bound or {}).get(model.pk) or PlanForm(prefix=f"plan-{model.pk}")) \
                if can_manage else None
        planned = PlannedInspection.objects.visible_to(request.user).filter(model__round=round_) \
            .select_related("model__commune").order_by("planned_on", "model__commune__code")
        return render(request, self.template_name, {
            "title": _("Inspection plan of %(round)s") % {"round": round_}, "round": round_, "awaiting": awaiting,
            "planned": planned, "can_manage": can_manage,
        }, status=status)

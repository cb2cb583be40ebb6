"""Programme pages: list, create, detail with the progress table, edit, targets.

Programmes are read through `Programme.objects.visible_to` (404 outside it); changes are for
the committee that runs the programme (403 for others who see it) and go through the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.scope import covers
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin

from .. import services
from ..choices import CLOSED_STATES
from ..filters import ProgrammeFilterSet
from ..forms import ProgrammeForm, TargetsForm
from ..models import Programme
from ..permissions import can_manage_programme_of, is_commune_officer_of, programme_units_for
from ..selectors import (
    PROGRESS_LABELS,
    UnitProgress,
    programme_history,
    programme_progress,
    programmes_with_figures,
)


def _programme_for(request, pk: int, *, for_update: bool = False) -> Programme:
    """The programme ``pk`` if the user sees it (404 otherwise); with ``for_update`` the user
    must also run it (403)."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if for_update and not can_manage_programme_of(request.user, programme.unit):
        raise PermissionDenied
    return programme


class ProgrammeListView(ScopedQuerysetMixin, ListView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    paginate_by = 30
    template_name = "housing/programme_list.html"

    def get_queryset(self):
        return programmes_with_figures(super().get_queryset(), user=self.request.user).order_by("-deadline", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Housing programmes"), can_create=programme_units_for(self.request.user).exists())
        return context


class ProgrammeCreateView(View):
    template_name = "housing/programme_form.html"

    def get(self, request):
        self._require_creator(request)
        return self._render(request, ProgrammeForm(user=request.user))

    def post(self, request):
        self._require_creator(request)
        form = ProgrammeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                programme = made_once(request, lambda: services.programme_create(actor=request.user,
                                                                                 **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Programme “%(name)s” created. Now set its targets.")
                                 % {"name": programme.name})
                return redirect("housing:programme-targets", pk=programme.pk)
        return self._render(request, form, status=400)

    @staticmethod
    def _require_creator(request):
        if not programme_units_for(request.user).exists():
            raise PermissionDenied

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"title": _("New housing programme"), "form": form},
                      status=status)


class ProgrammeDetailView(ScopedQuerysetMixin, DetailView):
    """The programme and its progress against targets in every unit the viewer sees."""

    model = Programme
    template_name = "housing/programme_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        commune = user.unit if is_commune_officer_of(user, user.unit_id) else None
        progress = programme_progress(programme=programme, user=user)
        open_district = _int_or_none(self.request.GET.get("district"))
        can_manage = can_manage_programme_of(user, programme.unit)
        counts = progress.state_counts
        context.update(
            title=programme.name,
            progress=progress,
            rows=rows_shown(progress.rows, open_district=open_district),
            open_district=open_district,
            columns=list(PROGRESS_LABELS.items()),
            counts=counts,
            open_cases=sum(count for state, _label, count in counts if state not in CLOSED_STATES),
            can_manage=can_manage,
            can_propose=commune is not None and covers(programme.unit_id, commune),
        )
        return context


def rows_shown(rows: list[UnitProgress], *, open_district: int | None) -> list[UnitProgress]:
    """The progress rows the page draws. Where several districts show (a province's programme
    seen from the province), each district is one row, with how many of its communes are
    behind, and its communes show only when it is opened (``open_district``): a province has a
    hundred and more communes, a wall on a phone. Otherwise every row shows."""
    districts = [row for row in rows if row.depth == 0 and any(child.unit.parent_id == row.unit.pk
                                                               for child in rows if child.depth == 1)]
    if len(districts) < 2:
        return rows
    for district in districts:
        children = [row for row in rows if row.depth == 1 and row.unit.parent_id == district.unit.pk]
        district.communes_behind = sum(child.behind for child in children)
        district.is_open = district.unit.pk == open_district
    return [row for row in rows if row.depth == 0 or row.unit.parent_id == open_district]


def _int_or_none(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


class ProgrammeHistoryView(HistoryPageView):
    """Every change to the programme and its targets, newest first, for the committee that runs
    it: a page of its own, because a province's targets alone make a hundred entries and more."""

    template_name = "housing/programme_history.html"

    def record_for(self, request, pk):
        return _programme_for(request, pk, for_update=True)

    def history_of(self, programme):
        return programme_history(programme=programme)

    def extra_context(self, programme) -> dict:
        return {"title": _("Change history of %(programme)s") % {"programme": programme.name},
                "programme": programme}


class ProgrammeUpdateView(RecordGoneMixin, View):
    template_name = "housing/programme_form.html"

    def get(self, request, pk):
        programme = _programme_for(request, pk, for_update=True)
        return self._render(request, programme, ProgrammeForm(instance=programme, user=request.user))

    def post(self, request, pk):
        programme = _programme_for(request, pk, for_update=True)
        form = ProgrammeForm(request.POST, instance=programme, user=request.user)
        if form.is_valid():
            try:
                services.programme_update(actor=request.user, programme=programme, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("housing:programme-detail", pk=programme.pk)
        return self._render(request, programme, form, status=400)

    def _render(self, request, programme, form, status=200):
        return render(request, self.template_name, {
            "title": _("Edit programme"), "form": form, "programme": programme,
        }, status=status)


class ProgrammeTargetsView(RecordGoneMixin, View):
    """Targets of new houses and repairs for every unit below the programme's, on one page."""

    template_name = "housing/programme_targets.html"

    def get(self, request, pk):
        programme = _programme_for(request, pk, for_update=True)
        return self._render(request, programme, self._form(programme))

    def post(self, request, pk):
        programme = _programme_for(request, pk, for_update=True)
        form = self._form(programme, request.POST)
        if form.is_valid():
            try:
                services.programme_targets_set(actor=request.user, programme=programme, targets=form.targets())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Targets saved."))
                return redirect("housing:programme-detail", pk=programme.pk)
        return self._render(request, programme, form, status=400)

    @staticmethod
    def _form(programme, data=None) -> TargetsForm:
        units = list(AdministrativeUnit.objects.below(programme.unit).order_by("district__code", "-level", "code"))
        initial = {target.unit_id: (target.new_builds, target.repairs) for target in programme.targets.all()}
        return TargetsForm(data, units=units, initial_targets=initial)

    def _render(self, request, programme, form, status=200):
        return render(request, self.template_name, {
            "title": _("Targets of %(programme)s") % {"programme": programme.name}, "programme": programme,
            "form": form,
        }, status=status)

"""The commune's side of the typical models, and a model's page: the list (filtered, 50 to a page),
the board of a year's round by state, registering on a phone (with a first photo), editing and
deleting a draft, the model's page with its steps, files, inspection, recognition and replication,
the forms posted from it, and its change history.

Models are read through `TypicalModel.objects.visible_to` (404 outside it); every change goes through
models_registry.services, which checks the role, the state and the deadline again under lock.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import scope_q, unit_in_scope
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import CountedListMixin, HistoryPageView, RecordGoneMixin, ScopedQuerysetMixin
from housing.views.cases import attachment_response

from .. import services
from ..choices import REGISTERED_STATES, AttachmentKind, ModelState
from ..filters import TypicalModelFilterSet
from ..forms import AttachmentForm, BoardForm, MediaForm, StepForm, StudyVisitForm, TypicalModelForm
from ..models import ModelAttachment, Reopening, Round, TypicalModel
from ..permissions import (
    NOT_MODEL_OFFICER,
    NOT_REGISTERING_OFFICER,
    STEP_NOT_FOR_ROLE,
    is_approver_of,
    is_commune_officer_of,
    round_unit_of,
)
from ..selectors import (
    first_of_each_state,
    model_history,
    replication_of,
    state_counts,
    state_counts_by_round_unit,
)
from ..workflow import (
    DECISION,
    DIRECT,
    INSPECTION,
    MEETING,
    PLAN,
    STEPS,
    attachable_kinds,
    can_delete,
    can_edit,
    can_record_replication,
    may_take,
    steps_for,
)

# A board's column shows this many models of its state; the list filtered to the state has them all.
CARDS_PER_STATE = 50
NOT_EDITABLE = gettext_lazy("The model is with the level above: the commune can change it again only if it is "
                            "returned.")


def _model_for(request, pk: int) -> TypicalModel:
    """The model ``pk`` if the user sees it (404 otherwise), with what its page shows of one row each."""
    return get_object_or_404(TypicalModel.objects.visible_to(request.user).select_related(
        "round__unit", "commune", "leader_organisation", "replicates__commune", "replicates__round", "created_by",
        "inspection", "meeting_item__meeting"), pk=pk)


# -- the list and the board --------------------------------------------------------------------------


class ModelListView(CountedListMixin, ScopedQuerysetMixin, ListView):
    """The models within the viewer's scope, filtered, 50 to a page."""

    model = TypicalModel
    filterset_class = TypicalModelFilterSet
    paginate_by = 50
    template_name = "models_registry/model_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related(
            "commune", "round", "leader_organisation", "replicates__commune").order_by(
            "-round__year", "commune__code", "name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for model in context["object_list"]:
            # The original's page is linked only for a viewer who may open it (no query: the
            # commune row is read with the page).
            model.original_shown = model.replicates_id is not None and unit_in_scope(user, model.replicates.commune)
        context.update(title=_("Typical models"), can_register=is_commune_officer_of(user, user.unit_id),
                       show_commune=user.role != Role.COMMUNE_OFFICER)
        return context


class BoardView(View):
    """A year's round by state. The level above (a district's committee; a province's for its
    current-era communes) sees a column per state with its models; a province first sees a table of
    every district's round (and its own) with the counts; a commune officer their own commune's
    models. Counts are grouped queries; a column shows at most CARDS_PER_STATE models."""

    template_name = "models_registry/model_board.html"

    def get(self, request):
        user = request.user
        form = BoardForm(request.GET)
        chosen = form.cleaned_data if form.is_valid() else {}
        year = chosen.get("year") or timezone.localdate().year
        context = {"title": _("Typical models of %(year)s") % {"year": year}, "year": year, "form": form,
                   "years": self._years(user, year), "can_register": is_commune_officer_of(user, user.unit_id)}
        if user.role == Role.COMMUNE_OFFICER:
            context.update(self._commune_board(user, year))
        else:
            unit = self._round_unit(user, chosen.get("unit"))
            context.update(self._round_board(user, unit, year) if unit else self._table(user, year))
        return render(request, self.template_name, context)

    @staticmethod
    def _years(user, year: int) -> list[int]:
        """The years of the rounds the viewer sees, this year and the one shown: the year picker."""
        years = set(Round.objects.visible_to(user).order_by().values_list("year", flat=True).distinct())
        return sorted(years | {timezone.localdate().year, year}, reverse=True)

    @staticmethod
    def _round_unit(user, unit_id: int | None):
        """The unit whose round is shown in columns: the one asked for (a district of the province, or
        the province itself; 404 outside the viewer's scope), a district member's own district, or
        None for the table of a province (or of the whole country, for the administrator)."""
        if unit_id is not None:
            units = AdministrativeUnit.objects.filter(scope_q(user, ""), level__in=[Level.DISTRICT, Level.PROVINCE])
            return get_object_or_404(units, pk=unit_id)
        return user.unit if user.role == Role.DISTRICT_MEMBER else None

    @staticmethod
    def _columns(models, states, round_) -> list[dict]:
        counts = state_counts(models)
        cards = first_of_each_state(models, per_state=CARDS_PER_STATE)
        return [{"state": state, "label": ModelState(state).label, "count": counts[state],
                 "models": cards.get(state, []), "more": counts[state] > CARDS_PER_STATE,
                 "list_query": f"round={round_.pk}&state={state}" if round_ else ""} for state in states]

    def _round_board(self, user, unit, year: int) -> dict:
        """The level above's board: the registered models of its round (drafts are the communes' own)."""
        round_ = Round.objects.visible_to(user).filter(unit=unit, year=year).first()
        models = TypicalModel.objects.visible_to(user).filter(round=round_).exclude(state=ModelState.DRAFT) \
            if round_ else TypicalModel.objects.none()
        columns = self._columns(models, REGISTERED_STATES, round_)
        return {"mode": "round", "unit": unit, "round": round_, "columns": columns,
                "total": sum(column["count"] for column in columns),
                "back_to_table": user.role in (Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR)}

    def _commune_board(self, user, year: int) -> dict:
        """A commune officer's own models of the year, drafts included, with the round's deadline."""
        commune = user.unit
        round_ = Round.objects.visible_to(user).filter(unit=round_unit_of(commune), year=year).first()
        models = TypicalModel.objects.visible_to(user).filter(round=round_, commune=commune) \
            if round_ else TypicalModel.objects.none()
        columns = self._columns(models, ModelState.values, round_)
        return {"mode": "commune", "unit": commune, "round": round_, "columns": columns,
                "total": sum(column["count"] for column in columns),
                **(_deadline_context(round_, commune, user) if round_ else {})}

    def _table(self, user, year: int) -> dict:
        """Every district's round of the province (and the province's own, for its communes of the
        current units) with its models counted by state: one grouped query."""
        models = TypicalModel.objects.visible_to(user).filter(round__year=year).exclude(state=ModelState.DRAFT)
        by_unit = state_counts_by_round_unit(models)
        if user.role == Role.PROVINCIAL_OFFICER:
            province = user.unit
            units = list(AdministrativeUnit.objects.filter(level=Level.DISTRICT, province=province).order_by("code"))
            if province.pk in by_unit or AdministrativeUnit.objects.filter(
                    level=Level.COMMUNE, province=province, district__isnull=True).exists():
                units.append(province)
        else:
            units = list(AdministrativeUnit.objects.filter(pk__in=list(by_unit)).order_by("province__code", "code"))
        rows = []
        for unit in units:
            counts = by_unit.get(unit.pk, {})
            rows.append({"unit": unit, "counts": [counts.get(state, 0) for state in REGISTERED_STATES],
                         "total": sum(counts.values())})
        totals = [sum(row["counts"][index] for row in rows) for index in range(len(REGISTERED_STATES))]
        return {"mode": "table", "rows": rows, "states": [ModelState(state) for state in REGISTERED_STATES],
                "totals": totals, "total": sum(totals)}


def _deadline_context(round_: Round, commune, user) -> dict:
    """The round's deadline for ``commune``: passed or not, and the reopening in force for it."""
    today = timezone.localdate()
    reopening = Reopening.objects.visible_to(user).filter(round=round_, commune=commune, until__gte=today) \
        .order_by("-until").first()
    return {"deadline_passed": today > round_.deadline, "reopening": reopening,
            "own_commune": is_commune_officer_of(user, commune.pk)}


# -- registering, editing, deleting ------------------------------------------------------------------


def _require_registering_officer(request) -> None:
    if not is_commune_officer_of(request.user, request.user.unit_id):
        raise PermissionDenied(NOT_REGISTERING_OFFICER)


def _register(actor, form: TypicalModelForm) -> TypicalModel:
    """The draft and its first photo, all or nothing: a photo refused leaves no draft behind."""
    with transaction.atomic():
        model = services.model_create(actor=actor, year=form.cleaned_data["year"], **form.model_fields())
        photo = form.cleaned_data.get("photo")
        if photo:
            try:
                services.attachment_add(actor=actor, model=model, kind=AttachmentKind.PHOTO, uploaded_file=photo)
            except ValidationError as error:
                raise ValidationError({"photo": error.messages}) from error
    return model


class ModelFormView(View):
    template_name = "models_registry/model_form.html"

    def _render(self, request, form, model=None, status=200):
        return render(request, self.template_name, {
            "title": _("Edit the model") if model else _("Register a typical model"), "form": form, "model": model,
        }, status=status)


class ModelCreateView(ModelFormView):
    """A commune officer registers a model of their commune, on a phone: a draft, with a first photo."""

    def get(self, request):
        _require_registering_officer(request)
        return self._render(request, TypicalModelForm(user=request.user, commune=request.user.unit))

    def post(self, request):
        _require_registering_officer(request)
        form = TypicalModelForm(request.POST, request.FILES, user=request.user, commune=request.user.unit)
        if form.is_valid():
            try:
                model = made_once(request, lambda: _register(request.user, form))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("“%(name)s” saved as a draft. Register it when it is complete.")
                                 % {"name": model.name})
                return redirect("models:model-detail", pk=model.pk)
        return self._render(request, form, status=400)


def _editable(request, pk: int) -> TypicalModel:
    model = _model_for(request, pk)
    if not can_edit(request.user, model):
        raise PermissionDenied(NOT_EDITABLE if is_commune_officer_of(request.user, model.commune_id)
                               else NOT_MODEL_OFFICER)
    return model


class ModelUpdateView(RecordGoneMixin, ModelFormView):
    """The commune changes its registration while it holds it (draft, registered, returned)."""

    def get(self, request, pk):
        model = _editable(request, pk)
        return self._render(request, TypicalModelForm(instance=copy.copy(model), user=request.user,
                                                      commune=model.commune), model)

    def post(self, request, pk):
        model = _editable(request, pk)
        # The form writes what was typed on its instance: a copy, so the page keeps the model as saved.
        form = TypicalModelForm(request.POST, instance=copy.copy(model), user=request.user, commune=model.commune)
        if form.is_valid():
            try:
                services.model_update(actor=request.user, model=model, **form.model_fields())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Model saved."))
                return redirect("models:model-detail", pk=model.pk)
        return self._render(request, form, model, status=400)


class ModelDeleteView(RecordGoneMixin, View):
    """A draft thrown away by its commune, after a page that asks to confirm."""

    template_name = "models_registry/model_delete.html"

    def get(self, request, pk):
        model = self._deletable(request, pk)
        return render(request, self.template_name, {"title": _("Delete the draft"), "model": model})

    def post(self, request, pk):
        model = self._deletable(request, pk)
        services.model_delete(actor=request.user, model=model)
        messages.success(request, _("The draft “%(name)s” was deleted.") % {"name": model.name})
        return redirect("models:board")

    @staticmethod
    def _deletable(request, pk):
        model = _model_for(request, pk)
        if not can_delete(request.user, model):
            raise PermissionDenied(_("Only a draft can be deleted, by its commune's officers."))
        return model


# -- a model's page and what is posted from it -----------------------------------------------------


# Where each step taken by recording something is recorded (models_registry.workflow's ``via``).
RECORDED_AT = {
    PLAN: lambda model, meeting_item: reverse("models:round-plan", args=[model.round_id]),
    INSPECTION: lambda model, meeting_item: reverse("models:inspection-record", args=[model.pk]),
    MEETING: lambda model, meeting_item: reverse("models:meeting-create", args=[model.round_id]),
    DECISION: lambda model, meeting_item: reverse("models:meeting-detail", args=[meeting_item.meeting_id]),
}


def _level_above_links(user, model: TypicalModel, meeting_item) -> list[tuple[str, str, str]]:
    """(label, address, test id) of what the level above may do for the model from other pages: the
    steps taken by recording something (the plan, the inspection, the meeting, its decision), an
    award, support, the score sheet to print. Empty for anyone else."""
    if not is_approver_of(user, model.commune):
        return []
    links, decision_listed = [], False
    for step in steps_for(user, model):
        if step.via == DIRECT or (step.via == DECISION and decision_listed):
            continue
        decision_listed = decision_listed or step.via == DECISION
        label = _("Record the meeting's decision") if step.via == DECISION else step.name.label
        links.append((label, RECORDED_AT[step.via](model, meeting_item), f"above-{step.via}"))
    if model.state in (ModelState.SUBMITTED, ModelState.PLANNED):
        links.append((_("Print the score sheet"),
                      reverse("models:score-sheet-pdf", args=[model.round_id]) + f"?model={model.pk}", "score-sheet"))
    if model.is_recognised:
        links.append((_("Give an award"), reverse("models:award-create", args=[model.pk]), "award-create"))
    if model.state not in (ModelState.DRAFT, ModelState.NOT_RECOGNISED):
        links.append((_("Give support"), reverse("models:support-create", args=[model.pk]), "support-create"))
    return links


def _model_page(request, model: TypicalModel, *, bound: dict | None = None, status: int = 200):
    """The model's page; ``bound`` holds a form posted from it that was refused, shown with its errors."""
    user, bound = request.user, bound or {}
    kinds = attachable_kinds(user, model)
    may_record = can_record_replication(user, model) and model.is_recognised
    posted_step = bound.get("step")
    step_forms = [posted_step if posted_step is not None and posted_step.step.name == step.name
                  else StepForm(step=step) for step in steps_for(user, model, via=DIRECT)]
    inspection = getattr(model, "inspection", None)
    meeting_item = getattr(model, "meeting_item", None)
    replicas = list(model.replicas.filter(state__in=REGISTERED_STATES).select_related("commune", "round")
                    .order_by("round__year", "commune__code", "pk"))
    for replica in replicas:
        replica.shown = unit_in_scope(user, replica.commune)
    return render(request, "models_registry/model_detail.html", {
        "title": model.name, "model": model, "round": model.round,
        **_deadline_context(model.round, model.commune, user),
        # Registering and submitting are refused after the deadline (not submitting a returned model).
        "awaiting_registration": model.state in (ModelState.DRAFT, ModelState.REGISTERED),
        "original_shown": model.replicates_id is not None and unit_in_scope(user, model.replicates.commune),
        "steps": model.steps.select_related("actor"),
        "step_forms": step_forms, "step_error": posted_step,
        "can_edit": can_edit(user, model), "can_delete": can_delete(user, model),
        "attachments": model.attachments.select_related("uploaded_by"),
        "attachment_form": bound.get("attachment") or (AttachmentForm(kinds=kinds) if kinds else None),
        "inspection": inspection,
        "scores": inspection.scores.select_related("criterion") if inspection else [],
        "meeting_item": meeting_item,
        "above_links": _level_above_links(user, model, meeting_item),
        "notices": model.notices.order_by("-issued_on", "-number"),
        "awards": model.awards.select_related("notice").order_by("awarded_on", "pk"),
        "support": model.support.order_by("given_on", "pk"),
        "replication": replication_of(model), "replicas": replicas,
        "visits": model.study_visits.select_related("visiting_unit"), "media": model.media.all(),
        "visit_form": bound.get("visit") or (StudyVisitForm(model=model) if may_record else None),
        "media_form": bound.get("media") or (MediaForm() if may_record else None),
    }, status=status)


class ModelDetailView(View):
    def get(self, request, pk):
        return _model_page(request, _model_for(request, pk))


class ModelStepView(RecordGoneMixin, View):
    """A direct step (register, submit, return, propose for a higher award) taken from the model's page."""

    def post(self, request, pk, step):
        model = _model_for(request, pk)
        chosen = STEPS.get(step)
        if chosen is None or chosen.via != DIRECT:
            raise Http404
        if not may_take(request.user, model, chosen):
            raise PermissionDenied(STEP_NOT_FOR_ROLE)
        form = StepForm(request.POST, step=chosen)
        if form.is_valid():
            try:
                model = services.model_advance(actor=request.user, model=model, step=chosen.name,
                                               note=form.cleaned_data["note"],
                                               happened_on=form.cleaned_data["happened_on"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("“%(name)s”: %(state)s.")
                                 % {"name": model.name, "state": model.get_state_display().lower()})
                return redirect("models:model-detail", pk=model.pk)
        return _model_page(request, model, bound={"step": form}, status=400)


class AttachmentAddView(RecordGoneMixin, View):
    def post(self, request, pk):
        model = _model_for(request, pk)
        kinds = attachable_kinds(request.user, model)
        if not kinds:
            raise PermissionDenied(NOT_EDITABLE if is_commune_officer_of(request.user, model.commune_id)
                                   else NOT_MODEL_OFFICER)
        form = AttachmentForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            try:
                made_once(request, lambda: services.attachment_add(
                    actor=request.user, model=model, kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"]))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("File attached."))
                return redirect(reverse("models:model-detail", args=[model.pk]) + "#attachments")
        return _model_page(request, model, bound={"attachment": form}, status=400)


def attachment_download(request, pk):
    attachment = get_object_or_404(ModelAttachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(request, attachment, number=attachment.model_id, prefix="mo-hinh")


class _ReplicationView(RecordGoneMixin, View):
    """A study visit or a piece of media coverage of a recognised model, recorded by its commune or
    the level above."""

    bound_name: str
    saved: str

    def record(self, actor, model, form):
        raise NotImplementedError

    def form(self, request, model):
        raise NotImplementedError

    def post(self, request, pk):
        model = _model_for(request, pk)
        if not can_record_replication(request.user, model):
            raise PermissionDenied(NOT_MODEL_OFFICER)
        form = self.form(request, model)
        if form.is_valid():
            try:
                made_once(request, lambda: self.record(request.user, model, form))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, str(self.saved))
                return redirect(reverse("models:model-detail", args=[model.pk]) + "#replication")
        return _model_page(request, model, bound={self.bound_name: form}, status=400)


class StudyVisitAddView(_ReplicationView):
    bound_name = "visit"
    saved = gettext_lazy("Study visit recorded.")

    def form(self, request, model):
        return StudyVisitForm(request.POST, model=model)

    def record(self, actor, model, form):
        return services.study_visit_record(actor=actor, model=model, **form.cleaned_data)


class MediaAddView(_ReplicationView):
    bound_name = "media"
    saved = gettext_lazy("Media coverage recorded.")

    def form(self, request, model):
        return MediaForm(request.POST)

    def record(self, actor, model, form):
        return services.media_record(actor=actor, model=model, **form.cleaned_data)


class ModelHistoryView(HistoryPageView):
    template_name = "models_registry/model_history.html"

    def record_for(self, request, pk):
        return _model_for(request, pk)

    def history_of(self, model):
        return model_history(model=model)

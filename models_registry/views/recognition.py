"""The level above's pages from the inspection to the awards: recording a model's inspection with its
scores (and its photos), the agency meeting and its decision on each model presented, the minutes,
the recognition notice, and the awards and support given to a model.

Records are read through ``visible_to`` (404 outside it). The level above's meetings and notices
are not among what a commune's officers see; one that presented or recognised a model of their
commune is no secret to them, though, so it is refused (403) rather than hidden. Every change
goes through models_registry.services, which checks the role and state again under lock.
"""

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import RecordGoneMixin

from .. import services
from ..choices import RECOGNISED_STATES, AttachmentKind, Transition
from ..forms_above import (
    AwardForm,
    DecisionForm,
    InspectionForm,
    MeetingForm,
    MinutesForm,
    NoticeForm,
    PhotoForm,
    SupportForm,
)
from ..models import (
    Award,
    Inspection,
    Meeting,
    MeetingItem,
    ModelAttachment,
    ModelSupport,
    Notice,
    PlannedInspection,
    Score,
    TypicalModel,
)
from ..permissions import is_approver_of, runs_round
from ..workflow import DECISION, INSPECTION, STEPS, steps_for
from .rounds import TEMPLATES, model_for, round_for


def meeting_for(request, pk: int, *, for_update: bool = False) -> Meeting:
    """The meeting ``pk`` if the user sees it; 403 for a commune's officer whose model it presented,
    404 for anyone else; with ``for_update`` the user must run its round (403)."""
    user = request.user
    meeting = Meeting.objects.visible_to(user).select_related("round__unit").filter(pk=pk).first()
    if meeting is None:
        if MeetingItem.objects.visible_to(user).filter(meeting_id=pk).exists():
            raise PermissionDenied
        raise Http404
    if for_update and not runs_round(user, meeting.round.unit):
        raise PermissionDenied
    return meeting


def notice_for(request, pk: int) -> Notice:
    """The notice ``pk`` if the user sees it (the communes it is addressed to among them); 404 otherwise."""
    return get_object_or_404(Notice.objects.visible_to(request.user).select_related("round__unit"), pk=pk)


# -- the inspection -------------------------------------------------------------------------------------


class InspectionRecordView(RecordGoneMixin, View):
    """The inspection of a planned model: the day, the officers, the findings and a score for each
    criterion of the round's version in force; once recorded, its scores and photos."""

    template_name = TEMPLATES + "inspection.html"

    def get(self, request, pk):
        model = model_for(request, pk, for_update=True)
        return inspection_page(request, model)

    def post(self, request, pk):
        model = model_for(request, pk, for_update=True)
        form = InspectionForm(request.POST, criteria=services.current_criteria(model.round))
        if form.is_valid():
            try:
                made_once(request, lambda: services.inspection_record(
                    actor=request.user, model=model, inspected_on=form.cleaned_data["inspected_on"],
                    officers=form.cleaned_data["officers"], findings=form.cleaned_data["findings"],
                    scores=form.scores()))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Inspection of “%(model)s” recorded.") % {"model": model.name})
                return redirect("models:inspection-record", pk=model.pk)
        return inspection_page(request, model, form=form, status=400)


def inspection_page(request, model: TypicalModel, *, form=None, photo_form=None, status=200):
    """The inspection once recorded (its scores, its photos and the form adding one); before, the
    form recording it when the model is planned. A form sent back with errors is shown with them."""
    user = request.user
    inspection = Inspection.objects.visible_to(user).filter(model=model).select_related("recorded_by").first()
    context = {"title": _("Inspection of %(model)s") % {"model": model.name}, "model": model,
               "round": model.round, "inspection": inspection}
    if inspection is not None:
        context.update(
            scores=Score.objects.visible_to(user).filter(inspection=inspection).select_related("criterion"),
            photos=ModelAttachment.objects.visible_to(user).filter(inspection=inspection)
            .select_related("uploaded_by"),
            photo_form=photo_form or PhotoForm())
    elif photo_form is not None:
        # A photo sent before the inspection: no photo form on this page to show the refusal beside.
        for error in photo_form.non_field_errors():
            messages.error(request, error)
    if form is not None or (inspection is None and steps_for(user, model, via=INSPECTION)):
        context["form"] = form or InspectionForm(criteria=services.current_criteria(model.round),
                                                 initial=_planned_initial(user, model))
    return render(request, TEMPLATES + "inspection.html", context, status=status)


def _planned_initial(user, model: TypicalModel) -> dict:
    """The form starts from the plan: its officers, and its day once that day has come."""
    planned = PlannedInspection.objects.visible_to(user).filter(model=model).first()
    if planned is None:
        return {}
    return {"officers": planned.officers,
            "inspected_on": planned.planned_on if planned.planned_on <= timezone.localdate() else None}


class InspectionPhotoAddView(RecordGoneMixin, View):
    """A photo of the inspection, uploaded after it is recorded."""

    def post(self, request, pk):
        model = model_for(request, pk, for_update=True)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                made_once(request, lambda: services.attachment_add(
                    actor=request.user, model=model, kind=AttachmentKind.INSPECTION_PHOTO,
                    uploaded_file=form.cleaned_data["file"]))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Photo added."))
                return redirect(reverse("models:inspection-record", args=[model.pk]) + "#photos")
        return inspection_page(request, model, photo_form=form, status=400)


# -- the agency meeting ---------------------------------------------------------------------------------


def _inspected(request, round_):
    """The round's inspected models, best score first: those a meeting may present."""
    presentable = STEPS[Transition.PRESENT].sources  # the states the workflow presents a model from
    return TypicalModel.objects.visible_to(request.user).filter(round=round_, state__in=presentable) \
        .select_related("commune", "inspection").order_by("-inspection__total_score", "commune__code", "name")


class MeetingCreateView(RecordGoneMixin, View):
    """The agency meeting of a round: its day, chair, participants and the inspected models presented."""

    template_name = TEMPLATES + "meeting_form.html"

    def get(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        return self._render(request, round_, MeetingForm(models=_inspected(request, round_)))

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        form = MeetingForm(request.POST, models=_inspected(request, round_))
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = made_once(request, lambda: services.meeting_record(
                    actor=request.user, round_=round_, held_on=data["held_on"], chaired_by=data["chaired_by"],
                    participants=data["participants"], models=list(data["models"])))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Meeting recorded: decide on each model presented."))
                return redirect("models:meeting-detail", pk=meeting.pk)
        return self._render(request, round_, form, status=400)

    def _render(self, request, round_, form, status=200):
        return render(request, self.template_name, {
            "title": _("Agency meeting of %(round)s") % {"round": round_}, "round": round_, "form": form,
        }, status=status)


class MeetingDetailView(View):
    """The meeting's page, for the committee that held it and the province above."""

    def get(self, request, pk):
        return meeting_page(request, meeting_for(request, pk))


def meeting_page(request, meeting: Meeting, *, decision_form=None, decided_model=None, minutes_form=None,
                 status=200):
    """The models presented with their scores and decisions, a decision form for each one still to
    decide (for the committee that runs the round), and the minutes."""
    user = request.user
    can_manage = runs_round(user, meeting.round.unit)
    items = list(MeetingItem.objects.visible_to(user).filter(meeting=meeting)
                 .select_related("model__commune", "model__round").order_by("-score", "model__commune__code"))
    for item in items:
        item.decision_form = None
        if can_manage and steps_for(user, item.model, via=DECISION):
            item.decision_form = decision_form if item.model_id == decided_model else DecisionForm(
                prefix=f"decide-{item.model_id}")
        item.can_award = can_manage and item.model.state in RECOGNISED_STATES
    return render(request, TEMPLATES + "meeting_detail.html", {
        "title": _("Agency meeting of %(day)s") % {"day": date_format(meeting.held_on, "SHORT_DATE_FORMAT")},
        "meeting": meeting, "round": meeting.round, "items": items, "can_manage": can_manage,
        "minutes_form": (minutes_form or MinutesForm()) if can_manage else None,
        "any_recognised": any(item.model.state in RECOGNISED_STATES for item in items),
    }, status=status)


class MeetingDecideView(RecordGoneMixin, View):
    """The meeting's decision on one model it presented."""

    def post(self, request, pk):
        model = model_for(request, pk, for_update=True)
        item = MeetingItem.objects.visible_to(request.user).select_related("meeting").filter(model=model).first()
        if item is None:
            messages.error(request, _("The model has not been presented at a meeting."))
            return redirect("models:round-detail", pk=model.round_id)
        form = DecisionForm(request.POST, prefix=f"decide-{model.pk}")
        if form.is_valid():
            try:
                model = services.meeting_decide(actor=request.user, model=model, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("“%(model)s”: %(state)s.") % {
                    "model": model.name, "state": model.get_state_display().lower()})
                return redirect(reverse("models:meeting-detail", args=[item.meeting_id]) + f"#model-{model.pk}")
        meeting = meeting_for(request, item.meeting_id)
        return meeting_page(request, meeting, decision_form=form, decided_model=model.pk, status=400)


class MeetingMinutesView(RecordGoneMixin, View):
    """The minutes of the meeting, attached (again, replacing the earlier file)."""

    def post(self, request, pk):
        meeting = meeting_for(request, pk, for_update=True)
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.meeting_minutes_attach(actor=request.user, meeting=meeting,
                                                uploaded_file=form.cleaned_data["file"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Minutes attached."))
                return redirect(reverse("models:meeting-detail", args=[meeting.pk]) + "#minutes")
        return meeting_page(request, meeting, minutes_form=form, status=400)


@require_GET
def meeting_minutes_download(request, pk):
    """The minutes' file, to those who see the meeting."""
    meeting = meeting_for(request, pk)
    if not meeting.minutes:
        raise Http404
    extension = PurePosixPath(meeting.minutes.name).suffix.lower()
    content_type = mimetypes.guess_type(f"minutes{extension}")[0] or "application/octet-stream"
    response = FileResponse(meeting.minutes.open("rb"), content_type=content_type,
                            filename=f"bien-ban-hop-{meeting.pk}{extension}")
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


# -- the notice -----------------------------------------------------------------------------------------


class NoticeCreateView(RecordGoneMixin, View):
    """The numbered notice recognising the round's models that the meeting recognised."""

    template_name = TEMPLATES + "notice_form.html"

    def get(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        latest = Notice.objects.visible_to(request.user).filter(round=round_).aggregate(number=Max("number"))["number"]
        form = NoticeForm(models=self._recognised(request, round_),
                          initial={"issued_on": timezone.localdate(), "number": (latest or 0) + 1})
        return self._render(request, round_, form)

    def post(self, request, pk):
        round_ = round_for(request, pk, for_update=True)
        form = NoticeForm(request.POST, models=self._recognised(request, round_))
        if form.is_valid():
            try:
                notice = made_once(request, lambda: services.notice_issue(
                    actor=request.user, round_=round_, models=list(form.cleaned_data["models"]),
                    **form.notice_fields()))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Notice %(reference)s issued.") % {"reference": notice.reference})
                return redirect("models:notice-detail", pk=notice.pk)
        return self._render(request, round_, form, status=400)

    @staticmethod
    def _recognised(request, round_):
        return TypicalModel.objects.visible_to(request.user).filter(round=round_, state__in=RECOGNISED_STATES) \
            .select_related("commune", "inspection").order_by("commune__code", "name")

    def _render(self, request, round_, form, status=200):
        return render(request, self.template_name, {
            "title": _("Recognition notice of %(round)s") % {"round": round_}, "round": round_, "form": form,
        }, status=status)


class NoticeDetailView(View):
    """The notice: its reference, signer and recipients, the models it recognises with their awards."""

    def get(self, request, pk):
        notice = notice_for(request, pk)
        user = request.user
        models = list(TypicalModel.objects.visible_to(user).filter(notices=notice).select_related("commune")
                      .order_by("commune__code", "name"))
        awards = Award.objects.visible_to(user).filter(model__in=models).order_by("awarded_on", "pk")
        by_model = {}
        for award in awards:
            by_model.setdefault(award.model_id, []).append(award)
        for model in models:
            model.award_list = by_model.get(model.pk, [])
            model.can_award = is_approver_of(user, model.commune)
        return render(request, TEMPLATES + "notice_detail.html", {
            "title": _("Notice %(reference)s") % {"reference": notice.reference}, "notice": notice,
            "round": notice.round, "models": models,
        })


# -- awards and support -------------------------------------------------------------------------------


class _ModelMoneyView(RecordGoneMixin, View):
    """A page of one model that gives it something (an award, support), listing what it was given."""

    template_name = ""
    form_class = None

    def get(self, request, pk):
        model = model_for(request, pk, for_update=True)
        return self._render(request, model, self.make_form(request, model))

    def post(self, request, pk):
        model = model_for(request, pk, for_update=True)
        form = self.make_form(request, model, request.POST)
        if form.is_valid():
            try:
                made = made_once(request, lambda: self.give(request, model, form))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return self.given(request, model, made)
        return self._render(request, model, form, status=400)

    def make_form(self, request, model, data=None):
        raise NotImplementedError

    def give(self, request, model, form):
        raise NotImplementedError

    def given(self, request, model, made):
        raise NotImplementedError

    def extra_context(self, request, model) -> dict:
        return {}

    def _render(self, request, model, form, status=200):
        return render(request, self.template_name, {
            "model": model, "round": model.round, "form": form, **self.extra_context(request, model),
        }, status=status)


class AwardCreateView(_ModelMoneyView):
    """A commendation or award to a recognised model: a certificate, money out of a fund, or both."""

    template_name = TEMPLATES + "award_form.html"

    def make_form(self, request, model, data=None):
        return AwardForm(data, user=request.user, model=model)

    def give(self, request, model, form):
        data = form.cleaned_data
        return services.award_give(actor=request.user, model=model, kind=data["kind"], title=data["title"],
                                   awarded_on=data["awarded_on"], notice=data["notice"], **form.money())

    def given(self, request, model, award):
        messages.success(request, _("“%(title)s” given to “%(model)s”.") % {"title": award.title, "model": model.name})
        if award.notice_id:
            return redirect("models:notice-detail", pk=award.notice_id)
        return redirect(reverse("models:award-create", args=[model.pk]) + "#awards")

    def extra_context(self, request, model) -> dict:
        return {"title": _("Award to %(model)s") % {"model": model.name},
                "awards": Award.objects.visible_to(request.user).filter(model=model).select_related("fund", "notice"),
                "recognised": model.state in RECOGNISED_STATES}


class SupportCreateView(_ModelMoneyView):
    """Support the level above gives a model: advice, information, resources, or funds from a fund."""

    template_name = TEMPLATES + "support_form.html"

    def make_form(self, request, model, data=None):
        return SupportForm(data, user=request.user)

    def give(self, request, model, form):
        data = form.cleaned_data
        return services.support_give(actor=request.user, model=model, kind=data["kind"], given_on=data["given_on"],
                                     description=data["description"], **form.money())

    def given(self, request, model, support):
        messages.success(request, _("Support to “%(model)s” recorded.") % {"model": model.name})
        return redirect(reverse("models:support-create", args=[model.pk]) + "#support")

    def extra_context(self, request, model) -> dict:
        return {"title": _("Support to %(model)s") % {"model": model.name},
                "support": ModelSupport.objects.visible_to(request.user).filter(model=model).select_related("fund")}

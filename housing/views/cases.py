"""Case pages: list with counts per state, proposal, detail with its steps and attachments,
the form of each workflow step, attachment upload and download.

Cases are read through `HousingCase.objects.visible_to` (404 outside it); every change goes
through housing.services, which checks the role and state again under lock.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.choices import Role
from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import RecordGoneMixin, ScopedQuerysetMixin
from households.models import Household

from .. import services
from ..attachments import download_name
from ..filters import CaseFilterSet
from ..forms import AttachmentForm, CaseForm, step_form_class
from ..hooks import case_payments
from ..models import CaseAttachment, HousingCase
from ..permissions import is_commune_officer_of
from ..selectors import case_history, recent_new_house, state_counts
from ..workflow import STEPS, attach_refusal, can_attach, can_edit_proposal, may_take, steps_for


def _case_for(request, pk: int) -> HousingCase:
    return get_object_or_404(
        HousingCase.objects.visible_to(request.user).select_related("programme", "commune", "household"), pk=pk,
    )


class CaseListView(ScopedQuerysetMixin, ListView):
    """The cases within the viewer's scope, filtered, with the number in each state above."""

    model = HousingCase
    filterset_class = CaseFilterSet
    paginate_by = 50
    template_name = "housing/case_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("household", "commune", "programme").order_by(
            "-updated_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            title=_("House cases"),
            counts=state_counts(self._filtered_but_state()),
            can_propose=is_commune_officer_of(user, user.unit_id),
            show_commune=user.role != Role.COMMUNE_OFFICER,
            query_without_state=self._query_without("state", "page"),
        )
        return context

    def _filtered_but_state(self):
        """The list as filtered, except by state: the counts then show every state of what the
        other filters select, and choosing one state leaves the others' counts."""
        data = self.request.GET.copy()
        data.pop("state", None)
        base = self.get_base_queryset()
        filterset = CaseFilterSet(data, queryset=base, request=self.request)
        return filterset.qs if filterset.is_valid() else base

    def _query_without(self, *names) -> str:
        data = self.request.GET.copy()
        for name in names:
            data.pop(name, None)
        return data.urlencode()


class CaseCreateView(RecordGoneMixin, View):
    """A commune officer proposes a house for one of the commune's households."""

    template_name = "housing/case_form.html"

    def get(self, request):
        self._require_officer(request)
        initial = {name: request.GET[name] for name in ("household", "programme")
                   if request.GET.get(name, "").isdigit()}
        form = CaseForm(initial=initial, user=request.user)
        return self._render(request, form, household_id=initial.get("household"))

    def post(self, request):
        self._require_officer(request)
        form = CaseForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                case = made_once(request, lambda: services.case_propose(
                    actor=request.user, household=form.cleaned_data["household"],
                    programme=form.cleaned_data["programme"], data=form.case_data(),
                    proposed_on=form.cleaned_data["proposed_on"]))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Case #%(number)s proposed.") % {"number": case.pk})
                return redirect("housing:case-detail", pk=case.pk)
        return self._render(request, form, household_id=request.POST.get("household"), status=400)

    @staticmethod
    def _require_officer(request):
        if not is_commune_officer_of(request.user, request.user.unit_id):
            raise PermissionDenied

    def _render(self, request, form, *, household_id=None, status=200):
        household = None
        if household_id and str(household_id).isdigit():
            household = Household.objects.visible_to(request.user).filter(pk=household_id).first()
        return render(request, self.template_name, {
            "title": _("Propose a house"), "form": form, "household": household,
            "recent_new_house": recent_new_house(household=household) if household else None,
        }, status=status)


class CaseDetailView(ScopedQuerysetMixin, DetailView):
    model = HousingCase
    context_object_name = "case"
    template_name = "housing/case_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("programme", "commune", "household", "proposed_by",
                                                     "recent_new_house__programme")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        may_attach = can_attach(user, case)
        context.update(
            title=_("Case #%(number)s") % {"number": case.pk},
            steps=steps_for(user, case),
            transitions=case.transitions.select_related("actor"),
            attachments=case.attachments.select_related("uploaded_by"),
            attachment_form=kwargs.get("attachment_form") or (AttachmentForm(state=case.state) if may_attach
                                                              else None),
            can_edit=can_edit_proposal(user, case),
            history=case_history(case=case),
            overdue=case.is_overdue,
            # What funds paid for the house (the donations app's, through housing.hooks).
            payments=case_payments(case=case, user=user),
        )
        return context



class CaseUpdateView(RecordGoneMixin, View):
    """Change the proposal and its funding plan until the district decides."""

    template_name = "housing/case_form.html"

    def get(self, request, pk):
        case = self._editable(request, pk)
        return self._render(request, case, CaseForm(instance=case, user=request.user))

    def post(self, request, pk):
        case = self._editable(request, pk)
        form = CaseForm(request.POST, instance=case, user=request.user)
        if form.is_valid():
            try:
                services.case_update(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Case #%(number)s saved.") % {"number": case.pk})
                return redirect("housing:case-detail", pk=case.pk)
        return self._render(request, case, form, status=400)

    @staticmethod
    def _editable(request, pk):
        case = _case_for(request, pk)
        if not can_edit_proposal(request.user, case):
            raise PermissionDenied
        return case

    def _render(self, request, case, form, status=200):
        return render(request, self.template_name, {
            "title": _("Edit case #%(number)s") % {"number": case.pk}, "form": form, "case": case,
            "household": case.household,
        }, status=status)


class CaseStepView(RecordGoneMixin, View):
    """The form of one workflow step (survey, approve, ...), and taking it."""

    template_name = "housing/case_step.html"

    def get(self, request, pk, step):
        case, chosen = self._step(request, pk, step)
        if case.state not in chosen.sources:
            return self._not_now(request, case, chosen)
        return self._render(request, case, chosen, step_form_class(chosen)())

    def post(self, request, pk, step):
        case, chosen = self._step(request, pk, step)
        form = step_form_class(chosen)(request.POST, request.FILES)
        if form.is_valid() and chosen.confirm and request.POST.get("confirmed") != "yes":
            # "Back" from the confirmation comes here too: the form again, as it was filled in.
            return self._render(request, case, chosen, form, confirming="back" not in request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in chosen.fields}
            if chosen.is_decision:
                values["decided_on"] = form.cleaned_data["decided_on"]
            try:
                case = services.case_advance(actor=request.user, case=case, step=chosen.name,
                                             note=form.cleaned_data["note"],
                                             handover_record=form.cleaned_data.get("handover_record"), **values)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Case #%(number)s: %(state)s.")
                                 % {"number": case.pk, "state": case.get_state_display().lower()})
                return redirect("housing:case-detail", pk=case.pk)
        return self._render(request, case, chosen, form, status=400)

    @staticmethod
    def _step(request, pk, step):
        case = _case_for(request, pk)
        chosen = STEPS.get(step)
        if chosen is None:
            raise Http404
        if not may_take(request.user, case, chosen):
            raise PermissionDenied
        return case, chosen

    @staticmethod
    def _not_now(request, case, chosen):
        messages.error(request, _("The case is %(state)s: it cannot be moved to “%(step)s”.")
                       % {"state": case.get_state_display().lower(), "step": chosen.name.label})
        return redirect("housing:case-detail", pk=case.pk)

    def _render(self, request, case, chosen, form, status=200, confirming=False):
        return render(request, self.template_name, {
            "title": chosen.name.label, "case": case, "step": chosen, "form": form, "confirming": confirming,
        }, status=status)


class AttachmentAddView(RecordGoneMixin, View):
    def post(self, request, pk):
        case = _case_for(request, pk)
        if isinstance(attach_refusal(request.user, case), PermissionDenied):
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                made_once(request, lambda: services.attachment_add(
                    actor=request.user, case=case, kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"]))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("File attached."))
                return redirect(reverse("housing:case-detail", args=[case.pk]) + "#attachments")
        # The case page again, with the refused file's message beside the upload form.
        page = CaseDetailView()
        page.setup(request, pk=case.pk)
        page.object = page.get_object()
        context = page.get_context_data(object=page.object, attachment_form=form)
        return render(request, CaseDetailView.template_name, context, status=400)


def attachment_download(request, pk):
    attachment = get_object_or_404(CaseAttachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(request, attachment, number=attachment.case_id)


def attachment_response(request, attachment, *, number: int, prefix: str = "ho-so-nha") -> FileResponse:
    """The file of an attachment the user may see (read through its ``visible_to`` by the caller): the
    thumbnail with ``?size=thumbnail`` (when one was made), photos shown in the page, documents as
    downloads under a safe name. A case's and a typical model's files are served by it."""
    thumbnail = request.GET.get("size") == "thumbnail" and attachment.thumbnail
    stored = attachment.thumbnail if thumbnail else attachment.file
    extension = ".jpg" if thumbnail else stored.name[stored.name.rfind("."):]
    response = FileResponse(
        stored.open("rb"), content_type="image/jpeg" if thumbnail else attachment.content_type,
        as_attachment=not attachment.is_image or request.GET.get("download") == "1",
        filename=download_name(case_id=number, original_name=attachment.original_name, extension=extension,
                               prefix=prefix),
    )
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response

"""The report pages: the list, the request form, a report's page with its progress (which htmx
polls), trying a failed report again, and the download.

Reports are read through `Report.objects.visible_to` (404 outside the viewer's scope, like a
missing one); asking for a report and retrying one go through reports.services, which checks the
scope again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once
from frontwelfare.views import RecordGoneMixin, ScopedQuerysetMixin

from . import figures, registry, services
from .choices import PeriodKind, ReportFormat, ReportStatus
from .forms import DocumentSettingsForm, ReportRequestForm, may_ask_for_reports
from .models import DocumentSettings, Report
from .periods import Period

CONTENT_TYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class ReportListView(ScopedQuerysetMixin, ListView):
    """The reports on units within the viewer's scope, asked for by anyone or made by the
    schedule, newest first."""

    model = Report
    paginate_by = 30
    template_name = "reports/report_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "requested_by").order_by("-requested_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = figures.describe_options(context["object_list"])
        context.update(title=_("Reports"), can_ask=may_ask_for_reports(self.request.user))
        user = self.request.user
        context["settings_unit_id"] = user.unit_id if services.keeps_documents_of(user, user.unit) else None
        return context


class ReportRequestView(View):
    template_name = "reports/report_form.html"

    def get(self, request):
        self._require_asker(request)
        # Pages that offer a report (a programme's) link here with the choices made.
        offered = ["kind", "unit", *(option.name for option in registry.options())]
        initial = {name: request.GET[name] for name in offered if request.GET.get(name)}
        return self._render(request, ReportRequestForm(initial=initial, user=request.user))

    def post(self, request):
        self._require_asker(request)
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            asked_at = timezone.now()
            try:
                # PermissionDenied (a unit outside the scope) is left to answer 403.
                report = made_once(request, lambda: services.report_request(actor=request.user,
                                                                            **form.request_arguments()))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                # The task was queued when the service's transaction committed; if the queue could
                # not be reached, the report is failed already, with a message saying so.
                report.refresh_from_db(fields=["status", "error"])
                self._tell(request, report, asked_at)
                return redirect("reports:detail", pk=report.pk)
        return self._render(request, form, status=400)

    @staticmethod
    def _tell(request, report: Report, asked_at) -> None:
        if report.status == ReportStatus.FAILED and report.error:
            messages.error(request, failure_message(report))
        elif note := reuse_note(report, asked_at):
            messages.info(request, note)

    @staticmethod
    def _require_asker(request):
        if not may_ask_for_reports(request.user):
            raise PermissionDenied

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"title": _("Ask for a report"), "form": form}, status=status)


def reuse_note(report: Report, asked_at) -> str | None:
    """What to tell someone whose request (made at ``asked_at``) was answered with a report asked
    for earlier: its finished file, or the one being made; None for a new report."""
    if report.requested_at >= asked_at:
        return None
    if report.status == ReportStatus.DONE:
        return _("This report was made earlier and nothing it counts has changed since: here is its file.")
    return _("The same report is being made already: here is how far it has got.")


class ReportDetailView(ScopedQuerysetMixin, DetailView):
    model = Report
    context_object_name = "report"
    template_name = "reports/report_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "requested_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures.describe_options([self.object])
        context["title"] = self.object.get_kind_display()
        return context


@require_GET
@login_not_required
@not_user_activity
def report_progress(request, pk):
    """The report's status and progress bar, which the page polls while the report is being made,
    and its download button once it is done (the polling then stops).

    The page asks for it by itself, so it is not the person's activity (`not_user_activity`): a
    tab left open does not keep the session past its idle limit. When the session has ended, the
    page goes to the sign-in form (htmx follows ``HX-Redirect``) rather than drawing that form
    inside the progress bar; this is why the view lets anonymous requests in."""
    if not request.user.is_authenticated:
        return sign_in_first(request, reverse("reports:detail", args=[pk]))
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("unit"), pk=pk)
    return render(request, "reports/partials/progress.html", {"report": report})


def sign_in_first(request, page_url: str) -> HttpResponse:
    """For a signed-out poll of a progress card: the sign-in form, then back to ``page_url``; to htmx,
    a 401 with ``HX-Redirect`` there, so that the whole page goes (not the form into the card)."""
    sign_in = redirect_to_login(page_url)
    if not _is_htmx(request):
        return sign_in
    response = HttpResponse(status=401)
    response["HX-Redirect"] = sign_in["Location"]
    return response


class ReportRetryView(RecordGoneMixin, View):
    def post(self, request, pk):
        report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
        try:
            report = services.report_retry(actor=request.user, report=report)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            report.refresh_from_db(fields=["status", "error"])
            if report.status == ReportStatus.FAILED:
                messages.error(request, failure_message(report))
            else:
                messages.success(request, _("The report is queued again."))
        return redirect("reports:detail", pk=report.pk)


def report_download(request, pk):
    """The finished report's file, under a name that says what it is."""
    report = get_object_or_404(Report.objects.visible_to(request.user).select_related("unit"), pk=pk)
    return report_file_response(report)


def report_file_response(report: Report) -> FileResponse:
    """The file of ``report`` (read within the viewer's scope already), for the page and the API:
    404 unless it is done and its file is still stored."""
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    try:
        stored = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(stored, as_attachment=True, filename=download_name(report),
                            content_type=CONTENT_TYPES[report.format])
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def download_name(report: Report) -> str:
    """``bao-cao-an-sinh-huyen-mo-cay-bac-2025-q2.xlsx`` (``bao-cao-an-sinh-toan-quoc-2025-q2.xlsx`` for
    the whole country): ASCII (so that every browser and Zalo keeps it whole), what (the kind's
    word, its options'), where and when."""
    spec = registry.kind(report.kind)
    words = ["bao-cao", spec.file_word if spec is not None else slugify(report.kind)]
    words += figures.describe_options([report])[0].option_words
    words += [report.unit_file_word, period_words(report.period)]
    return "-".join(word for word in words if word) + f".{report.format}"


def period_words(period: Period) -> str:
    start = period.start
    if period.kind == PeriodKind.MONTH:
        return f"{start:%Y-%m}"
    if period.kind == PeriodKind.QUARTER:
        return f"{start.year}-q{(start.month - 1) // 3 + 1}"
    if period.kind == PeriodKind.HALF_YEAR:
        return f"{start.year}-h{1 if start.month == 1 else 2}"
    if period.kind == PeriodKind.YEAR:
        return f"{start.year}"
    return f"{start:%Y%m%d}-{period.end:%Y%m%d}"


def failure_message(report: Report) -> str:
    """Why the report failed, in the reader's language when it is the queue that could not be reached
    (the stored message is Vietnamese, for everyone of the unit)."""
    return str(services.QUEUE_DOWN) if services.failed_for_queue_down(report) else report.error


class DocumentSettingsView(View):
    """How the unit's standing committee signs its reports: signer, title, symbol, recipients. Each
    person sets their own unit's (the unit their role is granted); any other unit, like a missing
    one, answers 404 — the administrator's too, who has no unit of their own."""

    template_name = "reports/document_settings.html"

    def get(self, request, pk):
        unit = self._own_unit(request, pk)
        return self._render(request, unit, DocumentSettingsForm(instance=services.document_settings_of(unit)))

    def post(self, request, pk):
        unit = self._own_unit(request, pk)
        form = DocumentSettingsForm(request.POST, instance=services.document_settings_of(unit))
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.DOCUMENT_SETTINGS_FIELDS}
            try:
                services.document_settings_save(actor=request.user, unit=unit, **fields)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The document settings are saved: the next reports print them."))
                return redirect("reports:document-settings", pk=unit.pk)
        return self._render(request, unit, form, status=400)

    @staticmethod
    def _own_unit(request, pk):
        unit = request.user.unit if request.user.unit_id == pk else None
        if not services.keeps_documents_of(request.user, unit):
            raise Http404
        return unit

    def _render(self, request, unit, form, status=200):
        saved = DocumentSettings.objects.filter(unit=unit).select_related("updated_by").first()
        return render(request, self.template_name, {
            "title": _("Document settings"), "unit": unit, "form": form, "saved": saved,
        }, status=status)

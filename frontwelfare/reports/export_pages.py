"""The exports of the lists: the export route of a list (a file at once, or an Export made in the
background), the export's page with its progress (polled by htmx), trying it again, and the download.

An export is read through `Export.objects.visible_to`: only its requester gets it, while their role
and unit are those it was asked with; anyone else gets 404, as for a missing one.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.views import RecordGoneMixin

from . import exports, registry
from .choices import ExportFormat, ReportStatus
from .models import Export
from .pages import sign_in_first

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}


class ListExportView(View):
    """A list as a file, with the list's filters (its query string). Up to `exports.at_once_max_rows`
    rows (counted in one query) the file comes at once; past that, a GET offers to make it in the
    background (a GET changes nothing: a link or a reload queues no work) and a POST asks for it.
    Subclasses set ``kind`` (a registered export kind) and ``file_format``."""

    kind = ""
    file_format = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.spec = registry.export_kind(self.kind)
        self.filters = exports.filters_of(self.spec, request.GET)
        self.rows = self.spec.rows(request.user, self.filters)

    def get(self, request, *args, **kwargs):
        count = self.rows.count()
        if count <= exports.at_once_max_rows():
            return self.at_once()
        return render(request, "reports/export_offer.html", {
            "title": _("Export of the list: %(list)s") % {"list": self.spec.label}, "spec": self.spec,
            "row_count": count,
            "format": ExportFormat(self.file_format).label, "list_url": self.list_url(),
            "filters": self.spec.describe(request.user, self.filters), "at_once_max": exports.at_once_max_rows(),
        })

    def post(self, request, *args, **kwargs):
        count = self.rows.count()
        if count <= exports.at_once_max_rows():
            return self.at_once()
        export = exports.export_request(actor=request.user, kind=self.kind, file_format=self.file_format,
                                        filters=self.filters, row_count=count)
        export.refresh_from_db(fields=["status", "error"])
        if export.status == ReportStatus.FAILED:
            messages.error(request, export.error)
        return redirect("exports:detail", pk=export.pk)

    def at_once(self) -> HttpResponse:
        written = self.spec.write(self.rows, user=self.request.user, filters=self.filters,
                                  file_format=self.file_format, progress=lambda done: None)
        content = written if isinstance(written, bytes) else written.read()  # a small list: in memory
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.file_format])
        filename = f"{self.spec.file_word}-{timezone.localdate():%Y%m%d}.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def list_url(self) -> str:
        return list_url(self.spec, self.filters)


def list_url(spec: registry.ExportKindSpec, filters: dict) -> str:
    """The list page as the export was asked from: with its filters."""
    return reverse(spec.list_url) + (f"?{urlencode(filters)}" if filters else "")


def _export_of(request, pk) -> Export:
    return get_object_or_404(Export.objects.visible_to(request.user), pk=pk)


def _describe(request, export: Export) -> Export:
    """The export with what its page shows: the list's name, its filters, the way back to the list."""
    spec = registry.export_kind(export.kind)
    export.spec = spec
    export.filter_facts = spec.describe(request.user, export.filters) if spec is not None else []
    export.list_url = list_url(spec, export.filters) if spec is not None else ""
    return export


def export_detail(request, pk):
    export = _describe(request, _export_of(request, pk))
    return render(request, "reports/export_detail.html", {
        "export": export, "title": _("Export of the list: %(list)s") % {"list": export.get_kind_display()}})


@require_GET
@login_not_required
@not_user_activity
def export_progress(request, pk):
    """The export's status and progress bar, polled by its page while it is being made, and its
    download button once it is done; see reports.pages.report_progress for the signed-out case."""
    if not request.user.is_authenticated:
        return sign_in_first(request, reverse("exports:detail", args=[pk]))
    export = _describe(request, _export_of(request, pk))
    return render(request, "reports/partials/export_progress.html", {"export": export})


class ExportRetryView(RecordGoneMixin, View):
    def post(self, request, pk):
        export = _export_of(request, pk)
        try:
            export = exports.export_retry(actor=request.user, export=export)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            export.refresh_from_db(fields=["status", "error"])
            if export.status == ReportStatus.FAILED:
                messages.error(request, export.error)
            else:
                messages.success(request, _("The export is queued again."))
        return redirect("exports:detail", pk=export.pk)


def export_download(request, pk):
    """The finished export's file, to its requester only."""
    export = _export_of(request, pk)
    if export.status != ReportStatus.DONE or not export.file:
        raise Http404
    try:
        stored = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(stored, as_attachment=True, filename=exports.download_name(export),
                            content_type=CONTENT_TYPES[export.format])
    # As for reports: whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

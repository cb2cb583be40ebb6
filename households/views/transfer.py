"""Households in and out of the registry as files: the Excel import and the list's exports.

Every view reads through `visible_to` (ScopedQuerysetMixin): an import or a household
outside the viewer's scope is not found, exactly like a missing one. Only the Front officers
of a commune import into it; the others see the page and its explanation, and a POST from
them is refused.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.reports.export_pages import ListExportView
from frontwelfare.submissions import made_once
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.views import ScopedQuerysetMixin

from ..choices import Category, ImportStatus, Relation, Sex
from ..exports import HOUSEHOLDS
from ..imports import (
    PREVIEW_ROWS,
    ImportFileError,
    household_import_cancel,
    household_import_confirm,
    household_import_upload,
    import_template_workbook,
    max_bytes,
    max_rows,
    too_large,
)
from ..models import HouseholdImport
from ..permissions import can_edit_households_of, can_see_full_citizen_ids_of, mask_citizen_id

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- exports ---------------------------------------------------------------------------------------


class HouseholdExportXlsxView(ListExportView):
    """The households of the list page, with the same filters (its query string), as a workbook:
    at once, or made in the background when the list is big (frontwelfare.reports.exports)."""

    kind, file_format = HOUSEHOLDS, "xlsx"


class HouseholdExportCsvView(ListExportView):
    kind, file_format = HOUSEHOLDS, "csv"


# -- import ----------------------------------------------------------------------------------------


def import_template(request):
    """The empty template, its example filled in with the officer's own commune code."""
    unit = getattr(request.user, "unit", None)
    code = unit.code if can_edit_households_of(request.user, unit) else ""
    return _attachment(import_template_workbook(commune_code=code), content_type=XLSX_TYPE,
                       filename="mau-nhap-ho-gia-dinh.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": f".xlsx,{XLSX_TYPE}"}),
    )


class ImportUploadHandler(FileUploadHandler):
    """Stops keeping an upload once it passes the import's size limit: a file of a gigabyte is
    not written to the server's disk to be refused afterwards. The rest of the request is read
    and dropped, so that the officer gets the page saying why."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            # The request's length, to say how large the file is: about the file's own size.
            self.request.import_too_large = max(self.request_length or 0, start + len(raw_data))
            raise StopUpload(connection_reset=False)
        return raw_data  # on to Django's own handlers, which keep it

    def file_complete(self, file_size):
        return None


# The upload handler must be in place before the CSRF check reads the request body.
@method_decorator(csrf_exempt, name="dispatch")
class ImportUploadView(ScopedQuerysetMixin, ListView):
    """The upload form, and the recent imports the viewer may see."""

    model = HouseholdImport
    template_name = "households/import_upload.html"
    context_object_name = "imports"

    def get_queryset(self):
        return super().get_queryset().select_related("commune", "uploaded_by").order_by("-uploaded_at")[:20]

    def can_import(self) -> bool:
        return can_edit_households_of(self.request.user, getattr(self.request.user, "unit", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Import households from Excel"), can_import=self.can_import(),
            form=kwargs.get("form") or ImportForm(), max_megabytes=max_bytes() // (1024 * 1024), max_rows=max_rows(),
        )
        return context

    def post(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, ImportUploadHandler(request))
        return csrf_protect(self._post)(request, *args, **kwargs)

    def _post(self, request, *args, **kwargs):
        if not self.can_import():
            raise PermissionDenied(_("Only the Front officers of a commune can import its households."))
        form = ImportForm(request.POST, request.FILES)
        too_large_size = getattr(request, "import_too_large", None)
        if too_large_size is not None:
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", too_large(too_large_size).message)
        elif form.is_valid():
            try:
                record = made_once(request, lambda: household_import_upload(
                    actor=request.user, uploaded_file=form.cleaned_data["file"]))
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("households:import-detail", pk=record.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


def preview_for(user, record: HouseholdImport) -> list[dict]:
    """The import's preview rows for ``user``: labels in the reader's language, citizen IDs
    masked for those who may not see them in full, and each row's problems on it."""
    full_ids = can_see_full_citizen_ids_of(user, record)
    problems: dict[int, list[dict]] = {}
    for problem in record.errors or []:
        if problem.get("row"):
            problems.setdefault(problem["row"], []).append(problem)
    sexes, relations = dict(Sex.choices), dict(Relation.choices)
    categories = dict(Category.choices)
    rows = []
    for entry in record.preview or []:
        rows.append({
            **entry,
            "sex": sexes.get(entry.get("sex"), ""), "relation": relations.get(entry.get("relation"), ""),
            "categories": ", ".join(str(categories.get(value, value)) for value in entry.get("categories") or ()),
            "citizen_id": entry.get("citizen_id", "") if full_ids else mask_citizen_id(entry.get("citizen_id", "")),
            "problems": problems.get(entry["row"], []),
            "has_errors": any(problem.get("level") != "warning" for problem in problems.get(entry["row"], [])),
        })
    return rows


class ImportDetailView(ScopedQuerysetMixin, DetailView):
    """The import: its progress while a worker checks or saves it (the page follows it), then
    the rows as they will be saved with the problems on them, every problem by row and column,
    and confirm or cancel."""

    model = HouseholdImport
    template_name = "households/import_detail.html"
    context_object_name = "household_import"

    def get_queryset(self):
        return super().get_queryset().select_related("commune", "uploaded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        problems = record.errors or []
        can_edit = can_edit_households_of(self.request.user, record.commune)
        preview = preview_for(self.request.user, record)
        context.update(
            title=record.original_name,
            errors=[problem for problem in problems if problem.get("level") != "warning"],
            warnings=[problem for problem in problems if problem.get("level") == "warning"],
            preview=preview, preview_more=len(preview) == PREVIEW_ROWS and record.row_count > PREVIEW_ROWS,
            can_edit=can_edit,
            can_confirm=can_edit and record.status == ImportStatus.CHECKED,
            running=record.status in (ImportStatus.CHECKING, ImportStatus.SAVING),
        )
        return context

    def post(self, request, *args, **kwargs):
        record = self.get_object()  # out of scope: 404 before anything else
        if not can_edit_households_of(request.user, record.commune):
            raise PermissionDenied(_("Only the Front officers of the commune can import its households."))
        action = request.POST.get("action")
        service = {"confirm": household_import_confirm, "cancel": household_import_cancel}.get(action)
        if service is None:
            return redirect("households:import-detail", pk=record.pk)
        try:
            record = service(actor=request.user, household_import=record)
        except HouseholdImport.DoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("households:import-detail", pk=record.pk)
        record.refresh_from_db()  # a task run at once (no Redis: the quick start) has finished it
        if action == "confirm" and record.status == ImportStatus.CHECKED:
            messages.error(request, _("The import service cannot be reached just now. Try again in a few minutes."))
        else:
            _say_how_it_ended(request, record)
        return redirect("households:import-detail", pk=record.pk)


def _say_how_it_ended(request, record: HouseholdImport) -> None:
    if record.status == ImportStatus.IMPORTED:
        messages.success(request, ngettext(
            "%(households)s household and %(members)s members were imported.",
            "%(households)s households and %(members)s members were imported.", record.household_count,
        ) % {"households": number(record.household_count), "members": number(record.row_count)})
    elif record.status == ImportStatus.INVALID:
        messages.error(request, _("The registry changed since the file was checked; nothing was imported. "
                                  "The problems are listed below."))
    elif record.status == ImportStatus.CANCELLED:
        messages.info(request, _("The import was cancelled and its file deleted."))


@require_GET
@login_not_required
@not_user_activity
def import_progress(request, pk):
    """The import's progress bar, which its page polls while a worker checks or saves it (as a
    report's page does: see reports.pages.report_progress, whose reasons hold here). Once the
    import is checked or saved, htmx reloads the whole page (HX-Refresh), which then shows the
    rows, the problems and the buttons; the reload is a plain page request."""
    detail = reverse("households:import-detail", args=[pk])
    is_htmx = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        if not is_htmx:
            return redirect_to_login(detail)
        response = HttpResponse(status=401)
        response["HX-Redirect"] = redirect_to_login(detail)["Location"]
        return response
    record = get_object_or_404(HouseholdImport.objects.visible_to(request.user), pk=pk)
    response = render(request, "households/partials/import_progress.html", {"household_import": record})
    if is_htmx and record.status not in (ImportStatus.CHECKING, ImportStatus.SAVING):
        response["HX-Refresh"] = "true"
    return response

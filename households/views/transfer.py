"""Households in and out of the registry as files: the Excel import and the list's exports.

Every view reads through `visible_to` (ScopedQuerysetMixin): an import or a household
outside the viewer's scope is not found, exactly like a missing one. Only the Front officers
of a commune import into it; the others see the page and its explanation, and a POST from
them is refused.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import DetailView, ListView

from frontwelfare.submissions import made_once
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.views import ScopedQuerysetMixin

from ..choices import ImportStatus
from ..exports import households_csv, households_for_export, households_xlsx
from ..filters import HouseholdFilterSet, categories_year, households_in_name_order
from ..imports import (
    ImportFileError,
    household_import_cancel,
    household_import_check,
    household_import_confirm,
    import_template_workbook,
    max_bytes,
    max_rows,
)
from ..models import Household, HouseholdImport
from ..permissions import can_edit_households_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- exports ---------------------------------------------------------------------------------------


class _HouseholdExportView(ScopedQuerysetMixin, View):
    """The households of the list page, with the same filters (its query string), as a file."""

    model = Household
    filterset_class = HouseholdFilterSet
    extension = ""

    def year(self) -> int:
        """The year whose categories the file shows: the filter's, else the current one (as the
        FilterSet reads a category in it)."""
        return categories_year(self.request.GET)

    def render(self, households, *, year: int) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        households = households_in_name_order(self.get_queryset())
        year = self.year()
        content = self.render(households_for_export(households, year=year), year=year)
        filename = f"ho-gia-dinh-{timezone.localdate():%Y%m%d}.{self.extension}"
        return _attachment(content, content_type=self.content_type, filename=filename)


class HouseholdExportXlsxView(_HouseholdExportView):
    extension = "xlsx"
    content_type = XLSX_TYPE

    def render(self, households, *, year: int) -> bytes:
        return households_xlsx(households, user=self.request.user, year=year)


class HouseholdExportCsvView(_HouseholdExportView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def render(self, households, *, year: int) -> bytes:
        return households_csv(households, user=self.request.user, year=year)


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
        if not self.can_import():
            raise PermissionDenied(_("Only the Front officers of a commune can import its households."))
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = made_once(request, lambda: household_import_check(
                    actor=request.user, uploaded_file=form.cleaned_data["file"]))
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("households:import-detail", pk=record.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class ImportDetailView(ScopedQuerysetMixin, DetailView):
    """The result of the check: every problem by row and column, or what will be created;
    confirm or cancel."""

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
        context.update(
            title=record.original_name,
            errors=[problem for problem in problems if problem.get("level") != "warning"],
            warnings=[problem for problem in problems if problem.get("level") == "warning"],
            can_edit=can_edit,
            can_confirm=can_edit and record.status == ImportStatus.CHECKED,
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
        return redirect("households:import-detail", pk=record.pk)

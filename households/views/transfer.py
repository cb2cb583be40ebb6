"""Households in and out of the registry as files: the Excel import and the list's exports.

Every view reads through `visible_to` (ScopedQuerysetMixin): an import or a household
outside the viewer's scope is not found, exactly like a missing one. Only the Front officers
of a commune import into it; the others see the page and its explanation, and a POST from
them is refused.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, ListView

from frontwelfare.imports.pages import (
    XLSX_TYPE,
    ImportDetailMixin,
    ImportUploadMixin,
    attachment,
    with_problems,
)
from frontwelfare.reports.export_pages import ListExportView
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.views import ScopedQuerysetMixin

from ..choices import Category, Relation, Sex
from ..exports import HOUSEHOLDS
from ..imports import IMPORTER, PREVIEW_ROWS, household_import_upload, import_template_workbook
from ..models import HouseholdImport
from ..permissions import can_edit_households_of, can_see_full_citizen_ids_of, mask_citizen_id

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
    return attachment(import_template_workbook(commune_code=code), content_type=XLSX_TYPE,
                       filename="mau-nhap-ho-gia-dinh.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": f".xlsx,{XLSX_TYPE}"}),
    )


class ImportUploadView(ImportUploadMixin, ScopedQuerysetMixin, ListView):
    """The upload form, and the recent imports the viewer may see."""

    model = HouseholdImport
    template_name = "households/import_upload.html"
    context_object_name = "imports"
    form_class = ImportForm
    template_url_name = "households:import-template"
    detail_url_name = "households:import-detail"
    refusal = gettext_lazy("Only the Front officers of a commune can import its households.")

    def get_queryset(self):
        return super().get_queryset().select_related("commune", "uploaded_by").order_by("-uploaded_at")[:20]

    def can_import(self) -> bool:
        return can_edit_households_of(self.request.user, getattr(self.request.user, "unit", None))

    def upload(self, file):
        return household_import_upload(actor=self.request.user, uploaded_file=file)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Import households from Excel"), **kwargs)

    def post_upload(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        return super().post_upload(request, *args, **kwargs)


def preview_for(user, record: HouseholdImport) -> list[dict]:
    """The import's preview rows for ``user``: labels in the reader's language, citizen IDs
    masked for those who may not see them in full, and each row's problems on it."""
    full_ids = can_see_full_citizen_ids_of(user, record)
    sexes, relations = dict(Sex.choices), dict(Relation.choices)
    categories = dict(Category.choices)
    rows = [{
        **entry,
        "sex": sexes.get(entry.get("sex"), ""), "relation": relations.get(entry.get("relation"), ""),
        "categories": ", ".join(str(categories.get(value, value)) for value in entry.get("categories") or ()),
        "citizen_id": entry.get("citizen_id", "") if full_ids else mask_citizen_id(entry.get("citizen_id", "")),
    } for entry in record.preview or []]
    return with_problems(rows, record.errors)


class ImportDetailView(ImportDetailMixin, ScopedQuerysetMixin, DetailView):
    """The import: its progress while a worker checks or saves it (the page follows it), then
    the rows as they will be saved with the problems on them, every problem by row and column,
    and confirm or cancel."""

    model = HouseholdImport
    template_name = "households/import_detail.html"
    context_object_name = "household_import"
    importer, preview_rows = IMPORTER, PREVIEW_ROWS
    detail_url_name = "households:import-detail"
    refusal = gettext_lazy("Only the Front officers of the commune can import its households.")
    invalid_message = gettext_lazy("The registry changed since the file was checked; nothing was imported. "
                                   "The problems are listed below.")

    def get_queryset(self):
        return super().get_queryset().select_related("commune", "uploaded_by")

    def can_edit(self, record: HouseholdImport) -> bool:
        return can_edit_households_of(self.request.user, record.commune)

    def preview(self, record: HouseholdImport) -> list[dict]:
        return preview_for(self.request.user, record)

    def imported_message(self, record: HouseholdImport) -> str:
        return ngettext(
            "%(households)s household and %(members)s members were imported.",
            "%(households)s households and %(members)s members were imported.", record.household_count,
        ) % {"households": number(record.household_count), "members": number(record.row_count)}


import_progress = ImportDetailView.progress_view("households/partials/import_progress.html")
"""The import's progress bar, which its page polls while a worker checks or saves it."""

"""Households in and out of the registry as files: the Excel import and the list's exports.

Every view reads through `visible_to` (ScopedQuerysetMixin): an import or a household
outside the viewer's scope is not found, exactly like a missing one. Only the Front officers
of a commune import into it; the others see the page and its explanation, and a POST from
them is refused.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.imports.pages import (
    XLSX_TYPE,
    BoundedUploadMixin,
    attachment,
    confirm_or_cancel,
    progress_response,
    receive_upload,
    split_problems,
    with_problems,
)
from frontwelfare.reports.export_pages import ListExportView
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.views import ScopedQuerysetMixin

from ..choices import Category, ImportStatus, Relation, Sex
from ..exports import HOUSEHOLDS
from ..imports import (
    IMPORTER,
    PREVIEW_ROWS,
    household_import_upload,
    import_template_workbook,
    max_bytes,
    max_rows,
)
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


class ImportUploadView(BoundedUploadMixin, ScopedQuerysetMixin, ListView):
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

    def post_upload(self, request, *args, **kwargs):
        if not self.can_import():
            raise PermissionDenied(_("Only the Front officers of a commune can import its households."))
        form = ImportForm(request.POST, request.FILES)
        record = receive_upload(request, form, lambda file: household_import_upload(actor=request.user,
                                                                                    uploaded_file=file))
        if record is not None:
            return redirect("households:import-detail", pk=record.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


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
        errors, warnings = split_problems(record.errors or [])
        can_edit = can_edit_households_of(self.request.user, record.commune)
        preview = preview_for(self.request.user, record)
        context.update(
            title=record.original_name,
            errors=errors, warnings=warnings,
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
        confirm_or_cancel(request, record, IMPORTER, say_how_it_ended=_say_how_it_ended)
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
    """The import's progress bar, which its page polls while a worker checks or saves it
    (frontwelfare.imports.pages.progress_response)."""
    return progress_response(request, HouseholdImport.objects, pk, context_name="household_import",
                             detail_url=reverse("households:import-detail", args=[pk]),
                             template="households/partials/import_progress.html")

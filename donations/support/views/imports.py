"""A member organisation's list of recipients imported into a draft batch: upload it on the
batch's import page, follow its check, read the lines found with the problems on them, confirm or
cancel (donations.support.imports; the pieces every import's pages share are in
frontwelfare.imports.pages).

The batch and its imports are read through `visible_to`: outside the viewer's scope they are not
found, like missing ones. The officers who keep the batch (`can_manage_batch`) upload and confirm;
the other units that see it read the imports; a POST from them is refused.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView

from frontwelfare.imports.pages import XLSX_TYPE, ImportDetailMixin, ImportUploadMixin, attachment, with_problems
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.views import ScopedQuerysetMixin

from ...permissions import NOT_BATCH_KEEPER, can_manage_batch
from ..choices import BatchState
from ..imports import IMPORTER, PREVIEW_ROWS, batch_import_upload, batch_list_template_workbook
from ..models import Batch, BatchImport

RECENT_IMPORTS = 20


def batch_import_template(request):
    """The template of a member organisation's list."""
    return attachment(batch_list_template_workbook(), content_type=XLSX_TYPE,
                      filename="mau-danh-sach-nhan-ho-tro.xlsx")


class BatchListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The organisation's list (Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": f".xlsx,{XLSX_TYPE}"}),
    )


class BatchImportCreateView(ImportUploadMixin, ScopedQuerysetMixin, DetailView):
    """A batch's page for importing a member organisation's list: the upload form (for those who
    keep the batch, while it is a draft) and the batch's recent imports."""

    model = Batch
    template_name = "support/batch_import_create.html"
    context_object_name = "batch"
    form_class = BatchListForm
    template_url_name = "support:batch-import-template"
    detail_url_name = "support:batch-import-detail"
    refusal = NOT_BATCH_KEEPER

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "kind")

    def can_import(self) -> bool:
        return can_manage_batch(self.request.user, self.object) and self.object.state == BatchState.DRAFT

    def upload(self, file):
        return batch_import_upload(actor=self.request.user, batch=self.object, uploaded_file=file)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Import a member organisation's list"),
            keeps_batch=can_manage_batch(self.request.user, self.object),
            imports=BatchImport.objects.visible_to(self.request.user).filter(batch=self.object)
            .select_related("uploaded_by").order_by("-uploaded_at")[:RECENT_IMPORTS],
        )
        return context

    def post_upload(self, request, *args, **kwargs):
        self.object = self.get_object()  # out of scope: 404 before anything else
        return super().post_upload(request, *args, **kwargs)


class BatchImportDetailView(ImportDetailMixin, ScopedQuerysetMixin, DetailView):
    """The import: its progress while a worker checks or adds it (the page follows it), then the
    lines found with the problems on them, every problem by row and column, and confirm or cancel."""

    model = BatchImport
    template_name = "support/batch_import_detail.html"
    context_object_name = "batch_import"
    importer, preview_rows = IMPORTER, PREVIEW_ROWS
    preview_total = "recipient_count"
    detail_url_name = "support:batch-import-detail"
    refusal = NOT_BATCH_KEEPER
    invalid_message = gettext_lazy("The batch changed since the list was checked; nothing was added. The problems "
                                   "are listed below.")

    def get_queryset(self):
        return super().get_queryset().select_related("batch__unit", "batch__kind", "uploaded_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(batch=self.object.batch, **kwargs)

    def can_edit(self, record: BatchImport) -> bool:
        return can_manage_batch(self.request.user, record.batch)

    def preview(self, record: BatchImport) -> list[dict]:
        return with_problems(record.preview or [], record.errors)

    def imported_message(self, record: BatchImport) -> str:
        return ngettext("%(count)s recipient was added to the batch.", "%(count)s recipients were added to the batch.",
                        record.recipient_count) % {"count": number(record.recipient_count)}


batch_import_progress = BatchImportDetailView.progress_view("support/partials/batch_import_progress.html")
"""The import's progress bar, which its page polls while a worker checks or adds the list."""

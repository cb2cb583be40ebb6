"""The bank statement import's pages: upload a fund's statement, follow its check, read the
proposed receipts with the problems on them, confirm or cancel (donations.imports; the pieces
every import's pages share are in frontwelfare.imports.pages).

A fund and its imports are read through `visible_to`: outside the viewer's scope they are not
found, like missing ones. The officers who manage the fund (`can_manage_fund`) upload and confirm;
the units above see the imports; a POST from them is refused.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView

from frontwelfare.imports.pages import (
    CSV_TYPE,
    XLSX_TYPE,
    ImportDetailMixin,
    ImportUploadMixin,
    attachment,
    with_problems,
)
from frontwelfare.templatetags.frontwelfare import number, vnd
from frontwelfare.views import ScopedQuerysetMixin

from ..choices import DonorKind, Earmark
from ..imports import IMPORTER, PREVIEW_ROWS, statement_import_upload, statement_template_workbook
from ..models import Campaign, Fund, StatementImport
from ..permissions import NOT_FUND_MANAGER, can_manage_fund

RECENT_IMPORTS = 20


def statement_import_template(request):
    """The template of a statement; its example's notes carry the code of the latest campaign
    collecting for the officer's unit, if any."""
    unit = getattr(request.user, "unit", None)
    campaign = Campaign.objects.visible_to(request.user).covering(unit).order_by("-starts_on", "-pk").first() \
        if unit is not None else None
    content = statement_template_workbook(**({"campaign_code": campaign.code} if campaign else {}))
    return attachment(content, content_type=XLSX_TYPE, filename="mau-sao-ke-ngan-hang.xlsx")


class StatementForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement (Excel .xlsx or CSV)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                               "accept": f".xlsx,.csv,{XLSX_TYPE},{CSV_TYPE}"}),
    )


class StatementImportCreateView(ImportUploadMixin, ScopedQuerysetMixin, DetailView):
    """A fund's page for importing its bank statement: the upload form (for those who manage the
    fund) and the fund's recent imports."""

    model = Fund
    template_name = "donations/statement_import_create.html"
    context_object_name = "fund"
    form_class = StatementForm
    template_url_name = "donations:statement-import-template"
    detail_url_name = "donations:statement-import-detail"
    refusal = NOT_FUND_MANAGER

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def can_import(self) -> bool:
        return can_manage_fund(self.request.user, self.object)

    def upload(self, file):
        return statement_import_upload(actor=self.request.user, fund=self.object, uploaded_file=file)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Import a bank statement"),
            imports=StatementImport.objects.visible_to(self.request.user).filter(fund=self.object)
            .select_related("uploaded_by").order_by("-uploaded_at")[:RECENT_IMPORTS],
        )
        return context

    def post_upload(self, request, *args, **kwargs):
        self.object = self.get_object()  # out of scope: 404 before anything else
        return super().post_upload(request, *args, **kwargs)


def preview_for(record: StatementImport) -> list[dict]:
    """The proposed receipts with labels in the reader's language and each row's problems on it."""
    earmarks, kinds = dict(Earmark.choices), dict(DonorKind.choices)
    rows = [{**entry, "earmark": earmarks.get(entry.get("earmark"), ""),
             "new_donor_kind": kinds.get(entry.get("new_donor_kind"), "")} for entry in record.preview or []]
    return with_problems(rows, record.errors)


class StatementImportDetailView(ImportDetailMixin, ScopedQuerysetMixin, DetailView):
    """The import: its progress while a worker checks or records it (the page follows it), then
    the proposed receipts with the problems on them, every problem by row and column, and
    confirm or cancel."""

    model = StatementImport
    template_name = "donations/statement_import_detail.html"
    context_object_name = "statement_import"
    importer, preview_rows = IMPORTER, PREVIEW_ROWS
    preview_total = "credit_count"
    detail_url_name = "donations:statement-import-detail"
    refusal = NOT_FUND_MANAGER
    invalid_message = gettext_lazy("The fund's records changed since the statement was checked; nothing was "
                                   "recorded. The problems are listed below.")

    def get_queryset(self):
        return super().get_queryset().select_related("fund__unit", "uploaded_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(fund=self.object.fund, **kwargs)

    def can_edit(self, record: StatementImport) -> bool:
        return can_manage_fund(self.request.user, record.fund)

    def preview(self, record: StatementImport) -> list[dict]:
        return preview_for(record)

    def imported_message(self, record: StatementImport) -> str:
        return ngettext(
            "%(count)s receipt of %(total)s was recorded.",
            "%(count)s receipts totalling %(total)s were recorded.", record.credit_count,
        ) % {"count": number(record.credit_count), "total": vnd(record.total)}


statement_import_progress = StatementImportDetailView.progress_view(
    "donations/partials/statement_import_progress.html")
"""The import's progress bar, which its page polls while a worker checks or records it."""

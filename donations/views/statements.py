"""The bank statement import's pages: upload a fund's statement, follow its check, read the
proposed receipts with the problems on them, confirm or cancel (donations.imports; the pieces
every import's pages share are in frontwelfare.imports.pages).

A fund and its imports are read through `visible_to`: outside the viewer's scope they are not
found, like missing ones. The officers who manage the fund (`can_manage_fund`) upload and confirm;
the units above see the imports; a POST from them is refused.
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
from django.views.generic import DetailView

from frontwelfare.accounts.middleware import not_user_activity
from frontwelfare.imports.choices import ImportStatus
from frontwelfare.imports.pages import (
    CSV_TYPE,
    XLSX_TYPE,
    BoundedUploadMixin,
    attachment,
    confirm_or_cancel,
    progress_response,
    receive_upload,
    split_problems,
    with_problems,
)
from frontwelfare.imports.reading import max_bytes, max_rows
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


class StatementImportCreateView(BoundedUploadMixin, ScopedQuerysetMixin, DetailView):
    """A fund's page for importing its bank statement: the upload form (for those who manage the
    fund) and the fund's recent imports."""

    model = Fund
    template_name = "donations/statement_import_create.html"
    context_object_name = "fund"

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fund = self.object
        context.update(
            title=_("Import a bank statement"), can_import=can_manage_fund(self.request.user, fund),
            form=kwargs.get("form") or StatementForm(), max_megabytes=max_bytes() // (1024 * 1024),
            max_rows=max_rows(),
            imports=StatementImport.objects.visible_to(self.request.user).filter(fund=fund)
            .select_related("uploaded_by").order_by("-uploaded_at")[:RECENT_IMPORTS],
        )
        return context

    def post_upload(self, request, *args, **kwargs):
        self.object = fund = self.get_object()  # out of scope: 404 before anything else
        if not can_manage_fund(request.user, fund):
            raise PermissionDenied(NOT_FUND_MANAGER)
        form = StatementForm(request.POST, request.FILES)
        record = receive_upload(request, form, lambda file: statement_import_upload(
            actor=request.user, fund=fund, uploaded_file=file))
        if record is not None:
            return redirect("donations:statement-import-detail", pk=record.pk)
        return self.render_to_response(self.get_context_data(form=form))


def preview_for(record: StatementImport) -> list[dict]:
    """The proposed receipts with labels in the reader's language and each row's problems on it."""
    earmarks, kinds = dict(Earmark.choices), dict(DonorKind.choices)
    rows = [{**entry, "earmark": earmarks.get(entry.get("earmark"), ""),
             "new_donor_kind": kinds.get(entry.get("new_donor_kind"), "")} for entry in record.preview or []]
    return with_problems(rows, record.errors)


class StatementImportDetailView(ScopedQuerysetMixin, DetailView):
    """The import: its progress while a worker checks or records it (the page follows it), then
    the proposed receipts with the problems on them, every problem by row and column, and
    confirm or cancel."""

    model = StatementImport
    template_name = "donations/statement_import_detail.html"
    context_object_name = "statement_import"

    def get_queryset(self):
        return super().get_queryset().select_related("fund__unit", "uploaded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        errors, warnings = split_problems(record.errors or [])
        can_edit = can_manage_fund(self.request.user, record.fund)
        preview = preview_for(record)
        context.update(
            title=record.original_name, fund=record.fund, errors=errors, warnings=warnings, preview=preview,
            preview_more=len(preview) == PREVIEW_ROWS and record.credit_count > PREVIEW_ROWS,
            can_edit=can_edit, can_confirm=can_edit and record.status == ImportStatus.CHECKED,
            running=record.running,
        )
        return context

    def post(self, request, *args, **kwargs):
        record = self.get_object()  # out of scope: 404 before anything else
        if not can_manage_fund(request.user, record.fund):
            raise PermissionDenied(NOT_FUND_MANAGER)
        confirm_or_cancel(request, record, IMPORTER, say_how_it_ended=_say_how_it_ended)
        return redirect("donations:statement-import-detail", pk=record.pk)


def _say_how_it_ended(request, record: StatementImport) -> None:
    if record.status == ImportStatus.IMPORTED:
        messages.success(request, ngettext(
            "%(count)s receipt of %(total)s was recorded.",
            "%(count)s receipts totalling %(total)s were recorded.", record.credit_count,
        ) % {"count": number(record.credit_count), "total": vnd(record.total)})
    elif record.status == ImportStatus.INVALID:
        messages.error(request, _("The fund's records changed since the statement was checked; nothing was "
                                  "recorded. The problems are listed below."))
    elif record.status == ImportStatus.CANCELLED:
        messages.info(request, _("The import was cancelled and its file deleted."))


@require_GET
@login_not_required
@not_user_activity
def statement_import_progress(request, pk):
    """The import's progress bar, which its page polls while a worker checks or records it."""
    return progress_response(request, StatementImport.objects, pk, context_name="statement_import",
                             detail_url=reverse("donations:statement-import-detail", args=[pk]),
                             template="donations/partials/statement_import_progress.html")

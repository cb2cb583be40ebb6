"""Signature sheets of a batch (danh sách ký nhận), XLSX and PDF: a hamlet's (``?commune=<id>&
hamlet=<name>``), or without them every line the viewer sees, a sheet per commune and hamlet.

The batch is read through `Batch.objects.visible_to` (out of scope: 404, like a missing one) and
its lines through `selectors.sheet_lines`, the households' scope: a commune officer's sheet of the
district's batch holds only their commune's lines. Two queries, whatever the number of lines.

A sheet is laid out within the request: a hamlet's is a page or a few. Every line of a province's
batch at once would take longer than a web worker may spend (WeasyPrint lays out about 70 lines a
second), so past a bound the page lists the batch's hamlets instead, each with its sheets.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from frontwelfare.imports.pages import XLSX_TYPE
from frontwelfare.reports.exports import at_once_max_rows
from frontwelfare.text import fold_diacritics

from .. import documents
from ..models import Batch
from ..selectors import batch_hamlets, sheet_lines

# The most lines laid out within a request: WeasyPrint lays out about 70 lines a second, so a PDF
# of 150 lines takes about two seconds (a hamlet's poor households, nearly always fewer); a workbook
# takes the exports' bound (frontwelfare.reports.exports.at_once_max_rows). A hamlet longer than
# the PDF's bound is printed from its workbook.
PDF_LINES_IN_A_REQUEST = 150


def _chosen(request, pk: int) -> tuple[Batch, int | None, str | None]:
    """The batch (in the viewer's scope, or 404) and the commune and hamlet asked for."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("kind", "unit"), pk=pk)
    commune = request.GET.get("commune") or None
    if commune is not None:
        try:
            commune = int(commune)
        except ValueError:
            raise Http404 from None  # no such commune
    hamlet = (request.GET.get("hamlet") or "").strip() or None
    return batch, commune, hamlet


def _sheets(request, pk: int, *, limit: int, write) -> HttpResponse:
    """The file ``write`` makes of the sheets asked for, or, past ``limit`` lines, the page of the
    batch's hamlets to choose from."""
    batch, commune, hamlet = _chosen(request, pk)
    lines = list(sheet_lines(batch, request.user, commune_id=commune, hamlet=hamlet)[:limit + 1])
    if len(lines) > limit:
        return render(request, "support/sheet_choose_hamlet.html", {
            "batch": batch, "limit": limit, "pdf_limit": PDF_LINES_IN_A_REQUEST,
            "hamlets": batch_hamlets(batch, request.user)})
    return write(documents.batch_sheets(batch, lines), _filename(batch, commune, hamlet))


def _filename(batch: Batch, commune: int | None, hamlet: str | None) -> str:
    """ASCII: "danh-sach-ky-nhan-12" or, for one hamlet, "danh-sach-ky-nhan-12-28915-ap-phuoc-hau"."""
    parts = [f"danh-sach-ky-nhan-{batch.pk}"]
    if commune is not None:
        parts.append(str(commune))
    if hamlet:
        parts.append(slugify(fold_diacritics(hamlet))[:40])
    return "-".join(part for part in parts if part)


def _file(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_GET
def batch_sheet_xlsx(request, pk):
    """The sheets as an Excel workbook, a worksheet per hamlet."""
    return _sheets(request, pk, limit=at_once_max_rows(), write=lambda document, filename: _file(
        documents.sheets_xlsx(document), content_type=XLSX_TYPE, filename=f"{filename}.xlsx", inline=False))


@require_GET
def batch_sheet_pdf(request, pk):
    """The sheets as a PDF to print, a hamlet's on pages of its own."""
    return _sheets(request, pk, limit=PDF_LINES_IN_A_REQUEST, write=lambda document, filename: _file(
        documents.sheets_pdf(document), content_type="application/pdf", filename=f"{filename}.pdf", inline=True))

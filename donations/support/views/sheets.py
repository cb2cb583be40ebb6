"""Signature sheets of a batch (danh sách ký nhận), XLSX and PDF: a hamlet's (``?commune=<id>&
hamlet=<name>``), or without them every line the viewer sees, a sheet per commune and hamlet.

The batch is read through `Batch.objects.visible_to` (out of scope: 404, like a missing one) and
its lines through `selectors.sheet_lines`, the households' scope: a commune officer's sheet of the
district's batch holds only their commune's lines. Two queries, whatever the number of lines.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from frontwelfare.imports.pages import XLSX_TYPE
from frontwelfare.text import fold_diacritics

from .. import documents
from ..models import Batch
from ..selectors import sheet_lines


def _document(request, pk: int) -> tuple[Batch, documents.SheetsDocument, str]:
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("kind", "unit"), pk=pk)
    commune = request.GET.get("commune") or None
    if commune is not None:
        try:
            commune = int(commune)
        except ValueError:
            raise Http404 from None  # no such commune
    hamlet = request.GET.get("hamlet")
    hamlet = hamlet.strip() if hamlet is not None and hamlet.strip() else None
    lines = sheet_lines(batch, request.user, commune_id=commune, hamlet=hamlet)
    document = documents.batch_sheets(batch, lines)
    return batch, document, _filename(batch, commune, hamlet)


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
    _batch, document, filename = _document(request, pk)
    return _file(documents.sheets_xlsx(document), content_type=XLSX_TYPE, filename=f"{filename}.xlsx",
                 inline=False)


@require_GET
def batch_sheet_pdf(request, pk):
    """The sheets as a PDF to print, a hamlet's on pages of its own. A hamlet's sheet is a page or
    two: it is laid out within the request."""
    _batch, document, filename = _document(request, pk)
    return _file(documents.sheets_pdf(document), content_type="application/pdf", filename=f"{filename}.pdf",
                 inline=True)

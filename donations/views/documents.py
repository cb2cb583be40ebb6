"""The documents the funds print: a receipt as a PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import documents
from ..models import Receipt


@require_GET
def receipt_pdf(request, pk):
    """The receipt (phiếu thu) of ``pk`` as a PDF, to those who see its fund; 404 for others. A
    receipt is a page or two: it is laid out within the request (well under a second)."""
    receipt = get_object_or_404(Receipt.objects.visible_to(request.user)
                                .select_related("fund__unit", "donor", "campaign", "recorded_by"), pk=pk)
    response = HttpResponse(documents.receipt_pdf(receipt), content_type="application/pdf")
    # Shown in the browser, to print; saved under its number (ASCII: "PT-2025-000123").
    response["Content-Disposition"] = f'inline; filename="phieu-thu-{receipt.number}.pdf"'
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

"""The level above's printed documents: the recognition notice, the score sheet (blank, or for one
model, to fill in on site) and an award's certificate, as PDFs laid out by models_registry.documents.

Each is a page or two, laid out within the request (well under a second), and served only to those
who see its record (404 otherwise, and 403 to a commune's officer for the notice recognising their
model, as its page)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import documents
from ..models import Award, TypicalModel
from .recognition import notice_for
from .rounds import round_for


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # Shown in the browser, to print; saved under an ASCII name.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Whatever a file holds, the browser runs nothing from it under our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@require_GET
def notice_pdf(request, pk):
    notice = notice_for(request, pk)
    return _pdf(documents.notice_pdf(notice), f"thong-bao-{notice.number}-{notice.round.year}.pdf")


@require_GET
def score_sheet_pdf(request, pk):
    """The round's score sheet with its criteria in force; with ``?model=<id>``, the sheet of that
    model of the round (its name printed), which the viewer must see."""
    round_ = round_for(request, pk)
    model, chosen = None, request.GET.get("model", "")
    if chosen:
        if not (chosen.isascii() and chosen.isdigit()):  # "²" is a digit to isdigit(), not to int()
            raise Http404
        model = get_object_or_404(TypicalModel.objects.visible_to(request.user).filter(round=round_)
                                  .select_related("commune"), pk=chosen)
    name = f"phieu-cham-diem-{round_.year}" + (f"-{model.pk}" if model else "")
    return _pdf(documents.score_sheet_pdf(round_, model=model), f"{name}.pdf")


@require_GET
def award_certificate_pdf(request, pk):
    award = get_object_or_404(Award.objects.visible_to(request.user).select_related("model__commune", "notice"),
                              pk=pk)
    return _pdf(documents.certificate_pdf(award), f"giay-khen-{award.pk}.pdf")

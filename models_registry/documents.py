"""STUB, to be replaced by the real module (the notice, the score sheet and the certificate in their
official layouts, written on another branch): the three functions the document views call, each
making a one-page PDF that names what it prints, so that the pages and their tests work meanwhile."""

from django.utils.html import escape
from weasyprint import HTML

from frontwelfare.reports.writers.pdf import url_fetcher


def _pdf(*lines: str) -> bytes:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return HTML(string=f"<html><body>{body}</body></html>", url_fetcher=url_fetcher()).write_pdf()


def notice_pdf(notice) -> bytes:
    return _pdf(f"THÔNG BÁO {notice.reference}", *(model.name for model in notice.recognised_models.all()))


def score_sheet_pdf(round_, model=None) -> bytes:
    criteria = round_.criteria.filter(version=round_.criteria_version).order_by("position")
    return _pdf("PHIẾU CHẤM ĐIỂM", str(round_), *([model.name] if model else []),
                *(f"{criterion.name} ({criterion.weight})" for criterion in criteria))


def certificate_pdf(award) -> bytes:
    return _pdf(award.title, award.model.name)

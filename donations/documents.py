"""The printed documents of the funds: the receipt (phiếu thu), in the layout of form C40-BB of
the administrative accounting regime (Circular 107/2017/TT-BTC), which the Front's committees use
for the money their funds receive: the issuing unit top left, the form's name top right, the
title with its date, number, the payer, the reason, the amount in figures and in words, the
attached documents, and the signatures of the head of unit, the accountant, the payer, the
preparer and the cashier.

Like the reports (frontwelfare.reports.writers.pdf, whose fetcher and date line this reuses), it is
laid out by WeasyPrint with the DejaVu fonts, and its wording is Vietnamese whatever language the
officer who prints it reads: it is an official form, not a page of the interface, so nothing here
is translated.
"""

from django.template.loader import render_to_string
from weasyprint import HTML

from frontwelfare.reports.documents import ISSUER, date_line
from frontwelfare.reports.figures import place_name
from frontwelfare.reports.writers.pdf import url_fetcher
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.text import amount_in_words

from .choices import Earmark, PaymentMethod
from .models import Posting, Receipt

RECEIPT_TEMPLATE = "donations/receipt.pdf.html"
# The committee of the fund's unit issues the receipt: "ỦY BAN MTTQ VIỆT NAM XÃ PHÚ MỸ" (ISSUER, every
# formal document's: reports.documents).
FORM_NAME = "Mẫu số: C40-BB"
FORM_SOURCE = "(Ban hành kèm theo Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính)"
TITLE = "PHIẾU THU"
CANCELLED = "ĐÃ HỦY"

METHOD_WORDS = {
    PaymentMethod.CASH: "Tiền mặt",
    PaymentMethod.BANK_TRANSFER: "Chuyển khoản",
    PaymentMethod.IN_KIND: "Hiện vật",
}
# What the donor restricted the money to, as the reason's words say it.
EARMARK_WORDS = {
    Earmark.HOUSING: "xây, sửa nhà cho hộ nghèo",
    Earmark.SCHOLARSHIPS: "học bổng, dụng cụ học tập",
    Earmark.TET_GIFTS: "quà Tết",
    Earmark.DISASTER_RELIEF: "cứu trợ thiên tai",
}
# The signatures, left to right, as the form orders them; each with the note printed under it.
SIGNATURES = (
    ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"),
    ("Kế toán", "(Ký, họ tên)"),
    ("Người nộp tiền", "(Ký, họ tên)"),
    ("Người lập phiếu", "(Ký, họ tên)"),
    ("Thủ quỹ", "(Ký, họ tên)"),
)
PREPARER = "Người lập phiếu"


def receipt_pdf(receipt: Receipt) -> bytes:
    """``receipt`` printed as a PDF. Its fund (with the unit), donor, campaign and recorder are
    read here if the caller did not select them."""
    html = render_to_string(RECEIPT_TEMPLATE, receipt_context(receipt))
    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()


def receipt_context(receipt: Receipt) -> dict:
    unit = receipt.fund.unit
    reversal = Posting.objects.filter(reverses_id=receipt.posting_id).first()
    preparer = receipt.recorded_by.get_full_name() or receipt.recorded_by.username
    return {
        "receipt": receipt,
        "issuer": f"{ISSUER} {unit.name.upper()}",
        "issuer_lines": (ISSUER, unit.name.upper()),
        "fund_name": receipt.fund.name,
        "form_name": FORM_NAME,
        "form_source": FORM_SOURCE,
        "title": TITLE,
        "date_words": date_line("", receipt.happened_on).capitalize(),
        "date_figures": receipt.happened_on.strftime("%d/%m/%Y"),
        "place_and_date": date_line(place_name(unit), receipt.happened_on),
        "reason": reason(receipt),
        "method": method_words(receipt),
        "amount_figures": f"{number(receipt.amount)} đồng",
        "amount_words": amount_in_words(receipt.amount),
        "in_kind": receipt.method == PaymentMethod.IN_KIND,
        "attached": number(receipt.attached_documents) if receipt.attached_documents else "",
        "soft_credits": [(credit.name, number(credit.amount) if credit.amount else "")
                         for credit in receipt.soft_credits.order_by("pk")],
        "signatures": [(title.upper(), note, preparer if title == PREPARER else "") for title, note in SIGNATURES],
        "cancelled": CANCELLED if reversal is not None else "",
        "reversal": reversal,
        "reversal_date": reversal.happened_on.strftime("%d/%m/%Y") if reversal is not None else "",
    }


def reason(receipt: Receipt) -> str:
    """"Ủng hộ Tháng cao điểm Vì người nghèo 2025 (dành cho quà Tết); <note>": the campaign the
    money was given to (or the fund), what the donor restricted it to, and the officer's note."""
    words = f"Ủng hộ {receipt.campaign.name if receipt.campaign_id else receipt.fund.name}"
    if receipt.earmark in EARMARK_WORDS:
        words += f" (dành cho {EARMARK_WORDS[receipt.earmark]})"
    note = receipt.note.strip()
    return f"{words}; {note}" if note else words


def method_words(receipt: Receipt) -> str:
    """"Chuyển khoản, mã giao dịch FT25290..." / "Hiện vật: 100 bao gạo" / "Tiền mặt"."""
    words = METHOD_WORDS.get(receipt.method, receipt.method)
    if receipt.method == PaymentMethod.BANK_TRANSFER and receipt.bank_reference:
        return f"{words}, mã giao dịch {receipt.bank_reference}"
    if receipt.method == PaymentMethod.IN_KIND:
        return f"{words}: {receipt.in_kind_description}"
    return words

"""The signature sheets of a batch (danh sách ký nhận): one per commune and hamlet, the list the
hamlet's head takes round, on which each household signs for what it received.

Each sheet has the standard heading of the Front's documents (the committee that gives top left,
"MẶT TRẬN TỔ QUỐC VIỆT NAM" top right), its title, the batch's kind and occasion and the hamlet;
then a table: number, head of household, address, what is given (the kind, the goods or the
pupil, the school or the card when recorded), value, a column to sign and a note; the totals; the
place and date ("Phước Mỹ Trung, ngày 10 tháng 02 năm 2026", the commune where it is handed out,
on the batch's day); and the signatures of who drew up the list, the hamlet's head and the
standing committee. As XLSX (a worksheet per hamlet, values as numbers Excel adds up) and as PDF
(WeasyPrint, as the receipt and the reports; a page break between hamlets).

Like the receipt (donations.documents), it is a document signed on paper, not a page of the
interface: its wording is Vietnamese whatever language the officer reads, and nothing here is
translated.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from frontwelfare.reports.documents import ORGANISATION, date_line
from frontwelfare.reports.figures import place_name
from frontwelfare.reports.writers.pdf import url_fetcher
from frontwelfare.reports.writers.xlsx import BOLD, BORDER, HEADING_FILL, WRAP_CENTRED, sheet_name
from frontwelfare.templatetags.frontwelfare import vnd
from households.exports import neutralise

from ..documents import ISSUER
from .choices import Delivery, Details
from .models import Batch, Recipient

SHEET_TEMPLATE = "support/sheet.pdf.html"
TITLE = "DANH SÁCH KÝ NHẬN"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HEADINGS = ("STT", "Chủ hộ", "Địa chỉ", "Nội dung hỗ trợ", "Giá trị", "Ký nhận", "Ghi chú")
XLSX_WIDTHS = (6, 26, 30, 42, 16, 18, 20)
VALUE_COLUMN = 5  # 1-based, in the XLSX
TOTAL = "Tổng cộng"
# The signers, left to right, each with the note printed under the title.
SIGNATURES = (
    ("NGƯỜI LẬP DANH SÁCH", "(Ký, ghi rõ họ tên)"),
    ("TRƯỞNG ẤP", "(Ký, ghi rõ họ tên)"),
    ("TM. BAN THƯỜNG TRỰC", "(Ký tên, đóng dấu)"),
)
# What the note says of a line whose handing over is already recorded (a sheet printed again).
DELIVERY_NOTES = {
    Delivery.DELIVERED: "Đã nhận {day}",
    Delivery.REPRESENTATIVE: "Người nhận thay: {representative} ({day})",
    Delivery.NOT_FOUND: "Không gặp",
    Delivery.REFUSED: "Từ chối nhận",
}


@dataclass(frozen=True)
class SheetLine:
    number: int
    head: str
    address: str
    given: str
    value: int
    note: str


@dataclass
class Sheet:
    """One hamlet's list: its lines numbered from 1, and its totals."""

    commune: str
    hamlet: str
    place_and_date: str
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.value for line in self.lines)

    @property
    def where(self) -> str:
        """"Ấp Phước Hậu, Thị trấn Phước Mỹ Trung"."""
        return ", ".join(part for part in (self.hamlet, self.commune) if part)


@dataclass(frozen=True)
class SheetsDocument:
    """What every sheet of a batch shares, and the sheets."""

    issuer_lines: tuple[str, str]
    organisation: str
    motto: tuple[str, str]
    title: str
    subtitle: str
    counted: str  # what a line is: "hộ", or "học sinh" for a kind given per pupil
    sheets: list[Sheet]


def batch_sheets(batch: Batch, lines: Iterable[Recipient]) -> SheetsDocument:
    """The sheets of ``batch`` for ``lines`` (`selectors.sheet_lines`: ordered by commune, hamlet
    and head, with the household, its commune and the pupil), one per commune and hamlet. With no
    lines, one empty sheet, so that the file still says what it is of."""
    sheets: list[Sheet] = []
    current_key = None
    for line in lines:
        household = line.household
        key = (household.commune_id, household.hamlet)
        if key != current_key:
            current_key = key
            sheets.append(Sheet(commune=household.commune.name, hamlet=household.hamlet,
                                place_and_date=date_line(place_name(household.commune), batch.happened_on)))
        sheet = sheets[-1]
        sheet.lines.append(SheetLine(number=len(sheet.lines) + 1, head=household.head_name or household.code,
                                     address=sheet.where, given=given_words(batch, line), value=line.value,
                                     note=note_words(line)))
    if not sheets:
        sheets.append(Sheet(commune="", hamlet="", place_and_date=date_line(place_name(batch.unit),
                                                                            batch.happened_on)))
    unit = batch.unit
    return SheetsDocument(
        issuer_lines=(ISSUER, unit.name.upper()), organisation=ORGANISATION, motto=MOTTO, title=TITLE,
        subtitle=f"{batch.kind.name_vi}: {batch.occasion}", counted="học sinh" if batch.per_pupil else "hộ",
        sheets=sheets,
    )


def given_words(batch: Batch, line: Recipient) -> str:
    """What the line's household receives: "Quà Tết: 10 kg gạo, 1 thùng mì"; "Học bổng: em Nguyễn
    Văn Bình, Trường TH Phước Mỹ Trung, lớp 3, năm học 2025-2026"; "Thẻ BHYT số HN4830012345678,
    hạn đến 31/12/2026"."""
    parts = []
    if batch.per_pupil and line.pupil_id:
        parts.append(f"em {line.pupil.full_name}")
    goods = line.goods or (batch.goods if batch.in_kind else "")
    if goods:
        parts.append(goods)
    details = batch.kind.details
    if details == Details.SCHOOL:
        parts.extend(part for part in (line.school, f"lớp {line.grade}" if line.grade else "",
                                       f"năm học {line.school_year}" if line.school_year else "") if part)
    elif details == Details.INSURANCE_CARD and line.card_number:
        card = f"thẻ BHYT số {line.card_number}"
        if line.card_valid_until:
            card += f", hạn đến {line.card_valid_until:%d/%m/%Y}"
        parts.append(card)
    kind = batch.kind.name_vi
    return f"{kind}: {', '.join(parts)}" if parts else kind


def note_words(line: Recipient) -> str:
    """Empty for a line still to hand over (the usual sheet); what was recorded otherwise."""
    words = DELIVERY_NOTES.get(line.delivery, "")
    day = line.delivered_on.strftime("%d/%m/%Y") if line.delivered_on else ""
    return words.format(day=day, representative=line.representative).strip()


# -- PDF ------------------------------------------------------------------------------------------------


def sheets_pdf(document: SheetsDocument) -> bytes:
    html = render_to_string(SHEET_TEMPLATE, {"document": document, "headings": HEADINGS, "signatures": SIGNATURES,
                                             "total_words": TOTAL, "sheets": [_printed(sheet) for sheet in
                                                                              document.sheets]})
    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()


def _printed(sheet: Sheet) -> dict:
    """A sheet with its values as a printed document writes them: "500.000 ₫"."""
    return {"sheet": sheet, "lines": [(line, vnd(line.value)) for line in sheet.lines], "total": vnd(sheet.total),
            "count": len(sheet.lines)}


# -- XLSX -----------------------------------------------------------------------------------------------

VALUE_FORMAT = '#,##0 "₫"'
_LEFT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)


def sheets_xlsx(document: SheetsDocument) -> bytes:
    """A worksheet per sheet, named by its hamlet."""
    workbook = Workbook()
    workbook.properties.title = f"{document.title} - {document.subtitle}"
    workbook.properties.creator = "FrontWelfare"
    taken: set[str] = set()
    for position, sheet in enumerate(document.sheets):
        worksheet = workbook.active if position == 0 else workbook.create_sheet()
        worksheet.title = sheet_name(sheet.hamlet or document.title, taken)
        _write_sheet(worksheet, document, sheet)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _merged(worksheet, row: int, first: int, last: int, text: str, *, font=BOLD, alignment=_LEFT) -> None:
    cell = worksheet.cell(row=row, column=first, value=text)
    cell.font, cell.alignment = font, alignment
    if last > first:
        worksheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _write_sheet(worksheet, document: SheetsDocument, sheet: Sheet) -> None:
    width = len(HEADINGS)
    # The heading: the committee left (columns A-C), the organisation right (D-G).
    _merged(worksheet, 1, 1, 3, document.issuer_lines[0])
    _merged(worksheet, 2, 1, 3, document.issuer_lines[1])
    _merged(worksheet, 1, 4, width, document.motto[0])
    _merged(worksheet, 2, 4, width, document.motto[1])
    _merged(worksheet, 4, 1, width, document.title, font=Font(bold=True, size=14))
    _merged(worksheet, 5, 1, width, document.subtitle)
    _merged(worksheet, 6, 1, width, sheet.where, font=Font(italic=True))
    heading_row = 8
    for column, label in enumerate(HEADINGS, start=1):
        cell = worksheet.cell(row=heading_row, column=column, value=label)
        cell.font, cell.alignment, cell.fill, cell.border = BOLD, WRAP_CENTRED, HEADING_FILL, BORDER
    row = heading_row
    for line in sheet.lines:
        row += 1
        _table_row(worksheet, row, [line.number, line.head, line.address, line.given, line.value, "", line.note])
    row += 1
    _table_row(worksheet, row, [None, f"{TOTAL}: {len(sheet.lines)} {document.counted}", None, None, sheet.total,
                                None, None], font=BOLD)
    row += 2
    _merged(worksheet, row, 4, width, sheet.place_and_date, font=Font(italic=True))
    row += 1
    spans = ((1, 2), (3, 4), (5, width))
    for (first, last), (signer, note) in zip(spans, SIGNATURES, strict=True):
        _merged(worksheet, row, first, last, signer)
        _merged(worksheet, row + 1, first, last, note, font=Font(italic=True))
    for index, column_width in enumerate(XLSX_WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column_width
    worksheet.freeze_panes = worksheet.cell(row=heading_row + 1, column=1)
    worksheet.print_title_rows = f"{heading_row}:{heading_row}"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True


def _table_row(worksheet, row: int, values: list, font=None) -> None:
    for column, value in enumerate(values, start=1):
        # Names, goods and notes typed by officers or imported: never read by Excel as a formula.
        cell = worksheet.cell(row=row, column=column, value=neutralise(value))
        cell.border = BORDER
        if column == VALUE_COLUMN:
            cell.number_format = VALUE_FORMAT
        else:
            cell.alignment = _TOP_WRAPPED
        if font is not None:
            cell.font = font
    # A row tall enough to sign in.
    worksheet.row_dimensions[row].height = 30

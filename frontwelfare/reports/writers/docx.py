"""The report as a Word document, for the committee to edit its narrative before signing: the same
layout as the PDF (reports.writers.pdf, reports.documents) in Times New Roman 13 pt as Decree
30/2020/NĐ-CP asks. The heading is a borderless two-column table; each section's figures are a real
Word table, its heading rows (grouped headings merged, as header_rows gives them) repeated on each
page, figures right-aligned and printed like the PDF's ("30.000.000"); "Nơi nhận" and the
signature side by side in a borderless table at the end. Wide tables turn the page to landscape,
as in the PDF."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..data import ReportData, Section
from . import Cell, cells, header_rows, is_landscape, money_headed, report_closing, report_masthead

FONT = "Times New Roman"
BODY_SIZE, TABLE_SIZE, SMALL_SIZE, TITLE_SIZE = Pt(13), Pt(11), Pt(11), Pt(14)
# Decree 30's margins: 20 mm top and bottom, 30 mm on the binding side, 15 mm the other.
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
A4 = (Mm(210), Mm(297))
RULE = "————"
SIGNING_ROOM = 4  # empty lines between the signer's title and name


def write(data: ReportData) -> bytes:
    document = Document()
    _page(document, landscape=is_landscape(data))
    _base_font(document)
    document.core_properties.title = data.title
    document.core_properties.subject = data.subtitle
    document.core_properties.author = " ".join(data.issuer_lines or (data.issuer,))
    _masthead(document, data)
    _paragraph(document, data.title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    if data.subtitle:
        _paragraph(document, data.subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(12))
    for section in data.sections:
        _section(document, section)
    _closing(document, data)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _page(document, *, landscape: bool) -> None:
    page = document.sections[0]
    width, height = A4
    page.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = (height, width) if landscape else (width, height)
    for name, value in MARGINS.items():
        setattr(page, name, value)
    if landscape:
        page.left_margin = Mm(20)


def _base_font(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, BODY_SIZE
    # Word takes Vietnamese letters from the east-Asian and complex-script slots too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)


def _paragraph(container, text: str, *, bold=False, italic=False, size=None, align=None, after=None):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = size
    if align is not None:
        paragraph.alignment = align
    if after is not None:
        paragraph.paragraph_format.space_after = after
    return paragraph


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    """Write ``lines`` ((text, style)) into ``cell``, centred, the first into its empty paragraph."""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = style.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
        run = paragraph.add_run(text)
        run.bold, run.italic = style.get("bold", False), style.get("italic", False)
        run.font.size = style.get("size", BODY_SIZE)


def _borderless(document, columns: int, widths: tuple[int, ...]):
    table = document.add_table(rows=1, cols=columns)  # the default table style draws no borders
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Mm(width)
    return table


def _masthead(document, data: ReportData) -> None:
    masthead = report_masthead(data)
    table = _borderless(document, 2, (70, 95))
    issuer, organisation = table.rows[0].cells
    last = len(masthead.issuer_lines) - 1
    _cell_lines(issuer, [*((line, {"bold": index == last, "size": Pt(12)})
                           for index, line in enumerate(masthead.issuer_lines)),
                         (RULE, {}), (masthead.reference, {"size": Pt(12)})])
    _cell_lines(organisation, [(masthead.organisation, {"bold": True, "size": Pt(12)}), (RULE, {}),
                               (masthead.place_and_date, {"italic": True, "size": Pt(12)})])
    _paragraph(document, "", after=Pt(6))


def _section(document, section: Section) -> None:
    if section.title:
        paragraph = _paragraph(document, section.title, bold=True)
        paragraph.paragraph_format.space_before, paragraph.paragraph_format.keep_with_next = Pt(10), True
    if section.intro:
        # The year-end report's comparison in words: the narrative the committee edits before signing.
        intro = _paragraph(document, section.intro, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=Pt(4))
        intro.paragraph_format.first_line_indent = Mm(10)
    if section.columns:
        _figures_table(document, section)
    if section.note:
        _paragraph(document, section.note, italic=True, size=SMALL_SIZE)


def _figures_table(document, section: Section) -> None:
    columns = money_headed(section.columns)
    heading = header_rows(columns)
    body = [cells(section.columns, row) for row in section.rows]
    if section.total is not None:
        body.append(cells(section.columns, section.total))
    table = document.add_table(rows=len(heading) + len(body), cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, heading_cells in enumerate(heading):
        _repeat_on_each_page(table.rows[row_index])
        for cell in heading_cells:
            target = table.cell(row_index, cell.column)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(row_index + cell.rowspan - 1, cell.column + cell.colspan - 1))
            _text(target, cell.label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    # Row by row: table.cell(row, column) lays out the whole grid at each call, which is slow for a
    # province's tables of a hundred communes.
    for offset, (table_row, row) in enumerate(zip(table.rows[len(heading):], body, strict=True)):
        is_total = section.total is not None and offset == len(body) - 1
        for cell, figure in zip(table_row.cells, row, strict=True):
            _figure(cell, figure, bold=is_total)


def _repeat_on_each_page(row) -> None:
    """Mark ``row`` as a heading row (w:tblHeader): Word repeats it at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _figure(cell, figure: Cell, *, bold: bool) -> None:
    _text(cell, figure.text, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT if figure.numeric else None)


def _text(cell, text: str, *, bold=False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, TABLE_SIZE


def _closing(document, data: ReportData) -> None:
    closing = report_closing(data)
    _paragraph(document, "", after=Pt(6))
    table = _borderless(document, 2, (80, 85))
    recipients, signature = table.rows[0].cells
    left = WD_ALIGN_PARAGRAPH.LEFT
    _cell_lines(recipients, [(closing.recipients_title, {"bold": True, "italic": True, "size": Pt(12), "align": left}),
                             *((line, {"size": SMALL_SIZE, "align": left}) for line in closing.recipients)])
    _cell_lines(signature, [(closing.on_behalf, {"bold": True}), (closing.signer_title, {"bold": True}),
                            *(("", {}) for _line in range(SIGNING_ROOM)), (closing.signer, {"bold": True})])

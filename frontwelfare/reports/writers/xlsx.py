"""The report as an Excel workbook, the way officials work with it: one sheet per section, figures
as numbers they can add up (Excel shows the thousands separator of the reader's locale), totals as
values, the heading frozen while scrolling, and columns wide enough to read."""

import math
import re
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..data import COUNT, MONEY, PERCENT, TEXT, ReportData, Section
from . import header_rows

NUMBER_FORMATS = {COUNT: "#,##0", MONEY: '#,##0 "₫"', PERCENT: '0"%"'}
# What the number formats above look like, to size the columns: 30000000 → "30.000.000 ₫".
_SHOWN = {COUNT: "{:,.0f}", MONEY: "{:,.0f} ₫", PERCENT: "{:.0f}%"}
MIN_WIDTH, MAX_WIDTH = 8, 50
# A heading wraps onto several lines rather than widening its column past this many characters.
HEADING_WIDTH = 16
LINE_HEIGHT = 15  # points, for the default 11-point font

BOLD = Font(bold=True)
_thin = Side(style="thin")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADING_FILL = PatternFill("solid", fgColor="E7E6E6")
PARAGRAPH = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)

_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


def write(data: ReportData) -> bytes:
    workbook = Workbook()
    workbook.properties.title = data.title
    workbook.properties.subject = data.subtitle
    workbook.properties.creator = "FrontWelfare"
    names: set[str] = set()
    sections = data.sections or [Section(title=data.title, columns=[])]
    for position, section in enumerate(sections):
        sheet = workbook.active if position == 0 else workbook.create_sheet()
        sheet.title = sheet_name(section.title, names)
        _write_section(sheet, data, section)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def made_on_line(data: ReportData) -> str:
    """"Lập ngày 07/12/2026", in the language the report is made in (Vietnamese, by the worker)."""
    return _("Made on %(date)s") % {"date": data.made_on.strftime("%d/%m/%Y")}


def sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as Excel accepts it for a sheet: none of []:*?/\\, no quote at either end, at most
    31 characters, and different from the names in ``taken`` (ignoring case, as Excel does),
    which it is added to."""
    name = _FORBIDDEN_IN_SHEET_NAMES.sub("-", title).strip().strip("'").strip() or "Sheet"
    candidate, number = name[:SHEET_NAME_LENGTH].rstrip(), 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[:SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def _write_section(sheet: Worksheet, data: ReportData, section: Section) -> None:
    width = max(len(section.columns), 1)
    heading = header_rows(section.columns) if section.columns else []
    # The document's heading: issuer, title, subtitle (the unit and the period), the section's own
    # title (the sheet's name may have been cut short), and the day it was made: a sheet copied
    # into another workbook still says what it counts and as of when.
    _merged_line(sheet, 1, data.issuer, width=width, font=BOLD, alignment=Alignment(horizontal="left"))
    _merged_line(sheet, 2, data.title, width=width, font=Font(bold=True, size=14), alignment=WRAP_CENTRED)
    _merged_line(sheet, 3, data.subtitle, width=width, font=BOLD, alignment=WRAP_CENTRED)
    _merged_line(sheet, 4, section.title, width=width, font=BOLD, alignment=Alignment(horizontal="left"))
    _merged_line(sheet, 5, made_on_line(data), width=width, font=Font(italic=True),
                 alignment=Alignment(horizontal="left"))
    # A year-end report's comparison in words, under the lines above.
    _merged_line(sheet, 6, section.intro, width=width, font=Font(), alignment=PARAGRAPH)
    widths = _fit_widths(section) if section.columns else [MAX_WIDTH]
    # Merged cells do not grow to fit wrapped text either.
    sheet.row_dimensions[2].height = _lines(data.title, sum(widths) / 1.4) * LINE_HEIGHT * 1.4
    sheet.row_dimensions[3].height = _lines(data.subtitle, sum(widths)) * LINE_HEIGHT
    if section.intro:
        sheet.row_dimensions[6].height = _lines(section.intro, sum(widths)) * LINE_HEIGHT
    first_heading_row = 8 if section.intro else 6
    for offset, cells in enumerate(heading):
        for cell in cells:
            _heading_cell(sheet, first_heading_row + offset, cell)
    first_row = first_heading_row + len(heading)
    row_number = first_row
    for row in section.rows:
        _table_row(sheet, row_number, section, row)
        row_number += 1
    if section.total is not None:
        _table_row(sheet, row_number, section, section.total, font=BOLD)
        row_number += 1
    if section.note:
        _merged_line(sheet, row_number + 1, section.note, width=width, font=Font(italic=True),
                     alignment=Alignment(horizontal="left", vertical="top", wrap_text=True))
    for index, column_width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column_width
    if section.note:
        sheet.row_dimensions[row_number + 1].height = _lines(section.note, sum(widths)) * LINE_HEIGHT
    if section.columns:
        _size_heading_rows(sheet, heading, widths, first_heading_row)
        # The heading stays in view when scrolling down, the units' names when scrolling right.
        sheet.freeze_panes = sheet.cell(row=first_row, column=2 if width > 1 else 1)
        sheet.print_title_rows = f"{first_heading_row}:{first_row - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > 7 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _merged_line(sheet: Worksheet, row: int, text: str, *, width: int, font: Font, alignment: Alignment) -> None:
    if not text:
        return
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font, cell.alignment = font, alignment
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _heading_cell(sheet: Worksheet, row: int, heading) -> None:
    column = heading.column + 1
    cell = sheet.cell(row=row, column=column, value=heading.label)
    cell.font, cell.alignment, cell.fill = BOLD, WRAP_CENTRED, HEADING_FILL
    last_row, last_column = row + heading.rowspan - 1, column + heading.colspan - 1
    # Every cell of a merged range gets the border, or Excel draws it only round the first one.
    for border_row in range(row, last_row + 1):
        for border_column in range(column, last_column + 1):
            sheet.cell(row=border_row, column=border_column).border = BORDER
    if (last_row, last_column) != (row, column):
        sheet.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)


def _table_row(sheet: Worksheet, row_number: int, section: Section, values: list, font: Font | None = None) -> None:
    for index, column in enumerate(section.columns):
        value = values[index] if index < len(values) else None
        if column.kind != TEXT and isinstance(value, str):
            value = value or None  # an empty figure is an empty cell, not text Excel cannot add up
        cell = sheet.cell(row=row_number, column=index + 1, value=value)
        cell.border = BORDER
        if column.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[column.kind]
        else:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if font is not None:
            cell.font = font


def _shown(kind: str, value) -> str:
    if value is None or value == "":
        return ""
    if kind in _SHOWN and isinstance(value, int | float):
        return _SHOWN[kind].format(value)
    return str(value)


def _fit_widths(section: Section) -> list[float]:
    """Each column as wide as its longest value (or its heading, up to HEADING_WIDTH, past which
    the heading wraps), within MIN_WIDTH and MAX_WIDTH."""
    rows = [*section.rows, *([section.total] if section.total is not None else [])]
    widths = []
    for index, column in enumerate(section.columns):
        longest = max((len(_shown(column.kind, row[index])) for row in rows if index < len(row)), default=0)
        heading = min(len(column.label), max(HEADING_WIDTH, *(len(word) for word in column.label.split() or [""])))
        # A little room for bold text and the cell's padding.
        widths.append(float(min(max(longest + 2, heading + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _lines(text: str, characters_per_line: float) -> int:
    """About how many lines ``text`` takes, wrapped in a cell that wide."""
    return max(math.ceil(len(text) / max(characters_per_line, 1)), 1)


def _size_heading_rows(sheet: Worksheet, heading, widths: list[float], first_row: int) -> None:
    """Excel does not grow a row to fit wrapped text that openpyxl wrote, so give the heading rows
    the height of their longest wrapped label."""
    lines = [1] * len(heading)
    for offset, cells in enumerate(heading):
        for cell in cells:
            needed = _lines(cell.label, sum(widths[cell.column:cell.column + cell.colspan]) - 1)
            lines[offset] = max(lines[offset], math.ceil(needed / cell.rowspan))
    for offset, count in enumerate(lines):
        sheet.row_dimensions[first_row + offset].height = count * LINE_HEIGHT

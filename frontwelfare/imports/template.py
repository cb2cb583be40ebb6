"""The pieces every import's downloadable template shares: the row of column headers (bold, on the
import's own colour, each with its explanation as a comment on the sheet to fill in), the sheet
explaining the columns, and the workbook as bytes. Each import says which columns, which colour
and what the explanation says (households.imports.template, donations.imports.template)."""

from collections.abc import Collection, Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


def header_fill(colour: str) -> PatternFill:
    """The background of an import's header cells, ``colour`` as RRGGBB."""
    return PatternFill("solid", fgColor=colour)


def write_header(sheet, columns: Sequence, *, fill: PatternFill, comments: bool, text_keys: Collection[str] = (),
                 comment_height: int = 100) -> None:
    """Row 1 of ``sheet``: each column's ``header`` (its ``help`` as a comment if ``comments``), its
    ``width``, text format for the columns in ``text_keys`` (a code or a reference keeps its
    zeros), and the row frozen."""
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if comments:
            cell.comment = Comment(str(column.help), "FrontWelfare", width=300, height=comment_height)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in text_keys:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"


def write_help(sheet, lines: Iterable[str], *, headings: Sequence[str], rows: Iterable[Sequence],
               widths: Sequence[int], fill: PatternFill) -> None:
    """The explanation sheet: ``lines`` of text (the first as its title), then a table, one row per
    column of the import, under ``headings`` (bold, on ``fill``), its columns ``widths`` wide and
    its text wrapped."""
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(list(headings))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(workbook: Workbook) -> bytes:
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()

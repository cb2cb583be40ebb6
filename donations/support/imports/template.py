"""The template of a member organisation's list: the columns to fill in, an example, and an
explanation with every header accepted for each column."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from frontwelfare.imports.reading import max_bytes, max_rows, megabytes, thousands
from frontwelfare.imports.template import header_fill, workbook_bytes, write_header, write_help

from .columns import COLUMNS, DATA_SHEET, EXAMPLE_SHEET, HEADER_ROWS, HELP_SHEET

_EXAMPLE_ROWS = [
    {"code": "PMT-00012", "head": "Nguyễn Văn An", "hamlet": "Ấp Phước Hậu", "value": 500000,
     "goods": "10 kg gạo, 1 thùng mì"},
    {"head": "Trần Thị Bình", "hamlet": "Ấp Phước Thạnh", "note": "Neo đơn"},
    {"head": "Lê Văn Cường", "hamlet": "Ấp Phước Hậu", "pupil": "Lê Thị Hoa", "value": "1.000.000",
     "school": "Trường TH Phước Mỹ Trung", "grade": "3", "school_year": "2025-2026"},
]
_HEADER_FILL = header_fill("E2EFDA")
_TEXT_KEYS = frozenset(column.key for column in COLUMNS if column.text)


def batch_list_template_workbook() -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    write_header(data, COLUMNS, fill=_HEADER_FILL, comments=True, text_keys=_TEXT_KEYS)
    example = workbook.create_sheet(EXAMPLE_SHEET)
    write_header(example, COLUMNS, fill=_HEADER_FILL, comments=False, text_keys=_TEXT_KEYS)
    for values in _EXAMPLE_ROWS:
        example.append([values.get(column.key) for column in COLUMNS])
    lines = [
        _("How to import a member organisation's list of recipients"),
        _("Fill in the sheet “%(sheet)s”, or upload the organisation's own list (Excel .xlsx): the row of column "
          "headers may be anywhere in the first %(rows)s rows; the headers below are recognised, with or without "
          "diacritics.") % {"sheet": DATA_SHEET, "rows": HEADER_ROWS},
        _("Each row is a household of the batch's unit, found by its code, or by the head's name and the hamlet. "
          "For support given per pupil, write the pupil's name: a member of the household."),
        _("Nothing is added until every row is correct and you confirm the import. At most %(rows)s rows and "
          "%(size)s per file.") % {"rows": thousands(max_rows()), "size": megabytes(max_bytes())},
    ]
    write_help(workbook.create_sheet(HELP_SHEET), lines, fill=_HEADER_FILL, widths=(22, 12, 60, 70),
               headings=(_("Column"), _("Required"), _("How to fill it in"), _("Headers also recognised")),
               rows=[(column.header, _("yes") if column.required else "", str(column.help),
                      "; ".join(column.aliases)) for column in COLUMNS])
    return workbook_bytes(workbook)

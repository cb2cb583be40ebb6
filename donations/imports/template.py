"""The template of a bank statement: the columns to fill in (or to name the bank's own), an
example, and an explanation with every header accepted for each column."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from frontwelfare.imports.reading import max_bytes, max_rows, megabytes, thousands
from frontwelfare.imports.template import header_fill, workbook_bytes, write_header, write_help

from .columns import COLUMNS, DATA_SHEET, EXAMPLE_SHEET, HEADER_ROWS, HELP_SHEET

_EXAMPLE_ROWS = [
    {"date": "17/10/2025", "reference": "FT25290123456", "credit": "30.000.000", "payer": "CONG TY TNHH MINH PHAT",
     "note": "{code} CONG TY MINH PHAT UNG HO QUY VI NGUOI NGHEO"},
    {"date": "18/10/2025 09:15", "reference": "FT25291000789", "credit": 500000, "payer": "NGUYEN VAN AN",
     "note": "NGUYEN VAN AN chuyen tien ung ho {code}"},
    {"date": "20/10/2025", "reference": "FT25293004567", "debit": "2.000.000", "payer": "",
     "note": "Phi dich vu"},
    {"date": "21/10/2025", "reference": "FT25294001122", "credit": "1.000.000", "payer": "TRAN THI BINH",
     "note": "Ung ho nguoi ngheo"},
]
_HEADER_FILL = header_fill("DDEBF7")
_TEXT_KEYS = frozenset(column.key for column in COLUMNS if column.text)


def _write_header(sheet, *, comments: bool) -> None:
    write_header(sheet, COLUMNS, fill=_HEADER_FILL, comments=comments, text_keys=_TEXT_KEYS)


def statement_template_workbook(*, campaign_code: str = "VNN2025") -> bytes:
    """The template: the statement's columns to fill in, an example (credits, a debit left out)
    whose notes carry ``campaign_code``, and an explanation in the page's language."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _write_header(data, comments=True)

    example = workbook.create_sheet(EXAMPLE_SHEET)
    _write_header(example, comments=False)
    for values in _EXAMPLE_ROWS:
        example.append([str(values[column.key]).replace("{code}", campaign_code)
                        if isinstance(values.get(column.key), str) else values.get(column.key)
                        for column in COLUMNS])

    _write_help(workbook.create_sheet(HELP_SHEET))
    return workbook_bytes(workbook)


def _write_help(sheet) -> None:
    lines = [
        _("How to import a bank statement"),
        _("Upload the statement of the fund's account as the bank exports it (Excel .xlsx or CSV), or copy its "
          "lines into the sheet “%(sheet)s”. The row of column headers may be anywhere in the first %(rows)s rows; "
          "the headers below are recognised, with or without diacritics.") % {"sheet": DATA_SHEET,
                                                                               "rows": HEADER_ROWS},
        _("Each line with money in (a credit) becomes a receipt of the fund, by bank transfer. Lines of money out, "
          "and balances, are left out."),
        _("A campaign's code in the note puts the receipt in that campaign, with its earmark. The payer is found "
          "among your donors by name; otherwise a new donor is recorded."),
        _("A bank reference is recorded once: a statement imported again, or a line already entered by hand, is "
          "refused."),
        _("Nothing is recorded until every line is correct and you confirm the import. At most %(rows)s lines and "
          "%(size)s per file.") % {"rows": thousands(max_rows()), "size": megabytes(max_bytes())},
    ]
    write_help(sheet, lines, fill=_HEADER_FILL, widths=(22, 12, 60, 70),
               headings=(_("Column"), _("Required"), _("How to fill it in"), _("Headers also recognised")),
               rows=[(column.header, _("yes") if column.required else "", str(column.help), "; ".join(column.aliases))
                     for column in COLUMNS])

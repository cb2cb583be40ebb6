"""Opening an uploaded household file and reading its rows, with the bounds every import has
(frontwelfare.imports.reading): an Excel workbook only, the column headers in row 1 of the sheet
"Danh sách" (or else the first sheet)."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from frontwelfare.imports import reading
from frontwelfare.imports.reading import ImportFileError, SheetRow, TableSpec, max_bytes, max_rows, too_large

from .columns import COLUMNS

DATA_SHEET = "Danh sách"
EXAMPLE_SHEET = "Ví dụ"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

TABLE = TableSpec(
    columns=COLUMNS, sheet=DATA_SHEET,
    wrong_format=_("This is not an Excel file (.xlsx). Fill in the template, save it in Excel as “Excel Workbook "
                   "(.xlsx)” and upload it again."),
    missing_columns=_("The first row of the sheet does not have the template's columns: %(columns)s are missing. "
                      "Download the template and copy your data into it."),
)

__all__ = ["DATA_SHEET", "EXAMPLE_SHEET", "HELP_SHEET", "LISTS_SHEET", "TABLE", "ImportFileError", "SheetRow",
           "max_bytes", "max_rows", "read_rows", "too_large", "upload_check"]


def upload_check(file) -> None:
    """Refuse, in milliseconds, a file that is not a workbook or whose members would unpack too large."""
    reading.upload_check(file, TABLE)


def read_rows(file, *, progress: Callable[[float], None] = lambda fraction: None) -> list[SheetRow]:
    """The data rows of an uploaded household file (see `frontwelfare.imports.reading.read_rows`)."""
    return reading.read_rows(file, TABLE, progress=progress)

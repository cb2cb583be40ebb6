"""Opening an uploaded file and reading its rows, refusing what cannot be checked.

A workbook is a zip archive: 400 KB can unpack to gigabytes of XML, and parsing it would hold a
worker for minutes. `upload_check` reads only the archive's directory (milliseconds, whatever
the file) and refuses a member that unpacks too large or too far out of proportion; zipfile
never unpacks more than the size the directory declares, so the bound holds for a lying
directory too. `read_rows` then bounds the rows and cells it reads and the time it takes.
"""

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import COLUMN, COLUMNS, _as_text, _blank, _key


def max_bytes() -> int:
    """The largest file accepted (setting HOUSEHOLD_IMPORT_MAX_BYTES, 5 MB by default)."""
    return getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    """The most data rows in one file (setting HOUSEHOLD_IMPORT_MAX_ROWS, 20,000 by default)."""
    return getattr(settings, "HOUSEHOLD_IMPORT_MAX_ROWS", 20_000)


def max_seconds() -> float:
    """The longest a file's rows may take to read (setting HOUSEHOLD_IMPORT_MAX_SECONDS, 120 s)."""
    return getattr(settings, "HOUSEHOLD_IMPORT_MAX_SECONDS", 120)


# 20,000 rows of the template filled in whole unpack to a sheet of about 20 MB, compressed 10 to 20
# times; a sheet of the same text on every row compresses at most about 60 times.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBER_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, themes) may compress further, harmlessly
# Cells read, blank ones included: the template has 25 columns; a sheet formatted far past its data
# has blank rows and cells, which cost as much to read as full ones.
MAX_CELLS_PER_ROW = 40

DATA_SHEET = "Danh sách"
EXAMPLE_SHEET = "Ví dụ"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"


class ImportFileError(Exception):
    """A file that cannot be checked row by row (not a spreadsheet, empty, too large, not the
    template's columns). Nothing is stored; the message tells the officer what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it
    cells: dict  # column key -> the cell's value as openpyxl reads it


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls of Excel 97-2003, and password-protected .xlsx


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    """5242880 -> "5 MB", 1572864 -> "1,5 MB", 6000 -> "6 KB" (Vietnamese decimal comma)."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",") + " MB"


def _size_of(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def too_large(size: int) -> ImportFileError:
    return ImportFileError(_("The file is %(size)s; the largest accepted is %(limit)s. Split it into smaller "
                             "files.") % {"size": _megabytes(size), "limit": _megabytes(max_bytes())})


def _too_much_data() -> ImportFileError:
    return ImportFileError(_("The file holds too much data to be read; split it into smaller files."))


def upload_check(file) -> None:
    """Refuse, in milliseconds, a file that is not a workbook or whose members would unpack too
    large: it reads the file's first bytes and the archive's directory, nothing else."""
    size = _size_of(file)
    if size > max_bytes():
        raise too_large(size)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if start == _OLE_MAGIC:
        raise ImportFileError(_("This is an Excel 97-2003 file (.xls) or a password-protected one. Open it in Excel, "
                                "remove any password and save it as “Excel Workbook (.xlsx)”, then upload it again."))
    if not zipfile.is_zipfile(file):
        raise _not_xlsx()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx() from exc
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in {member.filename for member in members}:  # every Office file has it
        raise _not_xlsx()
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _too_much_data()
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES or (
                member.file_size > RATIO_FROM_BYTES
                and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1)):
            raise _too_much_data()


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("This is not an Excel file (.xlsx). Fill in the template, save it in Excel as "
                             "“Excel Workbook (.xlsx)” and upload it again."))


def _open_workbook(file):
    upload_check(file)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen kinds of error on a damaged or foreign file
        raise _not_xlsx() from exc


def _match_headers(header_row) -> dict[int, str]:
    """Column index -> column key, from the header row; refuses a sheet without the
    template's required columns."""
    by_key = {}
    for column in COLUMNS:
        for header in (column.header, *column.aliases):
            by_key[_key(header)] = column.key
    found: dict[int, str] = {}
    for index, value in enumerate(header_row or ()):
        key = by_key.get(_key(_as_text(value)))
        if key is None:
            continue
        if key in found.values():
            raise ImportFileError(_("The column “%(column)s” appears twice in the first row.")
                                  % {"column": COLUMN[key].header})
        found[index] = key
    missing = [column.header for column in COLUMNS if column.required and column.key not in found.values()]
    if missing:
        raise ImportFileError(_("The first row of the sheet does not have the template's columns: %(columns)s are "
                                "missing. Download the template and copy your data into it.")
                              % {"columns": ", ".join(f"“{header}”" for header in missing)})
    return found


def read_rows(file, *, progress: Callable[[float], None] = lambda fraction: None) -> list[SheetRow]:
    """The data rows of an uploaded file, blank rows left out; ``progress`` is told the fraction
    read every thousand rows. Raises ImportFileError, also when the sheet has too many rows or
    cells, or takes too long to read."""
    workbook = _open_workbook(file)
    deadline = time.monotonic() + max_seconds()
    # Blank rows count too: a sheet may be formatted far below its data.
    max_cells = (max_rows() + 1000) * MAX_CELLS_PER_ROW
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None or all(_blank(cell) for cell in header):
            raise ImportFileError(_("The sheet is empty: there is no row of column headers and no data."))
        columns = _match_headers(header)
        expected = min(sheet.max_row or max_rows(), max_rows())  # as the sheet declares it: for progress only
        rows, cells = [], len(header)
        for number, row in enumerate(values, start=2):
            cells += len(row)
            if cells > max_cells:
                raise _too_much_data()
            if number % 1000 == 0:
                if time.monotonic() > deadline:
                    raise ImportFileError(_("The file takes too long to read; split it into smaller files."))
                progress(number / max(expected, number))
            cells_read = {key: row[index] for index, key in columns.items() if index < len(row)}
            if all(_blank(value) for value in cells_read.values()):
                continue
            if len(rows) == max_rows():
                raise ImportFileError(_("The file has more than %(limit)s rows; split it into smaller files.")
                                      % {"limit": _thousands(max_rows())})
            rows.append(SheetRow(number, cells_read))
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read, not when it is opened
        raise ImportFileError(_("The file is damaged and cannot be read. Save it again in Excel as “Excel "
                                "Workbook (.xlsx)” and upload it again.")) from exc
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError(_("The file has no rows of data under the column headers."))
    return rows

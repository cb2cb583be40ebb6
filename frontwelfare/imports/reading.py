"""Opening an uploaded file and reading its rows, refusing what cannot be checked, for every import.

What an import reads is a `TableSpec`: its columns (each with a key, a header, other headers
accepted for it, and whether it is required), the formats it takes (Excel workbooks; CSV files
too for a bank's statement), which sheet, and how far down the column headers may be (a bank's
statement has its title, account and period above them).

Work is bounded before anything is parsed. A workbook is a zip archive: 400 KB can unpack to
gigabytes of XML, and parsing it would hold a worker for minutes. `upload_check` reads only the
file's size, its first bytes and the archive's directory (milliseconds, whatever the file) and
refuses a member that unpacks too large or too far out of proportion; zipfile never unpacks more
than the size the directory declares, so the bound holds for a lying directory too. A CSV file is
text no larger than the size limit. `read_rows` then bounds the rows and cells it reads and the
time it takes. The limits are settings: IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, IMPORT_MAX_SECONDS.
"""

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .cells import as_text, blank, fold_key

XLSX, CSV = "xlsx", "csv"


def max_bytes() -> int:
    """The largest file accepted (setting IMPORT_MAX_BYTES, 5 MB by default)."""
    return getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    """The most data rows in one file (setting IMPORT_MAX_ROWS, 20,000 by default)."""
    return getattr(settings, "IMPORT_MAX_ROWS", 20_000)


def max_seconds() -> float:
    """The longest a file's rows may take to read (setting IMPORT_MAX_SECONDS, 120 s)."""
    return getattr(settings, "IMPORT_MAX_SECONDS", 120)


# 20,000 rows of the household template filled in whole unpack to a sheet of about 20 MB, compressed
# 10 to 20 times; a sheet of the same text on every row compresses at most about 60 times.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBER_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, themes) may compress further, harmlessly
# Cells read, blank ones included: the household template has 25 columns, a bank's statement about
# ten; a sheet formatted far past its data has blank rows and cells, which cost as much to read as full ones.
MAX_CELLS_PER_ROW = 40

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls of Excel 97-2003, and password-protected .xlsx
_CSV_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class TableSpec:
    """What one kind of import reads. ``columns``: objects with ``key``, ``header``, ``aliases``
    and ``required``. ``wrong_format``: the message for a file of none of ``formats``;
    ``missing_columns``: the message (with ``%(columns)s``, and ``%(rows)s`` if it likes) for a
    sheet without the required columns. Both lazy, so that they are said in the language of
    whoever reads them."""

    columns: tuple
    wrong_format: str
    missing_columns: str
    formats: tuple[str, ...] = (XLSX,)
    sheet: str = ""  # the sheet read when the workbook has one of this name; otherwise the first
    header_rows: int = 1  # the column headers are on one of the first ``header_rows`` rows

    @property
    def column(self) -> dict:
        return {column.key: column for column in self.columns}


class ImportFileError(Exception):
    """A file that cannot be checked row by row (not a spreadsheet, empty, too large, not the
    expected columns). Nothing is stored; the message tells the officer what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it
    cells: dict  # column key -> the cell's value as openpyxl (or the CSV reader: text) reads it


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def megabytes(size: int) -> str:
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
                             "files.") % {"size": megabytes(size), "limit": megabytes(max_bytes())})


def _too_much_data() -> ImportFileError:
    return ImportFileError(_("The file holds too much data to be read; split it into smaller files."))


def _wrong_format(spec: TableSpec) -> ImportFileError:
    return ImportFileError(str(spec.wrong_format))


def upload_check(file, spec: TableSpec) -> str:
    """The file's format (XLSX or CSV), found in milliseconds from its size, its first bytes and,
    for a workbook, the archive's directory, nothing else; raises ImportFileError for a file that
    is none of ``spec``'s formats, too large, or whose members would unpack too large."""
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
    if zipfile.is_zipfile(file):
        if XLSX not in spec.formats:
            raise _wrong_format(spec)
        _check_archive(file, spec)
        return XLSX
    file.seek(0)
    if CSV in spec.formats and _looks_like_text(file.read(64 * 1024)):
        file.seek(0)
        return CSV
    file.seek(0)
    raise _wrong_format(spec)


def _check_archive(file, spec: TableSpec) -> None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _wrong_format(spec) from exc
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in {member.filename for member in members}:  # every Office file has it
        raise _wrong_format(spec)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _too_much_data()
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES or (
                member.file_size > RATIO_FROM_BYTES
                and member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1)):
            raise _too_much_data()


def _looks_like_text(start: bytes) -> bool:
    """Text in one of the encodings `_decode` reads: no NUL byte outside UTF-16, no control
    characters but tabs and line ends (a PDF, an image or a program has them in its first bytes)."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return not any(byte < 32 and byte not in (9, 10, 13) for byte in start)


def _decode(content: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without its byte-order mark) or UTF-16 as Excel saves
    "Unicode text", else Windows-1258, the Vietnamese code page older bank software writes."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)  # Windows-1258 writes tone marks apart from their letter


def _header_keys(text: str) -> list[str]:
    """The folded spellings a header cell is matched by, most exact first: the whole header, then
    without what is in brackets ("Ghi có (VND)"), then each part of a bilingual one ("Ghi có/Credit")."""
    keys = [fold_key(text)]
    bare = text
    while "(" in bare and ")" in bare[bare.index("("):]:
        opening = bare.index("(")
        bare = bare[:opening] + bare[bare.index(")", opening) + 1:]
    keys.append(fold_key(bare))
    for separator in ("/", "\n", "|"):
        if separator in bare:
            keys.extend(fold_key(part) for part in bare.split(separator))
    return [key for key in keys if key]


def _matches(header_row, by_key: dict[str, str]) -> list[tuple[int, str]]:
    """(column index, column key) of each cell of ``header_row`` that names a column."""
    found = []
    for index, value in enumerate(header_row or ()):
        text = as_text(value)
        key = next((by_key[spelling] for spelling in _header_keys(text) if spelling in by_key), None)
        if key is not None:
            found.append((index, key))
    return found


def _columns_of(header_row, number: int, spec: TableSpec, by_key: dict[str, str]) -> dict[int, str]:
    """Column index -> column key, from the header row; refuses one that names a column twice or
    lacks a required one."""
    found: dict[int, str] = {}
    for index, key in _matches(header_row, by_key):
        if key in found.values():
            message = (_("The column “%(column)s” appears twice in the first row.") if number == 1 else
                       _("The column “%(column)s” appears twice in row %(row)s."))
            raise ImportFileError(message % {"column": spec.column[key].header, "row": number})
        found[index] = key
    missing = [column.header for column in spec.columns if column.required and column.key not in found.values()]
    if missing:
        raise ImportFileError(str(spec.missing_columns) % {"columns": ", ".join(f"“{header}”" for header in missing),
                                                           "rows": spec.header_rows})
    return found


def _header(values: Iterator, spec: TableSpec) -> tuple[int, dict[int, str], int]:
    """Finds the row of column headers among the first ``spec.header_rows`` rows: the first that
    names every required column, or else the one that names most (whose missing columns the
    message lists). Returns its number, its columns and its width."""
    by_key = {}
    for column in spec.columns:
        for header in (column.header, *column.aliases):
            by_key[fold_key(header)] = column.key
    required = {column.key for column in spec.columns if column.required}
    best = None
    for number in range(1, spec.header_rows + 1):
        row = next(values, None)
        if row is None:
            break
        if all(blank(cell) for cell in row):
            continue
        named = {key for _index, key in _matches(row, by_key)}
        if required <= named:
            return number, _columns_of(row, number, spec, by_key), len(row)
        if best is None or len(named) > best[0]:
            best = (len(named), number, row)
    if best is None:
        raise ImportFileError(_("The sheet is empty: there is no row of column headers and no data."))
    _count, number, row = best
    return number, _columns_of(row, number, spec, by_key), len(row)  # it raises, naming what is missing


def _csv_rows(text: str, spec: TableSpec) -> Iterator[list[str]]:
    """The records of a CSV file, split by the delimiter (comma, semicolon or tab) that makes its
    header row name the most columns: Excel writes semicolons where the decimal mark is a comma."""
    by_key = {fold_key(header): column.key for column in spec.columns for header in (column.header, *column.aliases)}
    head = text[:64 * 1024]

    def named(delimiter: str) -> int:
        rows = csv.reader(io.StringIO(head), delimiter=delimiter)
        best = 0
        for _number, row in zip(range(spec.header_rows), rows, strict=False):
            best = max(best, len({key for _index, key in _matches(row, by_key)}))
        return best

    try:
        delimiter = max(_CSV_DELIMITERS, key=named)
    except csv.Error:
        delimiter = ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def read_rows(file, spec: TableSpec, *, progress: Callable[[float], None] = lambda fraction: None) -> list[SheetRow]:
    """The data rows of an uploaded file, blank rows left out; ``progress`` is told the fraction
    read every thousand rows. Raises ImportFileError, also when the sheet has too many rows or
    cells, or takes too long to read."""
    file_format = upload_check(file, spec)
    if file_format == CSV:
        text = _decode(file.read())
        try:
            return _rows(_csv_rows(text, spec), spec, expected=text.count("\n") + 1, progress=progress)
        except ImportFileError:
            raise
        except csv.Error as exc:
            raise ImportFileError(_("The file cannot be read as a CSV file (%(problem)s). Save it again as CSV or as "
                                    "an Excel workbook (.xlsx) and upload it again.") % {"problem": exc}) from exc
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen kinds of error on a damaged or foreign file
        raise _wrong_format(spec) from exc
    try:
        sheet = workbook[spec.sheet] if spec.sheet in workbook.sheetnames else workbook.worksheets[0]
        expected = sheet.max_row or max_rows()  # as the sheet declares it: for progress only
        return _rows(sheet.iter_rows(values_only=True), spec, expected=expected, progress=progress)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read, not when it is opened
        raise ImportFileError(_("The file is damaged and cannot be read. Save it again in Excel as “Excel "
                                "Workbook (.xlsx)” and upload it again.")) from exc
    finally:
        workbook.close()


def _rows(values: Iterable, spec: TableSpec, *, expected: int, progress: Callable[[float], None]) -> list[SheetRow]:
    deadline = time.monotonic() + max_seconds()
    values = iter(values)
    header_number, columns, cells = _header(values, spec)
    expected = min(expected, max_rows() + header_number)
    # Blank rows count too: a sheet may be formatted far below its data.
    max_cells = (max_rows() + 1000) * MAX_CELLS_PER_ROW
    rows = []
    for number, row in enumerate(values, start=header_number + 1):
        cells += len(row)
        if cells > max_cells:
            raise _too_much_data()
        if number % 1000 == 0:
            if time.monotonic() > deadline:
                raise ImportFileError(_("The file takes too long to read; split it into smaller files."))
            progress(number / max(expected, number))
        cells_read = {key: row[index] for index, key in columns.items() if index < len(row)}
        if all(blank(value) for value in cells_read.values()):
            continue
        if len(rows) == max_rows():
            raise ImportFileError(_("The file has more than %(limit)s rows; split it into smaller files.")
                                  % {"limit": thousands(max_rows())})
        rows.append(SheetRow(number, cells_read))
    if not rows:
        raise ImportFileError(_("The file has no rows of data under the column headers."))
    return rows


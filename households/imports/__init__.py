"""Households from an Excel file: the template, reading and checking the rows, saving them.

The steps and the bounds are those of every import (frontwelfare.imports). The officer uploads a
file; `household_import_upload` refuses at once a file that is not a workbook or would unpack too
large, and queues a task that reads it (`household_import_run_check`),
checks every row against the model's own rules and against the registry, and records on the
`HouseholdImport` every problem by row and column and a preview of the first rows. Nothing
reaches the registry then. `household_import_confirm` queues a task (`household_import_run_save`)
that reads the file again (the registry may have changed meanwhile), checks it again, and saves
all of it in one transaction, or nothing. The import's page follows the tasks' progress.

The file format (the template of `import_template_workbook` shows it):

- The sheet "Danh sách" (or else the first sheet): column headers in row 1, one row per person.
- Rows with the same "Số hộ trong tệp" form one household. The household's own columns
  (commune code to policy types) are given on the head's row, or the same on every row of the
  household; two rows that disagree are an error.
- Headers are fixed Vietnamese words and are not translated: the file is a format passed
  between offices, and a file filled in under one interface language must import under the
  other. They are matched without diacritics, case or punctuation.
- Choice cells take the Vietnamese labels of `choices.py` (the template lists them), with or
  without diacritics, in any case; also the English labels, and the words officers use on
  paper (`_ALIASES`: "Vợ" and "Chồng" for spouse, "THCS" for lower secondary, ...).
- Dates: real Excel date cells, or text dd/mm/yyyy. The birth column takes a date or a year.
- Citizen IDs should be text (the template formats the column as text). Every citizen ID
  starts with 0 (province codes 001 to 096), so a number cell of 11 digits can only be an ID
  whose leading zero Excel dropped: it gets it back. Phone and social-insurance numbers typed
  as numbers get their leading zero back in the same way.

Problems are errors or warnings. Errors block the import. Warnings do not: a person with the
same name (without diacritics) and year of birth as another row, or as someone registered in
the district, may be a namesake, so the officer is told to look, not stopped.
"""

from frontwelfare.imports.reading import max_bytes, max_rows, too_large

from .checking import CheckResult, ParsedHousehold, Problem, check_rows
from .columns import COLUMN, COLUMNS, CellError, Column, read_cell, vietnamese_labels
from .reading import (
    DATA_SHEET,
    EXAMPLE_SHEET,
    HELP_SHEET,
    LISTS_SHEET,
    TABLE,
    ImportFileError,
    SheetRow,
    read_rows,
    upload_check,
)
from .template import import_template_workbook
from .workflow import (
    IMPORTER,
    PREVIEW_ROWS,
    household_import_cancel,
    household_import_confirm,
    household_import_expire,
    household_import_run_check,
    household_import_run_save,
    household_import_upload,
)

__all__ = [
    "COLUMN", "COLUMNS", "DATA_SHEET", "EXAMPLE_SHEET", "HELP_SHEET", "IMPORTER", "LISTS_SHEET", "PREVIEW_ROWS",
    "TABLE", "CellError", "CheckResult", "Column", "ImportFileError", "ParsedHousehold", "Problem", "SheetRow",
    "check_rows", "household_import_cancel", "household_import_confirm", "household_import_expire",
    "household_import_run_check", "household_import_run_save", "household_import_upload", "import_template_workbook",
    "max_bytes", "max_rows", "read_cell", "read_rows", "too_large", "upload_check", "vietnamese_labels",
]

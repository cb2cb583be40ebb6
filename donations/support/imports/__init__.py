"""A member organisation's own list of recipients (XLSX) imported into a draft batch: each row a
household of the batch's unit (and a pupil, for a kind given per pupil), previewed with every
problem by row and column, added all together or not at all.

The machinery is the household import's, shared (frontwelfare.imports), as the bank statement's
(donations.imports), whose layout this follows: the columns and their headers (`columns`), the
rules of a row (`checking`, whose docstring lists them), the adding (`workflow`) and the template
(`template`).
"""

from .checking import ListCheck, ListedLine, check_list
from .columns import COLUMN, COLUMNS, TABLE
from .template import batch_list_template_workbook
from .workflow import (
    IMPORTER,
    PREVIEW_ROWS,
    batch_import_cancel,
    batch_import_confirm,
    batch_import_expire,
    batch_import_run_check,
    batch_import_run_save,
    batch_import_upload,
)

__all__ = [
    "COLUMN", "COLUMNS", "IMPORTER", "PREVIEW_ROWS", "TABLE", "ListCheck", "ListedLine", "batch_import_cancel",
    "batch_import_confirm", "batch_import_expire", "batch_import_run_check", "batch_import_run_save",
    "batch_import_upload", "batch_list_template_workbook", "check_list",
]

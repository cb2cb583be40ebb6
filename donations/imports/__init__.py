"""A fund's bank statement imported as receipts: each credit line a proposed receipt (bank
transfer, the bank's reference), matched to a donor and to a campaign whose code the transfer's
note carries; previewed with every problem by row and column; recorded all together or not at all.

The machinery is the household import's, shared (frontwelfare.imports): the upload bounded
before anything is parsed, the check and the save as Celery tasks with progress, the record's
states, the preview's pieces. What is the statement's own: its columns and the headers banks
give them (`columns`), the rules of a line (`checking`, whose docstring lists them and the
choices made), the recording (`workflow`) and the template (`template`).
"""

from .checking import NewDonor, ProposedReceipt, StatementCheck, check_statement, donor_kind_of
from .columns import COLUMN, COLUMNS, DATA_SHEET, TABLE, read_amount, read_date
from .template import statement_template_workbook
from .workflow import (
    IMPORTER,
    PREVIEW_ROWS,
    statement_import_cancel,
    statement_import_confirm,
    statement_import_expire,
    statement_import_run_check,
    statement_import_run_save,
    statement_import_upload,
)

__all__ = [
    "COLUMN", "COLUMNS", "DATA_SHEET", "IMPORTER", "PREVIEW_ROWS", "TABLE", "NewDonor", "ProposedReceipt",
    "StatementCheck", "check_statement", "donor_kind_of", "read_amount", "read_date", "statement_import_cancel",
    "statement_import_confirm", "statement_import_expire", "statement_import_run_check", "statement_import_run_save",
    "statement_import_upload", "statement_template_workbook",
]

"""The statement import as an `Importer` (frontwelfare.imports.workflow): the steps every import
has, for the credits of a fund's bank statement. The functions below are its services.

Confirming records every credit with `receipt_record` (bank transfer, the bank's reference) in
one transaction, in the order of their dates (so the receipts' numbers follow the days), after
recording the new donors with `donor_create`; a line refused then (a reference recorded by a
clerk since the check, which the re-check or the database's constraint catches) undoes them all.
"""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from frontwelfare.imports.problems import Problem
from frontwelfare.imports.reading import SheetRow
from frontwelfare.imports.workflow import Importer, ImportRefused

from ..choices import PaymentMethod
from ..models import Fund, StatementImport
from ..permissions import NOT_FUND_MANAGER, can_manage_fund
from ..services import donor_create, receipt_record
from .checking import ProposedReceipt, StatementCheck, check_statement
from .columns import COLUMN, TABLE

PREVIEW_ROWS = 200  # a month of a commune fund's statement, to read before confirming
# Which column a refusal of `receipt_record` is about, by the field it names.
_COLUMN_OF_FIELD = {"bank_reference": "reference", "amount": "credit", "campaign": "note", "happened_on": "date"}


class StatementImporter(Importer):
    model = StatementImport
    table = TABLE
    name = "statement import"
    related = ("fund", "fund__unit")

    def require_editor(self, actor, record: StatementImport) -> None:
        if not can_manage_fund(actor, record.fund):
            raise PermissionDenied(NOT_FUND_MANAGER)

    def check(self, record: StatementImport, rows: list[SheetRow], *, actor,
              progress: Callable[[float], None]) -> StatementCheck:
        return check_statement(rows, actor=actor, fund=record.fund, progress=progress)

    def preview(self, result: StatementCheck) -> list[dict]:
        return [_entry(receipt) for receipt in result.receipts[:PREVIEW_ROWS]]

    def counts(self, result: StatementCheck) -> dict[str, int]:
        return {"credit_count": len(result.receipts), "skipped_count": result.skipped, "total": result.total,
                "new_donor_count": len(result.new_donors)}

    def save(self, record: StatementImport, result: StatementCheck, *, actor, rows: list[SheetRow]) -> None:
        donors = {}
        for proposed in sorted(result.receipts, key=lambda receipt: (receipt.happened_on, receipt.row)):
            try:
                donor = proposed.donor
                if donor is None:
                    new = proposed.new_donor
                    if new not in donors:
                        donors[new] = donor_create(actor=actor, kind=new.kind, name=new.name, note=_(
                            "Recorded from the bank statement %(file)s.") % {"file": record.original_name})
                    donor = donors[new]
                receipt_record(actor=actor, fund=record.fund, donor=donor, amount=proposed.amount,
                               happened_on=proposed.happened_on, method=PaymentMethod.BANK_TRANSFER,
                               earmark=proposed.earmark, bank_reference=proposed.bank_reference,
                               campaign=proposed.campaign, note=proposed.note)
            except ValidationError as refused:
                raise ImportRefused(_refusal(proposed, refused)) from refused
            except (PermissionDenied, ObjectDoesNotExist) as refused:
                message = str(refused) if isinstance(refused, PermissionDenied) else _(
                    "The donor or the campaign of this line is no longer among yours; upload the file again.")
                raise ImportRefused([Problem(proposed.row, "", message).as_json()]) from refused

    def tasks(self) -> tuple:
        from ..tasks import statement_import_check_task, statement_import_save_task

        return statement_import_check_task, statement_import_save_task


def _entry(receipt: ProposedReceipt) -> dict:
    """A proposed receipt as the preview keeps it (JSON)."""
    campaign = receipt.campaign
    return {
        "row": receipt.row, "date": receipt.happened_on.strftime("%d/%m/%Y") if receipt.happened_on else "",
        "reference": receipt.bank_reference, "amount": receipt.amount, "payer": receipt.payer, "note": receipt.note,
        "donor": receipt.donor_name, "donor_id": receipt.donor.pk if receipt.donor else None,
        "new_donor_kind": receipt.new_donor.kind if receipt.new_donor else "",
        "campaign": campaign.code if campaign else "", "campaign_name": campaign.name if campaign else "",
        "earmark": receipt.earmark,
    }


def _refusal(proposed: ProposedReceipt, refused: ValidationError) -> list[dict]:
    """What `receipt_record` refused, on the line's row and the column of the field it names."""
    if not hasattr(refused, "error_dict"):
        return [Problem(proposed.row, "", " ".join(refused.messages)).as_json()]
    return [Problem(proposed.row, COLUMN[_COLUMN_OF_FIELD[name]].header if name in _COLUMN_OF_FIELD else "",
                    " ".join(messages)).as_json() for name, messages in refused.message_dict.items()]


IMPORTER = StatementImporter()


def statement_import_upload(*, actor, fund: Fund, uploaded_file) -> StatementImport:
    """Store a bank statement of ``fund`` and queue its check. Raises PermissionDenied unless the
    actor manages the fund, and ImportFileError, at once, for a file that is neither a workbook nor
    CSV, too large, or whose archive would unpack too large (nothing is stored)."""
    return IMPORTER.upload(actor=actor, uploaded_file=uploaded_file, fund=fund)


def statement_import_run_check(import_id: int, language: str) -> None:
    """The worker's part of an upload: read the statement, propose a receipt for every credit,
    record the problems and the preview."""
    IMPORTER.run_check(import_id, language)


def statement_import_confirm(*, actor, statement_import: StatementImport) -> StatementImport:
    """Queue the recording of a checked statement (`statement_import_run_save`)."""
    return IMPORTER.confirm(actor=actor, record=statement_import)


def statement_import_run_save(import_id: int, language: str) -> None:
    """The worker's part of a confirmation: check the statement again and record every credit, or
    nothing (a reference recorded meanwhile turns the import invalid, saying which line)."""
    IMPORTER.run_save(import_id, language)


def statement_import_cancel(*, actor, statement_import: StatementImport) -> StatementImport:
    return IMPORTER.cancel(actor=actor, record=statement_import)


def statement_import_expire(*, uploaded_before) -> int:
    """Cancel the statement imports left waiting since before ``uploaded_before`` and delete their files."""
    return IMPORTER.expire(uploaded_before=uploaded_before)

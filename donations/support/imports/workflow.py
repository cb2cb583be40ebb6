"""The recipient list import as an `Importer` (frontwelfare.imports.workflow): the steps every
import has, for a member organisation's list read into a draft batch. The functions below are its
services.

Confirming adds every line with `recipients_add_listed` in one transaction, under the batch's
lock, which checks the whole list again: a household added by another officer since the check,
or a batch confirmed meanwhile, refuses the list whole, saying which row.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from frontwelfare.imports.problems import Problem
from frontwelfare.imports.reading import ImportFileError, SheetRow
from frontwelfare.imports.workflow import Importer, ImportRefused

from ...permissions import NOT_BATCH_KEEPER, can_manage_batch
from ..choices import BatchState
from ..models import Batch, BatchImport
from ..services import ListedRecipient, ListRefused, recipients_add_listed
from .checking import ListCheck, ListedLine, check_list, not_draft_problem
from .columns import TABLE

PREVIEW_ROWS = 200


class BatchListImporter(Importer):
    model = BatchImport
    table = TABLE
    name = "recipient list import"
    related = ("batch", "batch__kind", "batch__unit")

    def require_editor(self, actor, record: BatchImport) -> None:
        if not can_manage_batch(actor, record.batch):
            raise PermissionDenied(NOT_BATCH_KEEPER)

    def upload(self, *, actor, uploaded_file, **owner) -> BatchImport:
        """As every import's, and only into a draft: a confirmed batch's recipients are settled."""
        batch = owner["batch"]
        # Read afresh: the batch in hand may have been confirmed since it was read.
        batch.state = Batch.objects.filter(pk=batch.pk).values_list("state", flat=True).first() or batch.state
        if can_manage_batch(actor, batch) and batch.state != BatchState.DRAFT:
            raise ImportFileError(not_draft_problem(batch).message)
        return super().upload(actor=actor, uploaded_file=uploaded_file, **owner)

    def check(self, record: BatchImport, rows: list[SheetRow], *, actor,
              progress: Callable[[float], None]) -> ListCheck:
        return check_list(rows, actor=actor, batch=record.batch, progress=progress)

    def preview(self, result: ListCheck) -> list[dict]:
        return [_entry(line) for line in result.lines[:PREVIEW_ROWS]]

    def counts(self, result: ListCheck) -> dict[str, int]:
        return {"recipient_count": result.found}

    def save(self, record: BatchImport, result: ListCheck, *, actor, rows: list[SheetRow]) -> None:
        reason = _("From the list %(file)s.") % {"file": record.original_name}
        lines = [ListedRecipient(row=line.row, household_id=line.household.pk,
                                 pupil_id=line.pupil.pk if line.pupil else None, value=line.value,
                                 details=_details(line), note=line.note) for line in result.lines]
        try:
            recipients_add_listed(actor=actor, batch=record.batch, lines=lines, reason=reason)
        except ListRefused as refused:
            raise ImportRefused([Problem(row, "", message).as_json() for row, message in refused.rows.items()]) \
                from refused
        except (ValidationError, PermissionDenied) as refused:
            message = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
            raise ImportRefused([Problem(None, "", message).as_json()]) from refused

    def tasks(self) -> tuple:
        from ...tasks import batch_import_check_task, batch_import_save_task

        return batch_import_check_task, batch_import_save_task


def _details(line: ListedLine) -> dict:
    """What the line records besides the household; empty cells leave the service's defaults."""
    return {name: value for name, value in line.details.items() if value}


def _entry(line: ListedLine) -> dict:
    household, pupil = line.household, line.pupil
    return {
        "row": line.row, "code": household.code if household else line.code,
        "head": household.head_name if household else line.head,
        "hamlet": household.hamlet if household else line.hamlet, "household_id": household.pk if household else None,
        "pupil": pupil.full_name if pupil else line.pupil_name, "value": line.value,
        "given": ", ".join(str(value) if not hasattr(value, "strftime") else value.strftime("%d/%m/%Y")
                           for value in _details(line).values()),
        "note": line.note,
    }


IMPORTER = BatchListImporter()


def batch_import_upload(*, actor, batch: Batch, uploaded_file) -> BatchImport:
    """Store a member organisation's list for ``batch`` and queue its check. Raises PermissionDenied
    unless the actor keeps the batch, and ImportFileError, at once, for a batch no longer a draft or
    a file that is not a workbook or too large (nothing is stored)."""
    return IMPORTER.upload(actor=actor, uploaded_file=uploaded_file, batch=batch)


def batch_import_run_check(import_id: int, language: str) -> None:
    IMPORTER.run_check(import_id, language)


def batch_import_confirm(*, actor, batch_import: BatchImport) -> BatchImport:
    return IMPORTER.confirm(actor=actor, record=batch_import)


def batch_import_run_save(import_id: int, language: str) -> None:
    """Check the list again and add every line, or none."""
    IMPORTER.run_save(import_id, language)


def batch_import_cancel(*, actor, batch_import: BatchImport) -> BatchImport:
    return IMPORTER.cancel(actor=actor, record=batch_import)


def batch_import_expire(*, uploaded_before) -> int:
    return IMPORTER.expire(uploaded_before=uploaded_before)

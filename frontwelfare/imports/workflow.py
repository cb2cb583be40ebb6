"""The steps of every file import, as services: upload, check, confirm and save (all or nothing),
cancel, expire. Each kind of import (households, a bank's statement) is an `Importer` that says
what its file holds, how its rows are checked and how they are saved; the steps are the same.

A request does only what takes milliseconds: `Importer.upload` refuses a file that is not one of
the import's formats or would unpack too large (reading its directory only), stores it and queues
the check; `Importer.confirm` queues the save. The Celery tasks run `Importer.run_check` and
`Importer.run_save`, which read every row (20,000 rows take tens of seconds, past what a web
worker may spend) and update the import's progress, which its page follows. The save reads the
stored file again and checks it again (what it is saved into may have changed since the preview),
then saves everything in one transaction, or nothing.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.queueing import send_or_else

from .choices import RUNNING, ImportStatus
from .models import FileImport
from .problems import CheckResult, file_problem
from .reading import ImportFileError, SheetRow, TableSpec, read_rows, upload_check

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """Raised by `Importer.save` when what the check accepted was refused as it was written (a
    record made meanwhile by someone else, caught by a constraint): nothing of the file is kept,
    and ``problems`` (as JSON) say why."""

    def __init__(self, problems: list[dict]):
        super().__init__(problems)
        self.problems = problems


class Importer:
    """One kind of import. Subclasses set ``model`` (a `FileImport`), ``table`` (what the file
    holds), ``name`` (for the logs) and ``related`` (what the steps read with the import), and
    implement the methods that raise NotImplementedError."""

    model: type[FileImport]
    table: TableSpec
    name = "import"
    related: tuple[str, ...] = ()

    # -- what each kind says --------------------------------------------------------------------

    def require_editor(self, actor, record: FileImport) -> None:
        """Raises PermissionDenied unless ``actor`` may import into what ``record`` imports into."""
        raise NotImplementedError

    def check(self, record: FileImport, rows: list[SheetRow], *, actor,
              progress: Callable[[float], None]) -> CheckResult:
        """Every problem of ``rows``, and the unsaved records."""
        raise NotImplementedError

    def preview(self, result: CheckResult) -> list[dict]:
        """The first rows as they will be saved, as JSON."""
        raise NotImplementedError

    def counts(self, result: CheckResult) -> dict[str, int]:
        """The import's own counts (fields of the model) from a check."""
        return {}

    def save(self, record: FileImport, result: CheckResult, *, actor, rows: list[SheetRow]) -> None:
        """Write everything of a valid check, inside the caller's transaction; raises ImportRefused
        (having undone what it wrote) when the database refuses a row."""
        raise NotImplementedError

    def tasks(self) -> tuple:
        """The Celery tasks that run `run_check` and `run_save`: (check task, save task)."""
        raise NotImplementedError

    # -- the steps ------------------------------------------------------------------------------

    def upload(self, *, actor, uploaded_file: File, **owner) -> FileImport:
        """Store an uploaded file for what ``owner`` names (a commune, a fund) and queue its check.

        Raises PermissionDenied for an actor who may not import into it, and ImportFileError, at
        once, for a file that is not one of the import's formats, too large, or whose archive would
        unpack too large (nothing is stored). The rows are read and checked by the task."""
        record = self.model(uploaded_by=actor, original_name=(uploaded_file.name or "")[-255:],
                            status=ImportStatus.CHECKING, **owner)
        self.require_editor(actor, record)
        file_format = upload_check(uploaded_file, self.table)
        language = translation.get_language()
        with transaction.atomic():
            # A random name: the original one may carry a person's name.
            record.file.save(f"{uuid.uuid4().hex}.{file_format}", uploaded_file, save=False)
            record.save()
            transaction.on_commit(lambda: self._enqueue(record, language))
        return record

    def _enqueue(self, record: FileImport, language: str) -> None:
        """Send the import's step to a worker. If the queue cannot be reached, the import says so
        (a check ends invalid, a save waits for confirmation again) and nothing else breaks."""
        check_task, save_task = self.tasks()
        task = check_task if record.status == ImportStatus.CHECKING else save_task
        send_or_else(task, (record.pk, language), what=f"{self.name} {record.pk}",
                     unreachable=lambda: self._queue_unreachable(record))

    def _queue_unreachable(self, record: FileImport) -> None:
        with transaction.atomic():
            locked = self.model.objects.select_for_update().filter(pk=record.pk, status=record.status).first()
            if locked is None:
                return
            if locked.status == ImportStatus.SAVING:
                locked.status, locked.confirmed_by = ImportStatus.CHECKED, None
                locked.save(update_fields=["status", "confirmed_by"])
            else:
                self.finish(locked, status=ImportStatus.INVALID, errors=file_problem(_(
                    "The checking service cannot be reached just now. Upload the file again in a few minutes.")))

    def _progress(self, record: FileImport, start: int, end: int) -> Callable[[float], None]:
        """A callback that records a fraction of a step as a percentage between ``start`` and ``end``."""
        def report(fraction: float) -> None:
            percent = start + round((end - start) * min(max(fraction, 0.0), 1.0))
            self.model.objects.filter(pk=record.pk, status=record.status).update(progress=min(percent, 99))
        return report

    def _read_and_check(self, record: FileImport, *, actor, until: int) -> tuple[list[SheetRow], CheckResult]:
        """The stored file's rows, read and checked, with the progress up to ``until`` percent.
        Raises ImportFileError for a file that cannot be read, with the message to show."""
        try:
            with record.file.open("rb") as stored:
                content = BytesIO(stored.read())
        except (OSError, ValueError) as exc:
            raise ImportFileError(_("The stored file cannot be read any more; upload it again.")) from exc
        rows = read_rows(content, self.table, progress=self._progress(record, 5, until // 2))
        return rows, self.check(record, rows, actor=actor, progress=self._progress(record, until // 2, until))

    def _run(self, import_id: int, language: str, status: str, step: Callable[[FileImport], None]) -> None:
        """Run ``step`` on the import if it is still ``status`` (a task delivered twice, or an
        import cancelled meanwhile, does nothing); a failure it did not expect leaves the import
        invalid, with nothing saved, and is logged."""
        record = self.model.objects.select_related(*self.related, "uploaded_by", "confirmed_by") \
            .filter(pk=import_id, status=status).first()
        if record is None:
            return
        with translation.override(language):
            try:
                step(record)
            except Exception:
                logger.exception("%s %s failed", self.name, import_id)
                with transaction.atomic():
                    locked = self.model.objects.select_for_update().filter(pk=import_id, status=status).first()
                    if locked is not None:
                        self.finish(locked, status=ImportStatus.INVALID, errors=file_problem(_(
                            "The file could not be checked because of an error of the server; nothing was saved. "
                            "Upload it again; if it fails again, tell the administrator.")))

    def run_check(self, import_id: int, language: str) -> None:
        """The worker's part of an upload: read and check every row, record the problems and a
        preview of the first rows; keep the file only if it can be imported."""
        self._run(import_id, language, ImportStatus.CHECKING, self._check)

    def _check(self, record: FileImport) -> None:
        try:
            _rows, result = self._read_and_check(record, actor=record.uploaded_by, until=99)
        except ImportFileError as exc:
            result, errors = None, file_problem(exc.message)
        with transaction.atomic():
            locked = self.model.objects.select_for_update().filter(pk=record.pk, status=ImportStatus.CHECKING).first()
            if locked is None:  # cancelled meanwhile
                return
            if result is None:
                self.finish(locked, status=ImportStatus.INVALID, errors=errors)
                return
            counts = {"row_count": result.row_count, **self.counts(result)}
            for name, value in counts.items():
                setattr(locked, name, value)
            locked.errors, locked.preview = result.problems_as_json(), self.preview(result)
            locked.progress = 100
            locked.save(update_fields=[*counts, "errors", "preview", "progress"])
            if result.is_valid:
                locked.status = ImportStatus.CHECKED
                locked.save(update_fields=["status"])
            else:
                self.finish(locked, status=ImportStatus.INVALID)

    def finish(self, record: FileImport, *, status: str, errors: list[dict] | None = None) -> None:
        """Close the import and delete its file once the transaction commits: data should not
        outlive its use, and a rolled-back transaction must not lose it. The preview goes with the
        file, except for an invalid import, whose rows show where the errors are (the nightly
        expiry empties it later)."""
        stored = record.file.name
        if stored:
            storage = record.file.storage
            transaction.on_commit(lambda: storage.delete(stored))
        record.file = ""
        record.status = status
        record.progress = 100
        fields = ["file", "status", "progress"]
        if status != ImportStatus.INVALID:
            record.preview = []
            fields.append("preview")
        if errors is not None:
            record.errors = errors
            fields.append("errors")
        if status == ImportStatus.IMPORTED:
            record.imported_at = timezone.now()
            fields.append("imported_at")
        record.save(update_fields=fields)

    def _locked(self, actor, record: FileImport) -> FileImport:
        """The import re-read under lock within the actor's scope: two clicks on "confirm" import once."""
        locked = locked_in_scope(self.model.objects.select_related(*self.related), actor=actor, pk=record.pk)
        self.require_editor(actor, locked)
        if locked.status != ImportStatus.CHECKED:
            raise ValidationError(_("This import is not waiting for confirmation any more."))
        return locked

    def confirm(self, *, actor, record: FileImport) -> FileImport:
        """Queue the save of a checked import (`run_save`); the import is then being imported, and
        cannot be confirmed or cancelled again."""
        with transaction.atomic():
            locked = self._locked(actor, record)
            locked.status, locked.progress, locked.confirmed_by = ImportStatus.SAVING, 0, actor
            locked.save(update_fields=["status", "progress", "confirmed_by"])
            language = translation.get_language()
            transaction.on_commit(lambda: self._enqueue(locked, language))
        return locked

    def run_save(self, import_id: int, language: str) -> None:
        """The worker's part of a confirmation: check the stored file again and save all of it, or
        nothing. What it is saved into may have changed since the upload: then the import turns
        invalid with the new problems, and nothing is saved."""
        self._run(import_id, language, ImportStatus.SAVING, self._save)

    def _save(self, record: FileImport) -> None:
        actor = record.confirmed_by
        try:
            self.require_editor(actor, record)  # the officer may have moved since confirming
            rows, result = self._read_and_check(record, actor=actor, until=80)
        except (ImportFileError, PermissionDenied) as exc:
            message = exc.message if isinstance(exc, ImportFileError) else str(exc)
            result, errors = None, file_problem(message)
        with transaction.atomic():
            # Locked for the whole save: a second delivery of the task waits, then finds it imported.
            locked = self.model.objects.select_for_update(of=("self",)).select_related(*self.related) \
                .filter(pk=record.pk, status=ImportStatus.SAVING).first()
            if locked is None:
                return
            if result is None:
                self.finish(locked, status=ImportStatus.INVALID, errors=errors)
                return
            if not result.is_valid:
                self.finish(locked, status=ImportStatus.INVALID, errors=result.problems_as_json())
                return
            try:
                with transaction.atomic():
                    self.save(locked, result, actor=actor, rows=rows)
            except ImportRefused as refused:
                self.finish(locked, status=ImportStatus.INVALID, errors=refused.problems)
                return
            counts = {"row_count": result.row_count, **self.counts(result)}
            for name, value in counts.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(counts))
            self.finish(locked, status=ImportStatus.IMPORTED, errors=result.problems_as_json())

    def cancel(self, *, actor, record: FileImport) -> FileImport:
        with transaction.atomic():
            locked = self._locked(actor, record)
            self.finish(locked, status=ImportStatus.CANCELLED)
        return locked

    def expire(self, *, uploaded_before: datetime) -> int:
        """Cancel the imports left waiting (or lost on their way to a worker) since before
        ``uploaded_before`` and delete their files, and empty the previews of old invalid ones (for
        a periodic task: an officer who never confirms should not leave the file behind)."""
        with transaction.atomic():
            stale = list(self.model.objects.select_for_update().filter(
                status__in=(ImportStatus.CHECKED, *RUNNING), uploaded_at__lt=uploaded_before))
            for record in stale:
                self.finish(record, status=ImportStatus.CANCELLED)
            self.model.objects.filter(status=ImportStatus.INVALID, uploaded_at__lt=uploaded_before) \
                .exclude(preview=[]).update(preview=[])
        return len(stale)

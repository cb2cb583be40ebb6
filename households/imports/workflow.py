"""The import's steps as services: upload, check, confirm and save (all or nothing), cancel, expire.

A request does only what takes milliseconds: `household_import_upload` refuses a file that is
not a workbook or would unpack too large (reading its directory only), stores it and queues the
check; `household_import_confirm` queues the save. The Celery tasks run `household_import_run_check`
and `household_import_run_save`, which read every row (20,000 rows take tens of seconds, past
what a web worker may spend) and update the import's progress, which its page follows.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.queueing import send_or_else

from ..choices import ImportStatus
from ..models import Household, HouseholdImport, HouseholdPolicy, HouseholdStatus, Member
from ..services import household_next_code, household_require_editor
from ..tallies import registry_changed
from .checking import CheckResult, ParsedHousehold, Problem, check_rows
from .reading import ImportFileError, read_rows, upload_check

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000
PREVIEW_ROWS = 50  # the preview's first page: what an officer reads before confirming
RUNNING = (ImportStatus.CHECKING, ImportStatus.SAVING)


def household_import_upload(*, actor: User, uploaded_file: File) -> HouseholdImport:
    """Store an uploaded file for the actor's commune and queue its check.

    Raises ImportFileError, at once, for a file that is not a workbook, too large, or whose
    archive would unpack too large (nothing is stored), and PermissionDenied for anyone but a
    commune officer. The rows are read and checked by the task (`household_import_run_check`).
    """
    commune = getattr(actor, "unit", None)
    household_require_editor(actor, commune)
    upload_check(uploaded_file)
    language = translation.get_language()
    with transaction.atomic():
        record = HouseholdImport(commune=commune, uploaded_by=actor, original_name=(uploaded_file.name or "")[-255:],
                                 status=ImportStatus.CHECKING)
        # A random name: the original one may carry a person's name.
        record.file.save(f"{uuid.uuid4().hex}.xlsx", uploaded_file, save=False)
        record.save()
        transaction.on_commit(lambda: _enqueue(record, language))
    return record


def _enqueue(record: HouseholdImport, language: str) -> None:
    """Send the import's step to a worker. If the queue cannot be reached, the import says so
    (a check ends invalid, a save waits for confirmation again) and nothing else breaks."""
    from ..tasks import household_import_check_task, household_import_save_task

    task = household_import_check_task if record.status == ImportStatus.CHECKING else household_import_save_task
    send_or_else(task, (record.pk, language), what=f"household import {record.pk}",
                 unreachable=lambda: _queue_unreachable(record))


def _queue_unreachable(record: HouseholdImport) -> None:
    """The queue could not be reached: a check ends invalid, a save waits for confirmation again."""
    with transaction.atomic():
        locked = HouseholdImport.objects.select_for_update().filter(pk=record.pk, status=record.status).first()
        if locked is None:
            return
        if locked.status == ImportStatus.SAVING:
            locked.status, locked.confirmed_by = ImportStatus.CHECKED, None
            locked.save(update_fields=["status", "confirmed_by"])
        else:
            _finish(locked, status=ImportStatus.INVALID, errors=[Problem(None, "", _(
                "The checking service cannot be reached just now. Upload the file again in a few "
                "minutes.")).as_json()])


def _progress(record: HouseholdImport, start: int, end: int) -> Callable[[float], None]:
    """A callback that records a fraction of a step as a percentage between ``start`` and ``end``."""
    def report(fraction: float) -> None:
        percent = start + round((end - start) * min(max(fraction, 0.0), 1.0))
        HouseholdImport.objects.filter(pk=record.pk, status=record.status).update(progress=min(percent, 99))
    return report


def _read_and_check(record: HouseholdImport, *, actor: User, until: int) -> tuple[list, CheckResult]:
    """The stored file's rows, read and checked, with the progress up to ``until`` percent. Raises
    ImportFileError for a file that cannot be read, with the message to show."""
    try:
        with record.file.open("rb") as stored:
            content = BytesIO(stored.read())
    except (OSError, ValueError) as exc:
        raise ImportFileError(_("The stored file cannot be read any more; upload it again.")) from exc
    rows = read_rows(content, progress=_progress(record, 5, until // 2))
    return rows, check_rows(rows, actor=actor, commune=record.commune, progress=_progress(record, until // 2, until))


def _run(import_id: int, language: str, status: str, step: Callable[[HouseholdImport], None]) -> None:
    """Run ``step`` on the import if it is still ``status`` (a task delivered twice, or an import
    cancelled meanwhile, does nothing); a failure it did not expect leaves the import invalid,
    with nothing saved, and is logged."""
    record = HouseholdImport.objects.select_related("commune", "uploaded_by", "confirmed_by") \
        .filter(pk=import_id, status=status).first()
    if record is None:
        return
    with translation.override(language):
        try:
            step(record)
        except Exception:
            logger.exception("household import %s failed", import_id)
            with transaction.atomic():
                locked = HouseholdImport.objects.select_for_update().filter(pk=import_id, status=status).first()
                if locked is not None:
                    _finish(locked, status=ImportStatus.INVALID, errors=[Problem(None, "", _(
                        "The file could not be checked because of an error of the server; nothing was saved. "
                        "Upload it again; if it fails again, tell the administrator.")).as_json()])


def household_import_run_check(import_id: int, language: str) -> None:
    """The worker's part of an upload: read and check every row, record the problems and a
    preview of the first rows; keep the file only if it can be imported."""
    _run(import_id, language, ImportStatus.CHECKING, _check)


def _check(record: HouseholdImport) -> None:
    try:
        _rows, result = _read_and_check(record, actor=record.uploaded_by, until=99)
    except ImportFileError as exc:
        result = None
        errors = [Problem(None, "", exc.message).as_json()]
    with transaction.atomic():
        locked = HouseholdImport.objects.select_for_update().filter(pk=record.pk, status=ImportStatus.CHECKING).first()
        if locked is None:  # cancelled meanwhile
            return
        if result is None:
            _finish(locked, status=ImportStatus.INVALID, errors=errors)
            return
        locked.row_count, locked.household_count = result.row_count, len(result.households)
        locked.errors, locked.preview = result.problems_as_json(), preview_rows(result)
        locked.progress = 100
        locked.save(update_fields=["row_count", "household_count", "errors", "preview", "progress"])
        if result.is_valid:
            locked.status = ImportStatus.CHECKED
            locked.save(update_fields=["status"])
        else:
            _finish(locked, status=ImportStatus.INVALID)


def preview_rows(result: CheckResult) -> list[dict]:
    """The first PREVIEW_ROWS rows as they will be saved, in the order of the file: the person,
    and the household's details (given on any of its rows) on each of its rows."""
    entries = []
    for parsed in result.households:
        status = parsed.statuses[0] if parsed.statuses else None
        household = parsed.household
        for row, member in zip(parsed.member_rows, parsed.members, strict=True):
            entries.append({
                "row": row, "ref": parsed.ref, "hamlet": household.hamlet, "address": household.address,
                "categories": [status.category for status in parsed.statuses if status.category],
                "category_year": status.year if status else None, **_person(member),
            })
    entries += [{"row": row, "ref": "", **_person(member)} for row, member in result.loose]
    return sorted(entries, key=lambda entry: entry["row"])[:PREVIEW_ROWS]


def _person(member: Member) -> dict:
    birth = member.birth_date.strftime("%d/%m/%Y") if member.birth_date else str(member.birth_year or "")
    return {"full_name": member.full_name, "birth": birth, "sex": member.sex, "relation": member.relation,
            "citizen_id": member.citizen_id}


def _finish(record: HouseholdImport, *, status: str, errors: list[dict] | None = None) -> None:
    """Close the import and delete its file once the transaction commits: personal data
    should not outlive its use, and a rolled-back transaction must not lose it. The preview
    goes with the file, except for an invalid import, whose rows show where the errors are
    (the nightly expiry empties it later)."""
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


def _save_households(households: list[ParsedHousehold], *, actor, record: HouseholdImport) -> None:
    """Save everything with bulk inserts, and a history row for each record like a form save
    leaves (its change reason names the import)."""
    history = {"batch_size": BATCH_SIZE, "default_user": actor,
               "default_change_reason": f"household-import:{record.pk}"}
    codes = household_next_code(commune=record.commune, count=len(households))
    for parsed, code in zip(households, codes, strict=True):
        parsed.household.code = code
    bulk_create_with_history([parsed.household for parsed in households], Household, **history)
    members, statuses, policies = [], [], []
    for parsed in households:
        for related in (*parsed.members, *parsed.statuses, *parsed.policies):
            related.household = parsed.household  # now that it has its primary key
        members += parsed.members
        statuses += parsed.statuses
        policies += parsed.policies
    bulk_create_with_history(members, Member, **history)
    bulk_create_with_history(statuses, HouseholdStatus, **history)
    bulk_create_with_history(policies, HouseholdPolicy, **history)
    registry_changed(households=[parsed.household.pk for parsed in households], communes=[record.commune_id],
                     statuses_of=[record.commune_id])


def _locked_import(actor: User, household_import: HouseholdImport) -> HouseholdImport:
    """The import re-read under lock within the actor's scope: two clicks on "confirm" import once."""
    record = locked_in_scope(HouseholdImport.objects.select_related("commune"), actor=actor, pk=household_import.pk)
    household_require_editor(actor, record.commune)
    if record.status != ImportStatus.CHECKED:
        raise ValidationError(_("This import is not waiting for confirmation any more."))
    return record


@transaction.atomic
def household_import_confirm(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    """Queue the save of a checked import (`household_import_run_save`); the import is then
    being imported, and cannot be confirmed or cancelled again."""
    record = _locked_import(actor, household_import)
    record.status, record.progress, record.confirmed_by = ImportStatus.SAVING, 0, actor
    record.save(update_fields=["status", "progress", "confirmed_by"])
    language = translation.get_language()
    transaction.on_commit(lambda: _enqueue(record, language))
    return record


def household_import_run_save(import_id: int, language: str) -> None:
    """The worker's part of a confirmation: check the stored file again and save all of it, or
    nothing. The registry may have changed since the upload (someone registered one of these
    people): then the import turns invalid with the new problems, and nothing is saved."""
    _run(import_id, language, ImportStatus.SAVING, _save)


def _save(record: HouseholdImport) -> None:
    actor = record.confirmed_by
    try:
        household_require_editor(actor, record.commune)  # the officer may have moved since confirming
        rows, result = _read_and_check(record, actor=actor, until=80)
    except (ImportFileError, PermissionDenied) as exc:
        message = exc.message if isinstance(exc, ImportFileError) else str(exc)
        result, errors = None, [Problem(None, "", message).as_json()]
    with transaction.atomic():
        # Locked for the whole save: a second delivery of the task waits, then finds it imported.
        locked = HouseholdImport.objects.select_for_update().select_related("commune") \
            .filter(pk=record.pk, status=ImportStatus.SAVING).first()
        if locked is None:
            return
        if result is None:
            _finish(locked, status=ImportStatus.INVALID, errors=errors)
            return
        if not result.is_valid:
            _finish(locked, status=ImportStatus.INVALID, errors=result.problems_as_json())
            return
        try:
            with transaction.atomic():
                _save_households(result.households, actor=actor, record=locked)
        except IntegrityError:
            # Another officer saved one of these citizen IDs between the check and the insert:
            # the unique constraint refused it. Say which, as a new upload would.
            again = check_rows(rows, actor=actor, commune=locked.commune)
            errors = again.problems_as_json() if not again.is_valid else [Problem(None, "", _(
                "The registry changed while the file was being saved; nothing was imported. "
                "Upload the file again.")).as_json()]
            _finish(locked, status=ImportStatus.INVALID, errors=errors)
            return
        locked.household_count, locked.row_count = len(result.households), result.row_count
        locked.save(update_fields=["household_count", "row_count"])
        _finish(locked, status=ImportStatus.IMPORTED, errors=result.problems_as_json())


@transaction.atomic
def household_import_cancel(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    record = _locked_import(actor, household_import)
    _finish(record, status=ImportStatus.CANCELLED)
    return record


@transaction.atomic
def household_import_expire(*, uploaded_before: datetime) -> int:
    """Cancel the imports left waiting (or lost on their way to a worker) since before
    ``uploaded_before`` and delete their files, and empty the previews of old invalid ones (for a
    periodic task: an officer who never confirms should not leave personal data behind)."""
    stale = list(HouseholdImport.objects.select_for_update().filter(
        status__in=(ImportStatus.CHECKED, *RUNNING), uploaded_at__lt=uploaded_before))
    for record in stale:
        _finish(record, status=ImportStatus.CANCELLED)
    HouseholdImport.objects.filter(status=ImportStatus.INVALID, uploaded_at__lt=uploaded_before) \
        .exclude(preview=[]).update(preview=[])
    return len(stale)

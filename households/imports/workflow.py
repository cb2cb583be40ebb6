"""The import's steps as services: check an upload, confirm it (all or nothing), cancel, expire."""

import uuid
from datetime import datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import locked_in_scope

from ..choices import ImportStatus
from ..models import Household, HouseholdImport, HouseholdPolicy, HouseholdStatus, Member
from ..services import household_next_code, household_require_editor
from .checking import ParsedHousehold, Problem, check_rows
from .reading import ImportFileError, read_rows

BATCH_SIZE = 1000


def household_import_check(*, actor: User, uploaded_file: File) -> HouseholdImport:
    """Check an uploaded file into the actor's commune and record the result.

    Raises ImportFileError for a file that cannot be checked (nothing is recorded) and
    PermissionDenied for anyone but a commune officer. The file is kept only when it can be
    imported, for `household_import_confirm`; a file with errors is not kept.
    """
    commune = getattr(actor, "unit", None)
    household_require_editor(actor, commune)
    rows = read_rows(uploaded_file)
    result = check_rows(rows, actor=actor, commune=commune)
    record = HouseholdImport(
        commune=commune, uploaded_by=actor, original_name=(uploaded_file.name or "")[-255:],
        status=ImportStatus.CHECKED if result.is_valid else ImportStatus.INVALID,
        row_count=result.row_count, household_count=len(result.households), errors=result.problems_as_json(),
    )
    if result.is_valid:
        uploaded_file.seek(0)
        # A random name: the original one may carry a person's name.
        record.file.save(f"{uuid.uuid4().hex}.xlsx", uploaded_file, save=False)
    record.save()
    return record


def _locked_import(actor: User, household_import: HouseholdImport) -> HouseholdImport:
    """The import re-read under lock within the actor's scope: two clicks on "confirm" import once."""
    record = locked_in_scope(HouseholdImport.objects.select_related("commune"), actor=actor, pk=household_import.pk)
    household_require_editor(actor, record.commune)
    if record.status != ImportStatus.CHECKED:
        raise ValidationError(_("This import is not waiting for confirmation any more."))
    return record


def _finish(record: HouseholdImport, *, status: str, errors: list[dict] | None = None) -> None:
    """Close the import and delete its file once the transaction commits: personal data
    should not outlive its use, and a rolled-back transaction must not lose it."""
    stored = record.file.name
    if stored:
        storage = record.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
    record.file = ""
    record.status = status
    fields = ["file", "status"]
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


@transaction.atomic
def household_import_confirm(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    """Check the stored file again and save all of it, or nothing.

    The registry may have changed since the upload (someone registered one of these people):
    then the import turns invalid with the new problems, and nothing is saved.
    """
    record = _locked_import(actor, household_import)
    try:
        with record.file.open("rb") as stored:
            rows = read_rows(BytesIO(stored.read()))
    except (ImportFileError, OSError, ValueError):
        _finish(record, status=ImportStatus.INVALID, errors=[Problem(None, "", _(
            "The stored file cannot be read any more; upload it again.")).as_json()])
        return record
    result = check_rows(rows, actor=actor, commune=record.commune)
    if not result.is_valid:
        _finish(record, status=ImportStatus.INVALID, errors=result.problems_as_json())
        return record
    try:
        with transaction.atomic():
            _save_households(result.households, actor=actor, record=record)
    except IntegrityError:
        # Another officer saved one of these citizen IDs between the check and the insert:
        # the unique constraint refused it. Say which, as a new upload would.
        again = check_rows(rows, actor=actor, commune=record.commune)
        errors = again.problems_as_json() if not again.is_valid else [Problem(None, "", _(
            "The registry changed while the file was being saved; nothing was imported. Try again.")).as_json()]
        _finish(record, status=ImportStatus.INVALID, errors=errors)
        return record
    record.household_count = len(result.households)
    record.row_count = result.row_count
    record.save(update_fields=["household_count", "row_count"])
    _finish(record, status=ImportStatus.IMPORTED, errors=result.problems_as_json())
    return record


@transaction.atomic
def household_import_cancel(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    record = _locked_import(actor, household_import)
    _finish(record, status=ImportStatus.CANCELLED)
    return record


@transaction.atomic
def household_import_expire(*, uploaded_before: datetime) -> int:
    """Cancel the imports left waiting since before ``uploaded_before`` and delete their files
    (for a periodic task: an officer who never confirms should not leave personal data behind)."""
    stale = list(HouseholdImport.objects.select_for_update().filter(
        status=ImportStatus.CHECKED, uploaded_at__lt=uploaded_before))
    for record in stale:
        _finish(record, status=ImportStatus.CANCELLED)
    return len(stale)

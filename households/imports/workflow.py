"""The household import as an `Importer` (frontwelfare.imports.workflow): the steps every import
has (upload, check, confirm and save all or nothing, cancel, expire), for households of the
uploading officer's commune. The functions below are its services, as pages, tasks and tests call them.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.models import User
from frontwelfare.imports.problems import file_problem
from frontwelfare.imports.reading import SheetRow
from frontwelfare.imports.workflow import Importer, ImportRefused

from ..models import Household, HouseholdImport, HouseholdPolicy, HouseholdStatus, Member
from ..services import household_next_code, household_require_editor, households_assign_by_hamlet
from ..tallies import registry_changed
from .checking import CheckResult, ParsedHousehold, check_rows
from .reading import TABLE

BATCH_SIZE = 1000
PREVIEW_ROWS = 50  # the preview's first page: what an officer reads before confirming


class HouseholdImporter(Importer):
    model = HouseholdImport
    table = TABLE
    name = "household import"
    related = ("commune",)

    def require_editor(self, actor, record: HouseholdImport) -> None:
        household_require_editor(actor, record.commune if record.commune_id else None)

    def check(self, record: HouseholdImport, rows: list[SheetRow], *, actor,
              progress: Callable[[float], None]) -> CheckResult:
        return check_rows(rows, actor=actor, commune=record.commune, progress=progress)

    def preview(self, result: CheckResult) -> list[dict]:
        return preview_rows(result)

    def counts(self, result: CheckResult) -> dict[str, int]:
        return {"household_count": len(result.households)}

    def save(self, record: HouseholdImport, result: CheckResult, *, actor, rows: list[SheetRow]) -> None:
        try:
            with transaction.atomic():
                _save_households(result.households, actor=actor, record=record)
        except IntegrityError:
            # Another officer saved one of these citizen IDs between the check and the insert:
            # the unique constraint refused it. Say which, as a new upload would.
            again = check_rows(rows, actor=actor, commune=record.commune)
            raise ImportRefused(again.problems_as_json() if not again.is_valid else file_problem(_(
                "The registry changed while the file was being saved; nothing was imported. "
                "Upload the file again."))) from None

    def tasks(self) -> tuple:
        from ..tasks import household_import_check_task, household_import_save_task

        return household_import_check_task, household_import_save_task


IMPORTER = HouseholdImporter()


def household_import_upload(*, actor: User, uploaded_file) -> HouseholdImport:
    """Store an uploaded file for the actor's commune and queue its check.

    Raises ImportFileError, at once, for a file that is not a workbook, too large, or whose
    archive would unpack too large (nothing is stored), and PermissionDenied for anyone but a
    commune officer. The rows are read and checked by the task (`household_import_run_check`).
    """
    return IMPORTER.upload(actor=actor, uploaded_file=uploaded_file, commune=getattr(actor, "unit", None))


def household_import_run_check(import_id: int, language: str) -> None:
    """The worker's part of an upload: read and check every row, record the problems and a
    preview of the first rows; keep the file only if it can be imported."""
    IMPORTER.run_check(import_id, language)


def household_import_confirm(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    """Queue the save of a checked import (`household_import_run_save`)."""
    return IMPORTER.confirm(actor=actor, record=household_import)


def household_import_run_save(import_id: int, language: str) -> None:
    """The worker's part of a confirmation: check the stored file again and save all of it, or
    nothing. The registry may have changed since the upload (someone registered one of these
    people): then the import turns invalid with the new problems, and nothing is saved."""
    IMPORTER.run_save(import_id, language)


def household_import_cancel(*, actor: User, household_import: HouseholdImport) -> HouseholdImport:
    return IMPORTER.cancel(actor=actor, record=household_import)


def household_import_expire(*, uploaded_before) -> int:
    """Cancel the imports left waiting since before ``uploaded_before`` and delete their files,
    and empty the previews of old invalid ones (personal data should not be left behind)."""
    return IMPORTER.expire(uploaded_before=uploaded_before)


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


def _save_households(households: list[ParsedHousehold], *, actor, record: HouseholdImport) -> None:
    """Save everything with bulk inserts, and a history row for each record like a form save
    leaves (its change reason names the import)."""
    history = {"batch_size": BATCH_SIZE, "default_user": actor,
               "default_change_reason": f"household-import:{record.pk}"}
    codes = household_next_code(commune=record.commune, count=len(households))
    for parsed, code in zip(households, codes, strict=True):
        parsed.household.code = code
    households_assign_by_hamlet(commune=record.commune, households=[parsed.household for parsed in households])
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

"""Background work of the household registry."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .imports import household_import_expire, household_import_run_check, household_import_run_save

# An officer who uploads a file and never confirms or cancels it should not leave a spreadsheet
# of personal data on the server for long.
IMPORT_KEPT_FOR = timedelta(days=7)


# acks_late with reject_on_worker_lost, as the reports': a worker killed in the middle of an import
# does not lose it; Redis delivers the task again, and the step starts over (the save is one
# transaction, so a killed one saved nothing).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def household_import_check_task(import_id: int, language: str) -> None:
    household_import_run_check(import_id, language)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def household_import_save_task(import_id: int, language: str) -> None:
    household_import_run_save(import_id, language)


@shared_task
def household_imports_expire_task() -> int:
    """Cancel the imports waiting for confirmation for more than a week, and delete their files."""
    return household_import_expire(uploaded_before=timezone.now() - IMPORT_KEPT_FOR)

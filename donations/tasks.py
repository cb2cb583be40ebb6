"""Background work of the funds: the bank statement import's check and recording; the recipient list
import of a batch of support."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .imports import statement_import_expire, statement_import_run_check, statement_import_run_save
from .support.imports import batch_import_expire, batch_import_run_check, batch_import_run_save
from .support.services import batch_close_run

# As the household import's: a statement uploaded and never confirmed or cancelled goes after a week.
IMPORT_KEPT_FOR = timedelta(days=7)


# acks_late with reject_on_worker_lost, as the household import's: a worker killed in the middle of a
# statement does not lose it; the step starts over (the recording is one transaction: a killed one
# recorded nothing).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def statement_import_check_task(import_id: int, language: str) -> None:
    statement_import_run_check(import_id, language)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def statement_import_save_task(import_id: int, language: str) -> None:
    statement_import_run_save(import_id, language)


@shared_task
def statement_imports_expire_task() -> int:
    """Cancel the statement imports waiting for confirmation for more than a week, and delete their files."""
    return statement_import_expire(uploaded_before=timezone.now() - IMPORT_KEPT_FOR)


# A member organisation's list of recipients read into a draft batch (donations.support.imports):
# the same steps, the same delivery guarantees.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def batch_import_check_task(import_id: int, language: str) -> None:
    batch_import_run_check(import_id, language)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def batch_import_save_task(import_id: int, language: str) -> None:
    batch_import_run_save(import_id, language)


@shared_task
def batch_imports_expire_task() -> int:
    """Cancel the recipient list imports waiting for confirmation for more than a week, and delete their files."""
    return batch_import_expire(uploaded_before=timezone.now() - IMPORT_KEPT_FOR)


# A big batch's closing (donations.support.services.batch_close_request): one transaction, so a
# worker killed in the middle posted nothing and the step starts over.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def batch_close_task(batch_id: int, actor_id: int, language: str) -> None:
    batch_close_run(batch_id, actor_id, language)

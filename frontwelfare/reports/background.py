"""What reports and exports share as files made in the background: the status they move through
when the queue cannot be reached, and trying a failed or lost one again."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from .choices import ReportStatus

# A report or export still queued or running this long after it was asked for has been lost (its
# message gone from Redis, or redelivered and lost again): asking again makes a new one, and it can
# be tried again. A province's report takes seconds; Redis redelivers after 10 minutes.
STALE_AFTER = datetime.timedelta(minutes=30)


def fail_queued(record, message, *, language: str) -> None:
    """Mark ``record`` (a Report or an Export) failed with ``message`` in ``language``, if it is
    still queued (a worker may have taken it meanwhile)."""
    with translation.override(language):
        text = str(message)
    type(record).objects.filter(pk=record.pk, status=ReportStatus.QUEUED).update(
        status=ReportStatus.FAILED, finished_at=timezone.now(), error=text)


def requeue(record, *, refusal: str, enqueue) -> None:
    """Queue ``record`` (locked by the caller) again, if it failed or was lost; ``refusal`` otherwise."""
    stale = record.status != ReportStatus.DONE and record.requested_at < timezone.now() - STALE_AFTER
    if record.status != ReportStatus.FAILED and not stale:
        raise ValidationError(refusal)
    record.status, record.progress, record.error, record.finished_at = ReportStatus.QUEUED, 0, "", None
    record.requested_at = timezone.now()  # lost again only STALE_AFTER from now
    record.save(update_fields=["status", "progress", "error", "finished_at", "requested_at"])
    transaction.on_commit(lambda: enqueue(record))


def start_running(model, pk: int, *, related: str):
    """The worker's first step for a Report or an Export: the row locked and marked running (one
    more attempt), committed at once so that its page shows it; None when it is gone or already
    done (a task delivered twice after a worker died leaves a finished file as it is)."""
    with transaction.atomic():
        record = model.objects.select_for_update(of=("self",)).select_related(related).filter(pk=pk).first()
        if record is None or record.status == ReportStatus.DONE:
            return None
        record.status, record.progress, record.error = ReportStatus.RUNNING, 0, ""
        record.started_at, record.attempts = timezone.now(), record.attempts + 1
        record.save(update_fields=["status", "progress", "error", "started_at", "attempts"])
    return record

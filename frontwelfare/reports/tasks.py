"""Background work of the reports."""

from celery import shared_task
from django.utils import timezone

from .exports import export_build, exports_forget_old
from .services import report_build, reports_schedule_periodic


# acks_late with reject_on_worker_lost: a worker killed in the middle of a report does not
# lose it; Redis delivers the task again and report_build starts the report over.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_build_task(report_id: int) -> None:
    report_build(report_id)


# The same for a big export (reports.exports): started over by the next worker if this one dies.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_build_task(export_id: int) -> None:
    export_build(export_id)


@shared_task
def reports_schedule_periodic_task() -> int:
    """Celery beat's, every morning: the past month's (and quarter's) summaries of the districts and
    provinces in use, made on the 1st or caught up later. Returns how many reports are made or found."""
    return len(reports_schedule_periodic(timezone.localdate()))


@shared_task
def exports_forget_old_task() -> int:
    """Celery beat's, every morning: the exports made more than a week ago, and their files, deleted.
    Returns how many."""
    return exports_forget_old()

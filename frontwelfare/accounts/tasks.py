from celery import shared_task

from frontwelfare.submissions import submissions_forget_old


@shared_task
def submissions_forget_old_task() -> int:
    """Celery beat's, every night: the one-time keys of submissions older than two days deleted.
    Returns how many."""
    return submissions_forget_old()

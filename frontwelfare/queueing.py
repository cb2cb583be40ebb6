"""Sending a task while a person waits for the answer: every task the pages and the API send
(reports, exports, imports, thumbnails) goes through `send_or_else`."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def send_or_else(task, args: tuple, *, what: str, unreachable: Callable[[], None]) -> None:
    """Send ``task`` with ``args`` once, without Celery's retrying (a minute of retries is a minute
    the person stares at the page): if the queue cannot be reached, log it and call
    ``unreachable``, which records what the person should be told; nothing else breaks."""
    try:
        task.apply_async(args, retry=False)
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, OSError...
        logger.warning("%s not queued: %s", what, exc)
        unreachable()

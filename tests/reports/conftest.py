"""Fixtures of the report tests: a real Celery worker for test_worker.py (the `celery_workers`
fixture of tests/workers.py), and the queue the report tasks are sent to when no worker runs."""

import pytest

from frontwelfare.reports.tasks import report_build_task

from ..workers import celery_workers as celery_workers


@pytest.fixture
def queue(monkeypatch):
    """The report ids sent to the queue (nothing reaches Redis); a test makes them itself, as the
    worker would, when it needs the file."""
    sent = []
    monkeypatch.setattr(report_build_task, "apply_async", lambda args, **options: sent.append(args[0]))
    return sent

"""A real Celery worker for test_worker.py: the `celery_workers` fixture of tests/workers.py."""

from ..workers import celery_workers as celery_workers

"""The Celery app. Workers and beat start with `celery -A frontwelfare worker|beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontwelfare.settings.dev")

app = Celery("frontwelfare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The Celery app. Workers and beat start with `celery -A frontwelfare worker|beat`."""

import os

from celery import Celery

from . import redis_breaker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontwelfare.settings.dev")


class App(Celery):
    def send_task(self, *args, **kwargs):
        """Sending a task (from a request: asking for a report) fails at once while the broker's Redis
        is known to be failing, and a failure makes the next ones fail at once (redis_breaker)."""
        with redis_breaker.guarding(redis_breaker.address_of(self.conf.broker_url or "")):
            return super().send_task(*args, **kwargs)


app = App("frontwelfare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""FrontWelfare: the project package (settings, URLs, Celery app) and its platform apps."""

from .celery import app as celery_app

__all__ = ["celery_app"]

"""The test suite: the real PostgreSQL and Redis of the machine, as in production."""

from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, MEDIA_ROOT, REDIS_CACHE_OPTIONS
from .env import env_int, env_str

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES["default"] = dj_database_url.parse(
    env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/frontwelfare")
)
DATABASES["reports"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "fw-test",
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

# For the Celery worker the tests start (tests/reports/conftest.py), which must write where the
# test reads and give back the task of a worker the test killed within seconds, not an hour.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(MEDIA_ROOT)))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env_int("FRONTWELFARE_TEST_VISIBILITY_TIMEOUT",
                                  CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]),
    # The sweep that gives such tasks back runs every second instead of every 100 s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# Test-only, never set elsewhere: seconds report_build waits after each section, so that the
# worker-killed test can kill the worker in the middle of a report.
REPORT_TEST_DELAY = float(env_str("FRONTWELFARE_TEST_REPORT_DELAY", "0"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files come from the finders (WhiteNoise follows DEBUG); only production collects them.
STATIC_ROOT = None

"""The test suite: the real PostgreSQL and Redis of the machine, as in production."""

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES
from .env import env_str

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
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "fw-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files come from the finders (WhiteNoise follows DEBUG); only production collects them.
STATIC_ROOT = None

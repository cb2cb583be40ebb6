"""Production: nothing insecure by default, and the values that must be chosen are required."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

# Debug pages show settings, SQL and personal data to whoever makes a request fail: production
# refuses to start with them rather than ignore the variable.
DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production; use the dev settings to debug.")
SECRET_KEY = env_str("SECRET_KEY")
# Sessions, password-reset links and CSRF tokens are signed with it: Django's own deploy check
# (security.W009) asks for 50 characters or more, at least 5 of them different.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY must be at least 50 random characters, e.g. "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))".'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy (the load balancer), trust its scheme header; otherwise a client
# could send it and pass for HTTPS. gunicorn.conf.py follows the same variable.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else SESSION_ENGINE  # noqa: F405

# Production never falls back on the quick start's SQLite file.
DATABASES["default"] = dj_database_url.parse(  # noqa: F405
    env_str("DATABASE_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
)

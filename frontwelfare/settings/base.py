"""Settings shared by every environment. `dev`, `test` and `production` build on these."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "frontwelfare",
    "frontwelfare.areas",
    "frontwelfare.accounts",
    "frontwelfare.reports",
    "households",
    "housing",
    "donations",
    "models_registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, but the requests pages make by themselves (htmx polling) do not renew the idle limit.
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontwelfare.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or form reads a filter or a field: PostgreSQL refuses NUL in text.
    "frontwelfare.middleware.RefuseNulCharactersMiddleware",
    # Every page needs a login unless its view says @login_not_required: a new view is
    # private by default, and the scope harness catches one that forgets its scope.
    "frontwelfare.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "frontwelfare.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "frontwelfare.middleware.NoStoreForSignedInUsersMiddleware",
    # Axes must come last: it turns its lockout exception into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every answer: scripts, styles, images and requests from this site
# only, and no inline script, style or event attribute (an injected one does not run). A page's
# script is a file under static/, its data in data-* attributes or a <script type="application/json">;
# a style is a class in static CSS (htmx's own indicator style is switched off in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its icons (the menu button, a select's arrow) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "frontwelfare.urls"
WSGI_APPLICATION = "frontwelfare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The quick start runs on an embedded SQLite file; everything else passes DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'frontwelfare.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    ),
}
# Reports may read from a replica; without one they read the primary.
_reports_url = env_str("REPORTS_DATABASE_URL", "")
DATABASES["reports"] = dj_database_url.parse(_reports_url) if _reports_url else {
    **DATABASES["default"], "TEST": {"MIRROR": "default"},
}
REPORTS_REPLICA = bool(_reports_url)
DATABASE_ROUTERS = ["frontwelfare.db_routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A refused form (the page open too long, a session ended) gets the site's page, not Django's.
CSRF_FAILURE_VIEW = "frontwelfare.errors.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle, 12 hours in all (AbsoluteSessionLifetimeMiddleware). Officers share
# office computers. The idle time starts again with the person's activity, noted in the session
# (and so saved, with a new expiry and cookie) at most once a minute: the limit holds to within
# that minute, and a page read does not write the session every time.
SESSION_COOKIE_AGE = 30 * 60
SESSION_RENEWAL_INTERVAL = timedelta(minutes=1)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Login throttling (frontwelfare/accounts/throttling.py): five failures for one username from
# one address lock that pair for 15 minutes; twenty for one username from any addresses lock
# the username. A lock ends 15 minutes after the failure that began it: attempts during it,
# the right password included, are refused and not counted. Every attempt, good or bad, is
# written to the axes logs.
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_PER_USERNAME = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "frontwelfare.accounts.throttling.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "frontwelfare.accounts.throttling.lockout_response"
# Behind a load balancer every request comes from its address: with TRUSTED_PROXY_COUNT
# set, the client is read from X-Forwarded-For, so one office's failures do not lock out
# everyone behind the same balancer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "frontwelfare.accounts.addresses.client_address"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "frontwelfare" / "locale"]
FORMAT_MODULE_PATH = ["frontwelfare.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# frontwelfare/static/ (our CSS and the npm-built vendor files) is found as the static
# folder of the `frontwelfare` app; no STATICFILES_DIRS needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

REDIS_URL = env_str("REDIS_URL", "")
# Redis is a cache and a queue, never the only copy of anything, so the application must outlive
# it: while it is down or frozen the cache answers "not cached" (django-redis ignores the errors;
# sessions fall back on the database), and asking for a report says at once that it cannot be queued
# (reports.services.report_enqueue). Every call gives up after REDIS_TIMEOUT, and after one has failed
# the next ones fail at once for a few seconds (frontwelfare.redis_breaker), so a page waits on a
# frozen Redis at most once per process, not on every call.
# Seconds to connect to Redis and for the answer to one command: it answers in milliseconds.
REDIS_TIMEOUT = 0.5
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
    "SOCKET_TIMEOUT": REDIS_TIMEOUT,
    "CONNECTION_POOL_CLASS": "frontwelfare.redis_breaker.ConnectionPool",
}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_CACHE_OPTIONS}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# redis_breaker logs each time Redis starts failing; a traceback for every call skipped meanwhile is noise.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False

# Celery: Redis is the broker when REDIS_URL is set; without it (the quick start) tasks
# run in-process, so the app still works on a machine with nothing installed.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, not when a worker takes it: one whose worker dies
# midway (killed, out of memory, machine lost) stays in Redis and is delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Sending a task gives up connecting after REDIS_TIMEOUT, so a person asking for a report while
# Redis is down or frozen is told so at once (and frontwelfare.celery.App.send_task short-circuits).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task taken by a worker that died without acknowledging it (killed, out of memory, its
    # machine lost) goes back to the queue this long after it was taken: put back by the next
    # worker to start, or by a running one's sweep (every 100 s). Ten minutes: long enough that
    # a report (seconds; 10 s for a whole province) is never made by two workers at once, short
    # enough that one lost with its worker is made soon after. (Kombu's default is an hour.)
    "visibility_timeout": 600,
    "socket_connect_timeout": REDIS_TIMEOUT,
    # The worker's 1-second wait for tasks (BRPOP) is read by its event loop once the answer has
    # come, so this bounds only the commands a request sends (publishing a task) and the worker's own.
    "socket_timeout": REDIS_TIMEOUT,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "households-expire-waiting-imports": {
        "task": "households.tasks.household_imports_expire_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "donations-expire-waiting-statement-imports": {
        "task": "donations.tasks.statement_imports_expire_task",
        "schedule": crontab(hour=2, minute=40),
    },
    "donations-expire-waiting-batch-imports": {
        "task": "donations.tasks.batch_imports_expire_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Each used district's and province's social-security summary of the past month, and on
    # the first day of a quarter of the past quarter (reports.services.reports_schedule_periodic).
    "reports-periodic": {
        "task": "frontwelfare.reports.tasks.reports_schedule_periodic_task",
        # Every morning: on the 1st the month's reports are made; later days catch up on any missed.
        "schedule": crontab(hour=3, minute=0),
    },
    # Export files hold personal data: gone a week after they were made (reports.exports).
    "exports-forget-old": {
        "task": "frontwelfare.reports.tasks.exports_forget_old_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # One-time keys of create forms and API creates: kept two days (frontwelfare.submissions).
    "submissions-forget-old": {
        "task": "frontwelfare.accounts.tasks.submissions_forget_old_task",
        "schedule": crontab(hour=3, minute=45),
    },
}

REST_FRAMEWORK = {
    # Token first, so an anonymous or badly authenticated call gets 401 with
    # "WWW-Authenticate: Token" rather than a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "frontwelfare.paging.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FrontWelfare API",
    "DESCRIPTION": "Social-security work of the Vietnam Fatherland Front committees. "
    "Every answer is limited to the caller's administrative unit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choices exposed by several serializers, or under several field names (a case's state and a
    # step's from/to state; a programme's kind and an attachment's): one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "households.choices.Category",
        "PolicyTypeEnum": "households.choices.PolicyType",
        "CaseStateEnum": "housing.choices.CaseState",
        "WorkKindEnum": "housing.choices.WorkKind",
        "ProgrammeKindEnum": "housing.choices.ProgrammeKind",
        "AttachmentKindEnum": "housing.choices.AttachmentKind",
        "TransitionEnum": "housing.choices.Transition",
        "ReportFormatEnum": "frontwelfare.reports.choices.ReportFormat",
        "ReportStatusEnum": "frontwelfare.reports.choices.ReportStatus",
        "PeriodKindEnum": "frontwelfare.reports.choices.PeriodKind",
        # The kinds the domain apps register: a callable, read when the schema is generated.
        "ReportKindEnum": "frontwelfare.reports.registry.kind_choices",
        "FundKindEnum": "donations.choices.FundKind",
        "DonorKindEnum": "donations.choices.DonorKind",
        "CampaignKindEnum": "donations.choices.CampaignKind",
        "PostingKindEnum": "donations.choices.PostingKind",
        "EarmarkEnum": "donations.choices.Earmark",
        "PurposeEnum": "donations.choices.Purpose",
        "PaymentMethodEnum": "donations.choices.PaymentMethod",
        "PartyEnum": "donations.choices.Party",
        "MemberOrganisationEnum": "donations.choices.MemberOrganisation",
        "BatchStateEnum": "donations.support.choices.BatchState",
        "ActivityKindEnum": "donations.support.choices.ActivityKind",
        "DeliveryEnum": "donations.support.choices.Delivery",
        "RecipientsEnum": "donations.support.choices.Recipients",
        "DetailsEnum": "donations.support.choices.Details",
        "ModelStateEnum": "models_registry.choices.ModelState",
        "ModelTransitionEnum": "models_registry.choices.Transition",
        "ModelFieldEnum": "models_registry.choices.Field",
        "ModelDecisionEnum": "models_registry.choices.Decision",
        "ModelSupportKindEnum": "models_registry.choices.SupportKind",
        "ModelAttachmentKindEnum": "models_registry.choices.AttachmentKind",
        "AwardKindEnum": "models_registry.choices.AwardKind",
    },
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The 400, 401, 403 and 404 answers, documented once for every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "frontwelfare.api.document_error_answers",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_for_expected": {"()": "frontwelfare.errors.OneLineForExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every stylesheet and font it reads at INFO: noise in the worker's log.
    "loggers": {
        "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
        # A 403 or 400 is an expected answer: one line, not a traceback.
        "django.request": {"filters": ["one_line_for_expected"]},
    },
}

"""Redis down: the cache and the Celery broker point at a port nothing listens on. Signing in and the
pages work as usual (the cache answers "not cached"; sessions are kept in the database, here through
production's cached_db engine), and asking for a report answers within seconds that the report
service cannot be reached, instead of an error page."""

import socket
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from frontwelfare.celery import app as celery_app
from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category
from households.report_sections import SOCIAL_SECURITY
from housing.report_sections import HOUSING

from ..factories import TEST_PASSWORD
from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from ..housing.factories import HousingCaseFactory

# The on-commit hook that sends the task runs only when the request's transaction really commits.
pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS_WITHIN = 4  # seconds; a refused connection fails at once (a frozen Redis: test_redis_frozen.py)


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused, as when Redis is stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    dead = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # production's, with Redis
    # Celery reads its broker from its own configuration, loaded once: point it, and the pool of
    # connections it sends with, at the dead Redis for this test only.
    monkeypatch.setitem(celery_app.conf, "broker_url", dead)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    assert celery_app.connection_for_write().as_uri().endswith(dead.rsplit(":", 1)[1])
    cache.set("alive", 1)
    assert cache.get("alive") is None  # the cache really is down, and says so quietly
    return dead


@pytest.fixture
def records(world):
    household = HouseholdFactory(commune=world.commune, head_name="Lê Văn Tư")
    HouseholdStatusFactory(household=household, category=Category.POOR)
    HousingCaseFactory(household=household)
    return household


def _signed_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_signing_in_and_the_pages_work_without_redis(client, world, records, redis_down):
    _signed_in(client, world.district_member)

    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Mỏ Cày Bắc" in home.content.decode()
    households = client.get(reverse("households:list"))
    assert households.status_code == 200 and "Lê Văn Tư" in households.content.decode()
    cases = client.get(reverse("housing:case-list"))
    assert cases.status_code == 200 and "Lê Văn Tư" in cases.content.decode()
    assert client.get(reverse("reports:list")).status_code == 200


def test_asking_for_a_report_without_redis_says_so_within_seconds(client, world, records, redis_down):
    _signed_in(client, world.district_member)
    started = time.monotonic()
    response = client.post(reverse("reports:create"), {
        "kind": SOCIAL_SECURITY, "unit": world.district.pk, "period_kind": "year", "year": 2025,
        "file_format": ReportFormat.XLSX,
    }, follow=True)
    took = time.monotonic() - started

    assert response.status_code == 200 and took < ANSWERS_WITHIN, (response.status_code, took)
    report = Report.objects.get()
    with translation.override("vi"):
        message = gettext("The report service cannot be reached just now. Try again in a few minutes.")
    assert (report.status, report.error) == (ReportStatus.FAILED, message)
    assert escape(message) in response.content.decode()


def test_the_service_fails_the_report_at_once_instead_of_hanging(world, redis_down, english):
    started = time.monotonic()
    report = services.report_request(actor=world.district_member, kind=HOUSING, unit=world.district,
                                      period=periods.year(2025), file_format=ReportFormat.PDF)
    took = time.monotonic() - started

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "không kết nối được" in report.error  # stored in Vietnamese
    assert took < ANSWERS_WITHIN, took

"""Redis frozen, not dead: a real redis-server of the test's own, stopped with SIGSTOP. The kernel
still accepts connections to it, but no command is ever answered, which is what a hung or swapping
Redis does. Every Redis client must give up well within a second and remember it for a while
(frontwelfare.redis_breaker), so that pages stay fast and asking for a report says at once that the
report service cannot be reached."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from frontwelfare import redis_breaker
from frontwelfare.celery import app as celery_app
from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category
from households.report_sections import SOCIAL_SECURITY
from housing.report_sections import HOUSING

from ..factories import TEST_PASSWORD
from ..households.factories import HouseholdFactory, HouseholdStatusFactory

# The on-commit hook that sends the task runs only when the request's transaction really commits.
pytestmark = pytest.mark.django_db(transaction=True)

PAGE_WITHIN = 1.5  # seconds; a page of the test server answers in a tenth of that with Redis up
READY_WITHIN = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, process: subprocess.Popen):
        self.process = process

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)
        redis_breaker.reset()  # what earlier tests taught this process about Redis does not count

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(settings, monkeypatch, tmp_path):
    """A redis-server of this test alone, with the cache, the sessions (production's cached_db engine)
    and the Celery broker pointed at it. Thawed and stopped at the end, whatever happens."""
    port = _free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + READY_WITHIN
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
            time.sleep(0.05)
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        # Celery reads its broker from its own configuration, loaded once: point it, and the pool of
        # connections it sends with, at this Redis for this test only.
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        monkeypatch.setattr(celery_app, "_pool", None)
        monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
        cache.set("alive", 1)
        assert cache.get("alive") == 1  # it answers before it is frozen
        yield RedisServer(server)
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
        redis_breaker.reset()


@pytest.fixture
def frozen_redis(redis_server):
    redis_server.freeze()
    return redis_server


@pytest.fixture
def records(world):
    household = HouseholdFactory(commune=world.commune, head_name="Lê Văn Tư")
    HouseholdStatusFactory(household=household, category=Category.POOR)
    return household


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_pages_stay_fast_while_redis_is_frozen(client, world, records, redis_server):
    # The first requests of a test process are slow anyway (templates compiled, URLs loaded): not timed.
    client.force_login(world.district_member)
    assert client.get(reverse("home")).status_code == client.get(reverse("households:list")).status_code == 200
    client.logout()
    redis_server.freeze()

    response, took = _timed(lambda: client.post(
        reverse("login"), {"username": world.district_member.username, "password": TEST_PASSWORD}))
    assert response.status_code == 302 and took < PAGE_WITHIN, took

    for _ in range(3):  # every page, not only the first after Redis froze
        home, took = _timed(lambda: client.get(reverse("home")))
        assert "Mỏ Cày Bắc" in home.content.decode() and took < PAGE_WITHIN, took
        households, took = _timed(lambda: client.get(reverse("households:list")))
        assert "Lê Văn Tư" in households.content.decode() and took < PAGE_WITHIN, took


def test_asking_for_a_report_while_redis_is_frozen_says_so_at_once(client, world, records, redis_server):
    client.force_login(world.district_member)
    assert client.get(reverse("reports:list")).status_code == 200  # warm, not timed
    redis_server.freeze()
    response, took = _timed(lambda: client.post(reverse("reports:create"), {
        "kind": SOCIAL_SECURITY, "unit": world.district.pk, "period_kind": "year", "year": 2025,
        "file_format": ReportFormat.XLSX,
    }, follow=True))

    with translation.override("vi"):
        message = gettext("The report service cannot be reached just now. Try again in a few minutes.")
    assert escape(message) in response.content.decode()
    assert Report.objects.get().status == ReportStatus.FAILED
    assert took < PAGE_WITHIN, took


def test_sending_a_report_to_a_frozen_broker_gives_up_within_a_second(world, frozen_redis, english):
    """The broker alone, with no cache call before it to open the short circuit."""
    report, took = _timed(lambda: services.report_request(
        actor=world.district_member, kind=HOUSING, unit=world.district, period=periods.year(2025),
        file_format=ReportFormat.PDF))

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "không kết nối được" in report.error
    assert took < PAGE_WITHIN, took
    # and the next ones do not try again for a while
    assert redis_breaker.is_open(redis_breaker.address_of(celery_app.conf.broker_url))
    report = services.report_request(actor=world.district_member, kind=HOUSING, unit=world.district,
                                     period=periods.year(2024), file_format=ReportFormat.PDF)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_the_cache_is_used_again_soon_after_redis_thaws(frozen_redis, monkeypatch):
    monkeypatch.setattr(redis_breaker, "OPEN_FOR", 1.0)
    assert cache.get("key", "missed") == "missed"  # waits once, and opens the short circuit
    frozen_redis.thaw()
    cache.set("key", "kept")  # skipped at once: Redis failed a moment ago
    assert cache.get("key", "missed") == "missed"

    time.sleep(1.1)
    cache.set("key", "kept")
    assert cache.get("key") == "kept"

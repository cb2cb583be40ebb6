"""Real Celery workers, for the tests that need one: tests/reports (test_worker.py) and the browser
tests of tests/e2e (test_report_pages.py). Their conftests import the `celery_workers` fixture.

`celery_workers.start()` runs ``celery -A frontwelfare worker`` as a subprocess, as production
does, with the solo pool: one task at a time, in the worker's own process, so that killing the
worker kills the report it is making. The worker uses this test run's Redis (REDIS_URL, which each
test run should choose for itself, e.g. ``REDIS_URL=redis://127.0.0.1:6379/5``: the test run and
its worker then share a Redis database no other run uses, so that no run takes another's tasks),
pytest-django's test database (the tests that use it are ``transactional_db``: the worker sees only
what has been committed), and the test's MEDIA_ROOT, where it writes the report files (the live
server of a browser test runs in the test's process, so it serves the files from there too). Every
worker a test started is stopped at the end of the test, before the database is emptied.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
READY_WITHIN = 60  # seconds
STOPPED_WITHIN = 20


def _database_url() -> str:
    """The URL of the database this test uses (pytest-django's test database), for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


class Worker:
    """One worker process; its log (stdout and stderr) is kept in a file, to show when a test fails."""

    def __init__(self, name: str, env: dict[str, str], log: Path):
        self.name, self.log = name, log
        command = [sys.executable, "-m", "celery", "-A", "frontwelfare", "worker", "--pool=solo",
                   "--concurrency=1", "-Q", "celery", "-n", f"{name}@%h", "--without-heartbeat",
                   "--without-gossip", "--without-mingle", "-l", "info"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker {self.name} stopped at start:\n{self.output()}")
            time.sleep(0.1)
        pytest.fail(f"The Celery worker {self.name} was not ready within {READY_WITHIN} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing given back to the queue, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOPPED_WITHIN)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), or SIGKILL if it takes too long."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOPPED_WITHIN)
        except subprocess.TimeoutExpired:
            self.kill()


class Workers:
    def __init__(self, media_root: Path, logs: Path):
        self.media_root, self.logs = media_root, logs
        self.started: list[Worker] = []

    def start(self, *, report_delay: float = 0, visibility_timeout: int | None = None) -> Worker:
        """A ready worker. ``report_delay``: seconds it pauses after each section of a report (see
        REPORT_TEST_DELAY in the test settings); ``visibility_timeout``: after how many seconds it
        gives back a task that a dead worker took (production's ten minutes unless given)."""
        # Not the browser tests' exemption from Django's async check (tests/e2e/conftest.py): the
        # worker runs no event loop, and keeps the check.
        env = {name: value for name, value in os.environ.items()
               if not (name.endswith("_FILE") or name.startswith(("CELERY_", "FRONTWELFARE_TEST_"))
                       or name == "DJANGO_ALLOW_ASYNC_UNSAFE")}
        env.update({
            "DJANGO_SETTINGS_MODULE": "frontwelfare.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": django_settings.REDIS_URL,
            "MEDIA_ROOT": str(self.media_root),
            "FRONTWELFARE_TEST_REPORT_DELAY": str(report_delay),
            "PYTHONUNBUFFERED": "1",
        })
        if visibility_timeout is not None:
            env["FRONTWELFARE_TEST_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
        number = len(self.started) + 1
        worker = Worker(f"fw-test-{os.getpid()}-{number}", env, self.logs / f"worker-{number}.log")
        self.started.append(worker)
        worker.wait_until_ready()
        return worker

    def output(self) -> str:
        return "\n".join(f"--- {worker.name}\n{worker.output()}" for worker in self.started)

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()


@pytest.fixture
def celery_workers(transactional_db, settings, tmp_path):
    """Starts real Celery workers for this test (``celery_workers.start()``), and stops them after.
    The test's MEDIA_ROOT becomes the workers' folder, for the test and for the live server alike."""
    media_root = tmp_path / "worker-media"
    media_root.mkdir()
    settings.MEDIA_ROOT = media_root
    workers = Workers(media_root, tmp_path)
    yield workers
    workers.stop_all()

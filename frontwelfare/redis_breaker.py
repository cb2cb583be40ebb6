"""A short circuit in front of Redis, per process and per server.

A Redis that is frozen rather than dead (hung, swapping, paused) accepts connections and never
answers, so every call waits for its whole socket timeout; a page makes several calls (the session
read and written, the cache), and each would wait again. Once a call to a server has failed
(refused, or no answer within REDIS_TIMEOUT), every call to that server fails at once for OPEN_FOR
seconds, then one is tried again. The callers already treat a failed call as "Redis is away": the
cache answers "not cached", sessions are read from the database, and asking for a report says the
report service cannot be reached.

Every Redis client of the application goes through here: the cache (and the cached sessions) by
`ConnectionPool` (django-redis' CONNECTION_POOL_CLASS), Celery's sending of tasks by `guarding`
(frontwelfare.celery.App.send_task).
"""

import logging
import time
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit

import redis
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

OPEN_FOR = 10.0  # seconds without calling a server after it failed
FAILURES = (redis.ConnectionError, redis.TimeoutError, OperationalError, OSError)

_failed_at: dict[str, float] = {}  # "host:port" -> when a call to it last failed (time.monotonic)


def is_open(address: str) -> bool:
    """Whether calls to ``address`` ("host:port") fail at once, because one failed a moment ago."""
    failed_at = _failed_at.get(address)
    return failed_at is not None and time.monotonic() - failed_at < OPEN_FOR


def trip(address: str, error: BaseException) -> None:
    if not is_open(address):
        logger.warning("Redis at %s failed (%s): not called again for %s s", address, error, OPEN_FOR)
    _failed_at[address] = time.monotonic()


def reset() -> None:
    """Forget every failure (tests)."""
    _failed_at.clear()


@contextmanager
def guarding(address: str | None, *, refuse: bool = True):
    """Refuse at once while ``address`` is known to fail; remember it when the guarded call fails."""
    if address is None:
        yield
        return
    if refuse and is_open(address):
        raise redis.ConnectionError(f"Redis at {address} failed less than {OPEN_FOR:g} s ago; not called")
    try:
        yield
    except FAILURES as error:
        trip(address, error)
        raise


def address_of(url: str) -> str | None:
    """ "host:port" of a redis:// or rediss:// URL; None for anything else (Celery's memory://)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return None
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


class _Guarded:
    """Mixed into redis-py's connection classes: connecting, sending and reading go through `guarding`."""

    def _address(self) -> str:
        return getattr(self, "path", None) or f"{self.host}:{self.port}"

    def connect_check_health(self, *args, **kwargs):
        with guarding(self._address()):
            return super().connect_check_health(*args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        with guarding(self._address()):
            return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        # Never refused: the command has been sent, and its answer must be read or the connection dropped.
        with guarding(self._address(), refuse=False):
            return super().read_response(*args, **kwargs)


@cache
def _guarded(connection_class: type) -> type:
    return type(f"Guarded{connection_class.__name__}", (_Guarded, connection_class), {})


class ConnectionPool(redis.ConnectionPool):
    """redis-py's pool, whose connections (plain or TLS, as the URL says) are guarded."""

    def __init__(self, connection_class=redis.Connection, **kwargs):
        super().__init__(connection_class=_guarded(connection_class), **kwargs)

"""Reports may read from a PostgreSQL replica (the ``reports`` database alias, set by
REPORTS_DATABASE_URL): the grouped queries of a province's report then leave the primary to the
people entering cases.

Only the reads made inside `reading_for_reports()` go there, and only when a replica is set:
without one, ``reports`` is the primary under another name and nothing changes. Writes always go
to the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_for_reports: ContextVar[bool] = ContextVar("reading_for_reports", default=False)


@contextmanager
def reading_for_reports() -> Iterator[None]:
    token = _for_reports.set(True)
    try:
        yield
    finally:
        _for_reports.reset(token)


def replica_configured() -> bool:
    return bool(getattr(settings, "REPORTS_REPLICA", False))


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        return "reports" if _for_reports.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary; it is never migrated by itself.
        return db == "default"

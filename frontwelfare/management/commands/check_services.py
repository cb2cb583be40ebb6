import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

HOW_TO_START = (
    "Start them with `docker compose up -d db redis` (see README, \"Tests\"), "
    "or point DATABASE_URL and REDIS_URL at running servers."
)


class Command(BaseCommand):
    help = "Check that the PostgreSQL and Redis the settings name can be reached; say which cannot."

    def handle(self, *args, **options):
        problems = [problem for problem in (self._postgres(), self._redis()) if problem]
        if problems:
            raise CommandError("\n".join([*problems, HOW_TO_START]))
        self.stdout.write("PostgreSQL and Redis are reachable.")

    def _postgres(self) -> str | None:
        db = settings.DATABASES["default"]
        if "postgresql" not in db["ENGINE"]:
            return f"DATABASE_URL must point at PostgreSQL for the tests (it names {db['ENGINE']})."
        try:
            # Through the maintenance database, so that a fresh server works too: the named
            # database is created if missing (the test run then makes its own beside it).
            with psycopg.connect(
                dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
                host=db["HOST"] or None, port=db["PORT"] or None, connect_timeout=3, autocommit=True,
            ) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        except psycopg.Error as exc:
            where = f"{db['HOST'] or 'local socket'}:{db['PORT'] or 5432}"
            return f"PostgreSQL at {where} cannot be reached: {exc}".strip()
        return None

    def _redis(self) -> str | None:
        url = settings.REDIS_URL
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            return f"Redis at {url} cannot be reached: {exc}"
        return None

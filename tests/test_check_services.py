"""`make test` starts by saying which server is missing and how to start it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check_services(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check_services"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "frontwelfare.settings.test", **env},
    )


def test_unreachable_servers_are_named_with_how_to_start_them():
    result = _check_services(DATABASE_URL="postgres://postgres@127.0.0.1:1/frontwelfare",
                             REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "PostgreSQL at 127.0.0.1:1 cannot be reached" in result.stderr
    assert "Redis at redis://127.0.0.1:1/0 cannot be reached" in result.stderr
    assert "docker compose up -d db redis" in result.stderr


def test_reachable_servers_pass():
    result = _check_services()
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL and Redis are reachable." in result.stdout

"""`make bench`: the speed targets, measured on the real data set in a throwaway database.

Targets (issue 2): `load_areas` under 60 s; the pages and API of the foundation answer with
a p95 under 200 ms in-process. Exits non-zero when a target is missed.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontwelfare.settings.test")
base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/frontwelfare")
os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/frontwelfare_bench"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REQUESTS = 60


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _time_pages(client: Client, paths: list[str]) -> list[tuple[str, float, float]]:
    rows = []
    for path in paths:
        client.get(path)  # warm caches and connections
        samples = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        rows.append((path, statistics.median(samples), _p95(samples)))
    return rows


def main() -> int:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        call_command("load_areas", stdout=open(os.devnull, "w"))  # noqa: SIM115
        load_seconds = time.perf_counter() - started
        from frontwelfare.demo import demo_load

        demo_load()
        from frontwelfare.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(username="demo.tinh"))
        rows = _time_pages(client, ["/", "/accounts/users/", "/units/", "/units/?name=phu+my",
                                    "/api/v1/units/?name=mo+cay", "/api/v1/users/"])
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    failed = load_seconds >= 60
    print(f"load_areas (14,165 units and their mapping): {load_seconds:.1f} s   target < 60 s")
    print(f"\n{'page (as demo.tinh, in-process)':<40} {'median ms':>10} {'p95 ms':>8}   target p95 < 200 ms")
    for path, median, p95 in rows:
        failed |= p95 >= 200
        print(f"{path:<40} {median:>10.1f} {p95:>8.1f}{'   MISSED' if p95 >= 200 else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

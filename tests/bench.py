"""`make bench`: the speed targets, measured on the real data set in a throwaway database.

Targets (issue 2): `load_areas` under 60 s; the pages and API of the foundation answer with
a p95 under 200 ms in-process. Households (issue 3): an Excel file of 10,000 people in about
3,000 households is checked and imported in under 60 s. Exits non-zero when a target is missed.
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


IMPORT_HOUSEHOLDS = 3000  # of 3, 3 and 4 people in turn: 10,000 rows


def household_import_workbook(*, commune_code: str, households: int = IMPORT_HOUSEHOLDS) -> bytes:
    """A filled-in import template as an officer would upload it: one row per person, the
    household's details on the head's row, some categories and policy types, every adult with
    a citizen ID typed as text and every other one as the number Excel makes of it."""
    from io import BytesIO

    from openpyxl import Workbook

    from households.imports import COLUMNS

    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
    given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai",
             "Minh", "Nam", "Ngọc", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Thu", "Trang", "Tuấn", "Yến"]
    keys = [column.key for column in COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append([column.header for column in COLUMNS])
    serial = 0
    for number in range(1, households + 1):
        size = (3, 3, 4)[number % 3]
        family = families[number % len(families)]
        for person in range(size):
            serial += 1
            male = person != 1
            year = (1950 + number % 40) if person < 2 else (1995 + (number + person) % 25)
            century_sex = (year // 100 - 19) * 2 + (0 if male else 1)
            citizen_id = f"083{century_sex}{year % 100:02d}{serial:06d}"
            row = {
                "household_ref": number, "full_name": f"{family} {'Văn' if male else 'Thị'} "
                f"{given[serial % len(given)]} {given[(serial // 7) % len(given)]}",
                "birth": f"{1 + serial % 28:02d}/{1 + serial % 12:02d}/{year}" if person % 2 else year,
                "sex": "Nam" if male else "Nữ", "relation": ("Chủ hộ", "Vợ", "Con", "Con")[person],
                "citizen_id": citizen_id if person < 2 else int(citizen_id),
            }
            if person == 0:
                row.update({"commune_code": commune_code, "hamlet": f"Ấp {1 + number % 9}",
                            "consent_date": "01/03/2025", "consent_purpose": "Quản lý hỗ trợ an sinh xã hội"})
                if number % 5 == 0:
                    row.update({"categories": "Hộ nghèo" if number % 2 else "Hộ cận nghèo", "category_year": 2025,
                                "decision_number": "12/QĐ-UBND", "decision_date": "10/01/2025"})
                if number % 17 == 0:
                    row["policy_types"] = "Thương binh"
            sheet.append([row.get(key) for key in keys])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def time_household_import(officer) -> dict[str, float]:
    """Seconds to check a 10,000-row file (as the upload does) and to confirm it (check again,
    then save everything), for ``officer``'s commune."""
    import tempfile

    from django.conf import settings
    from django.core.files.base import ContentFile

    from households.imports import household_import_check, household_import_confirm

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="fw-bench-media-")
    content = household_import_workbook(commune_code=officer.unit.code)
    started = time.perf_counter()
    record = household_import_check(actor=officer, uploaded_file=ContentFile(content, name="bench.xlsx"))
    checked = time.perf_counter()
    errors = [entry for entry in record.errors if entry.get("level") != "warning"]
    assert not errors, errors[:5]
    record = household_import_confirm(actor=officer, household_import=record)
    imported = time.perf_counter()
    assert record.status == "imported", record.errors[:5]
    return {"rows": record.row_count, "households": record.household_count, "megabytes": len(content) / 2**20,
            "warnings": len(record.errors), "check": checked - started, "confirm": imported - checked}


def time_household_export(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


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
        officer = User.objects.get(username="demo.xa")
        figures = time_household_import(officer)
        client.force_login(officer)
        exports = {path: time_household_export(client, path) for path in ("/households/export.xlsx",
                                                                           "/households/export.csv")}
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    failed = load_seconds >= 60
    print(f"load_areas (14,165 units and their mapping): {load_seconds:.1f} s   target < 60 s")
    print(f"\n{'page (as demo.tinh, in-process)':<40} {'median ms':>10} {'p95 ms':>8}   target p95 < 200 ms")
    for path, median, p95 in rows:
        failed |= p95 >= 200
        print(f"{path:<40} {median:>10.1f} {p95:>8.1f}{'   MISSED' if p95 >= 200 else ''}")
    total = figures["check"] + figures["confirm"]
    failed |= total >= 60
    print(f"\nhousehold import: {figures['rows']:,} rows, {figures['households']:,} households, "
          f"{figures['megabytes']:.1f} MB, {figures['warnings']} warnings")
    print(f"  check on upload {figures['check']:.1f} s, confirm (check again and save) {figures['confirm']:.1f} s, "
          f"total {total:.1f} s   target < 60 s{'   MISSED' if total >= 60 else ''}")
    for path, seconds in exports.items():
        print(f"  {path} of those households: {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`, reports part (issue 5): a province of 100,000 households and 20,000 house cases.

- Each report (social-security summary, housing progress; XLSX and PDF) is made as the worker
  makes it (`report_build`), and timed beside the bare SQL it ran: the same statements run again
  with a plain cursor. Targets: the whole report under 10 s, and under 3 times its bare queries.
- The dashboard answers with a p95 under 300 ms in-process.

Imported by tests/bench.py, which has set Django up on a throwaway database; the housing part's
bulk load (20,000 cases and their households) runs first.
"""

import datetime
import random
import statistics
import time

from django.db import connection, transaction

HOUSEHOLDS = 100_000
DASHBOARD_REQUESTS = 60


def reports_bulk_load(housing: dict) -> dict:
    """Households up to HOUSEHOLDS in the housing part's province, each with its head and a second
    member (some with a disability, some at school); a status for 2024 and 2025 for a third of
    them; a policy for one in twenty; and the steps of the housing part's cases (one each, to the
    state they are in), which the housing report reads."""
    from frontwelfare.areas.choices import Level
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import Household

    rng = random.Random(100_000)  # bench data, not secrets
    province = housing["province"]
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE, province=province).order_by("code"))
    started = time.perf_counter()
    with transaction.atomic():
        missing = HOUSEHOLDS - Household.objects.filter(commune__province=province).count()
        _households(communes, missing, rng)
        statuses = _statuses(province, rng)
        _case_steps()
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"province": province, "households": Household.objects.filter(commune__province=province).count(),
            "statuses": statuses, "seconds": loaded}


def _households(communes, count: int, rng) -> None:
    from households.choices import Disability, Relation, SchoolLevel, Sex
    from households.models import Household, Member
    from households.services import household_next_code

    per_commune = {commune.pk: count // len(communes) for commune in communes}
    for commune in communes[: count % len(communes)]:
        per_commune[commune.pk] += 1
    officer = {user.unit_id: user for user in _officers(communes)}
    households = []
    for commune in communes:
        for code in household_next_code(commune=commune, count=per_commune[commune.pk]):
            households.append(Household(commune=commune, code=code, hamlet=f"Ấp {rng.randrange(1, 9)}",
                                        head_name="Nguyễn Văn Bench", consent_purpose="Hỗ trợ an sinh xã hội",
                                        consent_date=datetime.date(2024, 10, 1),
                                        consent_recorded_by=officer[commune.pk]))
    Household.objects.bulk_create(households, batch_size=10_000)
    members = []
    for household in households:
        members.append(Member(household=household, full_name="Nguyễn Văn Bench", full_name_folded="nguyen van bench",
                              birth_year=1970, sex=Sex.MALE, relation=Relation.HEAD))
        members.append(Member(household=household, full_name="Lê Thị Bench", full_name_folded="le thi bench",
                              birth_year=2012, sex=Sex.FEMALE, relation=Relation.CHILD,
                              disability=Disability.values[1] if rng.random() < 0.05 else "",
                              school_level=SchoolLevel.values[2] if rng.random() < 0.6 else ""))
    Member.objects.bulk_create(members, batch_size=20_000)


def _officers(communes):
    from frontwelfare.accounts.choices import Role
    from frontwelfare.accounts.models import User

    return User.objects.filter(role=Role.COMMUNE_OFFICER, unit__in=communes).order_by("unit_id", "-username") \
        .distinct("unit_id")


def _statuses(province, rng) -> int:
    from households.choices import Category, PolicyType
    from households.models import Household, HouseholdPolicy, HouseholdStatus

    categories = [Category.POOR, Category.NEAR_POOR, Category.ESCAPED_POVERTY, Category.DIFFICULT]
    statuses, policies = [], []
    households = Household.objects.filter(commune__province=province, statuses=None, policies=None) \
        .values_list("pk", "consent_recorded_by_id")
    for pk, officer in households:
        if rng.random() < 0.33:
            for year in (2024, 2025):
                statuses.append(HouseholdStatus(household_id=pk, year=year, category=rng.choice(categories),
                                                decision_number=f"{year}/QĐ-UBND",
                                                decision_date=datetime.date(year, rng.randrange(1, 12), 15),
                                                recorded_by_id=officer))
        if rng.random() < 0.05:
            policies.append(HouseholdPolicy(household_id=pk, policy_type=rng.choice(PolicyType.values)))
    HouseholdStatus.objects.bulk_create(statuses, batch_size=20_000)
    HouseholdPolicy.objects.bulk_create(policies, batch_size=20_000)
    return len(statuses)


def _case_steps() -> None:
    """One step per bench case, to the state it is in, on the day it last changed."""
    from housing.models import CaseTransition, HousingCase

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CaseTransition._meta.db_table} "  # noqa: S608
            f"(case_id, name, from_state, to_state, actor_id, happened_on, at, note) "
            f"SELECT c.id, '', '', c.state, c.proposed_by_id, c.updated_at::date, c.updated_at, '' "
            f"FROM {HousingCase._meta.db_table} c "
            f"WHERE NOT EXISTS (SELECT 1 FROM {CaseTransition._meta.db_table} t WHERE t.case_id = c.id)")


def time_reports(province) -> list[tuple[str, str, float, float, int]]:
    """(kind, format, seconds for the whole report, seconds of its bare SQL, queries) of each report
    of the province, made as the worker makes it: the social-security summary of 2025, the housing
    report of a period that ended a month ago (each case's stage then is looked up in its steps)."""
    from frontwelfare.accounts.models import User
    from frontwelfare.reports import periods
    from frontwelfare.reports.choices import ReportFormat
    from frontwelfare.reports.models import Report
    from frontwelfare.reports.services import report_build
    from households.report_sections import SOCIAL_SECURITY
    from housing.report_sections import HOUSING

    asker = User.objects.get(username="demo.tinh")
    today = datetime.date.today()
    # The statuses are of 2024 and 2025; the cases of the last 300 days, with their steps.
    period_of = {SOCIAL_SECURITY: periods.year(2025),
                 HOUSING: periods.date_range(today - datetime.timedelta(days=200), today
                                                        - datetime.timedelta(days=30))}

    def new_report(kind, file_format):
        period = period_of[kind]
        return Report.objects.create(kind=kind, unit=province, period_kind=period.kind, period_start=period.start,
                                     period_end=period.end, format=file_format, requested_by=asker)

    # Once each, untimed: the first read of the tables from disk and WeasyPrint's first fonts are
    # not what a report costs once the server runs.
    for kind in (SOCIAL_SECURITY, HOUSING):
        report_build(new_report(kind, ReportFormat.PDF).pk)
    rows = []
    for kind in (SOCIAL_SECURITY, HOUSING):
        for file_format in ReportFormat.values:
            seconds, bare, queries = timed_build(new_report(kind, file_format))
            rows.append((kind, file_format, seconds, bare, queries))
    return rows


def timed_build(report) -> tuple[float, float, int]:
    """(seconds, seconds of its bare SQL, queries) of making ``report`` as the worker does."""
    from frontwelfare.reports.choices import ReportStatus
    from frontwelfare.reports.services import report_build

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(capture):
        report_build(report.pk)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return seconds, _bare(statements), len(statements)


def _bare(statements) -> float:
    """The time the same SQL takes from a plain cursor: the floor for making the report."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            if sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(sql, params)
                cursor.fetchall()
    return time.perf_counter() - started


def time_dashboard(housing: dict) -> list[tuple[str, str, float, float]]:
    """(user, path, median ms, p95 ms) of the home page, the dashboard of each role."""
    from django.test import Client

    from frontwelfare.accounts.models import User

    rows = []
    for username in ("demo.tinh", "demo.huyen", "demo.xa"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/")
        samples = []
        for _ in range(DASHBOARD_REQUESTS):
            started = time.perf_counter()
            response = client.get("/")
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        rows.append((username, "/", statistics.median(samples), statistics.quantiles(samples, n=20)[-1]))
    return rows


def report_reports(loaded: dict, reports, dashboard) -> bool:
    """Print the reports part; True when a target was missed."""
    print(f"\nreports: {loaded['province'].name}, {loaded['households']:,} households "
          f"({loaded['statuses']:,} statuses) and the housing part's cases; loaded in {loaded['seconds']:.1f} s")
    print(f"\n{'report of the province':<40} {'whole s':>8} {'bare SQL s':>10} {'ratio':>6} "
          f"{'queries':>7}   target < 10 s and < 3x")
    missed = False
    for kind, file_format, seconds, bare, queries in reports:
        ratio = seconds / bare if bare else float("inf")
        late = seconds >= 10 or ratio >= 3
        missed |= late
        print(f"{kind + ' ' + file_format:<40} {seconds:>8.2f} {bare:>10.2f} {ratio:>6.1f} {queries:>7}"
              f"{'   MISSED' if late else ''}")
    print(f"\n{'dashboard (in-process, ' + str(DASHBOARD_REQUESTS) + ' requests)':<40} {'as':<10} "
          f"{'median ms':>9} {'p95 ms':>7}   target p95 < 300 ms")
    for username, path, median, p95 in dashboard:
        missed |= p95 >= 300
        print(f"{path:<40} {username:<10} {median:>9.1f} {p95:>7.1f}{'   MISSED' if p95 >= 300 else ''}")
    print(f"reports: {'FAIL' if missed else 'PASS'}")
    return missed

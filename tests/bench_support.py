"""`make bench`, support part (issue 14): a province's Tet gifts, a batch of 20,000 recipients.

- Loaded in bulk (bulk_create, not the services): RECIPIENTS new households across Bến Tre's
  communes, each with its head and poor in 2025; the province's Fund for the Poor holding the money
  (one receipt, through the services); a district's batch of the same kind and occasion, through
  the services, already giving ALREADY_HELPED of them (the duplicates to flag).
- Timed, through the services as the pages call them, each step's queries counted: the batch drawn
  up and its recipients chosen by the households' filter (poor in 2025, in the province); the
  duplicate-benefit check (how many flagged, and where the first page of them was helped); confirmed
  with a reason; closed, which posts every delivered line to the fund as one disbursement. The
  deliveries in between are written in bulk (officers record them over days, one line at a time).
- Targets: select, flag, confirm and close together under TARGET_SECONDS, in at most
  QUERY_CEILING queries (not one per household).

Imported by tests/bench.py, which has set Django up on a throwaway database with the demo loaded.
"""

import datetime
import random
import time
from collections import Counter

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

PROVINCE = "83"  # Bến Tre, the demo's province
RECIPIENTS = 20_000
ALREADY_HELPED = 1_000
VALUE = 500_000
OCCASION = "Quà Tết Bính Ngọ 2026"
HANDED_OVER = datetime.date(2026, 2, 10)
TARGET_SECONDS = 30
QUERY_CEILING = 200


def support_bulk_load() -> dict:
    """The province's poor households (RECIPIENTS of them), the province's fund and its money, and
    the district's batch already helping ALREADY_HELPED of them. Returns what was loaded."""
    from donations import services as donation_services
    from donations.choices import DonorKind, FundKind
    from donations.demo import fund_name
    from donations.models import Fund
    from frontwelfare.accounts.models import User
    from frontwelfare.areas.choices import Era, Level
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import HouseholdStatus
    from tests.bench import _bench_households, _bench_officers

    rng = random.Random(14)  # bench data, not secrets
    started = time.perf_counter()
    province = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=PROVINCE)
    communes = list(AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, province=province)
                    .order_by("code"))
    provincial = User.objects.get(username="demo.tinh")
    with transaction.atomic():
        officers = _bench_officers(communes)
        per_commune = Counter(commune.pk for commune in rng.choices(communes, k=RECIPIENTS))
        households = [household for placed in _bench_households(communes, per_commune, officers, rng).values()
                      for household in placed]
        HouseholdStatus.objects.bulk_create([
            HouseholdStatus(household=household, year=2025, category="poor", decision_number="125/QĐ-UBND",
                            decision_date=datetime.date(2024, 12, 20), recorded_by=officers[household.commune_id])
            for household in households], batch_size=5_000)
        fund = Fund.objects.get_or_create(unit=province, kind=FundKind.FOR_THE_POOR,
                                          defaults={"name": fund_name(province)})[0]
        donor = donation_services.donor_create(actor=provincial, kind=DonorKind.BUSINESS,
                                               name="Tổng công ty Dừa Bến Tre (bench)")
        donation_services.receipt_record(actor=provincial, fund=fund, donor=donor, amount=VALUE * RECIPIENTS * 2,
                                         happened_on=datetime.date(2025, 11, 18))
        district_batch = _district_batch(households)
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"province": province, "provincial": provincial, "fund": fund, "households": len(households),
            "district_batch": district_batch, "seconds": loaded - started, "vacuum": time.perf_counter() - loaded}


def _district_batch(households) -> object:
    """Mỏ Cày Bắc's own Tet batch, confirmed, giving ALREADY_HELPED of the new households of the
    district: the same kind and occasion as the province's."""
    from donations.demo import DISTRICT_MEMBER
    from donations.models import Fund
    from donations.support import services
    from donations.support.models import SupportKind
    from frontwelfare.accounts.models import User
    from households.models import Household

    member = User.objects.select_related("unit").get(username=DISTRICT_MEMBER)
    fund = Fund.objects.get(unit=member.unit, kind="for_the_poor")
    ids = [household.pk for household in households if household.commune.district_id == member.unit_id]
    batch = services.batch_create(actor=member, kind=SupportKind.objects.get(unit=None, code="tet_gifts"),
                                  occasion=OCCASION.lower(), happened_on=HANDED_OVER, fund=fund, value=VALUE)
    services.batch_add_by_filter(actor=member, batch=batch,
                                 households=Household.objects.filter(pk__in=ids[:ALREADY_HELPED]))
    return services.batch_confirm(actor=member, batch=batch)


def time_batch(loaded: dict) -> list[dict]:
    """The province's Tet batch through its steps, each timed and its queries counted."""
    from donations.support import services
    from donations.support.models import SupportKind
    from donations.support.selectors import duplicate_count, flagged_lines, helped_elsewhere
    from households.filters import HouseholdFilterSet
    from households.models import Household

    actor, steps = loaded["provincial"], []

    def step(name, work):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - started
        steps.append({"step": name, "seconds": seconds, "queries": len(queries), "result": result})
        return result

    class Request:
        user = actor

    def select():
        batch = services.batch_create(actor=actor, kind=SupportKind.objects.get(unit=None, code="tet_gifts"),
                                      occasion=OCCASION, happened_on=HANDED_OVER, fund=loaded["fund"], value=VALUE)
        filters = HouseholdFilterSet(data={"category": "poor", "year": "2025", "unit": loaded["province"].pk},
                                     queryset=Household.objects.visible_to(actor), request=Request())
        assert filters.is_valid(), filters.errors
        return batch, services.batch_add_by_filter(actor=actor, batch=batch, households=filters.qs)

    batch, added = step("select by filter (poor in 2025, the province)", select)
    steps[-1]["result"] = f"{added:,} recipients"

    def flag():
        flagged = duplicate_count(batch)
        page = list(flagged_lines(batch).select_related("household").order_by("pk")[:50])
        where = helped_elsewhere(batch, page, actor)
        return flagged, sum(len(found) for found in where.values())

    flagged, shown = step("duplicate-benefit check (count, and the first page)", flag)
    steps[-1]["result"] = f"{flagged:,} flagged, {shown} places shown"
    step("confirm with a reason", lambda: services.batch_confirm(
        actor=actor, batch=batch, duplicate_reason="Huyện đã trao quà cho một số hộ; tỉnh trao thêm theo chủ trương."))
    steps[-1]["result"] = "confirmed"
    delivered = _deliver_in_bulk(batch, actor)
    step("close (post the delivered lines)", lambda: services.batch_close(actor=actor, batch=batch))
    batch.refresh_from_db()
    lines = batch.posting.lines.filter(fund=batch.fund).count() if batch.posting_id else 0
    steps[-1]["result"] = f"{lines:,} fund lines posted of {delivered:,} delivered"
    steps[-1]["agrees"] = lines == delivered
    return steps


def _deliver_in_bulk(batch, actor) -> int:
    """Every line delivered on the day, but one in twenty not found: written in one statement, as
    if the communes' officers had recorded them one by one. Returns how many were delivered."""
    from donations.support.models import Recipient

    table = Recipient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET delivery = CASE WHEN id %% 20 = 7 THEN 'not_found' ELSE 'delivered' END, "  # noqa: S608 - our own table name
                       "delivered_on = CASE WHEN id %% 20 = 7 THEN NULL ELSE %s END, "
                       "delivery_recorded_by_id = %s, delivery_recorded_at = now() WHERE batch_id = %s",
                       [HANDED_OVER, actor.pk, batch.pk])
    return Recipient.objects.filter(batch=batch, delivery="delivered").count()


def support_part() -> tuple[dict, list[dict]]:
    loaded = support_bulk_load()
    return loaded, time_batch(loaded)


def report_support(loaded: dict, steps: list[dict]) -> bool:
    """Print the support part; True when a target was missed."""
    print(f"\nsupport: {loaded['households']:,} poor households of {loaded['province'].name} loaded in "
          f"{loaded['seconds']:.1f} s (VACUUM ANALYZE {loaded['vacuum']:.1f} s); the district's batch gives "
          f"{ALREADY_HELPED:,} of them the same Tet gift")
    print(f"\n{'a province Tet batch, step':<56} {'seconds':>8} {'queries':>8}   what")
    for row in steps:
        print(f"{row['step']:<56} {row['seconds']:>8.2f} {row['queries']:>8}   {row['result']}")
    seconds = sum(row["seconds"] for row in steps)
    queries = sum(row["queries"] for row in steps)
    agrees = all(row.get("agrees", True) for row in steps)
    slow, many = seconds >= TARGET_SECONDS, queries > QUERY_CEILING
    print(f"{'total':<56} {seconds:>8.2f} {queries:>8}")
    print(f"support batch of {RECIPIENTS:,}: {'FAIL' if slow else 'PASS'} select, flag, confirm and close in "
          f"{seconds:.1f} s (target < {TARGET_SECONDS} s)")
    print(f"support batch of {RECIPIENTS:,}: {'FAIL' if many else 'PASS'} {queries} queries "
          f"(target <= {QUERY_CEILING}, not one per household)")
    print(f"support batch of {RECIPIENTS:,}: {'PASS' if agrees else 'FAIL'} one fund line posted per line delivered")
    return slow or many or not agrees

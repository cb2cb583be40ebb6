"""`make bench`, donations part (issue 13): 1,000,000 ledger lines across a province.

- The ledger of Bến Tre's Funds for the Poor (the province's, each district's, each commune's; every
  other committee of the country has its own, empty) over 2024 and 2025: 500,000 postings of two
  lines each (receipts from donors, payments out for every purpose, transfers down from the province
  and the districts), written in bulk (COPY, not the services: through them it would take hours)
  with what the services would write: every posting's lines summing to zero, receipts numbered per
  fund and year without a gap, every fund line traced to the receipts its money is (oldest first),
  no fund, earmark or receipt's money below zero.
- The balance of one fund (`selectors.fund_balance`, on the fund with the most lines): p95 < 20 ms.
- The fund statement for a year (donations.report_sections, through the report pipeline), of the
  province, of the demo district and of the busiest fund alone: its data (the tables, as the report
  task builds them) and its XLSX file (as the worker makes it, `report_build`), each under 2 s and
  under 2 times its bare SQL (the SELECTs it ran, captured and run again from a plain cursor); and
  its closing balance is the balance of the funds it covers.
- Receipts under 50 concurrent clerks (threads, each its own connection) through
  `services.receipt_record`: all into one fund (one number series, the worst case), and each into its
  own commune's fund; no gap and no repeat in the numbers.

Imported by tests/bench.py, which has set Django up on a throwaway database with the demo loaded.
"""

import datetime
import random
import statistics
import threading
import time
from collections import defaultdict, deque

from django.db import connection, transaction

LINES = 1_000_000
POSTINGS = LINES // 2
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)
PROVINCE = "83"  # Bến Tre, the demo's province
DONORS_PER_UNIT = 10
# What the postings are: receipts, payments out, transfers down a level (a spend the fund cannot
# afford becomes a receipt, so the total stays exact).
KINDS = {"receipt": 55, "disbursement": 35, "transfer": 10}
# How much busier a district's and the province's fund is than a commune's.
WEIGHT = {"commune": 1, "district": 6, "province": 20}
BALANCE_READS = 200
STATEMENT_RUNS = 5
STATEMENT_SECONDS = 2
TIMES_BARE_SQL = 2
CLERKS = 50
RECEIPTS_PER_CLERK = 10


def donations_bulk_load(*, first_day: datetime.date = FIRST_DAY, last_day: datetime.date = LAST_DAY) -> dict:
    """Funds for the Poor for the province and every unit below it (the demo's kept), donors for
    each, and POSTINGS postings of two lines, from ``first_day`` to ``last_day``, with their traces
    and receipts. Returns what was loaded."""
    from donations.choices import FundKind
    from donations.demo import fund_name
    from donations.models import Fund
    from frontwelfare.areas.choices import Era, Level
    from frontwelfare.areas.models import AdministrativeUnit

    rng = random.Random(13)  # bench data, not secrets
    started = time.perf_counter()
    province = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=PROVINCE)
    units = [province, *AdministrativeUnit.objects.filter(era=Era.LEGACY, province=province)
             .exclude(pk=province.pk).order_by("level", "code")]
    kept = {fund.unit_id: fund for fund in Fund.objects.filter(unit__in=units, kind=FundKind.FOR_THE_POOR)}
    Fund.objects.bulk_create([Fund(unit=unit, kind=FundKind.FOR_THE_POOR, name=fund_name(unit))
                              for unit in units if unit.pk not in kept])
    funds = list(Fund.objects.filter(unit__in=units, kind=FundKind.FOR_THE_POOR).select_related("unit"))
    elsewhere = _funds_elsewhere(units)
    with transaction.atomic():
        authors = _authors(units)
        donors = _donors(units, authors, rng)
    plan = _Ledger(funds, donors, authors, rng, first_day=first_day, last_day=last_day)
    plan.generate()
    generated = time.perf_counter()
    plan.write()
    written = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter()
    check_ledger()
    return {"province": province, "funds": len(funds), "elsewhere": elsewhere, "postings": POSTINGS,
            "lines": 2 * POSTINGS, "traces": plan.trace_count, "receipts": plan.receipt_count,
            "kinds": dict(plan.kinds),
            "generate": generated - started, "write": written - generated, "vacuum": vacuumed - written,
            "check": time.perf_counter() - vacuumed}


def _funds_elsewhere(units) -> int:
    """A Fund for the Poor, empty, for every other committee of the country (both eras), as there
    will be one at every level in production; returns how many were made. Without them PostgreSQL
    reads every fund as lying in this one province and takes its 158 funds for 2 (a join of the
    funds to the units within the province), which turns the statement of the province into nested
    loops over its half a million fund lines: 4 to 6 s instead of 1 to 2."""
    from donations.choices import FundKind
    from donations.demo import fund_name
    from donations.models import Fund
    from frontwelfare.areas.models import AdministrativeUnit

    others = AdministrativeUnit.objects.exclude(pk__in=[unit.pk for unit in units]).exclude(
        pk__in=Fund.objects.filter(kind=FundKind.FOR_THE_POOR).values("unit_id")).order_by("pk")
    made = Fund.objects.bulk_create([Fund(unit=unit, kind=FundKind.FOR_THE_POOR, name=fund_name(unit))
                                     for unit in others.only("pk", "name")], batch_size=5_000)
    return len(made)


def _donors(units, authors, rng) -> dict[int, list[int]]:
    """{unit id: ids of the donors it keeps}, DONORS_PER_UNIT each, of every kind."""
    from donations.choices import DonorKind
    from donations.models import Donor
    from frontwelfare.text import fold_diacritics

    kinds = [DonorKind.INDIVIDUAL, DonorKind.INDIVIDUAL, DonorKind.BUSINESS, DonorKind.ORGANISATION,
             DonorKind.AGENCY]
    rows = []
    for unit in units:
        for number in range(DONORS_PER_UNIT):
            name = f"Nhà hảo tâm {unit.code}-{number:02d}"
            rows.append(Donor(unit=unit, kind=kinds[number % len(kinds)], name=name, name_folded=fold_diacritics(name),
                              anonymous=rng.random() < 0.1, created_by_id=authors[unit.pk]))
    grouped = defaultdict(list)
    for donor in Donor.objects.bulk_create(rows, batch_size=5_000):
        grouped[donor.unit_id].append(donor.pk)
    return grouped


def _authors(units) -> dict[int, int]:
    """{unit id: a user of it who records its postings}: its commune officer (the bench's own
    where the demo has none), the demo's district member, or the provincial officer."""
    from frontwelfare.accounts.models import User
    from tests.bench import _bench_officers

    provincial = User.objects.get(username="demo.tinh").pk
    officers = {unit_id: user.pk for unit_id, user in
                _bench_officers([unit for unit in units if unit.level == "commune"]).items()}
    members = dict(User.objects.filter(role="district_member", unit__in=units).values_list("unit_id", "pk"))
    return {unit.pk: officers.get(unit.pk) or members.get(unit.pk) or provincial for unit in units}


class _Ledger:
    """The bulk ledger, generated in date order as the services would have written it, then
    copied into the tables. Each fund's earmark holds a queue of (receipt posting id, what it
    still holds), oldest first: a payment draws on its head, a transfer carries what it drew to
    the queue of the fund below."""

    def __init__(self, funds, donors, authors, rng, *, postings: int = POSTINGS, first_day: datetime.date = FIRST_DAY,
                 last_day: datetime.date = LAST_DAY):
        self.funds, self.donors, self.authors, self.rng, self.count = funds, donors, authors, rng, postings
        self.first_day, self.last_day = first_day, last_day
        self.by_unit = {fund.unit_id: fund for fund in funds}
        self.held = defaultdict(deque)  # (fund id, earmark) -> deque of [receipt posting id, amount]
        self.balance = defaultdict(int)
        self.postings, self.lines, self.traces, self.receipts = [], [], [], []
        self.kinds = defaultdict(int)
        self.next_id = {}
        self.sequence = {}
        self.now = datetime.datetime.now(datetime.UTC)

    @property
    def trace_count(self) -> int:
        return len(self.traces)

    @property
    def receipt_count(self) -> int:
        return len(self.receipts)

    def _ids(self):
        from donations.models import Posting, PostingLine, Receipt, ReceiptSeries, Trace

        with connection.cursor() as cursor:
            for model in (Posting, PostingLine, Trace, Receipt):
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
                self.next_id[model] = cursor.fetchone()[0]
        self.sequence = {(fund, year): last for fund, year, last in
                         ReceiptSeries.objects.values_list("fund_id", "year", "last")}

    def _take(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] += 1
        return pk

    def generate(self) -> None:
        from donations.models import Posting

        self._ids()
        weights = [WEIGHT[fund.unit.level] for fund in self.funds]
        span = (self.last_day - self.first_day).days + 1
        days = sorted(self.first_day + datetime.timedelta(days=self.rng.randrange(span)) for _ in range(self.count))
        kinds = self.rng.choices(list(KINDS), list(KINDS.values()), k=self.count)
        chosen = self.rng.choices(self.funds, weights, k=self.count)
        below = defaultdict(list)
        for fund in self.funds:
            if fund.unit.parent_id in self.by_unit:
                below[self.by_unit[fund.unit.parent_id].pk].append(fund)
        # Transfers go down from the province's fund and the districts'.
        upper = [fund for fund in self.funds if below[fund.pk]]
        sources = iter(self.rng.choices(upper, [WEIGHT[fund.unit.level] for fund in upper], k=self.count))
        for day, kind, fund in zip(days, kinds, chosen, strict=True):
            posting = self._take(Posting)
            if kind == "transfer":
                source = next(sources)
                if self._transfer(posting, day, source, self.rng.choice(below[source.pk])):
                    continue
            elif kind == "disbursement" and self._disburse(posting, day, fund):
                continue
            self._receive(posting, day, fund)

    def _earmark(self) -> str:
        return self.rng.choices(["none", "housing", "tet_gifts"], [80, 10, 10])[0]

    def _posting(self, posting, kind, fund, day, description="") -> None:
        self.postings.append((posting, kind, fund.unit_id, day, description, None, "", self.authors[fund.unit_id],
                              self.now))
        self.kinds[kind] += 1

    def _line(self, posting, party, fund, earmark, amount, purpose="", description="") -> int:
        from donations.models import PostingLine

        line = self._take(PostingLine)
        self.lines.append((line, posting, party, fund.pk if fund else None, earmark, amount, description, purpose))
        if fund is not None:
            self.balance[fund.pk, earmark] += amount
        return line

    def _trace(self, line, source, fund, earmark, amount) -> None:
        from donations.models import Trace

        self.traces.append((self._take(Trace), line, source, fund.pk, earmark, amount))

    def _receive(self, posting, day, fund) -> None:
        from donations.models import Receipt

        earmark = self._earmark()
        amount = self.rng.randrange(5, 500) * 100_000
        self._posting(posting, "receipt", fund, day)
        line = self._line(posting, "fund", fund, earmark, amount)
        self._line(posting, "donor", None, "", -amount, description="Nhà hảo tâm")
        self._trace(line, posting, fund, earmark, amount)
        self.held[fund.pk, earmark].append([posting, amount])
        key = (fund.pk, day.year)
        self.sequence[key] = sequence = self.sequence.get(key, 0) + 1
        bank = self.rng.random() < 0.6
        self.receipts.append((self._take(Receipt), posting, fund.pk, day.year, sequence,
                              f"PT-{day.year}-{sequence:06d}", day, self.rng.choice(self.donors[fund.unit_id]), amount,
                              "bank_transfer" if bank else "cash", f"FT{day:%y%j}{posting:08d}" if bank else "", "",
                              earmark, "", 0, self.authors[fund.unit_id], self.now))

    def _draw(self, fund, earmark, amount) -> list[tuple[int, int]]:
        """What a payment of ``amount`` draws on: the oldest receipts' money first."""
        queue, parts = self.held[fund.pk, earmark], []
        while amount:
            head = queue[0]
            part = min(head[1], amount)
            parts.append((head[0], part))
            head[1] -= part
            amount -= part
            if not head[1]:
                queue.popleft()
        return parts

    def _affordable(self, fund, earmark, wanted) -> int:
        return min(wanted, self.balance[fund.pk, earmark] // 100_000 * 100_000)

    def _disburse(self, posting, day, fund) -> bool:
        earmark = self._earmark()
        amount = self._affordable(fund, earmark, self.rng.randrange(5, 300) * 100_000)
        if amount <= 0:
            return False
        purpose = {"housing": "housing", "tet_gifts": "tet_gifts"}.get(earmark) or self.rng.choice(
            ["scholarships", "livelihood", "medical", "community_work", "tet_gifts", "other"])
        self._posting(posting, "disbursement", fund, day, "Quyết định chi")
        line = self._line(posting, "fund", fund, earmark, -amount, purpose, "Chi hỗ trợ")
        self._line(posting, "recipient", None, "", amount, purpose, "Chi hỗ trợ")
        for source, part in self._draw(fund, earmark, amount):
            self._trace(line, source, fund, earmark, -part)
        return True

    def _transfer(self, posting, day, fund, destination) -> bool:
        earmark = self._earmark()
        amount = self._affordable(fund, earmark, self.rng.randrange(50, 1_000) * 100_000)
        if amount <= 0:
            return False
        self._posting(posting, "transfer", fund, day, "Điều tiết quỹ")
        out = self._line(posting, "fund", fund, earmark, -amount)
        into = self._line(posting, "fund", destination, earmark, amount)
        for source, part in self._draw(fund, earmark, amount):
            self._trace(out, source, fund, earmark, -part)
            self._trace(into, source, destination, earmark, part)
            self.held[destination.pk, earmark].append([source, part])
        return True

    def write(self) -> None:
        """COPY the rows into the tables, then move the id sequences and the receipt series past
        them. Their foreign keys are checked afterwards, by one anti-join per key (`_check_keys`),
        not row by row as they go in (which took a minute of the load): where the database user
        may (a superuser), the rows are copied as a replica would (session_replication_role),
        which skips the triggers that check them."""
        from donations.models import Posting, PostingLine, Receipt, ReceiptSeries, Trace

        tables = [
            (Posting, ("id", "kind", "unit_id", "happened_on", "description", "reverses_id", "reason",
                       "recorded_by_id", "recorded_at"), self.postings),
            (PostingLine, ("id", "posting_id", "party", "fund_id", "earmark", "amount", "description", "purpose"),
             self.lines),
            (Trace, ("id", "line_id", "source_id", "fund_id", "earmark", "amount"), self.traces),
            (Receipt, ("id", "posting_id", "fund_id", "year", "sequence", "number", "happened_on", "donor_id",
                       "amount", "method", "bank_reference", "in_kind_description", "earmark", "note",
                       "attached_documents", "recorded_by_id", "recorded_at"), self.receipts),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            replica = cursor.fetchone()[0]
            if replica:
                cursor.execute("SET session_replication_role = replica")
            try:
                for model, columns, rows in tables:
                    table = model._meta.db_table
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                                   f"(SELECT MAX(id) FROM {table}))")
            finally:
                if replica:
                    cursor.execute("SET session_replication_role = DEFAULT")
            _check_keys(cursor, [model for model, _columns, _rows in tables])
        with transaction.atomic():
            series = {(row.fund_id, row.year): row for row in ReceiptSeries.objects.select_for_update()}
            for (fund, year), last in self.sequence.items():
                row = series.get((fund, year)) or ReceiptSeries(fund_id=fund, year=year)
                row.last = last
                row.save()


def check_ledger() -> None:
    """What the services guarantee holds of the whole ledger: every posting sums to zero, every fund
    line is split over receipts whose parts sum to it, and no fund's earmark, nor any receipt's money
    in one, is below zero."""
    from donations.models import PostingLine, Trace

    checks = {
        "postings not summing to zero": "SELECT posting_id FROM donations_postingline GROUP BY posting_id "
                                        "HAVING SUM(amount) <> 0",
        "fund lines not traced whole": "SELECT l.id FROM donations_postingline l LEFT JOIN (SELECT line_id, "
                                       "SUM(amount) AS total FROM donations_trace GROUP BY line_id) t "
                                       "ON t.line_id = l.id WHERE l.fund_id IS NOT NULL "
                                       "AND COALESCE(t.total, 0) <> l.amount",
        "earmarks below zero": "SELECT fund_id FROM donations_postingline WHERE fund_id IS NOT NULL "
                               "GROUP BY fund_id, earmark HAVING SUM(amount) < 0",
        "receipts' money below zero": "SELECT source_id FROM donations_trace GROUP BY fund_id, earmark, source_id "
                                      "HAVING SUM(amount) < 0",
    }
    assert {PostingLine._meta.db_table, Trace._meta.db_table} == {"donations_postingline", "donations_trace"}
    with connection.cursor() as cursor:
        for what, sql in checks.items():
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) wrong")  # noqa: S608 - our own tables
            wrong = cursor.fetchone()[0]
            assert wrong == 0, f"{wrong} {what}"


def _check_keys(cursor, models) -> None:
    """Every foreign key of ``models``' rows names a row that exists: one anti-join per key."""
    for model in models:
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model._meta.db_table
            cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table} t "  # noqa: S608 - our own tables
                           f"WHERE t.{field.column} IS NOT NULL AND NOT EXISTS "
                           f"(SELECT 1 FROM {target} r WHERE r.id = t.{field.column})")
            dangling = cursor.fetchone()[0]
            assert dangling == 0, f"{dangling} rows of {model._meta.db_table} name a missing {target}"


# -- the measures --------------------------------------------------------------------------------------


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _timed(read, runs: int) -> list[float]:
    read()  # once untimed: the first read of the pages from disk
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        read()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def busiest_fund(province):
    from django.db.models import Count

    from donations.models import Fund

    return (Fund.objects.filter(unit__province=province).annotate(line_count=Count("lines"))
            .order_by("-line_count").first())


def time_balances(province) -> list[tuple[str, int, float, float]]:
    """(what, lines read, median ms, p95 ms) of the balance reads of the busiest fund, and of every
    fund of the province at once (a dashboard's list)."""
    from donations.models import Fund, PostingLine
    from donations.selectors import earmark_balances, fund_balance, fund_balances

    fund = busiest_fund(province)
    every = list(Fund.objects.filter(unit__province=province).values_list("pk", flat=True))
    lines = PostingLine.objects.filter(fund=fund).count()
    rows = []
    for what, read, count in ((f"fund_balance ({fund.name})", lambda: fund_balance(fund), lines),
                              ("earmark_balances (the same fund)", lambda: earmark_balances(fund), lines),
                              (f"fund_balances ({len(every)} funds of the province)", lambda: fund_balances(every),
                               PostingLine.objects.filter(fund_id__in=every).count())):
        samples = _timed(read, BALANCE_READS)
        rows.append((what, count, statistics.median(samples), _p95(samples)))
    return rows


def statement_scopes(province) -> list[tuple[str, object, dict]]:
    """(whose, unit, options) of the statements timed: the province's (every fund of it, by district),
    the demo district's (its own fund and its communes', by commune), and the busiest fund's alone."""
    from frontwelfare.accounts.models import User

    district = User.objects.select_related("unit").get(username="demo.huyen").unit
    fund = busiest_fund(province)
    return [(province.name, province, {}), (district.name, district, {}),
            (f"{fund.name} (the busiest fund)", fund.unit, {"fund": fund})]


def statement_data(unit, options: dict, year: int):
    """The fund statement's data (reports.data.ReportData: its tables, no file) for ``year``, built as
    the report task builds it (figures.report_data, in Vietnamese, reading for reports)."""
    from types import SimpleNamespace

    from django.utils import translation

    from donations.report_sections import FUND_STATEMENT
    from frontwelfare.db_routers import reading_for_reports
    from frontwelfare.reports import figures, periods

    report = SimpleNamespace(kind=FUND_STATEMENT, unit=unit, period=periods.year(year),
                             options={name: chosen.pk for name, chosen in options.items()})
    with translation.override("vi"), reading_for_reports():
        return figures.report_data(report)


def statement_file(unit, options: dict, year: int, asker) -> None:
    """The fund statement's XLSX file for ``year``, made as the worker makes it (reports.services.
    report_build on a new Report: its data version, its data, the file written and stored)."""
    from donations.report_sections import FUND_STATEMENT
    from frontwelfare.reports import periods
    from frontwelfare.reports.choices import ReportFormat, ReportStatus
    from frontwelfare.reports.models import Report
    from frontwelfare.reports.services import report_build

    period = periods.year(year)
    report = Report.objects.create(kind=FUND_STATEMENT, unit=unit, period_kind=period.kind, period_start=period.start,
                                   period_end=period.end, format=ReportFormat.XLSX, requested_by=asker,
                                   options={name: chosen.pk for name, chosen in options.items()})
    report_build(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error


def _timed_with_sql(make, runs: int) -> tuple[list[float], list[float], int]:
    """(ms of each run of ``make``, ms of each run of its bare SQL, queries): ``make`` once untimed,
    then ``runs`` times timed, its SQL captured (CaptureQueriesContext); then the SELECTs of its last
    run, ``runs`` times again from a plain cursor, their rows fetched: the floor for ``make``."""
    from django.test.utils import CaptureQueriesContext

    make()
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            make()
            samples.append((time.perf_counter() - started) * 1000)
    selects = [query["sql"] for query in captured.captured_queries
               if query["sql"].lstrip().upper().startswith("SELECT")]
    bare = []
    for _ in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        bare.append((time.perf_counter() - started) * 1000)
    return samples, bare, len(captured.captured_queries)


def time_statements(province, year: int = 2025) -> list[dict]:
    """The fund statement for ``year`` of each of `statement_scopes`: its data (the tables) and its
    XLSX file, each timed beside its bare SQL; and whether its closing balance is the balance of
    the funds it covers on the year's last day. Per row: whose, what, funds, median and slowest ms,
    median ms of the bare SQL, queries, closing agrees."""
    import tempfile

    from django.db.models import Sum
    from django.test import override_settings

    from donations.models import Fund, PostingLine
    from frontwelfare.accounts.models import User
    from frontwelfare.accounts.scope import within_q

    asker = User.objects.get(username="demo.tinh")
    period_end = datetime.date(year, 12, 31)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fw-bench-statements-") as media, override_settings(MEDIA_ROOT=media):
        for whose, unit, options in statement_scopes(province):
            funds = [options["fund"].pk] if "fund" in options else \
                list(Fund.objects.filter(within_q(unit, "unit")).values_list("pk", flat=True))
            held = PostingLine.objects.filter(fund_id__in=funds, posting__happened_on__lte=period_end) \
                .aggregate(total=Sum("amount"))["total"] or 0
            closing = statement_data(unit, options, year).sections[0].total[-1]
            for what, make in (("data", lambda unit=unit, options=options: statement_data(unit, options, year)),
                               ("XLSX file", lambda unit=unit, options=options: statement_file(unit, options, year,
                                                                                             asker))):
                samples, bare, queries = _timed_with_sql(make, STATEMENT_RUNS)
                rows.append({"whose": whose, "what": what, "funds": len(funds), "median": statistics.median(samples),
                             "slowest": max(samples), "bare": statistics.median(bare), "queries": queries,
                             "agrees": closing == held})
    return rows


def time_concurrent_receipts(province) -> list[dict]:
    """CLERKS threads, each its own connection, recording RECEIPTS_PER_CLERK receipts each through
    receipt_record, started together: first all into the demo district's fund (one number series),
    then each into its own commune's fund. Per scenario: seconds, receipts per second, median and
    p95 ms per receipt, errors, and whether each series runs 1..last with no gap or repeat."""
    from donations.choices import PaymentMethod
    from donations.models import Donor, Fund, Receipt, ReceiptSeries
    from donations.services import receipt_record
    from frontwelfare.accounts.models import User

    day = datetime.date(2025, 12, 31)
    member = User.objects.get(username="demo.huyen")
    district_fund = Fund.objects.get(unit=member.unit, kind="for_the_poor")
    one_fund = [(member, district_fund)] * CLERKS
    officers = list(User.objects.filter(role="commune_officer", unit__province=province, unit__level="commune")
                    .order_by("unit_id", "username").distinct("unit_id")[:CLERKS])
    funds = {fund.unit_id: fund for fund in Fund.objects.filter(unit__in=[user.unit_id for user in officers],
                                                                 kind="for_the_poor")}
    own_funds = [(officer, funds[officer.unit_id]) for officer in officers]
    donors = dict(Donor.objects.filter(unit__province=province).order_by("unit_id", "pk").distinct("unit_id")
                  .values_list("unit_id", "pk"))
    results = []
    for scenario, clerks in (("one fund (one series)", one_fund), (f"{len(own_funds)} communes' funds", own_funds)):
        start = threading.Barrier(len(clerks))
        samples, errors, tally = [], [], threading.Lock()

        def clerk(number, actor, fund, scenario=scenario, start=start, samples=samples, errors=errors, tally=tally):
            donor = Donor.objects.get(pk=donors[fund.unit_id])
            try:
                start.wait()
                for receipt in range(RECEIPTS_PER_CLERK):
                    began = time.perf_counter()
                    receipt_record(actor=actor, fund=fund, donor=donor, amount=1_000_000 + receipt, happened_on=day,
                                   method=PaymentMethod.BANK_TRANSFER,
                                   bank_reference=f"BENCH-{scenario[:3]}-{number}-{receipt}")
                    with tally:
                        samples.append((time.perf_counter() - began) * 1000)
            except Exception as error:  # reported, and fails the part
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=clerk, args=(number, actor, fund))
                   for number, (actor, fund) in enumerate(clerks)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        series_ok = True
        for fund_id in {fund.pk for _, fund in clerks}:
            numbers = sorted(Receipt.objects.filter(fund_id=fund_id, year=day.year).values_list("sequence", flat=True))
            last = ReceiptSeries.objects.get(fund_id=fund_id, year=day.year).last
            series_ok &= numbers == list(range(1, last + 1))
        results.append({"scenario": scenario, "clerks": len(clerks), "receipts": len(samples), "seconds": seconds,
                        "median": statistics.median(samples) if samples else 0,
                        "p95": _p95(samples) if len(samples) > 1 else 0, "errors": errors, "series_ok": series_ok})
    return results


def donations_part() -> tuple[dict, list, list, list]:
    loaded = donations_bulk_load()
    province = loaded["province"]
    return loaded, time_balances(province), time_statements(province), time_concurrent_receipts(province)


def report_donations(loaded: dict, balances, statements, receipts) -> bool:
    """Print the donations part; True when a target was missed."""
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(loaded["kinds"].items()))
    print(f"\ndonations: {loaded['lines']:,} ledger lines in {loaded['postings']:,} postings ({kinds}) across "
          f"{loaded['funds']} Funds for the Poor of {loaded['province'].name} (and an empty one for each of the "
          f"country's {loaded['elsewhere']:,} other committees), {loaded['receipts']:,} receipts, "
          f"{loaded['traces']:,} traces; generated in {loaded['generate']:.1f} s, written (COPY) in "
          f"{loaded['write']:.1f} s, then VACUUM ANALYZE {loaded['vacuum']:.1f} s; the ledger checked in "
          f"{loaded['check']:.1f} s (postings sum to zero, lines traced whole, nothing below zero)")
    print(f"\n{'balance read (' + str(BALANCE_READS) + ' reads each)':<66} {'lines':>8} {'median ms':>9} "
          f"{'p95 ms':>7}   target p95 < 20 ms")
    missed = False
    for what, lines, median, p95 in balances:
        late = p95 >= 20 and what.startswith("fund_balance (")
        missed |= late
        print(f"{what:<66} {lines:>8,} {median:>9.2f} {p95:>7.2f}{'   MISSED' if late else ''}")
    print(f"\n{'fund statement for 2025, the report (' + str(STATEMENT_RUNS) + ' runs)':<66} {'funds':>5} "
          f"{'median s':>8} {'max s':>6} {'bare SQL s':>10} {'ratio':>5} {'queries':>7}   "
          f"target < {STATEMENT_SECONDS} s and < {TIMES_BARE_SQL}x its bare SQL; closing = balance")
    for row in statements:
        ratio = row["median"] / row["bare"] if row["bare"] else float("inf")
        slow, heavy = row["slowest"] >= STATEMENT_SECONDS * 1000, ratio >= TIMES_BARE_SQL
        missed |= slow or heavy or not row["agrees"]
        verdicts = [f"{'MISSED' if slow else 'PASS'} < {STATEMENT_SECONDS} s",
                    f"{'MISSED' if heavy else 'PASS'} < {TIMES_BARE_SQL}x"]
        print(f"{row['whose'] + ', ' + row['what']:<66} {row['funds']:>5} {row['median'] / 1000:>8.2f} "
              f"{row['slowest'] / 1000:>6.2f} {row['bare'] / 1000:>10.2f} {ratio:>5.2f} {row['queries']:>7}   "
              f"{'; '.join(verdicts)}{'' if row['agrees'] else '; CLOSING DIFFERS'}")
    print("  (data: the statement's tables as the report task builds them; XLSX file: report_build, as the worker "
          "makes it; bare SQL: the SELECTs it ran, again from a plain cursor)")
    print(f"\n{'receipts by ' + str(CLERKS) + ' concurrent clerks':<40} {'receipts':>8} {'seconds':>8} "
          f"{'per s':>7} {'median ms':>9} {'p95 ms':>7}   target: no gap, no repeat")
    for row in receipts:
        failed = bool(row["errors"]) or not row["series_ok"] or row["receipts"] != row["clerks"] * RECEIPTS_PER_CLERK
        missed |= failed
        print(f"{row['scenario']:<40} {row['receipts']:>8,} {row['seconds']:>8.1f} "
              f"{row['receipts'] / row['seconds']:>7.0f} {row['median']:>9.1f} {row['p95']:>7.1f}"
              f"   {'numbers 1..last, no gap' if row['series_ok'] else 'GAP OR REPEAT'}"
              f"{'   ERRORS: ' + '; '.join(row['errors'][:3]) if row['errors'] else ''}")
    print(f"donations: {'FAIL' if missed else 'PASS'}")
    return missed

"""`make bench`, the whole country's report: the social-security summary of the central level, one row
per province of both eras, over the national registry (tests/bench_national.py: about 1.5 million
households, 6 million members, a status per household and year).

Target: the report made as the worker makes it (`report_build`), in XLSX, under 60 s, and under 2
times its bare SQL (the same SELECTs again from a plain cursor): what is not SQL — the sections'
Python, the writer — must stay small beside the four grouped queries, however many rows they read.

Imported by tests/bench.py (or a shell), which has set Django up on the bench database.
"""



from tests.bench_national import bench_administrator
from tests.bench_reports import timed_build

SECONDS = 60
TIMES_BARE_SQL = 2


def time_national_summary(year: int) -> dict:
    """{"seconds", "bare_seconds", "queries"} of the social-security summary of ``year`` for the whole
    country in XLSX, asked for by the administrator ``bench.admin`` (got or created) and made by
    reports.services.report_build on a new Report, as the worker makes it: once untimed (the first
    read of the tables from disk is not what a report costs once the server runs), then timed with
    its SQL captured; ``bare_seconds`` is the time of the same SELECTs from a plain cursor.

    Target: ``seconds`` under SECONDS (60) and under TIMES_BARE_SQL (2) times ``bare_seconds`` at
    national scale (1.5 million households)."""
    from frontwelfare.reports import periods
    from frontwelfare.reports.choices import ReportFormat
    from frontwelfare.reports.models import Report
    from frontwelfare.reports.services import report_build
    from households.report_sections import SOCIAL_SECURITY

    asker = bench_administrator()
    period = periods.year(year)

    def new_report() -> Report:
        return Report.objects.create(kind=SOCIAL_SECURITY, unit=None, period_kind=period.kind,
                                     period_start=period.start, period_end=period.end, format=ReportFormat.XLSX,
                                     requested_by=asker)

    report_build(new_report().pk)
    seconds, bare, queries = timed_build(new_report())
    return {"seconds": seconds, "bare_seconds": bare, "queries": queries}

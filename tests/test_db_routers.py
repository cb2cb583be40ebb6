"""Reports read from the replica when one is set, and only then; everything else reads the primary."""

from django.db import router

from frontwelfare.db_routers import reading_for_reports
from households.models import Household
from households.report_sections import SOCIAL_SECURITY


def test_report_reads_go_to_the_replica_when_one_is_set(settings):
    settings.REPORTS_REPLICA = True
    with reading_for_reports():
        assert router.db_for_read(Household) == "reports"
        assert router.db_for_write(Household) == "default"
    assert router.db_for_read(Household) == "default"


def test_without_a_replica_reports_read_the_primary(settings):
    settings.REPORTS_REPLICA = False
    with reading_for_reports():
        assert router.db_for_read(Household) == "default"


def test_the_report_task_reads_its_figures_for_reports(world, monkeypatch, settings):
    from frontwelfare.reports import periods, services
    from frontwelfare.reports.choices import ReportFormat
    from frontwelfare.reports.models import Report

    settings.REPORTS_REPLICA = True
    seen = []
    monkeypatch.setattr("frontwelfare.reports.figures.report_data",
                        lambda *args, **kwargs: seen.append(router.db_for_read(Household)) / 0)
    monkeypatch.setattr("frontwelfare.reports.figures.data_version", lambda **kwargs: "v")
    period = periods.year(2025)
    report = Report.objects.create(kind=SOCIAL_SECURITY, unit=world.district, period_kind=period.kind,
                                   period_start=period.start, period_end=period.end, format=ReportFormat.XLSX)
    services.report_build(report.pk)
    assert seen == ["reports"]

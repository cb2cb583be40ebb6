"""Asking for a report and making it, through frontwelfare.reports.services, with the task's work
(`report_build`) run in the test process; tests/reports/test_worker.py runs it on a real worker."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category
from households.report_sections import SOCIAL_SECURITY

from ..households.factories import HouseholdFactory, HouseholdStatusFactory

QUARTER = periods.quarter(2025, 2)


@pytest.fixture
def queued(monkeypatch):
    """The reports sent to the queue, instead of a worker: their ids."""
    sent = []
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async",
                        lambda args, **options: sent.append(args[0]))
    return sent


def _ask(user, unit, *, kind=SOCIAL_SECURITY, period=QUARTER, file_format=ReportFormat.XLSX):
    return services.report_request(actor=user, kind=kind, unit=unit, period=period, file_format=file_format)


def test_asking_queues_the_report_once_the_request_is_saved(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.commune)
    assert (report.status, report.requested_by, queued) == (ReportStatus.QUEUED, world.district_member, [report.pk])


def test_nobody_asks_for_a_report_on_a_unit_outside_their_own(world, queued):
    with pytest.raises(PermissionDenied):
        _ask(world.commune_officer, world.sibling_commune)
    with pytest.raises(PermissionDenied):
        _ask(world.district_member, world.other_district)
    assert not Report.objects.exists()


def test_a_period_not_yet_begun_or_ending_before_it_starts_is_refused(world, queued):
    with pytest.raises(ValidationError):
        _ask(world.district_member, world.district, period=periods.year(2099))
    with pytest.raises(ValidationError):
        _ask(world.district_member, world.district,
             period=periods.date_range(datetime.date(2025, 6, 1), datetime.date(2025, 5, 1)))
    assert not Report.objects.exists()


def test_building_writes_the_file_and_marks_it_done(world, queued, django_capture_on_commit_callbacks):
    HouseholdStatusFactory(household=HouseholdFactory(commune=world.commune), category=Category.POOR,
                           decision_date=datetime.date(2025, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.district)

    services.report_build(report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == (ReportStatus.DONE, 100, 1)
    assert report.file.name.endswith(".xlsx") and default_storage.exists(report.file.name)
    assert report.data_version


def test_the_same_report_asked_again_while_nothing_changed_is_the_finished_one(world, queued,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _ask(world.district_member, world.district)
    services.report_build(first.pk)

    with django_capture_on_commit_callbacks(execute=True):
        again = _ask(world.provincial_officer, world.district)
    assert again.pk == first.pk and queued == [first.pk]

    HouseholdStatusFactory(household=HouseholdFactory(commune=world.commune), category=Category.POOR)
    with django_capture_on_commit_callbacks(execute=True):
        changed = _ask(world.district_member, world.district)
    assert changed.pk != first.pk and queued == [first.pk, changed.pk]


def test_a_report_already_being_made_is_not_queued_twice(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _ask(world.district_member, world.district)
        second = _ask(world.district_member, world.district)
    assert first.pk == second.pk and queued == [first.pk]


def test_a_report_that_fails_keeps_its_reason_and_can_be_tried_again(world, queued, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.district)
    monkeypatch.setattr("frontwelfare.reports.figures.report_data", lambda *args, **kwargs: 1 / 0)

    services.report_build(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "ZeroDivisionError" in report.error and not report.file
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(actor=world.district_member, report=report)
    report.refresh_from_db()
    assert (report.status, report.error, queued) == (ReportStatus.QUEUED, "", [report.pk, report.pk])


def test_a_finished_report_delivered_again_is_left_as_it_is(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.district)
    services.report_build(report.pk)
    report.refresh_from_db()
    finished_at = report.finished_at

    services.report_build(report.pk)

    report.refresh_from_db()
    assert (report.attempts, report.finished_at) == (1, finished_at)


def test_a_queue_that_cannot_be_reached_fails_the_report_with_a_message(world, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.district)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "thử lại" in report.error.lower() or "try again" in report.error.lower()


def test_reports_are_seen_within_scope(world, queued):
    mine = _ask(world.commune_officer, world.commune)
    theirs = _ask(world.district_member, world.sibling_commune)
    assert list(Report.objects.visible_to(world.commune_officer)) == [mine]
    assert set(Report.objects.visible_to(world.district_member)) == {mine, theirs}


def test_a_file_made_while_the_period_was_still_running_is_not_served_on_a_later_day(
        world, queued, django_capture_on_commit_callbacks):
    import time_machine

    this_year = periods.year(2025)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            early = _ask(world.district_member, world.district, period=this_year)
        services.report_build(early.pk)
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(world.district_member, world.district, period=this_year).pk == early.pk
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC)), \
            django_capture_on_commit_callbacks(execute=True):
        assert _ask(world.district_member, world.district, period=this_year).pk != early.pk


def test_a_report_lost_on_the_way_is_not_waited_for_forever(world, queued, django_capture_on_commit_callbacks):
    import time_machine

    with django_capture_on_commit_callbacks(execute=True):
        lost = _ask(world.district_member, world.district)  # queued, and its message never arrives
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert Report.objects.get(pk=lost.pk).is_stale
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(world.district_member, world.district).pk != lost.pk
            services.report_retry(actor=world.district_member, report=lost)
    assert queued.count(lost.pk) == 2


def test_a_second_run_that_fails_does_not_undo_a_finished_report(world, queued, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.district_member, world.district)
    services.report_build(report.pk)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)  # as a duplicate run sees it
    monkeypatch.setattr("frontwelfare.reports.services.store_whole",
                        lambda *args: Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE) / 0)

    services.report_build(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE

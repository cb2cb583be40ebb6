"""The reports Celery beat makes by itself: each used district's and province's social-security
summary of the past month on the first day of a month, and of the past quarter on the first day of a
quarter; a later day catches up on any that were missed."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from frontwelfare.reports.tasks import reports_schedule_periodic_task
from households.report_sections import SOCIAL_SECURITY

from ..factories import DistrictMemberFactory


@pytest.fixture
def queued(monkeypatch):
    """The reports sent to the queue, instead of a worker: their ids."""
    sent = []
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async",
                        lambda args, **options: sent.append(args[0]))
    return sent


def _made(today, capture):
    with capture(execute=True):
        return services.reports_schedule_periodic(today)


def _what(reports):
    return {(report.unit, report.period_kind, report.period_start, report.period_end) for report in reports}


def test_beat_runs_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-periodic"]
    assert entry["task"] == reports_schedule_periodic_task.name
    assert (len(entry["schedule"].day_of_month), entry["schedule"].hour, entry["schedule"].minute) \
        == (31, {3}, {0})


def test_the_first_of_a_month_makes_last_months_summary_of_each_used_district_and_province(
        world, queued, django_capture_on_commit_callbacks):
    # World: a district member of Mỏ Cày Bắc and a provincial officer of Bến Tre; nobody works on
    # Lâm Đồng or its district.
    made = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)

    may = periods.month(2025, 5)
    assert _what(made) == {(unit, "month", may.start, may.end)
                           for unit in (world.province, world.district, world.other_district)}
    assert {(report.kind, report.format, report.requested_by, report.status) for report in made} \
        == {(SOCIAL_SECURITY, ReportFormat.XLSX, None, ReportStatus.QUEUED)}
    assert sorted(queued) == sorted(report.pk for report in made)


def test_a_unit_whose_only_user_left_gets_none(world, queued, django_capture_on_commit_callbacks):
    world.provincial_officer.is_active = False
    world.provincial_officer.save(update_fields=["is_active"])
    DistrictMemberFactory(unit=world.other_district, is_active=False)

    made = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)

    assert {report.unit for report in made} == {world.district}


def test_the_first_of_a_quarter_adds_the_past_quarters(world, queued, django_capture_on_commit_callbacks):
    made = _made(datetime.date(2025, 7, 1), django_capture_on_commit_callbacks)

    june, second_quarter = periods.month(2025, 6), periods.quarter(2025, 2)
    assert _what(made) == {(unit, period.kind, period.start, period.end)
                           for unit in (world.province, world.district, world.other_district)
                           for period in (june, second_quarter)}
    assert len(queued) == 6


def test_the_first_of_january_reports_on_december_and_the_last_quarter(world, queued,
                                                                        django_capture_on_commit_callbacks):
    made = _made(datetime.date(2026, 1, 1), django_capture_on_commit_callbacks)
    assert {(report.period_start, report.period_end) for report in made} \
        == {(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
            (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))}


def test_the_days_after_the_first_make_nothing_more(world, queued, django_capture_on_commit_callbacks):
    first = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)
    for day in (datetime.date(2025, 6, 2), datetime.date(2025, 6, 30)):
        assert {report.pk for report in _made(day, django_capture_on_commit_callbacks)} \
            == {report.pk for report in first}
    assert Report.objects.count() == 3 and len(queued) == 3


def test_a_missed_first_of_the_month_is_caught_up_the_next_morning(world, queued,
                                                                   django_capture_on_commit_callbacks):
    made = _made(datetime.date(2025, 7, 3), django_capture_on_commit_callbacks)  # beat was down on the 1st
    assert {(report.period_kind, report.period_start) for report in made} \
        == {("month", datetime.date(2025, 6, 1)), ("quarter", datetime.date(2025, 4, 1))}
    assert Report.objects.count() == 6


def test_a_failed_scheduled_report_is_made_again(world, queued, django_capture_on_commit_callbacks):
    first = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)
    Report.objects.filter(pk=first[0].pk).update(status=ReportStatus.FAILED, error="Lỗi")
    again = _made(datetime.date(2025, 6, 2), django_capture_on_commit_callbacks)
    assert first[0].pk not in {report.pk for report in again} and len(queued) == 4


def test_a_quarter_is_not_caught_up_long_after_it_ended(world, queued, django_capture_on_commit_callbacks):
    made = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)
    assert {report.period_kind for report in made} == {"month"}


def test_running_twice_makes_nothing_twice(world, queued, django_capture_on_commit_callbacks):
    first = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)
    again = _made(datetime.date(2025, 6, 1), django_capture_on_commit_callbacks)
    assert {report.pk for report in again} == {report.pk for report in first}
    assert Report.objects.count() == 3 and len(queued) == 3


def test_they_appear_in_the_reports_of_those_whose_scope_covers_them(world, queued,
                                                                     django_capture_on_commit_callbacks):
    _made(datetime.date(2025, 7, 1), django_capture_on_commit_callbacks)

    assert {report.unit for report in Report.objects.visible_to(world.district_member)} == {world.district}
    assert Report.objects.visible_to(world.district_member).count() == 2  # June and the second quarter
    assert {report.unit for report in Report.objects.visible_to(world.provincial_officer)} \
        == {world.province, world.district, world.other_district}
    assert not Report.objects.visible_to(world.commune_officer).exists()


def test_the_task_reports_on_the_day_it_runs(world, queued, django_capture_on_commit_callbacks):
    first_of_june = timezone.make_aware(datetime.datetime(2025, 6, 1, 3, 0))
    with time_machine.travel(first_of_june, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reports_schedule_periodic_task.apply().get() == 3
    assert {report.period_start for report in Report.objects.all()} == {datetime.date(2025, 5, 1)}


def test_they_are_listed_on_the_reports_page_of_a_district_member(client, world, queued,
                                                                    django_capture_on_commit_callbacks):
    made = _made(datetime.date(2025, 7, 1), django_capture_on_commit_callbacks)
    client.force_login(world.district_member)

    page = client.get(reverse("reports:list")).content.decode()

    for report in made:
        shown = reverse("reports:detail", args=[report.pk]) in page
        assert shown == (report.unit == world.district), report

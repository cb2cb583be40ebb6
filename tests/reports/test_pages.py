"""The report pages: asking for a report, its page and progress (polled by htmx), trying again,
the download and the list; what each shows and what each refuses.

No worker runs here: the task's apply_async is replaced by a recorder (`queue`), and on-commit
callbacks are run by hand. tests/reports/test_worker.py runs the real thing."""

import datetime
from contextlib import nullcontext
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from frontwelfare.reports import figures, periods
from frontwelfare.reports.choices import PeriodKind, ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from frontwelfare.reports.pages import download_name
from frontwelfare.reports.tasks import report_build_task
from households.report_sections import SOCIAL_SECURITY
from housing.report_sections import HOUSING

from ..factories import TEST_PASSWORD
from ..housing.factories import ProgrammeFactory
from .factories import DoneReportFactory, ReportFactory


@pytest.fixture(autouse=True)
def _nothing_reaches_redis(queue):
    """Every test of this file sends its reports to the ``queue`` fixture (conftest.py)."""


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(args, **options):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_build_task, "apply_async", refuse)


def _ask(client, user, capture=None, **overrides):
    """Post the request form as ``user`` (a social-security report of the user's unit for the
    second quarter of 2025 in Excel, unless overridden), running what waits for the commit.
    Without ``capture`` the test must be transactional: the service's commit is then real."""
    data = {"kind": SOCIAL_SECURITY, "unit": user.unit_id, "period_kind": PeriodKind.QUARTER,
            "year": "2025", "quarter": "2", "file_format": ReportFormat.XLSX, **overrides}
    client.force_login(user)
    with capture(execute=True) if capture else nullcontext():
        return client.post(reverse("reports:create"), data)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _english(client):
    client.cookies.load({"django_language": "en"})


# -- asking for a report ----------------------------------------------------------------------------


def test_district_member_asks_for_a_report_and_it_is_queued_after_commit(
        client, world, queue, django_capture_on_commit_callbacks):
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks)

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.kind, report.unit, report.period_kind, report.period_start, report.period_end, report.format) == (
        SOCIAL_SECURITY, world.district, PeriodKind.QUARTER, datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30), ReportFormat.XLSX)
    assert (report.status, report.requested_by) == (ReportStatus.QUEUED, world.district_member)
    assert queue == [report.pk]
    assert _messages(response) == []


@pytest.mark.parametrize(("fields", "start", "end"), [
    ({"period_kind": "month", "year": "2025", "month": "2"}, datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)),
    ({"period_kind": "half_year", "year": "2025", "half": "2"}, datetime.date(2025, 7, 1),
     datetime.date(2025, 12, 31)),
    ({"period_kind": "year", "year": "2024"}, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ({"period_kind": "range", "period_start": "2025-03-13", "period_end": "2025-09-30"},
     datetime.date(2025, 3, 13), datetime.date(2025, 9, 30)),
])
def test_each_kind_of_period_is_built_from_its_own_fields(
        client, world, django_capture_on_commit_callbacks, fields, start, end):
    # The fields of the other kinds of period, left as the page sends them, do not count.
    left_as_sent = {"quarter": "1", "month": "5"}
    _ask(client, world.provincial_officer, django_capture_on_commit_callbacks, **{**left_as_sent, **fields})
    report = Report.objects.get()
    assert (report.period_kind, report.period_start, report.period_end) == (fields["period_kind"], start, end)


def test_form_offers_the_own_unit_first_then_each_district_with_its_communes(client, world):
    client.force_login(world.provincial_officer)
    form = client.get(reverse("reports:create")).context["form"]

    names = [label.strip("\u00a0") for value, label in form.fields["unit"].choices]
    assert names == ["Tỉnh Bến Tre", "Huyện Châu Thành", "Xã Tân Thạch", "Huyện Mỏ Cày Bắc", "Xã Phú Mỹ",
                     "Thị trấn Phước Mỹ Trung"]
    assert form["unit"].value() == world.province.pk


def test_commune_officer_is_offered_their_commune_only(client, world):
    client.force_login(world.commune_officer)
    form = client.get(reverse("reports:create")).context["form"]
    assert [int(value) for value, _label in form.fields["unit"].choices] == [world.commune.pk]


def test_administrator_is_offered_the_whole_country_then_provinces_and_districts_grouped_by_era(client, world):
    client.force_login(world.administrator)
    _english(client)
    choices = client.get(reverse("reports:create")).context["form"].fields["unit"].choices
    country, (era, options) = choices  # the test world has units of one era
    assert (country[0], str(country[1])) == ("", "The whole country")
    assert str(era) == "Before 1 July 2025"
    assert [label.strip("\u00a0") for _value, label in options] == [
        "Tỉnh Lâm Đồng", "Huyện Đơn Dương", "Tỉnh Bến Tre", "Huyện Châu Thành", "Huyện Mỏ Cày Bắc"]


def test_district_member_asks_for_one_of_its_communes(client, world, django_capture_on_commit_callbacks):
    _ask(client, world.district_member, django_capture_on_commit_callbacks, unit=world.sibling_commune.pk)
    assert Report.objects.get().unit == world.sibling_commune


def test_commune_officer_cannot_ask_for_another_communes_report(client, world, queue,
                                                               django_capture_on_commit_callbacks):
    response = _ask(client, world.commune_officer, django_capture_on_commit_callbacks,
                    unit=world.sibling_commune.pk)
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Report.objects.exists()
    assert queue == []


def test_district_member_cannot_ask_for_another_districts_report(client, world, django_capture_on_commit_callbacks):
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks, unit=world.other_district.pk)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_service_refusing_the_unit_answers_403_and_creates_nothing(
        client, world, monkeypatch, django_capture_on_commit_callbacks):
    # The form offers only units in scope; should the service's own check disagree (the user's
    # unit changed meanwhile), its refusal stands.
    monkeypatch.setattr("frontwelfare.reports.services.unit_in_scope", lambda user, unit: False)
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_missing_period_fields_get_a_vietnamese_message(client, world, django_capture_on_commit_callbacks):
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks,
                    period_kind="range", period_start="", period_end="")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period_start", "period_end"}
    assert "Thông tin này là bắt buộc." in response.content.decode()
    assert not Report.objects.exists()


def test_period_ending_before_it_starts_is_refused(client, world, django_capture_on_commit_callbacks):
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks,
                    period_kind="range", period_start="2025-06-30", period_end="2025-06-01")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["period_end"]
    assert not Report.objects.exists()


def test_period_that_has_not_started_is_refused(client, world, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2025, 5, 10, 9, tzinfo=datetime.UTC), tick=False):
        response = _ask(client, world.district_member, django_capture_on_commit_callbacks, quarter="3")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["quarter"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(("name", "value"), [("kind", "donations"), ("file_format", "odt"),
                                             ("period_kind", "week"), ("year", "1999"), ("quarter", "5")])
def test_values_not_offered_are_refused(client, world, django_capture_on_commit_callbacks, name, value):
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks, **{name: value})
    assert response.status_code == 400
    assert name in response.context["form"].errors
    assert not Report.objects.exists()


def test_housing_report_on_one_programme(client, world, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(unit=world.province)
    _ask(client, world.district_member, django_capture_on_commit_callbacks, kind=HOUSING,
         programme=programme.pk, file_format=ReportFormat.PDF)
    report = Report.objects.get()
    assert (report.kind, report.options, report.format) == (HOUSING, {"programme": programme.pk}, ReportFormat.PDF)


def test_programme_left_chosen_does_not_count_for_the_social_security_report(
        client, world, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(unit=world.district)
    _ask(client, world.district_member, django_capture_on_commit_callbacks, programme=programme.pk)
    assert Report.objects.get().options == {}


def test_programme_of_another_district_is_refused_for_this_district(
        client, world, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(unit=world.other_district)
    response = _ask(client, world.provincial_officer, django_capture_on_commit_callbacks, unit=world.district.pk,
                    kind=HOUSING, programme=programme.pk)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["programme"]
    assert not Report.objects.exists()


def test_programme_the_user_does_not_see_is_not_a_choice(client, world, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(unit=world.other_province)
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks, kind=HOUSING,
                    programme=programme.pk)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["programme"]


def test_repeat_request_is_served_from_the_finished_file(client, world, queue, django_capture_on_commit_callbacks):
    version = figures.data_version(kind=SOCIAL_SECURITY, unit=world.district, period=periods.quarter(2025, 2))
    earlier = DoneReportFactory(unit=world.district, data_version=version, requested_by=world.provincial_officer)
    _english(client)

    response = _ask(client, world.district_member, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("reports:detail", args=[earlier.pk])
    assert Report.objects.get() == earlier
    assert queue == []
    assert _messages(response) == [
        "This report was made earlier and nothing it counts has changed since: here is its file."]
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:download", args=[earlier.pk]) in page


def test_repeat_request_after_the_data_changed_makes_a_new_report(
        client, world, queue, django_capture_on_commit_callbacks):
    DoneReportFactory(unit=world.district, data_version="stale")
    _ask(client, world.district_member, django_capture_on_commit_callbacks)
    new = Report.objects.get(status=ReportStatus.QUEUED)
    assert queue == [new.pk]


def test_same_report_being_made_is_followed_not_asked_again(client, world, queue, django_capture_on_commit_callbacks):
    running = ReportFactory(unit=world.district, status=ReportStatus.RUNNING, progress=30)
    _english(client)
    response = _ask(client, world.district_member, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("reports:detail", args=[running.pk])
    assert queue == []
    assert _messages(response) == ["The same report is being made already: here is how far it has got."]


@pytest.mark.django_db(transaction=True)
def test_queue_down_shows_a_clear_message_and_the_report_failed(client, world, queue_down):
    # Transactional: the service's transaction commits for real, and with it the attempt to queue,
    # before the view reads the report back, as in production.
    response = _ask(client, world.district_member)

    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    with translation.override("vi"):
        expected = translation.gettext("The report service cannot be reached just now. Try again in a few minutes.")
    assert report.error == expected
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert _messages(response) == [expected]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="retry"' in page.content.decode()


# -- the report's page and its progress ------------------------------------------------------------


def _progress(client, report):
    """The partial as htmx asks for it, by a client signed in already."""
    return client.get(reverse("reports:progress", args=[report.pk]), headers={"HX-Request": "true"})


def test_report_page_polls_its_progress_while_the_report_is_being_made(client, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.RUNNING, progress=40)
    client.force_login(world.district_member)
    body = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    progress_url = reverse("reports:progress", args=[report.pk])
    assert f'hx-get="{progress_url}"' in body
    # Only while the tab is shown: data-fw-poll-visible, read by static/frontwelfare/csp.js.
    assert 'hx-trigger="every 2s, visibilitychange from:document" data-fw-poll-visible' in body
    assert 'hx-swap="outerHTML"' in body
    assert 'aria-valuenow="40"' in body


def test_progress_partial_shows_the_percent_while_running(client, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.RUNNING, progress=65)
    client.force_login(world.district_member)
    response = _progress(client, report)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'aria-valuenow="65"' in body and 'data-fw-width="65"' in body
    assert "hx-trigger=" in body
    assert reverse("reports:download", args=[report.pk]) not in body


def test_progress_partial_shows_the_download_and_stops_polling_when_done(client, world):
    report = DoneReportFactory(unit=world.district)
    client.force_login(world.district_member)
    body = _progress(client, report).content.decode()
    assert reverse("reports:download", args=[report.pk]) in body
    assert "hx-trigger" not in body and "hx-get" not in body
    assert 'data-testid="progress-bar"' not in body


def test_failed_report_shows_its_error_and_a_retry_and_stops_polling(client, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.FAILED, error="Không kết nối được máy chủ.")
    client.force_login(world.district_member)
    body = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Không kết nối được máy chủ." in body
    assert f'action="{reverse("reports:retry", args=[report.pk])}"' in body
    assert "hx-trigger" not in body


def test_retry_queues_a_failed_report_again(client, world, queue, django_capture_on_commit_callbacks):
    report = ReportFactory(unit=world.district, status=ReportStatus.FAILED, error="Lỗi.", progress=30)
    client.force_login(world.district_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.status, report.error, report.progress) == (ReportStatus.QUEUED, "", 0)
    assert queue == [report.pk]


@pytest.mark.django_db(transaction=True)
def test_retry_while_the_queue_is_down_fails_again_with_the_message(client, world, queue_down):
    report = ReportFactory(unit=world.district, status=ReportStatus.FAILED, error="Lỗi.")
    client.force_login(world.district_member)
    _english(client)
    response = client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert _messages(response) == ["The report service cannot be reached just now. Try again in a few minutes."]


def test_retry_of_a_report_that_did_not_fail_changes_nothing(client, world, queue):
    report = DoneReportFactory(unit=world.district)
    client.force_login(world.district_member)
    _english(client)
    response = client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert queue == []
    assert _messages(response) == ["Only a report that failed can be tried again."]


def test_commune_officer_cannot_open_poll_retry_or_download_another_communes_report(client, world, queue):
    report = DoneReportFactory(unit=world.sibling_commune)
    failed = ReportFactory(unit=world.sibling_commune, status=ReportStatus.FAILED, error="Lỗi.")
    client.force_login(world.commune_officer)
    for name in ("reports:detail", "reports:progress", "reports:download"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name
    assert client.post(reverse("reports:retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED
    assert queue == []


# -- polling and the idle limit -------------------------------------------------------------------


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_polling_does_not_renew_the_idle_limit(client, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.RUNNING)
    client.force_login(world.district_member)
    client.get(reverse("reports:detail", args=[report.pk]))
    opened = _expiry(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        assert _progress(client, report).status_code == 200
        assert _expiry(client) == opened
        client.get(reverse("reports:detail", args=[report.pk]))  # the person: renewed
        assert _expiry(client) > opened


def test_session_ends_after_thirty_minutes_of_only_polling(client, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.QUEUED)
    detail, progress = reverse("reports:detail", args=[report.pk]), reverse("reports:progress", args=[report.pk])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("login"), {"username": "member", "password": TEST_PASSWORD})
        assert client.get(detail).status_code == 200
        for _ in range(29):  # a poll a minute stands for the thirty every two seconds
            traveller.shift(timedelta(minutes=1))
            assert client.get(progress, headers={"HX-Request": "true"}).status_code == 200
        traveller.shift(timedelta(minutes=2))
        polled = client.get(progress, headers={"HX-Request": "true"})
        page = client.get(detail)
    # The poll sends the page to the sign-in form, to come back to the report afterwards.
    assert polled.status_code == 401
    assert polled["HX-Redirect"] == f"{reverse('login')}?next={detail}"
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_poll_without_htmx_after_the_session_ended_is_sent_to_sign_in(client, world):
    report = ReportFactory(unit=world.district)
    response = client.get(reverse("reports:progress", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('reports:detail', args=[report.pk])}"


# -- the download ----------------------------------------------------------------------------------


def test_download_is_the_file_under_a_safe_name(client, world):
    report = DoneReportFactory(unit=world.district)
    client.force_login(world.provincial_officer)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-an-sinh-huyen-mo-cay-bac-2025-q2.xlsx"'
    assert b"".join(response.streaming_content).startswith(b"PK")


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.FAILED])
def test_download_of_a_report_not_done_answers_404(client, world, status):
    report = ReportFactory(unit=world.district, status=status)
    client.force_login(world.district_member)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_download_of_a_file_gone_from_storage_answers_404(client, world):
    report = DoneReportFactory(unit=world.district)
    report.file.storage.delete(report.file.name)
    client.force_login(world.district_member)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


@pytest.mark.parametrize(("fields", "name"), [
    ({"period_kind": PeriodKind.MONTH, "period_start": datetime.date(2025, 6, 1),
      "period_end": datetime.date(2025, 6, 30)}, "bao-cao-an-sinh-huyen-mo-cay-bac-2025-06.pdf"),
    ({"period_kind": PeriodKind.HALF_YEAR, "period_start": datetime.date(2025, 1, 1),
      "period_end": datetime.date(2025, 6, 30)}, "bao-cao-an-sinh-huyen-mo-cay-bac-2025-h1.pdf"),
    ({"period_kind": PeriodKind.YEAR, "period_start": datetime.date(2025, 1, 1),
      "period_end": datetime.date(2025, 12, 31)}, "bao-cao-an-sinh-huyen-mo-cay-bac-2025.pdf"),
    ({"period_kind": PeriodKind.RANGE, "period_start": datetime.date(2025, 3, 13),
      "period_end": datetime.date(2025, 9, 30)}, "bao-cao-an-sinh-huyen-mo-cay-bac-20250313-20250930.pdf"),
])
def test_download_names_say_what_where_and_when(world, fields, name):
    assert download_name(ReportFactory.build(unit=world.district, format=ReportFormat.PDF, **fields)) == name


def test_download_name_of_a_programmes_report_names_its_decision(world):
    programme = ProgrammeFactory(unit=world.province, decision_number="781/QĐ-UBND")
    report = ReportFactory.build(unit=world.province, kind=HOUSING, options={"programme": programme.pk})
    assert download_name(report) == "bao-cao-nha-o-781-qd-ubnd-tinh-ben-tre-2025-q2.xlsx"


# -- the list --------------------------------------------------------------------------------------


def test_list_shows_what_each_report_is_and_a_download_when_done(client, world):
    done = DoneReportFactory(unit=world.district, requested_by=world.district_member)
    scheduled = ReportFactory(unit=world.district, status=ReportStatus.RUNNING, progress=20)
    client.force_login(world.district_member)
    _english(client)
    body = client.get(reverse("reports:list")).content.decode()

    rows = body.split('data-testid="report-row"')[1:]
    assert len(rows) == 2
    newest, older = rows
    assert f"#{scheduled.pk}" in newest and "Automatic" in newest and "20%" in newest
    assert reverse("reports:download", args=[scheduled.pk]) not in newest
    assert f"#{done.pk}" in older and "Huyện Mỏ Cày Bắc" in older and "Quarter II of 2025" in older
    assert "Excel (XLSX)" in older and "Done" in older and "Nguyễn Văn An" in older
    assert reverse("reports:download", args=[done.pk]) in older


def test_list_of_a_district_member_holds_the_district_and_its_communes_only(client, world):
    mine = [ReportFactory(unit=unit) for unit in (world.district, world.commune, world.sibling_commune)]
    ReportFactory(unit=world.province)
    ReportFactory(unit=world.other_district_commune)
    client.force_login(world.district_member)
    listed = client.get(reverse("reports:list")).context["object_list"]
    assert sorted(report.pk for report in listed) == sorted(report.pk for report in mine)


def test_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    # The session and the user, the viewer's unit (the menu), the count, the page, the programmes
    # the reports were asked about (one query for every report's options of a name: reports.figures.
    # describe_options); the session's save (three with its savepoint). However many reports,
    # programmes and askers.
    client.force_login(world.provincial_officer)
    programmes = [ProgrammeFactory(unit=world.province), ProgrammeFactory(unit=world.district)]
    for unit, programme in zip((world.province, world.district, world.commune), [*programmes, programmes[0]],
                               strict=True):
        DoneReportFactory(unit=unit, requested_by=world.district_member)
        ReportFactory(unit=unit, kind=HOUSING, options={"programme": programme.pk})
    with django_assert_max_num_queries(9):
        body = client.get(reverse("reports:list")).content.decode()
    assert all(programme.name in body for programme in programmes)
    for _ in range(30):
        DoneReportFactory(unit=world.commune, requested_by=world.commune_officer)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("reports:list")).status_code == 200


def test_menu_leads_to_the_reports(client, world):
    client.force_login(world.commune_officer)
    body = client.get(reverse("reports:list")).content.decode()
    assert f'nav-link active" href="{reverse("reports:list")}"' in body


def test_a_progress_poll_after_the_twelve_hour_limit_sends_the_whole_page_to_sign_in(client, world):
    from frontwelfare.accounts.middleware import SESSION_STARTED_KEY

    report = ReportFactory(unit=world.district)
    client.force_login(world.district_member)
    session = client.session
    session[SESSION_STARTED_KEY] = (timezone.now() - datetime.timedelta(hours=13)).isoformat()
    session.save()
    page = reverse("reports:detail", args=[report.pk])

    response = client.get(reverse("reports:progress", args=[report.pk]), HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL=f"http://testserver{page}")

    assert response.status_code == 401
    assert response["HX-Redirect"] == f"{reverse('login')}?next={page}"


NONSENSE = [
    {"period_kind": "month", "year": "2025", "month": "13"}, {"period_kind": "month", "year": "0", "month": "1"},
    {"period_kind": "month", "year": "99999", "month": "1"}, {"period_kind": "month", "year": "abc", "month": "x"},
    {"period_kind": "quarter", "year": "2025", "quarter": "5"},
    {"period_kind": "half_year", "year": "2025", "half": "3"},
    {"period_kind": "nonsense"},
    {"period_kind": "range", "period_start": "2025-09-30", "period_end": "2025-01-01"},
    {"period_kind": "range", "period_start": "0001-01-01", "period_end": "2025-01-01"},
    {"period_kind": "range", "period_start": "2025-01-01", "period_end": "9999-12-31"},
    {"period_kind": "range", "period_start": "99999-01-01", "period_end": "2025-01-01"},
    {"kind": "nonsense"}, {"file_format": "odt"}, {"unit": "abc"}, {"unit": "999999"},
    {"programme": "abc", "kind": "housing"}, {"programme": "999999", "kind": "housing"},
]


@pytest.mark.parametrize("overrides", NONSENSE)
def test_nonsense_in_the_request_form_is_a_message_never_an_error_page(client, world, overrides, queue):
    data = {"kind": "social_security", "unit": world.province.pk, "period_kind": "quarter", "year": "2025",
            "quarter": "2", "file_format": "xlsx", **overrides}
    client.force_login(world.provincial_officer)
    response = client.post(reverse("reports:create"), data)
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("query", ["?year=abc", "?year=0", "?year=99999999999999999999999", "?year=-1"])
def test_a_dashboard_year_that_makes_no_sense_shows_this_year(client, world, query):
    client.force_login(world.district_member)
    response = client.get("/" + query)
    assert response.status_code == 200
    assert f"01/01/{timezone.localdate().year}" in response.content.decode()  # this year, from 1 January

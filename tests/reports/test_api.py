"""The reports API: asking for a report, following it, downloading its file, trying it again, and
the fixed lists; the same scope, rules and services as the pages (tests/reports/test_pages.py).

No worker runs here: the task's apply_async is replaced by a recorder (`queue`), on-commit
callbacks are run by hand, and a finished file is made by calling the worker's service."""

import datetime
from io import BytesIO

import pytest
import time_machine
import yaml
from django.conf import settings
from django.urls import reverse
from kombu.exceptions import OperationalError
from openpyxl import load_workbook
from rest_framework.test import APIClient

from frontwelfare.reports import figures, periods, services
from frontwelfare.reports.choices import PeriodKind, ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from frontwelfare.reports.tasks import report_build_task
from households.report_sections import SOCIAL_SECURITY
from housing.report_sections import HOUSING

from ..housing.factories import ProgrammeFactory
from .factories import DoneReportFactory, ReportFactory

LIST = reverse("api:report-list")


@pytest.fixture(autouse=True)
def _nothing_reaches_redis(queue):
    """Every test of this file sends its reports to the ``queue`` fixture (conftest.py)."""


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in ``language`` (English, the msgids,
    unless told; None for the default, Vietnamese)."""

    def signed_in(user, language="en") -> APIClient:
        client = APIClient()
        client.force_login(user)
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return signed_in


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a report as ``client`` (the social-security summary of unit ``where`` for the second
    quarter of 2025 in Excel, unless overridden), running what waits for the commit."""

    def post(client, where, **overrides):
        data = {"kind": SOCIAL_SECURITY, "unit": where.pk, "period_kind": PeriodKind.QUARTER,
                "year": 2025, "quarter": 2, "file_format": ReportFormat.XLSX, **overrides}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(LIST, data, format="json")

    return post


def _detail(client, report):
    response = client.get(reverse("api:report-detail", args=[report.pk]))
    assert response.status_code == 200, response.content
    return response.json()


# -- asking for a report ----------------------------------------------------------------------------


def test_district_member_asks_for_a_report_and_it_is_queued_after_commit(api, world, queue, ask):
    response = ask(api(world.district_member), world.district)

    assert response.status_code == 201, response.content
    report = Report.objects.get()
    body = response.json()
    assert (body["id"], body["reused"], body["message"]) == (report.pk, False, "")
    assert (body["kind"], body["unit"]["name"], body["file_format"], body["status"], body["progress"]) == (
        "social_security", "Huyện Mỏ Cày Bắc", "xlsx", "queued", 0)
    assert body["period"] == {"kind": "quarter", "start": "2025-04-01", "end": "2025-06-30",
                              "label": "quarter II of 2025"}
    assert (body["requested_by"], body["download_url"], body["error"]) == ("Nguyễn Văn An", None, "")
    assert (report.requested_by, report.options) == (world.district_member, {})
    assert queue == [report.pk]


@pytest.mark.parametrize(("fields", "start", "end"), [
    ({"period_kind": "month", "year": 2025, "month": 2}, "2025-02-01", "2025-02-28"),
    ({"period_kind": "half_year", "year": 2025, "half": 2}, "2025-07-01", "2025-12-31"),
    ({"period_kind": "year", "year": 2024}, "2024-01-01", "2024-12-31"),
    ({"period_kind": "range", "period_start": "2025-03-13", "period_end": "2025-09-30"}, "2025-03-13", "2025-09-30"),
])
def test_each_kind_of_period_is_built_from_its_own_fields_as_on_the_page(api, world, ask, fields, start, end):
    # The fields of the other kinds of period do not count.
    response = ask(api(world.provincial_officer), world.province, **{"quarter": 1, "month": 5, **fields})
    assert response.status_code == 201, response.content
    period = response.json()["period"]
    assert (period["kind"], period["start"], period["end"]) == (fields["period_kind"], start, end)


def test_housing_report_on_one_programme_of_the_unit(api, world, ask):
    programme = ProgrammeFactory(unit=world.province, decision_number="781/QĐ-UBND")
    response = ask(api(world.district_member), world.district, kind=HOUSING,
                   file_format=ReportFormat.PDF, options={"programme": programme.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["options"] == {"programme": programme.pk}
    assert body["option_facts"] == [{"label": "Programme", "text": f"{programme.name} (781/QĐ-UBND)"}]
    report = Report.objects.get()
    assert (report.kind, report.options, report.format) == (HOUSING, {"programme": programme.pk}, ReportFormat.PDF)


def test_request_hands_the_options_to_the_service_that_checks_them(api, world, ask, monkeypatch):
    programme = ProgrammeFactory(unit=world.district)
    received = []
    real = services.report_request
    monkeypatch.setattr(services, "report_request", lambda **kwargs: received.append(kwargs) or real(**kwargs))
    ask(api(world.district_member), world.district, kind=HOUSING, options={"programme": programme.pk})
    [kwargs] = received
    assert set(kwargs) == {"actor", "kind", "unit", "period", "file_format", "options", "number"}
    assert kwargs["options"] == {"programme": programme.pk}


def test_unchanged_finished_report_is_the_answer_again(api, world, queue, ask):
    version = figures.data_version(kind=SOCIAL_SECURITY, unit=world.district, period=periods.quarter(2025, 2))
    earlier = DoneReportFactory(unit=world.district, data_version=version, requested_by=world.provincial_officer)

    response = ask(api(world.district_member), world.district)

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["reused"], body["status"]) == (earlier.pk, True, "done")
    assert body["message"] == "This report was made earlier and nothing it counts has changed since: here is its file."
    assert body["download_url"] == f"http://testserver{reverse('api:report-download', args=[earlier.pk])}"
    assert Report.objects.get() == earlier
    assert queue == []


def test_same_report_being_made_is_the_answer_not_a_new_one(api, world, queue, ask):
    running = ReportFactory(unit=world.district, status=ReportStatus.RUNNING, progress=30)
    response = ask(api(world.district_member), world.district)
    body = response.json()
    assert (response.status_code, body["id"], body["reused"], body["progress"]) == (200, running.pk, True, 30)
    assert body["message"] == "The same report is being made already: here is how far it has got."
    assert queue == []


def test_finished_report_after_the_data_changed_is_made_again(api, world, queue, ask):
    DoneReportFactory(unit=world.district, data_version="stale")
    response = ask(api(world.district_member), world.district)
    assert (response.status_code, response.json()["reused"]) == (201, False)
    assert queue == [response.json()["id"]]


@pytest.mark.django_db(transaction=True)
def test_queue_down_answers_the_new_report_failed_with_a_message_to_act_on(api, world, monkeypatch):
    # Transactional: the service's commit, and with it the attempt to queue, is real.
    def refuse(args, **options):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_build_task, "apply_async", refuse)
    data = {"kind": "social_security", "unit": world.district.pk, "period_kind": "year", "year": 2024}
    response = api(world.district_member).post(LIST, data, format="json")

    body = response.json()
    assert (response.status_code, body["status"], body["reused"]) == (201, "failed", False)
    expected = "The report service cannot be reached just now. Try again in a few minutes."
    assert body["error"] == body["message"] == expected
    assert Report.objects.get().status == ReportStatus.FAILED


# -- bad requests -----------------------------------------------------------------------------------

BAD_REQUESTS = [
    ({"kind": "donations"}, {"kind"}),
    ({"file_format": "odt"}, {"file_format"}),
    ({"period_kind": "week"}, {"period_kind"}),
    ({"year": 1999}, {"year"}),
    ({"quarter": 5}, {"quarter"}),
    ({"quarter": None}, {"quarter"}),
    ({"period_kind": "range", "period_start": "2025-06-30", "period_end": "2025-06-01"}, {"period_end"}),
    ({"period_kind": "range", "period_start": "1999-12-31", "period_end": "2025-06-01"}, {"period_start"}),
    ({"period_kind": "range"}, {"period_start", "period_end"}),
    ({"period_kind": "range", "period_start": "99999-01-01", "period_end": "2025-01-01"}, {"period_start"}),
    ({"unit": 999_999}, {"unit"}),
    ({"unit": "abc"}, {"unit"}),
    ({"kind": "housing", "options": {"programme": 999_999}}, {"options"}),
    ({"kind": "housing", "options": "programme"}, {"options"}),
]


@pytest.mark.parametrize(("overrides", "fields"), BAD_REQUESTS)
def test_bad_request_is_a_400_keyed_by_field_and_creates_nothing(api, world, queue, ask, overrides, fields):
    response = ask(api(world.provincial_officer), world.province, **overrides)
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Report.objects.exists()
    assert queue == []


# A NUL character anywhere is refused before the view (frontwelfare.middleware.RefuseNulCharactersMiddleware).
NUL_REQUESTS = [
    {"kind": "social_security\u0000"},
    {"unit": "1\u0000"},
    {"period_kind": "range", "period_start": "2025-01-01\u0000", "period_end": "2025-02-01"},
    {"kind": "housing", "options": {"programme": "1\u0000"}},
]


@pytest.mark.parametrize("overrides", NUL_REQUESTS)
def test_nul_character_is_a_400_and_creates_nothing(api, world, queue, ask, overrides):
    response = ask(api(world.provincial_officer), world.province, **overrides)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be accepted"}
    assert not Report.objects.exists()
    assert queue == []


def test_unit_outside_the_scope_is_refused_like_a_missing_one_as_by_the_pages_form(api, world, queue, ask):
    client = api(world.district_member)
    outside = ask(client, world.other_district)
    missing = ask(client, world.other_district, unit=999_999)
    assert (outside.status_code, outside.json()) == (400, {"unit": ["Unit not found."]})
    assert missing.json() == outside.json()
    assert not Report.objects.exists()


def test_commune_officer_cannot_ask_for_the_district_or_another_commune(api, world, ask):
    client = api(world.commune_officer)
    for unit in (world.district, world.sibling_commune):
        assert ask(client, unit).status_code == 400
    assert not Report.objects.exists()


def test_service_refusing_the_unit_answers_403_as_the_page_does(api, world, queue, ask, monkeypatch):
    monkeypatch.setattr("frontwelfare.reports.services.unit_in_scope", lambda user, unit: False)
    response = ask(api(world.district_member), world.district)
    assert response.status_code == 403
    assert response.json()["detail"] == "You can ask for reports on your own unit and the units under it."
    assert not Report.objects.exists()


def test_period_not_started_is_refused_on_the_field_that_sets_its_start(api, world, ask):
    with time_machine.travel(datetime.datetime(2025, 5, 10, 9, tzinfo=datetime.UTC), tick=False):
        month = ask(api(world.district_member), world.district, period_kind="month", month=6)
        year = ask(api(world.district_member), world.district, period_kind="year", year=2026)
    assert (month.status_code, month.json()) == (400, {"month": ["The period has not started yet."]})
    assert (year.status_code, year.json()) == (400, {"year": ["The period has not started yet."]})
    assert not Report.objects.exists()


def test_programme_with_the_social_report_is_refused_under_options(api, world, ask):
    programme = ProgrammeFactory(unit=world.district)
    response = ask(api(world.district_member), world.district, options={"programme": programme.pk})
    assert (response.status_code, response.json()) == (
        400, {"options": {"programme": ["This kind of report does not take this choice."]}})
    assert not Report.objects.exists()


def test_programme_of_another_district_is_refused_for_this_district(api, world, ask):
    programme = ProgrammeFactory(unit=world.other_district)
    response = ask(api(world.provincial_officer), world.district, kind=HOUSING,
                   options={"programme": programme.pk})
    assert (response.status_code, response.json()) == (
        400, {"options": {"programme": ["This programme does not cover the chosen unit."]}})
    assert not Report.objects.exists()


def test_programme_the_caller_does_not_see_reads_as_missing(api, world, ask):
    programme = ProgrammeFactory(unit=world.other_province)
    response = ask(api(world.district_member), world.district, kind=HOUSING,
                   options={"programme": programme.pk})
    assert response.json() == {"options": {"programme": ["Choose one of the choices offered."]}}


def test_refusals_are_in_vietnamese_unless_the_caller_chose_english(api, world, ask):
    programme = ProgrammeFactory(unit=world.district)

    def answers(language):
        client = api(world.district_member, language=language)
        choice = ask(client, world.district, kind="donations", quarter=5).json()
        period = ask(client, world.district, period_kind="range", period_start="2025-06-30",
                     period_end="2025-06-01").json()
        option = ask(client, world.district, options={"programme": programme.pk}).json()
        return choice["kind"][0], choice["quarter"][0], period["period_end"][0], option["options"]["programme"][0]

    assert answers("en") == ('"donations" is not a valid choice.', "Ensure this value is less than or equal to 4.",
                             "The period must end after it starts.",
                             "This kind of report does not take this choice.")
    assert answers(None) == ("“donations” không phải là một lựa chọn hợp lệ.", "Giá trị này không được lớn hơn 4.",
                             "Ngày kết thúc kỳ báo cáo không được trước ngày bắt đầu.",
                             "Loại báo cáo này không có lựa chọn này.")
    assert not Report.objects.exists()


# -- status, progress, the file -------------------------------------------------------------------


def test_report_shows_its_status_and_progress_while_being_made(api, world):
    report = ReportFactory(unit=world.commune, status=ReportStatus.RUNNING, progress=40)
    body = _detail(api(world.district_member), report)
    assert (body["status"], body["status_label"], body["progress"], body["download_url"]) == (
        "running", "Running", 40, None)
    assert body["requested_by"] == ""  # made by the schedule


def test_failed_report_shows_why(api, world):
    report = ReportFactory(unit=world.district, status=ReportStatus.FAILED, error="Không kết nối được máy chủ.")
    body = _detail(api(world.district_member), report)
    assert (body["status"], body["error"], body["download_url"]) == ("failed", "Không kết nối được máy chủ.", None)


def test_asked_report_once_made_is_downloaded_as_a_workbook(api, world, queue, ask):
    client = api(world.district_member)
    asked = ask(client, world.district).json()
    services.report_build(queue[0])  # what the worker does

    body = client.get(reverse("api:report-detail", args=[asked["id"]])).json()
    assert (body["status"], body["progress"]) == ("done", 100)
    response = client.get(body["download_url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-an-sinh-huyen-mo-cay-bac-2025-q2.xlsx"'
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    assert any("Mỏ Cày Bắc" in cell for cell in cells)


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.FAILED])
def test_download_before_the_report_is_done_answers_404(api, world, status):
    report = ReportFactory(unit=world.district, status=status)
    assert api(world.district_member).get(reverse("api:report-download", args=[report.pk])).status_code == 404


def test_download_of_a_file_gone_from_storage_answers_404(api, world):
    report = DoneReportFactory(unit=world.district)
    report.file.storage.delete(report.file.name)
    assert api(world.district_member).get(reverse("api:report-download", args=[report.pk])).status_code == 404


def test_retry_queues_a_failed_report_again(api, world, queue, django_capture_on_commit_callbacks):
    report = ReportFactory(unit=world.district, status=ReportStatus.FAILED, error="Lỗi.", progress=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.district_member).post(reverse("api:report-retry", args=[report.pk]))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["error"]) == ("queued", "")
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.QUEUED, 0)
    assert queue == [report.pk]


def test_retry_of_a_report_that_did_not_fail_is_a_400_and_changes_nothing(api, world, queue):
    report = DoneReportFactory(unit=world.district)
    response = api(world.district_member).post(reverse("api:report-retry", args=[report.pk]))
    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": ["Only a report that failed can be tried again."]})
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert queue == []


# -- the list --------------------------------------------------------------------------------------


def test_list_holds_the_reports_in_scope_newest_first(api, world):
    mine = [ReportFactory(unit=unit) for unit in (world.district, world.commune, world.sibling_commune)]
    ReportFactory(unit=world.province)
    ReportFactory(unit=world.other_district_commune)
    body = api(world.district_member).get(LIST).json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [report.pk for report in reversed(mine)]


@pytest.mark.parametrize(("params", "expected"), [
    ({"kind": "housing"}, {"housing"}),
    ({"status": "done"}, {"done"}),
    ({"unit": "district"}, {"district"}),
    ({"file_format": "pdf"}, {"pdf"}),
])
def test_list_filters_by_kind_status_unit_and_format(api, world, params, expected):
    reports = {
        "housing": ReportFactory(unit=world.commune, kind=HOUSING),
        "done": DoneReportFactory(unit=world.commune),
        "district": ReportFactory(unit=world.district, status=ReportStatus.FAILED),
        "pdf": ReportFactory(unit=world.commune, format=ReportFormat.PDF),
    }
    if params.get("unit") == "district":
        params = {"unit": world.district.pk}
    rows = api(world.district_member).get(LIST, params).json()["results"]
    assert {row["id"] for row in rows} == {reports[name].pk for name in expected}


def test_unknown_filter_value_is_a_400_naming_the_filter(api, world):
    response = api(world.district_member).get(LIST, {"kind": "donations"})
    assert response.status_code == 400
    assert set(response.json()) == {"kind"}


def test_nul_in_a_filter_is_a_400(api, world):
    response = api(world.district_member).get(LIST, {"kind": "donations\u0000"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be accepted"}


def test_list_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    client = api(world.provincial_officer)
    programme = ProgrammeFactory(unit=world.province)
    for unit in (world.province, world.district, world.commune):
        DoneReportFactory(unit=unit, requested_by=world.district_member)
        ReportFactory(unit=unit, kind=HOUSING, options={"programme": programme.pk})
    # The session (read, user, and its save), the FilterSet, the count, the page with its units and askers, the
    # programmes (one query for every report of the page).
    with django_assert_max_num_queries(8):
        assert client.get(LIST).json()["count"] == 6
    for _ in range(30):
        DoneReportFactory(unit=world.commune, requested_by=world.commune_officer)
    with django_assert_max_num_queries(8):
        assert len(client.get(LIST).json()["results"]) == 36


def test_detail_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    programme = ProgrammeFactory(unit=world.province)
    report = DoneReportFactory(unit=world.district, kind=HOUSING, options={"programme": programme.pk},
                               requested_by=world.district_member)
    client = api(world.provincial_officer)
    # The session (read, user, save), the report with its relations, its programme.
    with django_assert_max_num_queries(7):
        assert _detail(client, report)["options"] == {"programme": programme.pk}


# -- scope and sign-in -----------------------------------------------------------------------------


def test_outsider_gets_404_everywhere_on_a_report_and_does_not_list_it(api, world, queue):
    done = DoneReportFactory(unit=world.sibling_commune)
    failed = ReportFactory(unit=world.sibling_commune, status=ReportStatus.FAILED, error="Lỗi.")
    client = api(world.commune_officer)
    for name in ("api:report-detail", "api:report-download"):
        response = client.get(reverse(name, args=[done.pk]))
        assert response.status_code == 404, name
        assert "Xã Phú Mỹ" not in response.content.decode()
    assert client.post(reverse("api:report-retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED
    assert client.get(LIST).json()["count"] == 0
    assert queue == []


def test_anonymous_caller_is_refused_everywhere(world, queue):
    report = DoneReportFactory(unit=world.district)
    client = APIClient()
    for url in (LIST, reverse("api:report-choices"), reverse("api:report-detail", args=[report.pk]),
                reverse("api:report-download", args=[report.pk])):
        assert client.get(url).status_code in (401, 403), url
    for url in (LIST, reverse("api:report-retry", args=[report.pk])):
        assert client.post(url, {"kind": "social_security"}, format="json").status_code in (401, 403), url
    assert Report.objects.count() == 1
    assert queue == []


# -- the fixed lists and the schema ----------------------------------------------------------------


def test_choices_list_kinds_formats_periods_and_statuses_with_labels(api, world):
    english = api(world.commune_officer).get(reverse("api:report-choices")).json()
    assert english["kinds"] == [
        {"value": "annual_report", "label": "Year-end report", "options": [], "whole_country": False},
        {"value": "social_security", "label": "Social-security summary", "options": [], "whole_country": True},
        {"value": "housing", "label": "Housing programme progress", "options": ["programme"], "whole_country": False},
        {"value": "fund_statement", "label": "Fund statement", "options": ["fund"], "whole_country": False},
        {"value": "campaign_report", "label": "Campaign report", "options": ["campaign"], "whole_country": False},
        {"value": "member_organisations", "label": "Member organisations", "options": [], "whole_country": False},
        {"value": "support_given", "label": "Support given", "options": [], "whole_country": True},
        {"value": "typical_models", "label": "Typical models", "options": [], "whole_country": True},
        {"value": "models_synthesis", "label": "Typical models: the round's synthesis", "options": [],
         "whole_country": False}]
    assert english["option_labels"] == [{"value": "programme", "label": "Programme"},
                                        {"value": "fund", "label": "Fund"}, {"value": "campaign", "label": "Campaign"}]
    assert [choice["value"] for choice in english["file_formats"]] == ["xlsx", "pdf", "docx"]
    assert {choice["value"]: choice["request_fields"] for choice in english["period_kinds"]} == {
        "month": ["year", "month"], "quarter": ["year", "quarter"], "half_year": ["year", "half"],
        "year": ["year"], "range": ["period_start", "period_end"]}
    assert [choice["value"] for choice in english["statuses"]] == ["queued", "running", "done", "failed"]
    assert english["first_year"] == 2000
    vietnamese = api(world.commune_officer, language=None).get(reverse("api:report-choices")).json()
    assert vietnamese["kinds"][0]["label"] == "Báo cáo tổng kết"


def test_schema_documents_the_reports_routes_and_filters(api, world):
    schema = yaml.safe_load(api(world.commune_officer).get(reverse("api-schema")).content)
    paths = schema["paths"]
    assert {"/api/v1/reports/", "/api/v1/reports/{id}/", "/api/v1/reports/{id}/download/",
            "/api/v1/reports/{id}/retry/", "/api/v1/reports/choices/", "/api/v1/reports/document-settings/"} \
        <= set(paths)
    filters = {p["name"] for p in paths["/api/v1/reports/"]["get"]["parameters"]}
    assert {"kind", "status", "unit", "file_format"} <= filters
    asked = paths["/api/v1/reports/"]["post"]
    assert set(asked["requestBody"]["content"]) == {"application/json"}
    assert {"200", "201"} <= set(asked["responses"])
    download = paths["/api/v1/reports/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert set(download) == {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

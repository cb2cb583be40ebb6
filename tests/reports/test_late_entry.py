"""Work entered after the fact counts in the period it happened.

Officers type work in days or months late, and whole past programmes are entered at once through the
API. Here a 2025 programme is entered in one go in the following year, each step with the day it
happened, and its 2025 reports (the figures, the XLSX and the PDF asked for on the report page), its
dashboard for 2025 and a report of the first half of 2025 count each house in the stage it had reached
then. Before the steps carried their own day, the 2025 report showed every target with nothing approved.
"""

import datetime
import subprocess
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from frontwelfare.reports import figures, periods
from frontwelfare.reports.choices import PeriodKind, ReportFormat
from frontwelfare.reports.models import Report
from frontwelfare.reports.services import report_build
from housing.models import CaseTransition, HousingCase, Programme
from housing.report_sections import HOUSING

from ..households.factories import HouseholdFactory
from ..housing.factories import TINY_PDF
from .test_dashboard import _figures, _Tables

YEAR_2025 = periods.year(2025)
FIRST_HALF_2025 = periods.date_range(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
# A house's steps: (step, who takes it, the body sent, with the day it happened).
HANDED_OVER = [
    ("survey", "officer", {"survey_date": "2025-03-10", "survey_findings": "Nhà tạm, mái dột"}),
    ("approve", "member", {"decided_on": "2025-03-20"}),
    ("start", "officer", {"start_date": "2025-04-01"}),
    ("complete", "officer", {"completion_date": "2025-06-20", "final_cost": 80_000_000}),
    ("hand-over", "officer", {"handover_date": "2025-06-25"}),
]
COMPLETED_IN_AUGUST = [
    ("survey", "officer", {"survey_date": "2025-03-10", "survey_findings": "Nhà xuống cấp"}),
    ("approve", "member", {"decided_on": "2025-03-20"}),
    ("start", "officer", {"start_date": "2025-05-01"}),
    ("complete", "officer", {"completion_date": "2025-08-15", "final_cost": 82_000_000}),
]
REJECTED = [
    ("survey", "officer", {"survey_date": "2025-03-10", "survey_findings": "Nhà còn tốt"}),
    ("reject", "member", {"decided_on": "2025-03-20", "note": "Nhà còn sử dụng được"}),
]
PLANS = {
    "new_build": {"current_condition": "Nhà tạm vách lá", "estimated_cost": 80_000_000, "state_budget": 40_000_000,
                  "fund_for_the_poor": 20_000_000, "family_amount": 20_000_000},
    "repair": {"current_condition": "Mái dột", "estimated_cost": 40_000_000, "state_budget": 20_000_000,
               "fund_for_the_poor": 10_000_000, "family_amount": 10_000_000},
}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _enter(clients, programme_id: int, household, work_kind: str, steps) -> int:
    """Propose a house for ``household`` dated 1 March 2025 and take ``steps``, all through the API."""
    response = clients["officer"].post(reverse("api:housing-case-list"), {
        "household": household.pk, "programme": programme_id, "work_kind": work_kind, "proposed_on": "2025-03-01",
        **PLANS[work_kind]}, format="json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    for step, who, body in steps:
        url = reverse(f"api:housing-case-{step}", args=[case_id])
        if step == "hand-over":
            record = SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf")
            response = clients[who].post(url, {**body, "handover_record": record}, format="multipart")
        else:
            response = clients[who].post(url, body, format="json")
        assert response.status_code == 200, (step, response.content)
    return case_id


@pytest.fixture
def entered_late(world) -> Programme:
    """Mỏ Cày Bắc's 2025 programme, entered today (after 2025 ended) through the API: two new houses
    in Phước Mỹ Trung (one handed over in June, one completed in August) and a repair rejected in March."""
    clients = {"officer": _client(world.commune_officer), "member": _client(world.district_member)}
    response = clients["member"].post(reverse("api:housing-programme-list"), {
        "name": "Xóa nhà tạm Mỏ Cày Bắc 2025", "kind": "temporary_houses", "decision_number": "781/QĐ-UBND",
        "decision_date": "2025-01-10", "decision_issuer": "Ủy ban nhân dân tỉnh Bến Tre", "unit": world.district.pk,
        "start_date": "2025-01-15", "deadline": "2025-12-31", "new_build_support": 60_000_000,
        "repair_support": 30_000_000, "new_build_target": 2, "repair_target": 1}, format="json")
    assert response.status_code == 201, response.content
    programme_id = response.json()["id"]
    response = clients["member"].post(reverse("api:housing-programme-targets", args=[programme_id]), {
        "targets": [{"unit": world.commune.pk, "new_builds": 2, "repairs": 1}]}, format="json")
    assert response.status_code == 200, response.content
    for work_kind, steps in (("new_build", HANDED_OVER), ("new_build", COMPLETED_IN_AUGUST), ("repair", REJECTED)):
        _enter(clients, programme_id, HouseholdFactory(commune=world.commune), work_kind, steps)
    # Every step was entered today, long after the day it happened.
    assert not CaseTransition.objects.filter(at__year=2025).exists()
    return Programme.objects.get(pk=programme_id)


def _stages(unit, period) -> list:
    """The Total row of "Houses by stage": target, approved, under construction, completed, handed
    over, for new houses and then repairs."""
    with translation.override("en"):
        data = figures.report_data(SimpleNamespace(kind=HOUSING, unit=unit, period=period, options={}))
    return data.sections[0].total[1:]


def test_a_programme_entered_after_its_year_reports_each_house_in_the_stage_it_reached_that_year(
        world, entered_late):
    assert _stages(world.district, YEAR_2025) == [2, 2, 0, 2, 1, 1, 0, 0, 0, 0]
    # By 30 June the first house was handed over and the second still being built.
    assert _stages(world.district, FIRST_HALF_2025) == [2, 2, 1, 1, 1, 1, 0, 0, 0, 0]
    # Before the proposals (1 March), nothing.
    assert _stages(world.district, periods.month(2025, 2)) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_the_money_of_a_late_entered_programme_counts_in_its_year(world, entered_late):
    with translation.override("en"):
        data = figures.report_data(SimpleNamespace(kind=HOUSING, unit=world.district, period=YEAR_2025,
                                                   options={}))
    money = data.sections[1]
    assert money.title == "Money committed to approved houses"
    # State budget and Fund for the Poor of the two approved new houses; the rejected repair commits nothing.
    assert money.total[1:3] == [80_000_000, 40_000_000]




@pytest.mark.parametrize("file_format", [ReportFormat.XLSX, ReportFormat.PDF])
def test_the_2025_report_asked_for_on_the_page_shows_the_late_entered_programme_in_its_file(
        client, world, entered_late, queue, django_capture_on_commit_callbacks, file_format):
    client.force_login(world.district_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:create"), {
            "kind": HOUSING, "unit": world.district.pk, "period_kind": PeriodKind.YEAR, "year": "2025",
            "file_format": file_format})
    assert response.status_code == 302, response.content.decode()
    report_build(queue[0])
    report = Report.objects.get(pk=queue[0])
    content = report.file.read()

    if file_format == ReportFormat.XLSX:
        stages = load_workbook(BytesIO(content)).worksheets[0]
        rows = {row[0]: row[1:] for row in stages.iter_rows(values_only=True) if isinstance(row[0], str)}
        assert rows["Thị trấn Phước Mỹ Trung"][:10] == (2, 2, 0, 2, 1, 1, 0, 0, 0, 0)
        assert rows["Tổng cộng"][:10] == (2, 2, 0, 2, 1, 1, 0, 0, 0, 0)
    else:
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True,
                              timeout=30).stdout.decode()
        totals = [line.split("Tổng cộng", 1)[1].split() for line in text.splitlines() if "Tổng cộng" in line]
        assert totals[0] == ["2", "2", "0", "2", "1", "1", "0", "0", "0", "0"]
        assert totals[1][:2] == ["80.000.000", "40.000.000"]


def test_the_2025_dashboard_shows_the_late_entered_programme(client, world, entered_late):
    client.force_login(world.district_member)
    client.cookies.load({"django_language": "en"})
    response = client.get(reverse("dashboard", args=[world.district.pk]), {"year": "2025"})
    page = _Tables()
    page.feed(response.content.decode())

    # Per kind of work: target, completed, handed over.
    assert _figures(page.tables["housing-table"]["tbody"]) == [
        ["Xã Phú Mỹ", 0, 0, 0, 0, 0, 0], ["Thị trấn Phước Mỹ Trung", 2, 2, 1, 1, 0, 0]]
    assert _figures(page.tables["stages-table"]["tbody"]) == [
        ["Approved", 2, 0], ["Under construction", 0, 0], ["Completed", 2, 0], ["Handed over", 1, 0]]


def test_the_case_page_shows_the_day_each_step_happened_and_when_it_was_entered(client, world, entered_late):
    case = HousingCase.objects.get(programme=entered_late, state="handed_over")
    client.force_login(world.commune_officer)
    body = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()
    days = [line.split(">", 1)[1].split("<", 1)[0] for line in body.split('data-testid="step-day"')[1:]]
    assert days == ["01/03/2025", "10/03/2025", "20/03/2025", "01/04/2025", "20/06/2025", "25/06/2025"]


# -- refusals ------------------------------------------------------------------------------------


@pytest.fixture
def surveyed(world, entered_late) -> int:
    """A house of the late programme surveyed on 10 March 2025, waiting for the district."""
    clients = {"officer": _client(world.commune_officer), "member": _client(world.district_member)}
    return _enter(clients, entered_late.pk, HouseholdFactory(commune=world.commune), "new_build", HANDED_OVER[:1])


def _steps_of(case_id: int) -> list:
    return list(CaseTransition.objects.filter(case_id=case_id).values_list("name", "happened_on"))


@pytest.mark.parametrize(("body", "error"), [
    ({"decided_on": "2025-03-09"}, "The date cannot be before the case's previous step (10/03/2025)."),
    ({"decided_on": "2099-01-01"}, "The date cannot be in the future."),
])
def test_a_decision_dated_before_the_previous_step_or_in_the_future_is_refused_and_changes_nothing(
        world, surveyed, body, error):
    client = _client(world.district_member)
    client.cookies.load({"django_language": "en"})
    before = _steps_of(surveyed)

    response = client.post(reverse("api:housing-case-approve", args=[surveyed]), body, format="json")

    assert response.status_code == 400
    assert response.json() == {"decided_on": [error]}
    assert HousingCase.objects.get(pk=surveyed).state == "surveyed"
    assert _steps_of(surveyed) == before


def test_a_step_dated_before_the_decision_before_it_is_refused_on_the_page(client, world, surveyed):
    _client(world.district_member).post(reverse("api:housing-case-approve", args=[surveyed]),
                                        {"decided_on": "2025-03-20"}, format="json")
    client.force_login(world.commune_officer)
    client.cookies.load({"django_language": "en"})

    response = client.post(reverse("housing:case-step", args=[surveyed, "start"]), {"start_date": "2025-03-15"})

    assert response.status_code == 400
    assert "The date cannot be before the case&#x27;s previous step (20/03/2025)." in response.content.decode()
    assert HousingCase.objects.get(pk=surveyed).state == "approved"


def test_a_proposal_dated_in_the_future_is_refused(world, entered_late):
    client = _client(world.commune_officer)
    client.cookies.load({"django_language": "en"})
    household = HouseholdFactory(commune=world.commune)
    response = client.post(reverse("api:housing-case-list"), {
        "household": household.pk, "programme": entered_late.pk, "work_kind": "new_build",
        "proposed_on": "2099-01-01", **PLANS["new_build"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"proposed_on": ["The date cannot be in the future."]}
    assert not HousingCase.objects.filter(household=household).exists()

"""The housing API: the pages' scope, filters, roles and services, as JSON."""

import datetime

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from frontwelfare.accounts.choices import Role
from housing import services
from housing.choices import AttachmentKind, CaseState, Transition, WorkKind
from housing.models import CaseAttachment, CaseTransition, HousingCase, Programme, ProgrammeTarget
from housing.workflow import STEPS

from ..factories import CommuneOfficerFactory, DistrictMemberFactory
from ..households.factories import HouseholdFactory
from .factories import (
    TINY_PDF,
    TINY_PNG,
    CaseAttachmentFactory,
    HousingCaseFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    case_in_state,
)

# What each step records, valid for a case built by case_in_state, as the API takes it.
STEP_BODIES = {
    Transition.SURVEY: {"survey_date": "2025-04-01", "survey_findings": "Nhà dột, vách lá mục"},
    Transition.APPROVE: {"decided_on": "2025-04-10"},
    Transition.REJECT: {"decided_on": "2025-04-10"},
    Transition.START: {"start_date": "2025-05-02"},
    Transition.COMPLETE: {"completion_date": "2025-07-02", "final_cost": 79_000_000},
    Transition.HAND_OVER: {"handover_date": "2025-07-20"},
    Transition.CANCEL: {},
}
STEP_ROLES = {
    Transition.SURVEY: Role.COMMUNE_OFFICER, Transition.START: Role.COMMUNE_OFFICER,
    Transition.COMPLETE: Role.COMMUNE_OFFICER, Transition.HAND_OVER: Role.COMMUNE_OFFICER,
    Transition.APPROVE: Role.DISTRICT_MEMBER, Transition.REJECT: Role.DISTRICT_MEMBER,
    Transition.CANCEL: Role.DISTRICT_MEMBER,
}
EVERY_ROLE = (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR)
REASON = "Lý do: hộ đã chuyển đi nơi khác"


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in English (the msgids)."""

    def signed_in(user, *, language="en") -> APIClient:
        client = APIClient()
        client.force_login(user)
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return signed_in


@pytest.fixture
def programme(world):
    return ProgrammeFactory(unit=world.district, created_by=world.district_member, name="Xóa nhà tạm Mỏ Cày Bắc 2025")


@pytest.fixture
def household(world):
    return HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)


def _step_url(step: str, case) -> str:
    return reverse(f"api:housing-case-{step.replace('_', '-')}", args=[case.pk])


def _handover_record(name="bien-ban-ban-giao.pdf", content=TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _take(client, case, step, **changes):
    """POST the step with its valid values and a reason; the handover with its record, as a form."""
    body = {**STEP_BODIES[step], "note": REASON, **changes}
    if step == Transition.HAND_OVER:
        body.setdefault("handover_record", _handover_record())
        return client.post(_step_url(step, case), body, format="multipart")
    return client.post(_step_url(step, case), body, format="json")


def _row(case) -> dict:
    return HousingCase.objects.filter(pk=case.pk).values().get()


def _nothing_stored(settings) -> bool:
    media = settings.MEDIA_ROOT
    return not CaseAttachment.objects.exists() and (not media.exists()
                                                    or not any(p.is_file() for p in media.rglob("*")))


# -- programmes: reading ---------------------------------------------------------------------------------


def test_programme_list_row_counts_only_the_callers_cases(api, world, programme):
    HousingCaseFactory(household__commune=world.commune, programme=programme, state=CaseState.HANDED_OVER)
    HousingCaseFactory(household__commune=world.sibling_commune, programme=programme)

    for user, cases, handed_over in ((world.commune_officer, 1, 1), (world.district_member, 2, 1)):
        response = api(user).get(reverse("api:housing-programme-list"))
        assert response.status_code == 200, response.content
        (row,) = response.json()["results"]
        assert (row["id"], row["name"], row["unit"]) == (
            programme.pk, "Xóa nhà tạm Mỏ Cày Bắc 2025",
            {"id": world.district.pk, "code": "838", "name": "Huyện Mỏ Cày Bắc"})
        assert (row["case_count"], row["handed_over_count"]) == (cases, handed_over)
        assert (row["new_build_support"], row["repair_support"]) == (60_000_000, 30_000_000)
        assert row["days_left"] == (datetime.date(2025, 9, 30) - datetime.date.today()).days


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"temporary", "gratitude", "next_year"}),
    ({"kind": "gratitude"}, {"gratitude"}),
    ({"q": "781/QĐ"}, {"temporary"}),
    ({"q": "tri ân"}, {"gratitude"}),
    ({"year": 2027}, {"next_year"}),
    ({"running": "true"}, {"next_year"}),
    ({"running": "false"}, {"temporary", "gratitude"}),
])
@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_programme_list_filters_are_the_pages(api, world, params, expected):
    programmes = {
        "temporary": ProgrammeFactory(unit=world.district, decision_number="781/QĐ-UBND"),
        "gratitude": ProgrammeFactory(unit=world.province, kind="gratitude", name="Nhà tri ân 2025"),
        "next_year": ProgrammeFactory(unit=world.district, start_date=datetime.date(2026, 1, 1),
                                      deadline=datetime.date(2027, 6, 30)),
    }
    by_id = {programme.pk: key for key, programme in programmes.items()}
    response = api(world.district_member).get(reverse("api:housing-programme-list"), params)
    assert response.status_code == 200, response.content
    assert {by_id[row["id"]] for row in response.json()["results"]} == expected


def test_programme_list_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    client = api(world.district_member)

    def add_programmes(count):
        for _ in range(count):
            programme = ProgrammeFactory(unit=world.district)
            HousingCaseFactory(household__commune=world.commune, programme=programme)
            ProgrammeTargetFactory(programme=programme, unit=world.commune)

    add_programmes(2)
    # up to 5 for the session (read, user, and its save when it notes the activity), the caller's unit (which
    # programmes they see), count, programmes with their unit and case counts.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:housing-programme-list")).json()["count"] == 2
    add_programmes(18)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:housing-programme-list")).json()["count"] == 20


@time_machine.travel(datetime.datetime(2025, 6, 21, 9, tzinfo=datetime.UTC))
def test_programme_detail_shows_targets_and_progress_by_unit(api, world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=1)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=2, repairs=0)
    for state in (CaseState.APPROVED, CaseState.CONSTRUCTION_STARTED, CaseState.HANDED_OVER):
        case_in_state(state, household__commune=world.commune, programme=programme)
    case_in_state(CaseState.PROPOSED, household__commune=world.commune, programme=programme,
                  work_kind=WorkKind.REPAIR, estimated_cost=20_000_000, state_budget=20_000_000,
                  fund_for_the_poor=0, family_amount=0)

    body = api(world.district_member).get(reverse("api:housing-programme-detail", args=[programme.pk])).json()

    assert body["name"] == programme.name
    assert body["created_by"] == "Nguyễn Văn An"
    assert [(t["unit"]["code"], t["new_builds"], t["repairs"]) for t in body["targets"]] == [
        ("28889", 2, 0), ("28915", 4, 1)]
    progress = body["progress"]
    assert (progress["days_left"], progress["days_overdue"]) == (101, 0)
    sibling, commune = progress["rows"]
    assert (sibling["unit"]["name"], commune["unit"]["name"]) == ("Xã Phú Mỹ", "Thị trấn Phước Mỹ Trung")
    assert commune["new_build"] == {"target": 4, "approved": 3, "under_construction": 1, "completed": 1,
                                    "handed_over": 1}
    assert commune["repair"] == {"target": 1, "approved": 0, "under_construction": 0, "completed": 0,
                                 "handed_over": 0}
    # Three approved houses of 40 + 20 + 20 million; the proposed repair commits nothing yet.
    assert commune["money"] == {"state_budget": 120_000_000, "fund_for_the_poor": 60_000_000, "sponsor": 0,
                                "army": 0, "family": 60_000_000}
    assert commune["money_total"] == 240_000_000
    # Half the time has passed: 2 of the commune's 5 houses should be finished, 1 is.
    assert (commune["behind"], sibling["behind"]) == (True, False)
    assert progress["total"]["unit"] is None
    assert progress["total"]["new_build"]["target"] == 6
    assert progress["behind"] is True


def test_commune_officer_sees_only_its_own_communes_progress_and_target(api, world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=1)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=2, repairs=0)
    case_in_state(CaseState.APPROVED, household__commune=world.sibling_commune, programme=programme)

    body = api(world.commune_officer).get(reverse("api:housing-programme-detail", args=[programme.pk])).json()

    assert [t["unit"]["code"] for t in body["targets"]] == ["28915"]
    assert [row["unit"]["code"] for row in body["progress"]["rows"]] == ["28915"]
    assert body["progress"]["total"]["new_build"]["approved"] == 0
    assert body["case_count"] == 0


def test_programme_detail_counts_the_callers_cases_as_the_list_row_does(api, world, programme):
    HousingCaseFactory(household__commune=world.commune, programme=programme, state=CaseState.HANDED_OVER)
    HousingCaseFactory(household__commune=world.sibling_commune, programme=programme)

    for user in (world.commune_officer, world.district_member):
        client = api(user)
        (row,) = client.get(reverse("api:housing-programme-list")).json()["results"]
        detail = client.get(reverse("api:housing-programme-detail", args=[programme.pk])).json()
        assert (detail["case_count"], detail["handed_over_count"]) == (row["case_count"], row["handed_over_count"])
        assert detail["case_count"] == (1 if user == world.commune_officer else 2)


def test_programme_detail_has_a_query_ceiling(api, world, programme, django_assert_max_num_queries):
    for commune in (world.commune, world.sibling_commune):
        ProgrammeTargetFactory(programme=programme, unit=commune)
        for _ in range(5):
            HousingCaseFactory(household__commune=commune, programme=programme)
    client = api(world.district_member)
    # 5 for the session, the programme, its targets, and the progress: cases grouped, targets, units.
    with django_assert_max_num_queries(11):
        body = client.get(reverse("api:housing-programme-detail", args=[programme.pk])).json()
    assert len(body["progress"]["rows"]) == 2


# -- programmes: writing ---------------------------------------------------------------------------------


def _programme_payload(unit, **changes) -> dict:
    payload = {"name": "Nhà Đại đoàn kết 2026", "kind": "great_solidarity", "decision_number": "15/QĐ-MTTQ",
               "decision_date": "2026-01-10", "decision_issuer": "Ban Thường trực UBMTTQ huyện", "unit": unit.pk,
               "start_date": "2026-01-15", "deadline": "2026-12-31", "new_build_support": 60_000_000,
               "repair_support": None, "new_build_target": 10}
    payload.update(changes)
    return payload


def test_district_member_creates_a_programme_for_their_district(api, world):
    response = api(world.district_member).post(reverse("api:housing-programme-list"),
                                               _programme_payload(world.district), format="json")
    assert response.status_code == 201, response.content
    programme = Programme.objects.get()
    body = response.json()
    assert (body["id"], body["unit"]["id"], body["repair_support"], body["targets"]) == (
        programme.pk, world.district.pk, None, [])
    assert (programme.created_by, programme.new_build_support, programme.decision_date) == (
        world.district_member, 60_000_000, datetime.date(2026, 1, 10))
    assert programme.history.get().history_user == world.district_member


def test_commune_officer_cannot_create_a_programme(api, world):
    response = api(world.commune_officer).post(reverse("api:housing-programme-list"),
                                               _programme_payload(world.district), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the committee that runs a programme can change it."}
    assert not Programme.objects.exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER])
def test_no_one_creates_a_programme_for_a_unit_they_do_not_run(api, world, role):
    unit = world.other_district if role == Role.DISTRICT_MEMBER else world.other_province
    response = api(world.viewer(role)).post(reverse("api:housing-programme-list"), _programme_payload(unit),
                                            format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the committee that runs a programme can change it."
    assert not Programme.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"deadline": "2025-12-31"}, "non_field_errors", "The deadline cannot be before the start date."),
    ({"new_build_support": 1.5}, "new_build_support", "A valid integer is required."),
    ({"new_build_support": -1}, "new_build_support", "Ensure this value is greater than or equal to 0."),
    ({"kind": "palace"}, "kind", "\"palace\" is not a valid choice."),
    ({"decision_date": "10/01/2026"}, "decision_date", "Date has wrong format."),
])
def test_invalid_programme_is_refused_with_field_keyed_messages(api, world, changes, field, message):
    response = api(world.district_member).post(reverse("api:housing-programme-list"),
                                               _programme_payload(world.district, **changes), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field]), response.json()
    assert not Programme.objects.exists()


def test_a_programme_cannot_be_run_by_a_commune(api, world):
    response = api(world.district_member).post(reverse("api:housing-programme-list"),
                                               _programme_payload(world.commune), format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Programme.objects.exists()


def test_running_committee_changes_its_programme(api, world, programme):
    client = api(world.district_member)
    url = reverse("api:housing-programme-detail", args=[programme.pk])
    response = client.patch(url, {"name": "Xóa nhà tạm 2025 (điều chỉnh)", "repair_support": 35_000_000},
                            format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Xóa nhà tạm 2025 (điều chỉnh)"
    programme.refresh_from_db()
    assert (programme.name, programme.repair_support) == ("Xóa nhà tạm 2025 (điều chỉnh)", 35_000_000)

    put = client.put(url, _programme_payload(world.district), format="json")
    assert put.status_code == 200, put.content
    programme.refresh_from_db()
    assert (programme.name, programme.repair_support) == ("Nhà Đại đoàn kết 2026", None)


def test_changing_the_total_is_checked_against_the_targets(api, world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=1)
    response = api(world.district_member).patch(reverse("api:housing-programme-detail", args=[programme.pk]),
                                                {"new_build_target": 5}, format="json")
    assert response.status_code == 400
    assert "add up to 4 new houses, but its target is 5" in response.json()["non_field_errors"][0]
    programme.refresh_from_db()
    assert programme.new_build_target is None


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER])
def test_only_the_running_committee_changes_a_programme_or_its_targets(api, world, programme, role):
    # The provincial officer runs the province's programmes and its districts': it may.
    client = api(world.viewer(role))
    detail = reverse("api:housing-programme-detail", args=[programme.pk])
    targets = {"targets": [{"unit": world.commune.pk, "new_builds": 1, "repairs": 0}]}
    responses = [
        client.patch(detail, {"name": "Khác"}, format="json"),
        client.put(detail, _programme_payload(world.district, name="Khác", new_build_target=None), format="json"),
        client.post(reverse("api:housing-programme-targets", args=[programme.pk]), targets, format="json"),
    ]
    programme.refresh_from_db()
    if role == Role.COMMUNE_OFFICER:
        assert [response.status_code for response in responses] == [403, 403, 403]
        assert responses[0].json()["detail"] == "Only the committee that runs a programme can change it."
        assert programme.name == "Xóa nhà tạm Mỏ Cày Bắc 2025"
        assert not ProgrammeTarget.objects.exists()
    else:
        assert [response.status_code for response in responses] == [200, 200, 200]
        assert programme.name == "Khác"


def test_targets_that_do_not_add_up_are_refused_with_the_message(api, world, programme):
    Programme.objects.filter(pk=programme.pk).update(new_build_target=10, repair_target=2)
    client = api(world.district_member)
    url = reverse("api:housing-programme-targets", args=[programme.pk])

    refused = client.post(url, {"targets": [
        {"unit": world.commune.pk, "new_builds": 6, "repairs": 1},
        {"unit": world.sibling_commune.pk, "new_builds": 3, "repairs": 1},
    ]}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": [
        "The targets under Xóa nhà tạm Mỏ Cày Bắc 2025 add up to 9 new houses, but its target is 10."]}
    assert not ProgrammeTarget.objects.exists()

    accepted = client.post(url, {"targets": [
        {"unit": world.commune.pk, "new_builds": 6, "repairs": 1},
        {"unit": world.sibling_commune.pk, "new_builds": 4, "repairs": 1},
    ]}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert [(t["unit"]["id"], t["new_builds"]) for t in accepted.json()["targets"]] == [
        (world.sibling_commune.pk, 4), (world.commune.pk, 6)]
    assert ProgrammeTarget.objects.filter(programme=programme).count() == 2


@pytest.mark.parametrize(("targets", "errors"), [
    ([{"unit": "other_district_commune", "new_builds": 1}],
     {"non_field_errors": ["A target names a unit that the programme does not cover."]}),
    ([{"unit": "commune", "new_builds": 1}, {"unit": "commune", "repairs": 2}],
     {"targets": ["Each unit may appear only once."]}),
    ([{"unit": "commune", "new_builds": -1}],
     {"targets": {"0": {"new_builds": ["Ensure this value is greater than or equal to 0."]}}}),
])
def test_targets_for_units_outside_twice_or_negative_are_refused(api, world, programme, targets, errors):
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune)
    for entry in targets:
        entry["unit"] = getattr(world, entry["unit"]).pk
    response = api(world.district_member).post(reverse("api:housing-programme-targets", args=[programme.pk]),
                                               {"targets": targets}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert list(ProgrammeTarget.objects.values_list("unit", flat=True)) == [world.sibling_commune.pk]


def test_outsiders_get_404_on_a_programme_and_change_nothing(api, world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.commune)
    before = Programme.objects.filter(pk=programme.pk).values().get()
    detail = reverse("api:housing-programme-detail", args=[programme.pk])
    targets = reverse("api:housing-programme-targets", args=[programme.pk])
    for outsider in (DistrictMemberFactory(unit=world.other_district),
                     CommuneOfficerFactory(unit=world.other_district_commune)):
        client = api(outsider)
        responses = [
            client.get(detail), client.patch(detail, {"name": "Khác"}, format="json"),
            client.put(detail, _programme_payload(world.other_district), format="json"),
            client.post(targets, {"targets": []}, format="json"),
        ]
        assert [response.status_code for response in responses] == [404] * 4
        for response in responses:
            assert programme.name not in response.content.decode()
        assert client.get(reverse("api:housing-programme-list")).json()["count"] == 0
    assert Programme.objects.filter(pk=programme.pk).values().get() == before
    assert ProgrammeTarget.objects.count() == 1


# -- cases: reading -------------------------------------------------------------------------------------


@pytest.fixture
def varied_cases(world, programme):
    """Cases of two communes of the district, each with one thing to filter by. ``programme``
    ended on 30 September 2025: its open cases are overdue; ``later``'s are not."""
    later = ProgrammeFactory(unit=world.district, start_date=datetime.date(2026, 1, 1),
                             deadline=datetime.date(2030, 12, 31))
    return {
        "proposed": HousingCaseFactory(household__commune=world.commune, programme=programme),
        "sibling_repair": case_in_state(CaseState.APPROVED, household__commune=world.sibling_commune,
                                        programme=programme, work_kind=WorkKind.REPAIR,
                                        estimated_cost=20_000_000, state_budget=20_000_000, fund_for_the_poor=0,
                                        family_amount=0),
        "later": case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=later),
        "handed_over": case_in_state(CaseState.HANDED_OVER, household__commune=world.commune, programme=programme),
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"proposed", "sibling_repair", "later", "handed_over"}),
    ({"programme": "programme"}, {"proposed", "sibling_repair", "handed_over"}),
    ({"unit": "sibling_commune"}, {"sibling_repair"}),
    ({"state": "approved"}, {"sibling_repair"}),
    ({"work_kind": "repair"}, {"sibling_repair"}),
    ({"overdue": "true"}, {"proposed", "sibling_repair"}),
    ({"overdue": "false"}, {"later", "handed_over"}),
    ({"q": "code:handed_over"}, {"handed_over"}),
])
def test_case_list_filters_are_the_pages(api, world, programme, varied_cases, params, expected):
    by_id = {case.pk: key for key, case in varied_cases.items()}
    if params.get("programme"):
        params = {**params, "programme": programme.pk}
    if params.get("unit"):
        params = {**params, "unit": getattr(world, params["unit"]).pk}
    if params.get("q"):
        params = {**params, "q": varied_cases[params["q"].split(":")[1]].household.code}
    response = api(world.district_member).get(reverse("api:housing-case-list"), params)
    assert response.status_code == 200, response.content
    assert {by_id[row["id"]] for row in response.json()["results"]} == expected


def test_case_list_row_shows_household_programme_state_and_overdue(api, world, programme, varied_cases):
    proposed = varied_cases["proposed"]
    rows = api(world.commune_officer).get(reverse("api:housing-case-list"), {"state": "proposed"}).json()["results"]
    assert rows == [{
        "id": proposed.pk,
        "programme": {"id": programme.pk, "name": programme.name, "deadline": "2025-09-30"},
        "household": {"id": proposed.household.pk, "code": proposed.household.code,
                      "head_name": proposed.household.head_name, "hamlet": "Ấp Phước Hậu"},
        "commune": {"id": world.commune.pk, "code": "28915", "name": "Thị trấn Phước Mỹ Trung"},
        "work_kind": "new_build", "state": "proposed", "estimated_cost": 80_000_000, "support_total": 60_000_000,
        "overdue": True, "created_at": rows[0]["created_at"], "updated_at": rows[0]["updated_at"],
    }]


def test_unit_outside_the_viewers_unit_is_refused_not_used(api, world, varied_cases):
    response = api(world.district_member).get(reverse("api:housing-case-list"),
                                              {"unit": world.other_district_commune.pk})
    assert response.status_code == 400
    assert "unit" in response.json()


def test_case_list_has_a_query_ceiling(api, world, programme, django_assert_max_num_queries):
    client = api(world.district_member)

    def add_cases(count):
        for commune in (world.commune, world.sibling_commune):
            for _ in range(count):
                case_in_state(CaseState.SURVEYED, household__commune=commune, programme=programme)

    add_cases(1)
    # 5 for the session, 1 for the caller's unit (the units the filter offers), count, cases with
    # their household, commune and programme; and the unit asked for, when one is.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:housing-case-list")).json()["count"] == 2
    add_cases(14)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("api:housing-case-list"), {"unit": world.commune.pk, "overdue": "true"}) \
            .json()["count"] == 15


def test_case_detail_shows_plan_steps_attachments_and_what_the_caller_may_do(api, world, programme, household):
    case = services.case_propose(actor=world.commune_officer, household=household, programme=programme,
                                 data=services.CaseData(work_kind=WorkKind.NEW_BUILD, current_condition="Nhà tạm",
                                                        estimated_cost=90_000_000, state_budget=40_000_000,
                                                        sponsor_amount=10_000_000, sponsor_name="Công ty Cấp nước",
                                                        family_amount=40_000_000, labour_days=30),
                                 proposed_on=datetime.date(2025, 3, 20))
    services.case_advance(actor=world.commune_officer, case=case, step=Transition.SURVEY,
                          survey_date=datetime.date(2025, 4, 1), survey_findings="Vách lá mục", note="Đã khảo sát")
    photo = services.attachment_add(actor=world.commune_officer, case=case, kind=AttachmentKind.PHOTO_BEFORE,
                                    uploaded_file=SimpleUploadedFile("nha-truoc.png", TINY_PNG))
    services.attachment_make_thumbnail(photo.pk)  # the worker's part, once the upload has committed
    url = reverse("api:housing-case-detail", args=[case.pk])

    client = api(world.district_member)
    body = client.get(url).json()

    assert (body["state"], body["work_kind"], body["household"]["code"]) == ("surveyed", "new_build", household.code)
    assert (body["estimated_cost"], body["state_budget"], body["sponsor_amount"], body["sponsor_name"],
            body["family_amount"], body["support_total"], body["plan_total"], body["labour_days"]) == (
        90_000_000, 40_000_000, 10_000_000, "Công ty Cấp nước", 40_000_000, 50_000_000, 90_000_000, 30)
    assert (body["survey_date"], body["survey_findings"], body["proposed_by"]) == (
        "2025-04-01", "Vách lá mục", "Nguyễn Văn An")
    assert [(t["name"], t["from_state"], t["to_state"], t["actor"], t["note"]) for t in body["transitions"]] == [
        ("", "", "proposed", "Nguyễn Văn An", ""), ("survey", "proposed", "surveyed", "Nguyễn Văn An", "Đã khảo sát")]
    (attachment,) = body["attachments"]
    download = reverse("housing:attachment-download", args=[photo.pk])
    assert attachment == {
        "id": photo.pk, "kind": "photo_before", "original_name": "nha-truoc.png", "content_type": "image/png",
        "size": len(TINY_PNG), "uploaded_by": "Nguyễn Văn An", "uploaded_at": attachment["uploaded_at"],
        "download_url": f"http://testserver{download}", "thumbnail_url": f"http://testserver{download}?size=thumbnail",
    }
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == TINY_PNG
    assert [(step["name"], step["fields"], step["note_required"]) for step in body["available_steps"]] == [
        ("approve", [], False), ("reject", [], True), ("cancel", [], True)]
    assert body["available_steps"][0]["url"] == f"http://testserver{_step_url('approve', case)}"
    assert body["can_edit"] is False

    officer_view = api(world.commune_officer).get(url).json()
    assert (officer_view["available_steps"], officer_view["can_edit"]) == ([], True)


def test_case_detail_has_a_query_ceiling(api, world, programme, django_assert_max_num_queries):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=programme)
    for _ in range(5):
        CaseTransition.objects.create(case=case, name="survey", from_state="proposed", to_state="surveyed",
                                      actor=world.commune_officer, happened_on=case.survey_date)
        CaseAttachmentFactory(case=case, uploaded_by=world.commune_officer)
    client = api(world.district_member)
    # 5 for the session, 1 for the FilterSet's units (DRF filters the detail too), the case with
    # its household, commune, programme and proposer, its steps, its attachments.
    with django_assert_max_num_queries(9):
        body = client.get(reverse("api:housing-case-detail", args=[case.pk])).json()
    assert (len(body["transitions"]), len(body["attachments"])) == (5, 5)


# -- cases: proposing and changing the proposal -------------------------------------------------------------


def _proposal(household, programme, **changes) -> dict:
    payload = {"household": household.pk, "programme": programme.pk, "work_kind": "new_build",
               "current_condition": "Nhà tạm vách lá, mái dột", "estimated_cost": 90_000_000,
               "state_budget": 40_000_000, "fund_for_the_poor": 20_000_000, "family_amount": 30_000_000}
    payload.update(changes)
    return payload


def test_commune_officer_proposes_a_case(api, world, programme, household):
    response = api(world.commune_officer).post(reverse("api:housing-case-list"), _proposal(household, programme),
                                               format="json")
    assert response.status_code == 201, response.content
    case = HousingCase.objects.get()
    body = response.json()
    assert (body["id"], body["state"], body["sponsor_amount"], body["labour_days"]) == (case.pk, "proposed", 0, 0)
    assert [step["name"] for step in body["available_steps"]] == ["survey"]
    assert (case.commune, case.proposed_by, case.family_amount) == (world.commune, world.commune_officer, 30_000_000)
    assert case.transitions.get().to_state == CaseState.PROPOSED


def test_proposal_with_support_above_the_programmes_level_is_refused_with_the_message(api, world, programme,
                                                                                      household):
    response = api(world.commune_officer).post(
        reverse("api:housing-case-list"),
        _proposal(household, programme, state_budget=50_000_000, family_amount=20_000_000), format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [
        "The support (70.000.000 ₫) exceeds the programme's level for a new build (60.000.000 ₫); the rest must "
        "come from the family."]}
    assert not HousingCase.objects.exists()


def test_second_open_case_for_the_household_in_the_programme_is_refused(api, world, programme, household):
    HousingCaseFactory(household=household, programme=programme, state=CaseState.SURVEYED)
    response = api(world.commune_officer).post(reverse("api:housing-case-list"), _proposal(household, programme),
                                               format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This household already has an open case in this programme."]}
    assert HousingCase.objects.count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"estimated_cost": 0}, "estimated_cost", "Ensure this value is greater than or equal to 1."),
    ({"family_amount": -5}, "family_amount", "Ensure this value is greater than or equal to 0."),
    ({"estimated_cost": "90.000.000"}, "estimated_cost", "A valid integer is required."),
    ({"estimated_cost": 100_000_000}, "non_field_errors", "The funding plan must cover the estimated cost."),
    ({"state_budget": 35_000_000, "sponsor_amount": 5_000_000}, "sponsor_name", "Name the sponsor."),
    ({"work_kind": "palace"}, "work_kind", "\"palace\" is not a valid choice."),
])
def test_invalid_proposal_is_refused_with_the_pages_messages(api, world, programme, household, changes, field,
                                                             message):
    response = api(world.commune_officer).post(reverse("api:housing-case-list"),
                                               _proposal(household, programme, **changes), format="json")
    assert response.status_code == 400
    assert message in response.json()[field], response.json()
    assert not HousingCase.objects.exists()


def test_programme_that_does_not_cover_the_household_is_refused(api, world, household):
    elsewhere = ProgrammeFactory(unit=world.other_district)
    response = api(world.commune_officer).post(reverse("api:housing-case-list"), _proposal(household, elsewhere),
                                               format="json")
    assert response.status_code == 400
    assert "programme" in response.json()
    assert not HousingCase.objects.exists()


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR])
def test_only_commune_officers_propose(api, world, programme, household, role):
    response = api(world.viewer(role)).post(reverse("api:housing-case-list"), _proposal(household, programme),
                                            format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == \
        "Only the Front officers of the household's commune can propose a house for it."
    assert not HousingCase.objects.exists()


def test_household_of_another_commune_reads_as_not_found(api, world, programme):
    neighbour = HouseholdFactory(commune=world.sibling_commune)
    response = api(world.commune_officer).post(reverse("api:housing-case-list"), _proposal(neighbour, programme),
                                               format="json")
    assert response.status_code == 400
    assert response.json() == {"household": ["Household not found."]}
    assert not HousingCase.objects.exists()


def test_officer_changes_the_proposal_until_the_district_decides(api, world, programme):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=programme)
    client = api(world.commune_officer)
    url = reverse("api:housing-case-detail", args=[case.pk])

    response = client.patch(url, {"estimated_cost": 95_000_000, "family_amount": 35_000_000, "state": "approved"},
                            format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["estimated_cost"], response.json()["state"]) == (95_000_000, "surveyed")
    case.refresh_from_db()
    assert (case.estimated_cost, case.family_amount, case.state) == (95_000_000, 35_000_000, CaseState.SURVEYED)
    assert client.put(url, {}, format="json").status_code == 405

    HousingCase.objects.filter(pk=case.pk).update(state=CaseState.APPROVED)
    refused = client.patch(url, {"estimated_cost": 90_000_000}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == \
        "The proposal can be changed by its commune's officers until the district decides."
    case.refresh_from_db()
    assert case.estimated_cost == 95_000_000


def test_changing_the_proposal_keeps_the_support_level_rule(api, world, programme):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    before = _row(case)
    response = api(world.commune_officer).patch(reverse("api:housing-case-detail", args=[case.pk]),
                                                {"state_budget": 50_000_000}, format="json")
    assert response.status_code == 400
    assert "exceeds the programme's level" in response.json()["non_field_errors"][0]
    assert _row(case) == before


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER])
def test_readers_cannot_change_the_proposal(api, world, programme, role):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    before = _row(case)
    response = api(world.viewer(role)).patch(reverse("api:housing-case-detail", args=[case.pk]),
                                             {"estimated_cost": 1}, format="json")
    assert response.status_code == 403
    assert _row(case) == before


# -- cases: the workflow -------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(CaseState))
@pytest.mark.parametrize("step", list(Transition))
def test_each_step_is_allowed_for_its_role_from_its_states_only(api, world, programme, settings, step, state):
    case = case_in_state(state, household__commune=world.commune, programme=programme)
    before = _row(case)
    allowed_here = state in STEPS[step].sources
    # The role that may take the step goes last, so that every other role is tried first.
    for role in sorted(EVERY_ROLE, key=lambda role: role == STEP_ROLES[step]):
        response = _take(api(world.viewer(role)), case, step)
        if role != STEP_ROLES[step]:
            assert response.status_code == 403, (role, response.content)
            assert response.json() == {"detail": "Your role cannot take this step on this case."}
        elif not allowed_here:
            assert response.status_code == 400, response.content
            assert "it cannot be moved to" in response.json()["non_field_errors"][0]
        else:
            assert response.status_code == 200, response.content
            body = response.json()
            assert body["state"] == STEPS[step].target
            assert body["transitions"][-1]["name"] == step
            recorded = CaseTransition.objects.get(case=case)
            assert (recorded.name, recorded.from_state, recorded.to_state, recorded.actor, recorded.note) == (
                step, state, STEPS[step].target, world.viewer(role), REASON)
            return
        assert _row(case) == before, f"{role} {step} changed the case"
    assert not CaseTransition.objects.filter(case=case).exists()
    assert _nothing_stored(settings)


def test_each_step_records_its_values(api, world, programme):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    officer, member = api(world.commune_officer), api(world.district_member)
    for client, step in ((officer, Transition.SURVEY), (member, Transition.APPROVE), (officer, Transition.START),
                         (officer, Transition.COMPLETE), (officer, Transition.HAND_OVER)):
        assert _take(client, case, step).status_code == 200, step
    case.refresh_from_db()
    assert (case.state, case.survey_date, case.survey_findings, case.start_date, case.completion_date,
            case.final_cost, case.handover_date) == (
        CaseState.HANDED_OVER, datetime.date(2025, 4, 1), "Nhà dột, vách lá mục", datetime.date(2025, 5, 2),
        datetime.date(2025, 7, 2), 79_000_000, datetime.date(2025, 7, 20))
    record = CaseAttachment.objects.get(case=case)
    assert (record.kind, record.original_name) == (AttachmentKind.HANDOVER_RECORD, "bien-ban-ban-giao.pdf")


@pytest.mark.parametrize("step", [Transition.REJECT, Transition.CANCEL])
def test_rejecting_or_cancelling_needs_a_reason(api, world, programme, step):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=programme)
    response = _take(api(world.district_member), case, step, note="  ")
    assert response.status_code == 400
    assert response.json() == {"note": ["Give the reason."]}
    assert HousingCase.objects.get(pk=case.pk).state == CaseState.SURVEYED


@pytest.mark.parametrize(("state", "step", "body", "errors"), [
    (CaseState.PROPOSED, Transition.SURVEY, {},
     {"survey_date": ["This field is required."], "survey_findings": ["This field is required."]}),
    (CaseState.CONSTRUCTION_STARTED, Transition.COMPLETE, {"completion_date": "2025-07-02", "final_cost": 0},
     {"final_cost": ["Ensure this value is greater than or equal to 1."]}),
    (CaseState.APPROVED, Transition.START, {"start_date": "2099-01-01"},
     {"start_date": ["The date cannot be in the future."]}),
    (CaseState.APPROVED, Transition.START, {"start_date": "2025-03-01"},
     {"start_date": ["The date cannot be before the case's previous step (01/04/2025)."]}),
    (CaseState.APPROVED, Transition.START, {"start_date": "01/05/2025"},
     {"start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
])
def test_steps_refuse_missing_or_wrong_values_keyed_by_field(api, world, programme, state, step, body, errors):
    case = case_in_state(state, household__commune=world.commune, programme=programme)
    before = _row(case)
    response = api(world.commune_officer).post(_step_url(step, case), body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert _row(case) == before
    assert not CaseTransition.objects.exists()


def test_handing_over_needs_the_handover_record(api, world, programme):
    case = case_in_state(CaseState.COMPLETED, household__commune=world.commune, programme=programme)
    client = api(world.commune_officer)
    response = client.post(_step_url(Transition.HAND_OVER, case), {"handover_date": "2025-07-20"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"handover_record": ["Attach the handover record."]}
    services.attachment_add(actor=world.commune_officer, case=case, kind=AttachmentKind.HANDOVER_RECORD,
                            uploaded_file=_handover_record())
    response = client.post(_step_url(Transition.HAND_OVER, case), {"handover_date": "2025-07-20"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "handed_over"


def test_a_handover_record_that_is_not_what_it_claims_refuses_the_step(api, world, programme, settings):
    case = case_in_state(CaseState.COMPLETED, household__commune=world.commune, programme=programme)
    response = _take(api(world.commune_officer), case, Transition.HAND_OVER,
                     handover_record=_handover_record("bien-ban.jpg"))
    assert response.status_code == 400
    assert "but the file is a PDF" in response.json()["non_field_errors"][0]
    assert HousingCase.objects.get(pk=case.pk).state == CaseState.COMPLETED
    assert not CaseTransition.objects.exists()
    assert _nothing_stored(settings)


# -- attachments ------------------------------------------------------------------------------------------


def test_a_valid_png_is_attached(api, world, programme):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    response = api(world.commune_officer).post(
        reverse("api:housing-case-attachments", args=[case.pk]),
        {"kind": "photo_before", "file": SimpleUploadedFile("anh-nha.png", TINY_PNG)}, format="multipart",
    )
    assert response.status_code == 201, response.content
    attachment = CaseAttachment.objects.get(case=case)
    body = response.json()
    assert (body["id"], body["kind"], body["original_name"], body["content_type"], body["size"]) == (
        attachment.pk, "photo_before", "anh-nha.png", "image/png", len(TINY_PNG))
    assert body["download_url"].endswith(reverse("housing:attachment-download", args=[attachment.pk]))
    assert body["thumbnail_url"] is None, "a worker makes it once the upload has committed"
    assert attachment.file.read() == TINY_PNG
    assert attachment.uploaded_by == world.commune_officer


def test_a_pdf_named_jpg_is_refused_and_nothing_is_stored(api, world, programme, settings):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    response = api(world.commune_officer).post(
        reverse("api:housing-case-attachments", args=[case.pk]),
        {"kind": "document", "file": SimpleUploadedFile("quyet-dinh.jpg", TINY_PDF)}, format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [
        "The file's name ends in “.jpg” but the file is a PDF. Choose the right file or give it the right name."]}
    assert _nothing_stored(settings)


@pytest.mark.parametrize(("body", "errors"), [
    ({"kind": "selfie"}, {"kind": ["\"selfie\" is not a valid choice."], "file": ["No file was submitted."]}),
    ({"kind": "document", "file": ""}, {"file": [
        "The submitted data was not a file. Check the encoding type on the form."]}),
])
def test_an_attachment_without_a_file_or_kind_is_refused(api, world, programme, settings, body, errors):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    response = api(world.commune_officer).post(reverse("api:housing-case-attachments", args=[case.pk]), body,
                                               format="multipart")
    assert response.status_code == 400
    assert response.json() == errors
    assert _nothing_stored(settings)


def test_files_cannot_be_attached_to_a_cancelled_case(api, world, programme, settings):
    case = case_in_state(CaseState.CANCELLED, household__commune=world.commune, programme=programme)
    response = api(world.commune_officer).post(
        reverse("api:housing-case-attachments", args=[case.pk]),
        {"kind": "photo_before", "file": SimpleUploadedFile("anh-nha.png", TINY_PNG)}, format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Files cannot be attached to a rejected or cancelled case."]}
    assert _nothing_stored(settings)


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR])
def test_only_the_communes_officers_attach_files(api, world, programme, settings, role):
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    response = api(world.viewer(role)).post(
        reverse("api:housing-case-attachments", args=[case.pk]),
        {"kind": "photo_before", "file": SimpleUploadedFile("anh-nha.png", TINY_PNG)}, format="multipart",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the Front officers of the case's commune can attach files to it."}
    assert _nothing_stored(settings)


def test_callers_who_may_not_act_get_403_whatever_they_send(api, world, programme):
    """The role is checked before the body is read, as the pages do before showing a form: an
    empty or malformed body earns a 403, not a list of fields to fix."""
    case = HousingCaseFactory(household__commune=world.commune, programme=programme)
    member, officer = api(world.district_member), api(world.commune_officer)
    responses = {
        "survey": member.post(_step_url(Transition.SURVEY, case), {"survey_date": "hôm qua"}, format="json"),
        "cancel": officer.post(_step_url(Transition.CANCEL, case), {"note": ["?"]}, format="json"),
        "proposal": member.patch(reverse("api:housing-case-detail", args=[case.pk]), {"estimated_cost": "?"},
                                 format="json"),
        "attach": member.post(reverse("api:housing-case-attachments", args=[case.pk]), {}, format="multipart"),
        "propose": member.post(reverse("api:housing-case-list"), {}, format="json"),
        "programme": officer.post(reverse("api:housing-programme-list"), {}, format="json"),
        "targets": officer.post(reverse("api:housing-programme-targets", args=[programme.pk]), {}, format="json"),
    }
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(responses, 403)
    assert responses["survey"].json() == {"detail": "Your role cannot take this step on this case."}


# -- out of scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["sibling_officer", "other_district_member"])
def test_outsiders_get_404_on_the_case_and_every_action_and_change_nothing(api, world, programme, settings,
                                                                           outsider):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=programme)
    before = _row(case)
    user = (CommuneOfficerFactory(unit=world.sibling_commune) if outsider == "sibling_officer"
            else DistrictMemberFactory(unit=world.other_district))
    client = api(user)
    detail = reverse("api:housing-case-detail", args=[case.pk])
    responses = [
        client.get(detail),
        client.patch(detail, {"estimated_cost": 1}, format="json"),
        client.post(reverse("api:housing-case-attachments", args=[case.pk]),
                    {"kind": "photo_before", "file": SimpleUploadedFile("anh-nha.png", TINY_PNG)}, format="multipart"),
        *(_take(client, case, step) for step in Transition),
    ]
    assert [response.status_code for response in responses] == [404] * len(responses)
    for response in responses:
        assert case.household.code not in response.content.decode()
    assert client.get(reverse("api:housing-case-list")).json()["count"] == 0
    assert _row(case) == before
    assert not CaseTransition.objects.exists()
    assert _nothing_stored(settings)


# -- language and documentation --------------------------------------------------------------------------


def test_answers_are_in_english_when_the_caller_chose_it_and_in_vietnamese_otherwise(api, world, programme):
    proposed = HousingCaseFactory(household__commune=world.commune, programme=programme)
    surveyed = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme=programme)

    def answers(**language):
        officer, member = api(world.commune_officer, **language), api(world.district_member, **language)
        # The browser's Accept-Language does not choose the language: only the language switch does.
        accept = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
        fields = officer.post(_step_url(Transition.SURVEY, proposed), {}, format="json", **accept)
        reason = member.post(_step_url(Transition.REJECT, surveyed), {"note": ""}, format="json", **accept)
        role = member.post(_step_url(Transition.SURVEY, proposed), {}, format="json", **accept)
        return (fields["Content-Language"], fields.json()["survey_date"][0], reason.json()["note"][0],
                role.json()["detail"])

    assert answers() == ("en", "This field is required.", "Give the reason.",
                         "Your role cannot take this step on this case.")
    assert answers(language=None) == ("vi", "Thông tin này là bắt buộc.", "Hãy nêu lý do.",
                                      "Vai trò của bạn không được thực hiện bước này đối với hồ sơ này.")
    assert not CaseTransition.objects.exists()


def test_schema_documents_programmes_cases_steps_and_the_page_filters(api, world):
    schema = yaml.safe_load(api(world.commune_officer).get(reverse("api-schema")).content)
    paths = schema["paths"]
    steps = {f"/api/v1/housing/cases/{{id}}/{step.replace('_', '-')}/" for step in Transition}
    assert {"/api/v1/housing/programmes/", "/api/v1/housing/programmes/{id}/",
            "/api/v1/housing/programmes/{id}/targets/", "/api/v1/housing/cases/", "/api/v1/housing/cases/{id}/",
            "/api/v1/housing/cases/{id}/attachments/", *steps} <= set(paths)
    case_filters = {p["name"] for p in paths["/api/v1/housing/cases/"]["get"]["parameters"]}
    assert {"q", "programme", "unit", "state", "work_kind", "overdue"} <= case_filters
    programme_filters = {p["name"] for p in paths["/api/v1/housing/programmes/"]["get"]["parameters"]}
    assert {"q", "kind", "year", "running"} <= programme_filters
    assert {"get", "patch"} <= set(paths["/api/v1/housing/cases/{id}/"])
    assert not {"put", "delete"} & set(paths["/api/v1/housing/cases/{id}/"])
    hand_over = paths["/api/v1/housing/cases/{id}/hand-over/"]["post"]["requestBody"]["content"]
    record = hand_over["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][record]["properties"]["handover_record"]["format"] == "binary"
    upload = paths["/api/v1/housing/cases/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert "application/json" not in upload
    detail = paths["/api/v1/housing/programmes/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    programme_schema = schema["components"]["schemas"][detail["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"targets", "progress"} <= set(programme_schema["properties"])

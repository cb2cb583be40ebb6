"""The typical models' API: the pages' scope, roles and services, as JSON, in both eras."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from donations.models import PostingLine
from frontwelfare.accounts.models import User
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.reports.models import Report
from models_registry import services
from models_registry.choices import Decision, ModelState
from models_registry.models import (
    Award,
    Inspection,
    Meeting,
    ModelAttachment,
    ModelSupport,
    Notice,
    Reopening,
    Round,
    StudyVisit,
    TypicalModel,
)
from models_registry.services import SYNTHESIS_REPORT

from ..donations.factories import fund_of, receipt_into
from ..factories import (
    CommuneFactory,
    CommuneOfficerFactory,
    DistrictFactory,
    DistrictMemberFactory,
    ProvincialOfficerFactory,
)
from ..housing.factories import TINY_PNG
from .factories import MET_ON, YEAR, model_in_state, scores_for

DEFAULT_CRITERIA_NAMES = ["Hiệu quả", "Sức lan tỏa và khả năng nhân rộng", "Sự tham gia của cộng đồng",
                          "Tính bền vững", "Tính sáng tạo"]
NOT_LEVEL_ABOVE = ("Only the standing committee above the commune (the district's, or the province's for the current "
                   "units) can do this.")
STEP_NOT_FOR_ROLE = "Your role cannot take this step on this model."
NOT_MODEL_OFFICER = "Only the Front officers of the model's commune can change its registration."
LEVEL_ABOVE_RECORDS = "Agency meetings are the records of the level above; a model's page shows the decision on it."


def at(day: datetime.date):
    """Today is ``day`` (in the afternoon, in Vietnam) inside the block."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in English (the msgids). Made inside a
    time-travel block, its session starts on that day."""

    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@dataclass
class Side:
    """A commune, its Front officer, and the standing committee member above it (the district's
    before the reform, the province's for the current units)."""

    commune: AdministrativeUnit
    officer: User
    above: User


@pytest.fixture
def current(world) -> Side:
    commune = CommuneFactory(parent=world.province, district=None, era="current", name="Phường An Hội")
    return Side(commune, CommuneOfficerFactory(unit=commune), world.provincial_officer)


@pytest.fixture(params=["legacy", "current"])
def side(request, world) -> Side:
    if request.param == "legacy":
        return Side(world.commune, world.commune_officer, world.district_member)
    return request.getfixturevalue("current")


def _url(name: str, model, **kwargs) -> str:
    return reverse(f"api:models-model-{name}", kwargs={"pk": getattr(model, "pk", model), **kwargs})


def _step(model, step: str) -> str:
    return _url("step", model, step=step)


def _round_url(name: str, round_) -> str:
    return reverse(f"api:models-round-{name}", args=[getattr(round_, "pk", round_)])


def _registration(**changes) -> dict:
    return {"year": YEAR, "name": "Đào giếng nước sạch", "field": "social_security", "leader_name": "Hội Phụ nữ xã",
            "goals": "Mỗi ấp một giếng nước sạch", "started_on": "2025-01-15", "expected_results": "20 giếng",
            "participants": 120, "budget": 150_000_000, "budget_sources": "Xã hội hóa",
            "description": "Vận động đào giếng cho hộ nghèo", **changes}


def _steps_offered(body) -> list[tuple[str, str]]:
    return [(step["name"], step["via"]) for step in body["available_steps"]]


def _photo(name="gieng.png"):
    return SimpleUploadedFile(name, TINY_PNG, content_type="image/png")


def _scores(model, points=None) -> list[dict]:
    return [{"criterion": criterion, "points": given}
            for criterion, given in scores_for(model, points).items()]


def _row(model) -> dict:
    return TypicalModel.objects.filter(pk=model.pk).values().get()


# -- the whole flow ----------------------------------------------------------------------------------------


def test_a_model_goes_from_draft_to_recognition_through_the_api_in_both_eras(api, world, side):
    with at(datetime.date(2025, 3, 10)):
        officer = api(side.officer)
        made = officer.post(reverse("api:models-model-list"), _registration(), format="json")
        assert made.status_code == 201, made.content
        model = made.json()
        pk = model["id"]
        assert (model["state"], model["commune"]["id"], model["year"], model["can_edit"]) == (
            "draft", side.commune.pk, YEAR, True)
        assert _steps_offered(model) == [("register", "direct")]
        assert model["available_steps"][0]["url"] == f"http://testserver/api/v1/models/models/{pk}/steps/register/"
        round_ = Round.objects.get(pk=model["round"])
        assert round_.unit == (side.commune.district or side.commune.province)

        attached = officer.post(_url("attachments", pk), {"kind": "photo", "file": _photo()}, format="multipart")
        assert attached.status_code == 201, attached.content
        assert (attached.json()["original_name"], attached.json()["kind"]) == ("gieng.png", "photo")
        for step in ("register", "submit"):
            moved = officer.post(_step(pk, step), {}, format="json")
            assert moved.status_code == 200, moved.content
        assert (moved.json()["state"], moved.json()["can_edit"], _steps_offered(moved.json())) == (
            "submitted", False, [])

    with at(datetime.date(2025, 6, 25)):
        above = api(side.above)
        assert _steps_offered(above.get(_url("detail", pk)).json()) == [("return", "direct"), ("plan", "plan")]
        planned = above.post(_url("plan", pk), {"officers": "Ban Phong trào", "planned_on": "2025-06-20",
                                                "decided_on": "2025-06-15"}, format="json")
        assert planned.status_code == 200, planned.content
        assert planned.json()["planned_inspection"]["officers"] == "Ban Phong trào"
        assert _steps_offered(planned.json()) == [("inspect", "inspection")]
        criteria = above.get(_round_url("detail", round_)).json()["criteria"]
        sheet = [{"criterion": criterion["id"], "points": criterion["weight"] - 2} for criterion in criteria]
        inspected = above.post(_url("inspection", pk), {"inspected_on": "2025-06-20", "officers": "Ông A, bà B",
                                                        "findings": "Giếng dùng tốt", "scores": sheet}, format="json")
        assert inspected.status_code == 200, inspected.content
        inspection = inspected.json()["inspection"]
        assert (inspection["total_score"], inspection["criteria_version"]) == (90, 1)
        assert [score["criterion"]["name"] for score in inspection["scores"]] == DEFAULT_CRITERIA_NAMES

    with at(datetime.date(2025, 9, 10)):
        above = api(side.above)
        meeting = above.post(reverse("api:models-meeting-list"), {
            "round": round_.pk, "held_on": MET_ON.isoformat(), "chaired_by": "Chủ tịch Ủy ban MTTQ",
            "participants": "Ban Thường trực", "models": [pk]}, format="json")
        assert meeting.status_code == 201, meeting.content
        assert [(item["model"]["id"], item["score"], item["decision"]) for item in meeting.json()["items"]] == [
            (pk, 90, "")]
        assert _steps_offered(above.get(_url("detail", pk)).json()) == [("recognise", "decision"),
                                                                          ("not_recognise", "decision")]
        decided = above.post(_url("decision", pk), {"decision": "recognised", "note": "Tiêu biểu"}, format="json")
        assert decided.status_code == 200, decided.content
        assert decided.json()["state"] == "recognised"
        assert decided.json()["decision"] == {"presented_on": "2025-09-05", "score": 90, "decision": "recognised",
                                              "note": "Tiêu biểu"}
        notice = above.post(reverse("api:models-notice-list"), {
            "round": round_.pk, "number": 15, "issued_on": "2025-09-10", "signer": "Nguyễn Văn Ký",
            "signer_title": "PHÓ CHỦ TỊCH", "recipients": "Như trên\nLưu VT", "models": [pk]}, format="json")
        assert notice.status_code == 201, notice.content
        assert (notice.json()["reference"], notice.json()["recipients"]) == ("15/TB-MTTQ", ["Như trên", "Lưu VT"])
        assert [row["id"] for row in notice.json()["models"]] == [pk]
        award = above.post(_url("awards", pk), {"kind": "certificate", "title": "Giấy khen",
                                                "awarded_on": "2025-09-10", "notice": notice.json()["id"]},
                           format="json")
        assert award.status_code == 201, award.content
        support = above.post(_url("support", pk), {"kind": "advice", "given_on": "2025-09-10",
                                                   "description": "Hướng dẫn nhân rộng"}, format="json")
        assert support.status_code == 201, support.content

        officer = api(side.officer)
        visit = officer.post(_url("visits", pk), {"visited_on": "2025-09-08", "people": 25,
                                                  "visiting_unit": world.sibling_commune.pk}, format="json")
        assert visit.status_code == 201, visit.content
        assert visit.json()["visiting_unit"]["name"] == "Xã Phú Mỹ"
        media = officer.post(_url("media", pk), {"outlet": "Báo Đồng Khởi", "title": "Giếng nước cho hộ nghèo",
                                                 "published_on": "2025-09-09"}, format="json")
        assert media.status_code == 201, media.content

        page = officer.get(_url("detail", pk)).json()
        assert [step["name"] for step in page["steps"]] == ["", "register", "submit", "plan", "inspect", "present",
                                                           "recognise"]
        assert page["replication"] == {"communes": 0, "visits": 1, "people": 25, "media": 1}
        assert [(award["title"], award["notice"], award["fund"]) for award in page["awards"]] == [
            ("Giấy khen", notice.json()["id"], None)]
        assert [item["description"] for item in page["support"]] == ["Hướng dẫn nhân rộng"]
        assert [attachment["original_name"] for attachment in page["attachments"]] == ["gieng.png"]
        # The notice is addressed to the round's communes: the commune reads it on its model.
        assert [row["reference"] for row in page["notices"]] == ["15/TB-MTTQ"]
        assert _steps_offered(page) == []
        shown_above = above.get(_url("detail", pk)).json()
        assert shown_above["notices"] == [{"id": notice.json()["id"], "reference": "15/TB-MTTQ",
                                           "issued_on": "2025-09-10"}]
        assert _steps_offered(shown_above) == [("propose_higher", "direct")]
        board = above.get(_round_url("board", round_)).json()
        assert (board["total"], board["states"]["recognised"], board["states"]["draft"]) == (1, 1, 0)


def test_a_district_member_is_refused_a_current_era_communes_model_and_round(api, world, current):
    model = model_in_state(ModelState.SUBMITTED, officer=current.officer, approver=current.above)
    before = _row(model)
    member = api(world.district_member)

    assert member.get(_url("detail", model)).status_code == 404
    assert member.post(_url("plan", model), {"officers": "Ban Phong trào", "planned_on": "2025-06-10"},
                       format="json").status_code == 404
    assert member.post(_step(model, "return"), {"note": "Bổ sung"}, format="json").status_code == 404
    assert model.pk not in [row["id"] for row in member.get(reverse("api:models-model-list")).json()["results"]]
    # The province's round is seen from the district below it, and run by the province only.
    assert member.get(_round_url("detail", model.round)).json()["can_manage"] is False
    refused = member.post(_round_url("criteria", model.round), {"criteria": [{"name": "Hiệu quả", "weight": 100}]},
                          format="json")
    assert (refused.status_code, refused.json()) == (403, {"detail": NOT_LEVEL_ABOVE})
    assert _row(model) == before
    assert model.round.criteria.count() == 5

    province = api(current.above)
    assert _steps_offered(province.get(_url("detail", model)).json()) == [("return", "direct"), ("plan", "plan")]


@pytest.mark.parametrize("role", ["commune_officer", "provincial_officer"])
def test_those_in_scope_who_are_not_the_level_above_are_refused_its_actions_with_403(api, world, role):
    officer, member = world.commune_officer, world.district_member
    submitted = model_in_state(ModelState.SUBMITTED, officer=officer, approver=member, name="Hũ gạo tình thương")
    planned = model_in_state(ModelState.PLANNED, officer=officer, approver=member, name="Heo đất tiết kiệm")
    presented = model_in_state(ModelState.PRESENTED, officer=officer, approver=member, name="Sân phơi xi măng")
    recognised = model_in_state(ModelState.RECOGNISED, officer=officer, approver=member, name="Nuôi bò sinh sản")
    models = (submitted, planned, presented, recognised)
    rows = [_row(model) for model in models]
    round_ = submitted.round
    client = api(world.viewer(role))

    writes = [
        (_step(submitted, "return"), {"note": "Bổ sung"}, STEP_NOT_FOR_ROLE),
        (_url("plan", submitted), {"officers": "Ban Phong trào", "planned_on": "2025-06-10"}, STEP_NOT_FOR_ROLE),
        (_url("support", submitted), {"kind": "advice", "given_on": "2025-05-01", "description": "Tư vấn"},
         NOT_LEVEL_ABOVE),
        (_url("inspection", planned), {"inspected_on": "2025-06-12", "officers": "Ông A", "findings": "Tốt",
                                       "scores": _scores(planned)}, STEP_NOT_FOR_ROLE),
        (_url("decision", presented), {"decision": "recognised"}, STEP_NOT_FOR_ROLE),
        (_url("awards", recognised), {"kind": "certificate", "title": "Giấy khen", "awarded_on": "2025-10-01"},
         NOT_LEVEL_ABOVE),
        (_step(recognised, "propose_higher"), {"note": "Đề nghị khen cấp tỉnh"}, STEP_NOT_FOR_ROLE),
        (_round_url("criteria", round_), {"criteria": [{"name": "Hiệu quả", "weight": 100}]}, NOT_LEVEL_ABOVE),
        (_round_url("reopen", round_), {"commune": world.commune.pk, "until": "2026-12-31", "reason": "Lũ"},
         NOT_LEVEL_ABOVE),
        (_round_url("send", round_), {}, NOT_LEVEL_ABOVE),
        (reverse("api:models-meeting-list"), {"round": round_.pk, "held_on": "2025-09-05", "chaired_by": "A",
                                              "participants": "B", "models": [planned.pk]}, NOT_LEVEL_ABOVE),
        (reverse("api:models-notice-list"), {"round": round_.pk, "number": 3, "issued_on": "2025-09-20",
                                             "signer": "A", "signer_title": "B", "recipients": "C",
                                             "models": [recognised.pk]}, NOT_LEVEL_ABOVE),
    ]
    for url, body, message in writes:
        response = client.post(url, body, format="json")
        assert (response.status_code, response.json()) == (403, {"detail": message}), url
    patched = client.patch(_round_url("detail", round_), {"deadline": "2025-04-30"}, format="json")
    assert (patched.status_code, patched.json()) == (403, {"detail": NOT_LEVEL_ABOVE})

    assert [_row(model) for model in models] == rows
    assert Round.objects.filter(pk=round_.pk).values_list("deadline", "criteria_version", "synthesis_sent_at").get() \
        == (datetime.date(2025, 3, 31), 1, None)
    assert not (ModelSupport.objects.exists() or Award.objects.exists() or Reopening.objects.exists())
    assert Meeting.objects.count() == 2 and not Notice.objects.exists()  # the factories' meetings only


def test_the_commune_takes_its_own_steps_and_the_level_above_does_not(api, world):
    draft = model_in_state(ModelState.DRAFT, officer=world.commune_officer)
    officer, member = api(world.commune_officer), api(world.district_member)

    assert _steps_offered(officer.get(_url("detail", draft)).json()) == [("register", "direct")]
    assert _steps_offered(member.get(_url("detail", draft)).json()) == []
    refused = member.post(_url("attachments", draft), {"kind": "photo", "file": _photo()}, format="multipart")
    assert (refused.status_code, refused.json()) == (403, {"detail": NOT_MODEL_OFFICER})
    for body in ({"name": "Khác"}, None):
        response = member.patch(_url("detail", draft), body, format="json") if body else member.delete(
            _url("detail", draft))
        assert (response.status_code, response.json()) == (403, {"detail": NOT_MODEL_OFFICER})
    with at(datetime.date(2025, 3, 20)):
        refused = api(world.district_member).post(_step(draft, "register"), {}, format="json")
        assert (refused.status_code, refused.json()) == (403, {"detail": STEP_NOT_FOR_ROLE})
    assert _row(draft)["state"] == ModelState.DRAFT and not ModelAttachment.objects.exists()


def test_returning_a_model_needs_the_reason_and_gives_it_back_to_the_commune(api, world):
    submitted = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, approver=world.district_member)
    member = api(world.district_member)

    refused = member.post(_step(submitted, "return"), {"note": " "}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"note": ["Give the reason."]})
    returned = member.post(_step(submitted, "return"), {"note": "Bổ sung kết quả dự kiến"}, format="json")
    assert returned.status_code == 200, returned.content
    assert returned.json()["steps"][-1]["note"] == "Bổ sung kết quả dự kiến"

    officer = api(world.commune_officer)
    changed = officer.patch(_url("detail", submitted), {"expected_results": "25 giếng"}, format="json")
    assert (changed.status_code, changed.json()["expected_results"], changed.json()["can_edit"]) == (
        200, "25 giếng", True)
    # Submitted again after the deadline: a returned model is not held back by it.
    assert officer.post(_step(submitted, "submit"), {}, format="json").json()["state"] == "submitted"
    refused = officer.patch(_url("detail", submitted), {"expected_results": "30 giếng"}, format="json")
    assert (refused.status_code, refused.json()) == (403, {"detail": NOT_MODEL_OFFICER})


def test_only_a_draft_is_deleted(api, world):
    draft = model_in_state(ModelState.DRAFT, officer=world.commune_officer)
    registered = model_in_state(ModelState.REGISTERED, officer=world.commune_officer, name="Heo đất")
    officer = api(world.commune_officer)

    refused = officer.delete(_url("detail", registered))
    assert (refused.status_code, refused.json()) == (403, {
        "detail": "Only a draft can be deleted, by its commune's officers."})
    assert officer.delete(_url("detail", draft)).status_code == 204
    assert list(TypicalModel.objects.values_list("pk", flat=True)) == [registered.pk]


@pytest.mark.parametrize(("changes", "errors"), [
    ({"leader_name": ""}, {"leader_name": ["Name the member organisation or the person leading the model."]}),
    ({"started_on": "2099-01-01"}, {"started_on": ["The date cannot be in the future."]}),
    ({"budget": -1}, {"budget": ["Ensure this value is greater than or equal to 0."]}),
    ({"budget": "150000000"}, {"budget": [
        "Give the amount as a whole number of đồng: a JSON integer, without quotes or decimals."]}),
    ({"field": "sports"}, {"field": ['"sports" is not a valid choice.']}),
])
def test_an_invalid_registration_is_refused_with_field_messages(api, world, changes, errors):
    response = api(world.commune_officer).post(reverse("api:models-model-list"), _registration(**changes),
                                               format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert not TypicalModel.objects.exists()


def test_only_a_communes_officers_register_models(api, world):
    for user in (world.district_member, world.provincial_officer, world.administrator):
        response = api(user).post(reverse("api:models-model-list"), _registration(), format="json")
        assert (response.status_code, response.json()) == (403, {
            "detail": "Models are registered by the Front officers of a commune."})
    assert not TypicalModel.objects.exists()


# -- the deadline and reopening ----------------------------------------------------------------------------


def test_registering_after_the_deadline_needs_the_round_reopened_for_the_commune(api, world):
    with at(datetime.date(2025, 4, 10)):
        officer = api(world.commune_officer)
        pk = officer.post(reverse("api:models-model-list"), _registration(), format="json").json()["id"]
        refused = officer.post(_step(pk, "register"), {}, format="json")
        assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [
            "The round's deadline (31/03/2025) has passed: ask the level above to reopen it for your commune."]})
        round_ = TypicalModel.objects.get(pk=pk).round
        body = {"commune": world.commune.pk, "until": "2025-04-20", "reason": "Xã bị ngập lụt"}
        assert officer.post(_round_url("reopen", round_), body, format="json").status_code == 403

        member = api(world.district_member)
        for changes, errors in (
            ({"until": "2025-04-01"}, {"until": ["The day it stays open until cannot be in the past."]}),
            ({"reason": " "}, {"reason": ["Give the reason."]}),
            ({"commune": world.other_district_commune.pk},
             {"commune": ["The commune is not one of this round's communes."]}),
        ):
            response = member.post(_round_url("reopen", round_), {**body, **changes}, format="json")
            assert (response.status_code, response.json()) == (400, errors)
        reopened = member.post(_round_url("reopen", round_), body, format="json")
        assert reopened.status_code == 200, reopened.content
        member.post(_round_url("reopen", round_), {**body, "commune": world.sibling_commune.pk}, format="json")
        (shown,) = officer.get(_round_url("detail", round_)).json()["reopenings"]  # not the sibling's
        assert (shown["commune"]["id"], shown["until"], shown["reason"], shown["reopened_by"]) == (
            world.commune.pk, "2025-04-20", "Xã bị ngập lụt", "Nguyễn Văn An")
        assert len(member.get(_round_url("detail", round_)).json()["reopenings"]) == 2

        for step in ("register", "submit"):
            moved = officer.post(_step(pk, step), {}, format="json")
            assert moved.status_code == 200, moved.content
        assert moved.json()["state"] == "submitted"

    with at(datetime.date(2025, 4, 21)):
        officer = api(world.commune_officer)
        late = officer.post(reverse("api:models-model-list"), _registration(name="Heo đất"), format="json").json()
        assert officer.post(_step(late["id"], "register"), {}, format="json").status_code == 400
        assert TypicalModel.objects.get(pk=late["id"]).state == ModelState.DRAFT


def test_the_level_above_sets_up_its_round_and_moves_its_dates(api, world):
    member = api(world.district_member)
    made = member.post(reverse("api:models-round-list"), {"year": 2026, "deadline": "2026-04-15"}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["unit"]["id"], made.json()["deadline"], made.json()["can_manage"]) == (
        world.district.pk, "2026-04-15", True)
    assert [criterion["name"] for criterion in made.json()["criteria"]] == DEFAULT_CRITERIA_NAMES
    again = member.post(reverse("api:models-round-list"), {"year": 2026}, format="json")
    assert (again.status_code, again.json()) == (400, {"year": ["This unit already has a round for this year."]})

    url = _round_url("detail", made.json()["id"])
    refused = member.patch(url, {"deadline": "2027-01-10"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"deadline": ["The deadline is a day of the round's year."]})
    moved = member.patch(url, {"deadline": "2026-05-05", "mid_year_review_on": "2026-08-31"}, format="json")
    assert (moved.json()["deadline"], moved.json()["mid_year_review_on"]) == ("2026-05-05", "2026-08-31")
    for user in (world.commune_officer, world.administrator):
        response = api(user).post(reverse("api:models-round-list"), {"year": 2027}, format="json")
        assert (response.status_code, response.json()) == (403, {"detail": NOT_LEVEL_ABOVE})
    assert Round.objects.count() == 1
    # The province runs the round of its communes of the current units.
    province = api(world.provincial_officer).post(reverse("api:models-round-list"), {"year": 2026}, format="json")
    assert (province.status_code, province.json()["unit"]["id"]) == (201, world.province.pk)


# -- criteria and scores ----------------------------------------------------------------------------------


def test_changing_criteria_after_an_inspection_makes_a_new_version_and_the_inspection_keeps_its_own(api, world):
    inspected = model_in_state(ModelState.INSPECTED, officer=world.commune_officer, approver=world.district_member)
    planned = model_in_state(ModelState.PLANNED, commune=world.sibling_commune, approver=world.district_member)
    old_sheet = _scores(planned)
    round_ = inspected.round
    member = api(world.district_member)

    body = member.post(_round_url("criteria", round_), {"criteria": [
        {"name": "Hiệu quả kinh tế", "description": "Thu nhập tăng", "weight": 60},
        {"name": "Sức lan tỏa", "weight": 40}]}, format="json").json()
    assert body["criteria_version"] == 2
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [("Hiệu quả kinh tế", 60), ("Sức lan tỏa", 40)]
    assert [version["version"] for version in body["criteria_versions"]] == [1, 2]
    assert [c["name"] for c in body["criteria_versions"][0]["criteria"]] == DEFAULT_CRITERIA_NAMES
    first = member.get(_url("detail", inspected)).json()["inspection"]
    assert (first["criteria_version"], first["total_score"]) == (1, 100)
    assert [score["criterion"]["name"] for score in first["scores"]] == DEFAULT_CRITERIA_NAMES

    inspection = {"inspected_on": "2025-06-12", "officers": "Ông A", "findings": "Tốt"}
    refused = member.post(_url("inspection", planned), {**inspection, "scores": old_sheet}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"scores": [
        "Give a score for each criterion of the round, and only those."]})
    planned = TypicalModel.objects.get(pk=planned.pk)  # its round, read again: the criteria in force changed
    accepted = member.post(_url("inspection", planned), {**inspection, "scores": _scores(planned, [50, 30])},
                           format="json")
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["inspection"]["criteria_version"], accepted.json()["inspection"]["total_score"]) == (2, 80)


def test_criteria_changed_before_any_inspection_replace_the_version_in_force(api, world):
    round_ = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer).round
    member = api(world.district_member)
    url = _round_url("criteria", round_)

    refused = member.post(url, {"criteria": [{"name": "Hiệu quả", "weight": 50}, {"name": "Lan tỏa", "weight": 40}]},
                          format="json")
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [
        "The weights add up to 90 points; they must add up to 100."]})
    body = member.post(url, {"criteria": [{"name": "Hiệu quả", "weight": 50}, {"name": "Lan tỏa", "weight": 50}]},
                       format="json").json()
    assert (body["criteria_version"], [version["version"] for version in body["criteria_versions"]]) == (1, [1])
    assert round_.criteria.count() == 2


@pytest.mark.parametrize(("sheet", "errors"), [
    (lambda scores: [{**scores[0], "points": 31}, *scores[1:]],
     {"scores": ["“Hiệu quả” is scored from 0 to 30 points."]}),
    (lambda scores: [{**scores[0], "points": -1}, *scores[1:]],
     {"scores": {"0": {"points": ["Ensure this value is greater than or equal to 0."]}}}),
    (lambda scores: scores[1:], {"scores": ["Give a score for each criterion of the round, and only those."]}),
    (lambda scores: [*scores, scores[0]], {"scores": ["Each criterion may be scored only once."]}),
])
def test_scores_outside_the_criteria_are_refused_and_nothing_is_recorded(api, world, sheet, errors):
    planned = model_in_state(ModelState.PLANNED, officer=world.commune_officer, approver=world.district_member)
    response = api(world.district_member).post(_url("inspection", planned), {
        "inspected_on": "2025-06-12", "officers": "Ông A", "findings": "Tốt", "scores": sheet(_scores(planned))},
        format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert _row(planned)["state"] == ModelState.PLANNED
    assert not Inspection.objects.exists()


# -- synthesis, board, send ----------------------------------------------------------------------------------


def test_synthesis_lists_each_communes_registrations_by_field_within_the_callers_scope(api, world):
    water = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, name="Đào giếng nước sạch")
    cows = model_in_state(ModelState.REGISTERED, officer=world.commune_officer, name="Nuôi bò sinh sản",
                          field="economy")
    model_in_state(ModelState.DRAFT, officer=world.commune_officer, name="Bản nháp")
    url = _round_url("synthesis", water.round)

    rows = {row["commune"]["name"]: row for row in api(world.district_member).get(url).json()["rows"]}
    assert set(rows) == {"Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ"}
    assert rows["Xã Phú Mỹ"]["registered_none"] is True
    own = rows["Thị trấn Phước Mỹ Trung"]
    assert (own["total"], own["registered_none"]) == (2, False)
    assert [(group["field"], [model["id"] for model in group["models"]]) for group in own["by_field"]] == [
        ("economy", [cows.pk]), ("social_security", [water.pk])]
    (only,) = api(world.commune_officer).get(url).json()["rows"]
    assert only["commune"]["id"] == world.commune.pk


def test_board_counts_the_rounds_models_the_caller_sees_by_state(api, world):
    submitted = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    model_in_state(ModelState.DRAFT, commune=world.sibling_commune)
    model_in_state(ModelState.DRAFT, commune=world.sibling_commune)
    url = _round_url("board", submitted.round)

    district = api(world.district_member).get(url).json()
    assert (district["total"], district["states"]["draft"], district["states"]["submitted"]) == (3, 2, 1)
    commune = api(world.commune_officer).get(url).json()
    assert (commune["total"], commune["states"]["draft"], commune["states"]["submitted"]) == (1, 0, 1)


def test_sending_the_synthesis_freezes_it_as_reports_the_province_reads(api, world):
    round_ = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer).round

    sent = api(world.district_member).post(_round_url("send", round_), {}, format="json")
    assert sent.status_code == 200, sent.content
    synthesis = sent.json()["synthesis"]
    reports = Report.objects.filter(kind=SYNTHESIS_REPORT, unit=world.district)
    assert {synthesis["xlsx_report"], synthesis["pdf_report"]} == set(reports.values_list("pk", flat=True))
    assert (synthesis["sent_by"], synthesis["sent_at"] is not None) == ("Nguyễn Văn An", True)
    assert api(world.provincial_officer).get(_round_url("detail", round_)).json()["synthesis"]["xlsx_report"] \
        == synthesis["xlsx_report"]
    # The district's reports are not the commune's to read: it sees that the synthesis was sent.
    seen_below = api(world.commune_officer).get(_round_url("detail", round_)).json()["synthesis"]
    assert (seen_below["xlsx_report"], seen_below["pdf_report"], seen_below["sent_at"]) == (
        None, None, synthesis["sent_at"])


# -- money, replication ---------------------------------------------------------------------------------------


def test_an_award_with_money_is_paid_from_a_fund_of_the_callers_unit(api, world):
    recognised = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer, approver=world.district_member)
    fund = fund_of(world.district)
    receipt_into(fund, actor=world.district_member, amount=10_000_000)
    commune_fund = fund_of(world.commune)
    member = api(world.district_member)
    body = {"kind": "certificate_and_money", "title": "Giấy khen", "awarded_on": "2025-10-01", "amount": 3_000_000,
            "fund": fund.pk}

    others = member.post(_url("awards", recognised), {**body, "fund": commune_fund.pk}, format="json")
    assert (others.status_code, others.json()) == (400, {"fund": [f'Invalid pk "{commune_fund.pk}" - object does '
                                                                 f'not exist.']})
    overdraft = member.post(_url("awards", recognised), {**body, "amount": 20_000_000}, format="json")
    assert overdraft.status_code == 400
    assert overdraft.json()["amount"][0].startswith(f"{fund.name} holds 10.000.000")
    paid = member.post(_url("awards", recognised), body, format="json")
    assert paid.status_code == 201, paid.content
    assert (paid.json()["fund"], paid.json()["amount"]) == ({"id": fund.pk, "name": fund.name}, 3_000_000)
    assert PostingLine.objects.filter(fund=fund, posting=paid.json()["posting"]).get().amount == -3_000_000
    assert Award.objects.count() == 1

    (award,) = api(world.commune_officer).get(_url("detail", recognised)).json()["awards"]
    assert (award["amount"], award["fund"], award["posting"]) == (3_000_000, None, None)


def test_support_in_funds_needs_the_amount_and_the_fund(api, world):
    submitted = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, approver=world.district_member)
    fund = fund_of(world.district)
    receipt_into(fund, actor=world.district_member, amount=10_000_000)
    member = api(world.district_member)
    body = {"kind": "funds", "given_on": "2025-05-01", "description": "Vốn mua giống"}

    refused = member.post(_url("support", submitted), body, format="json")
    assert (refused.status_code, refused.json()) == (400, {"amount": [
        "Give the amount and the fund it is paid from."]})
    given = member.post(_url("support", submitted), {**body, "amount": 5_000_000, "fund": fund.pk}, format="json")
    assert given.status_code == 201, given.content
    assert ModelSupport.objects.get().posting_id == given.json()["posting"]


def test_replication_is_recorded_for_a_recognised_model_only(api, world):
    submitted = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    refused = api(world.commune_officer).post(_url("visits", submitted), {"visited_on": "2025-10-01", "people": 5,
                                                                          "visitors": "Đoàn xã bạn"}, format="json")
    assert (refused.status_code, refused.json()) == (400, {"non_field_errors": [
        "Study visits and media coverage are recorded for a recognised model."]})
    assert not StudyVisit.objects.exists()


# -- meetings and notices -----------------------------------------------------------------------------------


def test_meetings_are_the_level_aboves_records_and_notices_are_read_by_the_communes_addressed(api, world):
    notice_model = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer,
                                  approver=world.district_member)
    notice = services.notice_issue(actor=world.district_member, round_=notice_model.round, models=[notice_model],
                                   number=7, symbol="TB-MTTQ", issued_on=datetime.date(2025, 9, 20),
                                   signer="Nguyễn Văn Ký", signer_title="PHÓ CHỦ TỊCH", recipients="Như trên")
    meeting = notice_model.meeting_item.meeting
    elsewhere = model_in_state(ModelState.PRESENTED, commune=world.other_district_commune)
    far_meeting = elsewhere.meeting_item.meeting
    officer = api(world.commune_officer)

    for url in (reverse("api:models-meeting-list"), reverse("api:models-meeting-detail", args=[meeting.pk])):
        response = officer.get(url)
        assert (response.status_code, response.json()) == (403, {"detail": LEVEL_ABOVE_RECORDS}), url
    assert officer.get(reverse("api:models-meeting-detail", args=[far_meeting.pk])).status_code == 404
    read = officer.get(reverse("api:models-notice-detail", args=[notice.pk])).json()
    assert (read["reference"], [row["id"] for row in read["models"]]) == ("7/TB-MTTQ", [notice_model.pk])
    assert [row["id"] for row in officer.get(reverse("api:models-notice-list")).json()["results"]] == [notice.pk]
    stranger = api(CommuneOfficerFactory(unit=world.other_district_commune))
    assert stranger.get(reverse("api:models-notice-detail", args=[notice.pk])).status_code == 404

    member = api(world.district_member)
    assert [row["id"] for row in member.get(reverse("api:models-meeting-list")).json()["results"]] == [meeting.pk]
    shown = member.get(reverse("api:models-notice-detail", args=[notice.pk])).json()
    assert (shown["reference"], [row["id"] for row in shown["models"]]) == ("7/TB-MTTQ", [notice_model.pk])
    assert member.get(reverse("api:models-meeting-detail", args=[far_meeting.pk])).status_code == 404
    province = api(world.provincial_officer)
    assert {row["id"] for row in province.get(reverse("api:models-meeting-list")).json()["results"]} == {
        meeting.pk, far_meeting.pk}


def test_a_meeting_presents_inspected_models_of_its_round_only(api, world):
    inspected = model_in_state(ModelState.INSPECTED, officer=world.commune_officer, approver=world.district_member)
    submitted = model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Heo đất")
    member = api(world.district_member)
    body = {"round": inspected.round_id, "held_on": "2025-09-05", "chaired_by": "Chủ tịch", "participants": "Ban TT"}

    refused = member.post(reverse("api:models-meeting-list"), {**body, "models": [inspected.pk, submitted.pk]},
                          format="json")
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["The model is submitted: it cannot be moved to “Present at the "
                                                   "agency meeting”."]}
    assert not Meeting.objects.exists() and _row(inspected)["state"] == ModelState.INSPECTED
    unseen = member.post(reverse("api:models-meeting-list"), {
        **body, "models": [model_in_state(ModelState.INSPECTED, commune=world.other_district_commune).pk]},
        format="json")
    assert unseen.status_code == 400 and list(unseen.json()) == ["models"]


# -- scope and cost -------------------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_model_round_meeting_and_notice_and_change_nothing(api, world):
    officer, member = world.commune_officer, world.district_member
    models = {state: model_in_state(state, officer=officer, approver=member, name=f"Mô hình {state}")
              for state in (ModelState.DRAFT, ModelState.RETURNED, ModelState.SUBMITTED, ModelState.PLANNED,
                            ModelState.PRESENTED, ModelState.RECOGNISED)}
    round_ = models[ModelState.DRAFT].round
    meeting = models[ModelState.PRESENTED].meeting_item.meeting
    notice = services.notice_issue(actor=member, round_=round_, models=[models[ModelState.RECOGNISED]], number=9,
                                   symbol="TB-MTTQ", issued_on=datetime.date(2025, 9, 20), signer="Nguyễn Văn Ký",
                                   signer_title="PHÓ CHỦ TỊCH", recipients="Như trên")
    rows = {state: _row(model) for state, model in models.items()}
    draft, submitted = models[ModelState.DRAFT], models[ModelState.SUBMITTED]
    model_calls = [
        ("get", _url("detail", draft), None), ("patch", _url("detail", draft), {"name": "Khác"}),
        ("delete", _url("detail", draft), None),
        ("post", _step(models[ModelState.RETURNED], "submit"), {}),
        ("post", _step(submitted, "return"), {"note": "Bổ sung"}),
        ("post", _url("plan", submitted), {"officers": "Ban Phong trào", "planned_on": "2025-06-10"}),
        ("post", _url("inspection", models[ModelState.PLANNED]), {
            "inspected_on": "2025-06-12", "officers": "A", "findings": "B", "scores": _scores(submitted)}),
        ("post", _url("decision", models[ModelState.PRESENTED]), {"decision": "recognised"}),
        ("post", _url("support", submitted), {"kind": "advice", "given_on": "2025-05-01", "description": "A"}),
        *[("post", _url(name, models[ModelState.RECOGNISED]), body) for name, body in (
            ("visits", {"visited_on": "2025-10-01", "people": 5, "visitors": "Đoàn"}),
            ("media", {"outlet": "Báo", "title": "Bài", "published_on": "2025-10-01"}),
            ("awards", {"kind": "certificate", "title": "Giấy khen", "awarded_on": "2025-10-01"}))],
    ]
    round_calls = [
        ("get", _round_url("detail", round_), None),
        ("patch", _round_url("detail", round_), {"deadline": "2025-04-30"}),
        ("get", _round_url("synthesis", round_), None), ("get", _round_url("board", round_), None),
        ("post", _round_url("criteria", round_), {"criteria": [{"name": "Hiệu quả", "weight": 100}]}),
        ("post", _round_url("reopen", round_), {"commune": world.commune.pk, "until": "2026-12-31", "reason": "Lũ"}),
        ("post", _round_url("send", round_), {}),
        ("get", reverse("api:models-meeting-detail", args=[meeting.pk]), None),
        ("get", reverse("api:models-notice-detail", args=[notice.pk]), None),
    ]
    outsiders = [(CommuneOfficerFactory(unit=world.sibling_commune), model_calls),
                 (DistrictMemberFactory(unit=world.other_district), model_calls + round_calls),
                 (ProvincialOfficerFactory(unit=world.other_province), model_calls + round_calls)]
    for outsider, calls in outsiders:
        client = api(outsider)
        for method, url, body in calls:
            response = getattr(client, method)(url, body, format="json") if body is not None else getattr(
                client, method)(url)
            assert response.status_code == 404, (outsider.role, method, url)
            assert "Mô hình" not in response.content.decode()
        listed = client.get(reverse("api:models-model-list")).json()
        assert listed["count"] == 0
    assert {state: _row(model) for state, model in models.items()} == rows
    assert not (StudyVisit.objects.exists() or Award.objects.exists() or ModelSupport.objects.exists())
    assert Round.objects.filter(pk=round_.pk).values_list("deadline", "criteria_version", "synthesis_sent_at").get() \
        == (datetime.date(2025, 3, 31), 1, None)


def _models(count: int, commune) -> None:
    officer = CommuneOfficerFactory(unit=commune)
    for number in range(count):
        model_in_state(ModelState.SUBMITTED, officer=officer, name=f"Mô hình {number}")


def test_model_list_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    client = api(world.district_member)
    _models(2, world.commune)
    # the session's 2 (3 when it notes the activity), the caller's unit (the units to filter by), the
    # count, the models with their round, commune and leader.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:models-model-list")).json()["count"] == 2
    _models(18, world.sibling_commune)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:models-model-list"), {"state": "submitted"}).json()["count"] == 20


def test_model_detail_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    recognised = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer, approver=world.district_member)
    client = api(world.district_member)
    for number in range(3):
        services.study_visit_record(actor=world.district_member, model=recognised,
                                    visited_on=datetime.date(2025, 10, 1), people=number + 1,
                                    visitors=f"Đoàn {number}")
        services.award_give(actor=world.district_member, model=recognised, kind="certificate", title=f"Khen {number}",
                            awarded_on=datetime.date(2025, 10, 1))
    # the session's 2 (3 when it notes the activity), the caller's unit; the model with its round,
    # commune, plan, inspection and meeting; its steps, files, scores, notices, awards, support,
    # visits, media; the replication's replicas and visits (its media are those read).
    with django_assert_max_num_queries(15):
        body = client.get(_url("detail", recognised)).json()
    assert (len(body["study_visits"]), len(body["awards"]), len(body["inspection"]["scores"])) == (3, 3, 5)


def test_round_meeting_and_notice_lists_have_query_ceilings(api, world, django_assert_max_num_queries):
    client = api(world.provincial_officer)
    for district in (world.district, DistrictFactory(parent=world.province, name="Huyện Chợ Lách")):
        commune = world.commune if district == world.district else CommuneFactory(parent=district)
        for number in range(2):
            model = model_in_state(ModelState.RECOGNISED, commune=commune, name=f"Mô hình {number}")
            services.notice_issue(actor=DistrictMemberFactory(unit=district), round_=model.round, models=[model],
                                  number=number + 1, symbol="TB-MTTQ", issued_on=datetime.date(2025, 9, 20),
                                  signer="Nguyễn Văn Ký", signer_title="PHÓ CHỦ TỊCH", recipients="Như trên")
    # the session's 2 (3 when it notes the activity), the caller's unit (which rounds they see), the
    # count, the rows with their round and unit; a notice's models in one more.
    for name, count, ceiling in (("round", 2, 6), ("meeting", 4, 5), ("notice", 4, 6)):
        with django_assert_max_num_queries(ceiling):
            assert client.get(reverse(f"api:models-{name}-list")).json()["count"] == count, name


def test_model_list_filters_are_the_pages(api, world):
    water = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer, name="Đào giếng nước sạch")
    cows = model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Nuôi bò sinh sản",
                          field="economy")
    client = api(world.district_member)

    def listed(**params):
        return [row["id"] for row in client.get(reverse("api:models-model-list"), params).json()["results"]]

    assert listed(recognised="true") == [water.pk]
    assert listed(field="economy") == [cows.pk]
    assert listed(unit=world.sibling_commune.pk) == [cows.pk]
    assert listed(q="gieng") == [water.pk] == listed(q="giếng")
    assert listed(year=2024) == []
    assert client.get(reverse("api:models-model-list"), {"state": "lost"}).status_code == 400


def test_schema_documents_the_typical_models_api(api, world):
    schema = yaml.safe_load(api(world.district_member).get(reverse("api-schema")).content)
    paths = schema["paths"]
    assert {"/api/v1/models/rounds/", "/api/v1/models/rounds/{id}/criteria/", "/api/v1/models/models/",
            "/api/v1/models/models/{id}/steps/{step}/", "/api/v1/models/meetings/",
            "/api/v1/models/notices/"} <= set(paths)
    step = next(p for p in paths["/api/v1/models/models/{id}/steps/{step}/"]["post"]["parameters"]
                if p["name"] == "step")
    assert step["schema"]["enum"] == ["propose_higher", "register", "return", "submit"]
    filters = {p["name"] for p in paths["/api/v1/models/models/"]["get"]["parameters"]}
    assert {"q", "year", "unit", "state", "field", "recognised", "replica"} <= filters
    assert "201" in paths["/api/v1/models/models/{id}/awards/"]["post"]["responses"]


@pytest.mark.parametrize("decision", [Decision.NOT_RECOGNISED, Decision.PROPOSED_HIGHER])
def test_the_meetings_decision_moves_the_model_as_the_pages_do(api, world, decision):
    presented = model_in_state(ModelState.PRESENTED, officer=world.commune_officer, approver=world.district_member)
    body = api(world.district_member).post(_url("decision", presented), {"decision": decision}, format="json").json()
    assert body["state"] == {Decision.NOT_RECOGNISED: "not_recognised",
                             Decision.PROPOSED_HIGHER: "proposed_higher"}[decision]
    assert body["decision"]["decision"] == decision


def test_a_commune_learns_nothing_of_a_meeting_that_did_not_present_its_model(api, world):
    other = model_in_state(ModelState.PRESENTED, commune=world.sibling_commune)
    officer = api(world.commune_officer)
    assert officer.get(reverse("api:models-meeting-detail", args=[other.meeting_item.meeting_id])).status_code == 404
    assert officer.get("/api/v1/models/meetings/²/").status_code == 404

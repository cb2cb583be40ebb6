"""The level above's pages (the district's standing committee; the province's for a commune of the
current units): rounds, criteria and their versions, reopening, the synthesis sent to the province,
the inspection plan, inspections, the agency meeting and its decisions, notices, awards, support,
and the documents; what each role sees and what each refuses."""

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from donations.selectors import fund_balance
from frontwelfare.reports.models import Report
from models_registry import services
from models_registry.choices import AttachmentKind, Decision, ModelState
from models_registry.models import (
    Award,
    Criterion,
    Meeting,
    ModelAttachment,
    ModelSupport,
    Notice,
    PlannedInspection,
    Reopening,
    Round,
    TypicalModel,
)
from models_registry.services import SYNTHESIS_REPORT

from ..donations.factories import FundFactory, receipt_into
from ..factories import CommuneFactory, CommuneOfficerFactory, DistrictMemberFactory
from ..housing.factories import TINY_PDF, TINY_PNG
from .factories import YEAR, RoundFactory, model_in_state, scores_for


def _as(client, user):
    """``client`` signed in as ``user``, reading the pages in English (the source strings)."""
    client.force_login(user)
    client.cookies.load({"django_language": "en"})
    return client


def _url(name, *args) -> str:
    return reverse(f"models:{name}", args=args)


def _today() -> datetime.date:
    return timezone.localdate()


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()


def _model(commune, state=ModelState.SUBMITTED, **fields) -> TypicalModel:
    return model_in_state(state, officer=CommuneOfficerFactory(unit=commune), **fields)


@pytest.fixture
def current_commune(world):
    """A commune of the current units: no district, its province is the level above."""
    return CommuneFactory(parent=world.province, district=None, era="current", name="Xã Phước Mỹ Trung Mới",
                          code="90001")


# -- the list of rounds and setting one up -----------------------------------------------------------


def test_district_member_sets_up_the_round_with_31_march_by_default_and_the_criteria(client, world):
    year = _today().year
    response = _as(client, world.district_member).post(_url("round-create"), {"year": str(year),
                                                                             "final_report_on": f"20/11/{year}"})

    round_ = Round.objects.get()
    assert response.url == _url("round-detail", round_.pk)
    assert (round_.unit, round_.deadline, round_.final_report_on) == (
        world.district, datetime.date(year, 3, 31), datetime.date(year, 11, 20))
    assert Criterion.objects.filter(round=round_, version=1).count() == 5


def test_provincial_officer_sets_up_the_round_of_the_provinces_current_communes(client, world):
    year = _today().year
    _as(client, world.provincial_officer).post(_url("round-create"), {"year": str(year), "deadline": f"20/03/{year}"})
    assert Round.objects.get().unit == world.province


def test_commune_officer_is_not_offered_and_cannot_set_up_a_round(client, world):
    body = _as(client, world.commune_officer).get(_url("round-list")).content.decode()
    assert 'data-testid="new-round"' not in body
    assert client.get(_url("round-create")).status_code == 403
    assert client.post(_url("round-create"), {"year": str(_today().year)}).status_code == 403
    assert not Round.objects.exists()


def test_a_second_round_of_the_same_year_is_refused_with_a_message(client, world):
    year = _today().year
    RoundFactory(unit=world.district, year=year, deadline=datetime.date(year, 3, 31))
    response = _as(client, world.district_member).post(_url("round-create"), {"year": str(year)})
    assert response.status_code == 400
    assert "This unit already has a round for this year." in response.content.decode()
    assert Round.objects.count() == 1


def test_province_sees_each_districts_round_sent_or_not(client, world):
    sent = RoundFactory(unit=world.district, synthesis_sent_at=timezone.now())
    RoundFactory(unit=world.other_district)
    RoundFactory(unit=CommuneFactory().district)  # another province's

    body = _as(client, world.provincial_officer).get(_url("round-list")).content.decode()

    rows = body.split('data-testid="round-row"')[1:]
    assert len(rows) == 2
    states = {row.split('data-round="', 1)[1].split('"', 1)[0]: row.split('data-testid="sent-state"', 1)[1]
              for row in rows}
    assert ">sent<" in states[str(sent.pk)]
    assert ">not sent<" in next(state for pk, state in states.items() if pk != str(sent.pk))


def test_round_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for district in (world.district, world.other_district):
        for year in (2024, 2025):
            RoundFactory(unit=district, year=year, deadline=datetime.date(year, 3, 31))
    _as(client, world.provincial_officer)
    with django_assert_max_num_queries(8):
        assert client.get(_url("round-list")).status_code == 200


# -- the round's page, dates, criteria, reopening -----------------------------------------------------


def test_commune_officer_reads_the_round_without_its_forms(client, world):
    round_ = services.round_of(commune=world.commune, year=YEAR, actor=world.district_member)
    body = _as(client, world.commune_officer).get(_url("round-detail", round_.pk)).content.decode()

    assert "31/03/2025" in body
    for testid in ("edit-dates", "edit-criteria", "reopen"):
        assert f'data-testid="{testid}"' not in body
    for name in ("round-update", "round-criteria", "round-reopen", "meeting-create", "notice-create"):
        assert client.get(_url(name, round_.pk)).status_code == 403, name
    assert client.post(_url("round-update", round_.pk), {"deadline": "15/04/2025"}).status_code == 403
    assert Round.objects.get().deadline == datetime.date(2025, 3, 31)


def test_a_round_of_another_district_is_missing_for_the_district_member(client, world):
    round_ = services.round_of(commune=world.other_district_commune, year=YEAR, actor=world.district_member)
    _as(client, world.district_member)
    for name in ("round-detail", "round-synthesis", "round-plan", "round-update", "score-sheet-pdf"):
        assert client.get(_url(name, round_.pk)).status_code == 404, name


def test_district_member_moves_the_deadline_and_sets_the_review(client, world):
    round_ = services.round_of(commune=world.commune, year=YEAR, actor=world.district_member)
    response = _as(client, world.district_member).post(_url("round-update", round_.pk), {
        "deadline": "15/04/2025", "mid_year_review_on": "31/08/2025", "final_report_on": ""})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.deadline, round_.mid_year_review_on) == (datetime.date(2025, 4, 15), datetime.date(2025, 8, 31))
    assert "15/04/2025" in client.get(_url("round-detail", round_.pk)).content.decode()


def test_a_deadline_outside_the_rounds_year_is_refused(client, world):
    round_ = services.round_of(commune=world.commune, year=YEAR, actor=world.district_member)
    response = _as(client, world.district_member).post(_url("round-update", round_.pk), {"deadline": "15/01/2026"})
    assert response.status_code == 400
    assert "The deadline is a day of the round&#x27;s year." in response.content.decode()
    assert Round.objects.get().deadline == datetime.date(2025, 3, 31)


def _criteria_post(rows) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000"}
    for index, (name, weight) in enumerate(rows):
        data |= {f"form-{index}-name": name, f"form-{index}-description": "", f"form-{index}-weight": str(weight)}
    return data


def test_weights_not_adding_up_to_100_are_refused_with_their_sum(client, world):
    round_ = services.round_of(commune=world.commune, year=YEAR, actor=world.district_member)
    response = _as(client, world.district_member).post(_url("round-criteria", round_.pk),
                                                       _criteria_post([("Hiệu quả", 60), ("Lan tỏa", 30)]))
    assert response.status_code == 400
    assert "The weights add up to 90 points; they must add up to 100." in response.content.decode()
    current = services.current_criteria(round_)
    assert (len(current), current[0].name, current[0].weight) == (5, "Hiệu quả", 30)


def test_criteria_are_replaced_while_no_inspection_used_them(client, world):
    round_ = services.round_of(commune=world.commune, year=YEAR, actor=world.district_member)
    page = _as(client, world.district_member).get(_url("round-criteria", round_.pk)).content.decode()
    assert 'data-testid="new-version-note"' not in page
    assert 'value="Hiệu quả"' in page  # the criteria in force, to edit

    client.post(_url("round-criteria", round_.pk), _criteria_post([("Hiệu quả kinh tế", 70), ("Lan tỏa", 30)]))

    round_.refresh_from_db()
    assert round_.criteria_version == 1
    assert [(c.name, c.weight) for c in services.current_criteria(round_)] == [("Hiệu quả kinh tế", 70),
                                                                               ("Lan tỏa", 30)]


def test_once_an_inspection_used_the_criteria_a_new_version_is_made_and_the_page_shows_both(client, world):
    inspected = _model(world.commune, ModelState.INSPECTED)
    round_ = inspected.round
    _as(client, world.district_member)
    page = client.get(_url("round-criteria", round_.pk)).content.decode()
    assert 'data-testid="new-version-note"' in page
    assert "Inspections were already scored with version 1" in page

    client.post(_url("round-criteria", round_.pk), _criteria_post([("Sáng tạo", 40), ("Bền vững", 60)]))

    round_.refresh_from_db()
    assert round_.criteria_version == 2
    assert inspected.inspection.criteria_version == 1
    body = client.get(_url("round-detail", round_.pk)).content.decode()
    assert "Criteria in force (version 2)" in body
    assert "Sáng tạo" in body
    older = body.split('data-testid="older-version" data-version="1"', 1)[1].split("</details>", 1)[0]
    assert "Hiệu quả (30)" in older


def test_reopening_offers_the_rounds_communes_only_and_records_the_reason(client, world):
    year = _today().year
    round_ = services.round_create(actor=world.district_member, unit=world.district, year=year)
    page = _as(client, world.district_member).get(_url("round-reopen", round_.pk)).content.decode()
    assert world.commune.name in page and world.sibling_commune.name in page
    assert world.other_district_commune.name not in page

    response = client.post(_url("round-reopen", round_.pk), {
        "commune": world.commune.pk, "until": f"31/12/{year}", "reason": "Xã mới kiện toàn Ban Thường trực"})

    assert response.status_code == 302
    reopening = Reopening.objects.get()
    assert (reopening.commune, reopening.until, reopening.reopened_by) == (
        world.commune, datetime.date(year, 12, 31), world.district_member)
    assert "Xã mới kiện toàn Ban Thường trực" in client.get(_url("round-detail", round_.pk)).content.decode()


def test_reopening_without_a_reason_is_refused(client, world):
    year = _today().year
    round_ = services.round_create(actor=world.district_member, unit=world.district, year=year)
    response = _as(client, world.district_member).post(_url("round-reopen", round_.pk), {
        "commune": world.commune.pk, "until": f"31/12/{year}", "reason": "   "})
    assert response.status_code == 400
    assert "Give the reason." in response.content.decode()
    assert not Reopening.objects.exists()


def test_reopening_for_a_commune_of_another_district_is_refused(client, world):
    year = _today().year
    round_ = services.round_create(actor=world.district_member, unit=world.district, year=year)
    response = _as(client, world.district_member).post(_url("round-reopen", round_.pk), {
        "commune": world.other_district_commune.pk, "until": f"31/12/{year}", "reason": "Lý do"})
    assert response.status_code == 400
    assert not Reopening.objects.exists()


# -- the synthesis ------------------------------------------------------------------------------------


def test_synthesis_shows_models_by_commune_and_field_and_marks_the_communes_without_any(client, world):
    model = _model(world.commune, name="Giọt nước nghĩa tình")
    _model(world.commune, name="Heo đất tiết kiệm", field="economy")
    model_in_state(ModelState.DRAFT, officer=CommuneOfficerFactory(unit=world.sibling_commune),
                   name="Bản nháp chưa gửi")

    body = _as(client, world.district_member).get(_url("round-synthesis", model.round_id)).content.decode()

    own = body.split(f'data-commune="{world.commune.code}"', 1)[1].split("</tr>", 1)[0]
    assert "Giọt nước nghĩa tình" in own and "Heo đất tiết kiệm" in own and "No registration" not in own
    sibling = body.split('data-testid="synthesis-row"')[1:]
    sibling = next(row for row in sibling if f'data-commune="{world.sibling_commune.code}"' in row)
    assert "fw-no-registration" in sibling and "No registration" in sibling  # in words, not colour alone
    assert "Bản nháp chưa gửi" not in body  # drafts are the commune's own
    totals = body.split('data-testid="synthesis-totals"', 1)[1].split("</tr>", 1)[0]
    assert 'data-field="economy">1<' in totals and 'data-field="social_security">1<' in totals
    assert 'data-testid="synthesis-total">2<' in totals
    assert 'data-testid="send-synthesis"' in body


def test_commune_officer_sees_only_their_commune_in_the_synthesis_and_cannot_send_it(client, world):
    model = _model(world.commune, name="Đào giếng Phước Mỹ Trung")
    _model(world.sibling_commune, name="Đào giếng Phú Mỹ")

    _as(client, world.commune_officer)
    body = client.get(_url("round-synthesis", model.round_id)).content.decode()

    assert "Đào giếng Phước Mỹ Trung" in body
    assert "Đào giếng Phú Mỹ" not in body and world.sibling_commune.name not in body
    assert 'data-testid="send-synthesis"' not in body
    assert client.post(_url("round-send", model.round_id)).status_code == 403
    assert Round.objects.get().synthesis_sent_at is None


def test_sending_the_synthesis_makes_its_reports_and_the_province_sees_it_sent(client, world):
    model = _model(world.commune)
    round_ = model.round
    _as(client, world.district_member)

    response = client.post(_url("round-send", round_.pk))

    assert response.url == _url("round-synthesis", round_.pk)
    round_.refresh_from_db()
    assert round_.synthesis_sent_by == world.district_member
    reports = Report.objects.filter(kind=SYNTHESIS_REPORT, unit=world.district)
    assert sorted(reports.values_list("format", flat=True)) == ["pdf", "xlsx"]
    page = client.get(_url("round-synthesis", round_.pk)).content.decode()
    assert f"Sent on {_day(_today())} by" in page
    for report in reports:
        assert reverse("reports:detail", args=[report.pk]) in page

    province_view = _as(client, world.provincial_officer).get(_url("round-synthesis", round_.pk)).content.decode()
    assert reverse("reports:detail", args=[round_.synthesis_pdf_id]) in province_view
    assert 'data-testid="send-synthesis"' not in province_view
    assert client.post(_url("round-send", round_.pk)).status_code == 403


def test_synthesis_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for commune in (world.commune, world.sibling_commune, world.commune):
        model = _model(commune)
    services.synthesis_send(actor=world.district_member, round_=model.round)
    _as(client, world.district_member)
    with django_assert_max_num_queries(10):
        assert client.get(_url("round-synthesis", model.round_id)).status_code == 200


# -- the inspection plan and the inspection -----------------------------------------------------------


def _plan(model, *, officers="Ông Trần Văn Ba, bà Lê Thị Tư", planned_on="10/06/2025", decided_on="") -> dict:
    prefix = f"plan-{model.pk}"
    return {"model": model.pk, f"{prefix}-officers": officers, f"{prefix}-planned_on": planned_on,
            f"{prefix}-decided_on": decided_on, f"{prefix}-note": ""}


def test_plan_page_puts_a_submitted_model_on_the_plan_and_lists_it(client, world):
    model = _model(world.commune, name="Nuôi bò sinh sản")
    _as(client, world.district_member)
    page = client.get(_url("round-plan", model.round_id)).content.decode()
    assert f'data-testid="awaiting-model" data-model="{model.pk}"' in page
    assert _url("score-sheet-pdf", model.round_id) in page  # the blank score sheet

    response = client.post(_url("round-plan", model.round_id), _plan(model))

    assert response.status_code == 302
    model.refresh_from_db()
    assert model.state == ModelState.PLANNED
    assert model.steps.get(name="plan").happened_on == _today()
    page = client.get(_url("round-plan", model.round_id)).content.decode()
    planned = page.split(f'data-testid="planned-model" data-model="{model.pk}"', 1)[1].split("</section>", 1)[0]
    assert "Nuôi bò sinh sản" in planned and world.commune.name in planned
    assert "Ông Trần Văn Ba, bà Lê Thị Tư" in planned and "10/06/2025" in planned
    assert f'data-model="{model.pk}"' not in page.split('data-testid="awaiting"', 1)[1].split("</section>", 1)[0]


def test_a_plan_without_officers_or_outside_the_year_is_refused(client, world):
    model = _model(world.commune)
    _as(client, world.district_member)
    response = client.post(_url("round-plan", model.round_id), _plan(model, officers=""))
    assert response.status_code == 400
    response = client.post(_url("round-plan", model.round_id), _plan(model, planned_on="10/06/2026"))
    assert response.status_code == 400
    assert "Plan the inspection within the round&#x27;s year." in response.content.decode()
    assert not PlannedInspection.objects.exists()


def test_a_model_of_another_round_cannot_be_planned_from_this_one(client, world):
    model = _model(world.commune)
    other = _model(world.other_district_commune)
    response = _as(client, world.district_member).post(_url("round-plan", model.round_id), _plan(other))
    assert response.status_code == 400
    assert TypicalModel.objects.get(pk=other.pk).state == ModelState.SUBMITTED


def test_province_and_commune_read_the_plan_without_its_forms(client, world):
    model = _model(world.commune, name="Sân xi măng")
    for viewer in (world.provincial_officer, world.commune_officer):
        page = _as(client, viewer).get(_url("round-plan", model.round_id)).content.decode()
        assert "Sân xi măng" in page and 'data-testid="plan-model"' not in page
        assert client.post(_url("round-plan", model.round_id), _plan(model)).status_code == 403
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED


def test_plan_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for commune in (world.commune, world.sibling_commune):
        model = _model(commune)
        _model(commune, ModelState.PLANNED)
    _as(client, world.district_member)
    with django_assert_max_num_queries(8):
        assert client.get(_url("round-plan", model.round_id)).status_code == 200


def _inspection(model, points=None, **overrides) -> dict:
    data = {"inspected_on": "12/06/2025", "officers": "Ông Ba, bà Tư", "findings": "Mô hình duy trì tốt"}
    for criterion_id, value in scores_for(model, points).items():
        data[f"score_{criterion_id}"] = str(value)
    return data | overrides


def test_inspection_is_recorded_with_a_score_per_criterion_and_the_total_added_up_on_the_server(client, world):
    model = _model(world.commune, ModelState.PLANNED)
    page = _as(client, world.district_member).get(_url("inspection-record", model.pk)).content.decode()
    assert "0–30" in page and "0–10" in page  # noqa: RUF001 (each criterion's range)
    assert "Ban Phong trào" in page  # the officers of the plan

    response = client.post(_url("inspection-record", model.pk), _inspection(model, [25, 20, 15, 10, 5]) | {
        "total": "100"})  # a total typed by hand is not read

    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.state, model.inspection.total_score, model.inspection.criteria_version) == (
        ModelState.INSPECTED, 75, 1)
    page = client.get(_url("inspection-record", model.pk)).content.decode()
    assert 'data-testid="total-score">75 / 100<' in page


def test_a_score_above_the_criterions_weight_is_refused_with_its_range(client, world):
    model = _model(world.commune, ModelState.PLANNED)
    response = _as(client, world.district_member).post(_url("inspection-record", model.pk),
                                                       _inspection(model, [31, 20, 15, 10, 5]))
    assert response.status_code == 400
    assert "“Hiệu quả” is scored from 0 to 30 points." in response.content.decode()
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.PLANNED


def test_photos_of_the_inspection_are_added_after_it(client, world):
    model = _model(world.commune, ModelState.INSPECTED)
    _as(client, world.district_member)
    response = client.post(_url("inspection-photo-add", model.pk),
                           {"file": SimpleUploadedFile("kiem-tra.png", TINY_PNG, content_type="image/png")})
    assert response.status_code == 302
    photo = ModelAttachment.objects.get()
    assert (photo.kind, photo.inspection, photo.original_name) == (
        AttachmentKind.INSPECTION_PHOTO, model.inspection, "kiem-tra.png")
    assert "kiem-tra.png" in client.get(_url("inspection-record", model.pk)).content.decode()

    refused = client.post(_url("inspection-photo-add", model.pk),
                          {"file": SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf")})
    assert refused.status_code == 400
    assert "A photo must be a JPEG, PNG or WebP image." in refused.content.decode()


def test_a_model_not_yet_planned_offers_no_inspection_form(client, world):
    model = _model(world.commune)
    page = _as(client, world.district_member).get(_url("inspection-record", model.pk)).content.decode()
    assert 'data-testid="not-inspectable"' in page and 'data-testid="inspection-form"' not in page


def test_an_inspection_sent_twice_is_refused_with_the_reason_beside_the_one_recorded(client, world):
    model = _model(world.commune, ModelState.INSPECTED)
    response = _as(client, world.district_member).post(_url("inspection-record", model.pk), _inspection(model))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="total-score">100 / 100<' in body
    assert "cannot be moved to “Record the inspection”" in body
    assert model.steps.filter(name="inspect").count() == 1


def test_a_photo_sent_before_the_inspection_is_refused_with_the_reason(client, world):
    model = _model(world.commune, ModelState.PLANNED)
    response = _as(client, world.district_member).post(_url("inspection-photo-add", model.pk), {
        "file": SimpleUploadedFile("kiem-tra.png", TINY_PNG, content_type="image/png")})
    assert response.status_code == 400
    assert "Record the inspection before its photos." in response.content.decode()
    assert not ModelAttachment.objects.exists()


def test_the_commune_and_the_province_are_refused_the_inspection_of_a_districts_model(client, world):
    model = _model(world.commune, ModelState.PLANNED)
    for viewer in (world.commune_officer, world.provincial_officer):
        _as(client, viewer)
        assert client.get(_url("inspection-record", model.pk)).status_code == 403
        assert client.post(_url("inspection-record", model.pk), _inspection(model)).status_code == 403
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.PLANNED


def test_a_district_member_cannot_act_on_a_current_era_communes_model(client, world, current_commune):
    model = _model(current_commune, ModelState.PLANNED)
    _as(client, world.district_member)
    for name in ("inspection-record", "award-create", "support-create"):
        assert client.get(_url(name, model.pk)).status_code == 404, name
    assert client.post(_url("inspection-record", model.pk), _inspection(model)).status_code == 404
    assert client.get(_url("round-plan", model.round_id)).status_code == 200  # the province's round: no models
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.PLANNED


def test_outsiders_get_404_on_the_level_above_pages_of_a_model(client, world):
    model = _model(world.commune, ModelState.RECOGNISED)
    outsider = DistrictMemberFactory(unit=world.other_district)
    _as(client, outsider)
    for name in ("inspection-record", "award-create", "support-create", "meeting-decide"):
        assert client.get(_url(name, model.pk)).status_code in (404, 405), name
        assert client.post(_url(name, model.pk), {}).status_code == 404, name
    meeting = Meeting.objects.get()
    for name in ("meeting-detail", "meeting-minutes-download"):
        assert client.get(_url(name, meeting.pk)).status_code == 404, name


# -- the meeting, the decisions, the notice and the awards: the whole way through the pages -------------


@pytest.mark.parametrize("era", ["legacy", "current"])
def test_plan_inspection_meeting_decision_notice_and_award_through_the_pages(client, world, era, current_commune):
    """Before the reform the district member takes each step; for a commune of the current units,
    the provincial officer."""
    commune, committee = ((world.commune, world.district_member) if era == "legacy"
                          else (current_commune, world.provincial_officer))
    model = _model(commune, name="Đào giếng nước sạch")
    round_ = model.round
    today = _day(_today())
    _as(client, committee)

    # Entered late, each step with the day it happened.
    assert client.post(_url("round-plan", round_.pk), _plan(model, decided_on="15/04/2025")).status_code == 302
    assert client.post(_url("inspection-record", model.pk), _inspection(model)).status_code == 302
    page = client.get(_url("meeting-create", round_.pk)).content.decode()
    assert "Đào giếng nước sạch" in page and "100 points" in page

    response = client.post(_url("meeting-create", round_.pk), {
        "held_on": "05/09/2025", "chaired_by": "Nguyễn Văn Chủ Tịch", "participants": "Ban Thường trực",
        "models": [model.pk]})
    meeting = Meeting.objects.get()
    assert response.url == _url("meeting-detail", meeting.pk)
    page = client.get(_url("meeting-detail", meeting.pk)).content.decode()
    assert 'data-testid="decision-form"' in page and "To decide" in page

    response = client.post(_url("meeting-decide", model.pk), {f"decide-{model.pk}-decision": Decision.RECOGNISED,
                                                              f"decide-{model.pk}-note": "Lan tỏa tốt"})
    assert response.status_code == 302
    assert [(step.name, step.happened_on) for step in model.steps.filter(name__in=(
        "plan", "inspect", "present", "recognise")).order_by("happened_on", "pk")] == [
        ("plan", datetime.date(2025, 4, 15)), ("inspect", datetime.date(2025, 6, 12)),
        ("present", datetime.date(2025, 9, 5)), ("recognise", datetime.date(2025, 9, 5))]
    page = client.get(_url("meeting-detail", meeting.pk)).content.decode()
    assert 'data-testid="decision-form"' not in page
    assert "Recognised" in page.split('data-testid="decision"', 1)[1]

    page = client.get(_url("notice-create", round_.pk)).content.decode()
    assert 'value="TB-MTTQ"' in page and "Đào giếng nước sạch" in page
    response = client.post(_url("notice-create", round_.pk), {
        "number": "15", "symbol": "TB-MTTQ", "issued_on": "01/10/2025", "signer": "Trần Thị Ký",
        "signer_title": "PHÓ CHỦ TỊCH", "recipients": "Như trên;\nLưu VP.", "models": [model.pk]})
    notice = Notice.objects.get()
    assert response.url == _url("notice-detail", notice.pk)
    page = client.get(_url("notice-detail", notice.pk)).content.decode()
    assert "15/TB-MTTQ" in page and "Đào giếng nước sạch" in page and "Lưu VP." in page
    assert "Đào giếng nước sạch" in _pdf_text(client.get(_url("notice-pdf", notice.pk)).content)

    fund = FundFactory(unit=committee.unit)
    receipt_into(fund, amount=10_000_000, actor=committee)
    response = client.post(_url("award-create", model.pk), {
        "kind": "certificate_and_money", "title": "Giấy khen", "awarded_on": today, "notice": notice.pk,
        "amount": "2.000.000", "fund": fund.pk, "earmark": "none"})
    assert response.url == _url("notice-detail", notice.pk)
    award = Award.objects.get()
    assert (award.amount, award.fund, award.notice, award.posting is not None) == (2_000_000, fund, notice, True)
    page = client.get(_url("notice-detail", notice.pk)).content.decode()
    assert "2.000.000 ₫" in page and _url("award-certificate-pdf", award.pk) in page
    assert "Đào giếng nước sạch" in _pdf_text(client.get(_url("award-certificate-pdf", award.pk)).content)


def test_the_meeting_offers_only_the_rounds_inspected_models(client, world):
    inspected = _model(world.commune, ModelState.INSPECTED, name="Mô hình đã kiểm tra")
    _model(world.commune, ModelState.PLANNED, name="Mô hình chưa kiểm tra")
    _model(world.other_district_commune, ModelState.INSPECTED, name="Mô hình huyện khác")
    page = _as(client, world.district_member).get(_url("meeting-create", inspected.round_id)).content.decode()
    assert "Mô hình đã kiểm tra" in page
    assert "Mô hình chưa kiểm tra" not in page and "Mô hình huyện khác" not in page

    response = client.post(_url("meeting-create", inspected.round_id), {
        "held_on": "05/09/2025", "chaired_by": "Chủ tịch", "participants": "Ban Thường trực", "models": []})
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_a_decision_must_be_chosen(client, world):
    model = _model(world.commune, ModelState.PRESENTED)
    response = _as(client, world.district_member).post(_url("meeting-decide", model.pk), {
        f"decide-{model.pk}-note": "Chưa rõ"})
    assert response.status_code == 400
    assert 'data-testid="decision-form"' in response.content.decode()
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.PRESENTED


def test_a_commune_officer_is_refused_the_meeting_that_presented_their_model_and_not_told_of_others(
        client, world):
    own = _model(world.commune, ModelState.PRESENTED)
    sibling = _model(world.sibling_commune, ModelState.PRESENTED)
    own_meeting, sibling_meeting = own.meeting_item.meeting, sibling.meeting_item.meeting
    _as(client, world.commune_officer)
    assert client.get(_url("meeting-detail", own_meeting.pk)).status_code == 403
    assert client.post(_url("meeting-decide", own.pk), {f"decide-{own.pk}-decision": "recognised"}).status_code == 403
    assert client.get(_url("meeting-detail", sibling_meeting.pk)).status_code == 404
    assert TypicalModel.objects.get(pk=own.pk).state == ModelState.PRESENTED


def test_the_province_reads_a_districts_meeting_without_deciding(client, world):
    model = _model(world.commune, ModelState.PRESENTED, name="Tủ sách cộng đồng")
    page = _as(client, world.provincial_officer).get(_url("meeting-detail", model.meeting_item.meeting_id))
    body = page.content.decode()
    assert "Tủ sách cộng đồng" in body
    assert 'data-testid="decision-form"' not in body and 'data-testid="minutes-form"' not in body
    assert client.post(_url("meeting-decide", model.pk), {f"decide-{model.pk}-decision": "recognised"}) \
        .status_code == 403


def _minutes_pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def test_minutes_are_attached_and_downloaded_by_those_who_see_the_meeting(client, world):
    model = _model(world.commune, ModelState.PRESENTED)
    meeting = model.meeting_item.meeting
    _as(client, world.district_member)
    response = client.post(_url("meeting-minutes", meeting.pk), {"file": SimpleUploadedFile(
        "bien-ban-hop.pdf", _minutes_pdf("Biên bản họp xét công nhận"), content_type="application/pdf")})
    assert response.status_code == 302
    assert _url("meeting-minutes-download", meeting.pk) in client.get(_url("meeting-detail", meeting.pk)) \
        .content.decode()

    for viewer in (world.district_member, world.provincial_officer):
        download = _as(client, viewer).get(_url("meeting-minutes-download", meeting.pk))
        assert download["Content-Type"] == "application/pdf"
        assert "Biên bản họp xét công nhận" in _pdf_text(b"".join(download.streaming_content))
    assert _as(client, world.commune_officer).get(_url("meeting-minutes-download", meeting.pk)).status_code == 403


def test_a_file_that_is_not_a_document_is_refused_as_minutes(client, world):
    meeting = _model(world.commune, ModelState.PRESENTED).meeting_item.meeting
    response = _as(client, world.district_member).post(_url("meeting-minutes", meeting.pk), {
        "file": SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf", content_type="application/pdf")})
    assert response.status_code == 400
    assert "Only photos (JPEG, PNG or WebP) and PDF documents can be attached" in response.content.decode()
    assert not Meeting.objects.get().minutes


def test_the_notice_offers_only_the_recognised_models_and_its_number_is_unique(client, world):
    recognised = _model(world.commune, ModelState.RECOGNISED, name="Mô hình được công nhận")
    _model(world.commune, ModelState.NOT_RECOGNISED, name="Mô hình không được công nhận")
    _as(client, world.district_member)
    page = client.get(_url("notice-create", recognised.round_id)).content.decode()
    assert "Mô hình được công nhận" in page and "Mô hình không được công nhận" not in page

    data = {"number": "15", "symbol": "TB-MTTQ", "issued_on": "01/10/2025", "signer": "Trần Thị Ký",
            "signer_title": "PHÓ CHỦ TỊCH", "recipients": "Lưu VP.", "models": [recognised.pk]}
    assert client.post(_url("notice-create", recognised.round_id), data).status_code == 302
    assert 'name="number" value="16"' in client.get(_url("notice-create", recognised.round_id)).content.decode()
    again = client.post(_url("notice-create", recognised.round_id), data | {"submission_key": "another"})
    assert again.status_code == 400
    assert "This round already has a notice of this number." in again.content.decode()
    assert Notice.objects.count() == 1


def test_the_commune_officer_reads_the_notice_addressed_to_their_district_and_another_district_cannot(client, world):
    model = _model(world.commune, ModelState.RECOGNISED)
    notice = services.notice_issue(actor=world.district_member, round_=model.round, models=[model], number=3,
                                   symbol="TB-MTTQ", issued_on=datetime.date(2025, 10, 1), signer="Trần Thị Ký",
                                   signer_title="PHÓ CHỦ TỊCH", recipients="Lưu VP.")
    _as(client, world.commune_officer)
    assert model.name in client.get(_url("notice-detail", notice.pk)).content.decode()
    assert client.get(_url("notice-pdf", notice.pk))["Content-Type"] == "application/pdf"
    _as(client, CommuneOfficerFactory(unit=world.other_district_commune))
    assert client.get(_url("notice-detail", notice.pk)).status_code == 404
    assert client.get(_url("notice-pdf", notice.pk)).status_code == 404


def test_a_money_award_the_fund_cannot_cover_is_refused_on_the_amount(client, world):
    model = _model(world.commune, ModelState.RECOGNISED)
    fund = FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện")
    receipt_into(fund, amount=1_000_000, actor=world.district_member)
    response = _as(client, world.district_member).post(_url("award-create", model.pk), {
        "kind": "money", "title": "Tiền thưởng", "awarded_on": _day(_today()), "amount": "3.000.000",
        "fund": fund.pk, "earmark": "none"})
    assert response.status_code == 400
    assert "it cannot pay out 3.000.000 ₫" in response.content.decode()
    assert not Award.objects.exists()


def test_the_award_form_offers_only_the_funds_the_officer_manages(client, world):
    model = _model(world.commune, ModelState.RECOGNISED)
    FundFactory(unit=world.district, name="Quỹ của huyện")
    communes = FundFactory(unit=world.commune, name="Quỹ của xã")
    _as(client, world.district_member)
    page = client.get(_url("award-create", model.pk)).content.decode()
    assert "Quỹ của huyện" in page and "Quỹ của xã" not in page

    receipt_into(communes, amount=5_000_000)
    response = client.post(_url("award-create", model.pk), {
        "kind": "money", "title": "Tiền thưởng", "awarded_on": _day(_today()), "amount": "1.000.000",
        "fund": communes.pk, "earmark": "none"})
    assert response.status_code == 400
    assert not Award.objects.exists()
    assert fund_balance(communes) == 5_000_000


def test_a_model_not_recognised_is_not_offered_an_award(client, world):
    model = _model(world.commune, ModelState.INSPECTED)
    page = _as(client, world.district_member).get(_url("award-create", model.pk)).content.decode()
    assert 'data-testid="not-awardable"' in page and 'data-testid="award-form"' not in page


def test_support_is_recorded_for_a_submitted_model_and_listed(client, world):
    model = _model(world.commune)
    response = _as(client, world.district_member).post(_url("support-create", model.pk), {
        "kind": "advice", "given_on": "01/05/2025", "description": "Hướng dẫn lập sổ theo dõi", "earmark": "none"})
    assert response.status_code == 302
    assert ModelSupport.objects.get().description == "Hướng dẫn lập sổ theo dõi"
    assert "Hướng dẫn lập sổ theo dõi" in client.get(_url("support-create", model.pk)).content.decode()

    refused = client.post(_url("support-create", model.pk), {
        "kind": "funds", "given_on": "01/05/2025", "description": "Hỗ trợ vốn", "earmark": "none"})
    assert refused.status_code == 400
    assert "Give the amount and the fund it is paid from." in refused.content.decode()
    assert ModelSupport.objects.count() == 1


# -- documents ------------------------------------------------------------------------------------------


def test_score_sheet_prints_the_criteria_in_force_and_the_model_asked_for(client, world):
    model = _model(world.commune, name="Thùng rác công cộng")
    other = _model(world.other_district_commune)
    _as(client, world.district_member)

    blank = _pdf_text(client.get(_url("score-sheet-pdf", model.round_id)).content)
    assert "Hiệu quả" in blank and "Thùng rác công cộng" not in blank
    sheet = client.get(_url("score-sheet-pdf", model.round_id), {"model": model.pk})
    assert sheet["Content-Type"] == "application/pdf"
    assert "Thùng rác công cộng" in _pdf_text(sheet.content)
    assert client.get(_url("score-sheet-pdf", model.round_id), {"model": other.pk}).status_code == 404
    assert client.get(_url("score-sheet-pdf", model.round_id), {"model": "x"}).status_code == 404

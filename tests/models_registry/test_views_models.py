"""The commune's pages of the typical models and a model's page: registering on a phone (with a
photo), editing, the direct steps with the deadline and the reopening, returning with a note, the
board of a round by state for each level, the list, replication, and the outsider's 404."""

import datetime
import html
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from models_registry import services
from models_registry.choices import AttachmentKind, ModelState
from models_registry.models import MediaCoverage, ModelAttachment, Round, StudyVisit, TypicalModel

from ..factories import CommuneFactory, CommuneOfficerFactory, DistrictMemberFactory, ProvincialOfficerFactory
from ..housing.factories import TINY_PNG
from .factories import YEAR, model_data, model_in_state

AFTER_DEADLINE = datetime.date(YEAR, 4, 2)
BEFORE_DEADLINE = datetime.date(YEAR, 3, 10)


@pytest.fixture
def client(client):
    """Pages in their English source strings."""
    client.cookies.load({"django_language": "en"})
    return client


def _page(client, user, name, *args, data=None):
    client.force_login(user)
    response = client.get(reverse(name, args=args), data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _form(**overrides) -> dict:
    """The registration form as a commune officer fills it in on a phone."""
    data = {"year": str(YEAR), "name": "Đào giếng nước sạch", "field": "social_security", "replicates": "",
            "leader_organisation": "", "leader_name": "Hội Phụ nữ xã", "goals": "Mỗi ấp một giếng nước sạch",
            "started_on": "15/01/2025", "expected_results": "20 giếng", "participants": "120",
            "budget": "150.000.000", "budget_sources": "Xã hội hóa", "description": "Vận động đào giếng"}
    return {**data, **overrides}


def _officer(world):
    return world.commune_officer


def _draft(world, **fields) -> TypicalModel:
    with mock.patch.object(timezone, "localdate", return_value=BEFORE_DEADLINE):
        return services.model_create(actor=world.commune_officer, year=YEAR, **model_data(**fields))


def _step(client, model, step, **data):
    return client.post(reverse("models:model-step", args=[model.pk, step]),
                       {f"step-{step}-{name}": value for name, value in data.items()})


def _state(model) -> str:
    return TypicalModel.objects.get(pk=model.pk).state


# -- registering ------------------------------------------------------------------------------------

def test_commune_officer_registers_a_model_with_a_photo_and_lands_on_its_page(client, world):
    client.force_login(world.commune_officer)
    with mock.patch.object(timezone, "localdate", return_value=BEFORE_DEADLINE):
        response = client.post(reverse("models:model-create"), {
            **_form(), "photo": SimpleUploadedFile("Giếng ấp 3.png", TINY_PNG, content_type="image/png")})

    model = TypicalModel.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("models:model-detail", args=[model.pk])
    assert (model.commune, model.round.year, model.state, model.budget, model.created_by) == (
        world.commune, YEAR, ModelState.DRAFT, 150_000_000, world.commune_officer)
    assert list(model.attachments.values_list("kind", "original_name")) == [(AttachmentKind.PHOTO, "Giếng ấp 3.png")]
    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert "Giếng ấp 3.png" in body and "150.000.000 ₫" in body and "15/01/2025" in body


def test_a_photo_that_is_not_one_leaves_nothing_and_says_why(client, world, settings):
    client.force_login(world.commune_officer)
    response = client.post(reverse("models:model-create"), {
        **_form(), "photo": SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\x00" * 200)})

    assert response.status_code == 400
    assert "Only photos (JPEG, PNG or WebP) and PDF documents can be attached" in response.content.decode()
    assert not TypicalModel.objects.exists() and not ModelAttachment.objects.exists()
    assert not Round.objects.exists(), "the round made for the draft went with it"
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_register_form_offers_recognised_models_of_earlier_rounds_and_the_communes_organisations(client, world):
    from ..donations.factories import OrganisationFactory

    recognised = model_in_state(ModelState.RECOGNISED, commune=world.sibling_commune, name="Heo đất tiết kiệm")
    model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Bò giống chưa công nhận")
    own = OrganisationFactory(unit=world.commune, name="Hội Nông dân thị trấn")
    district_union = OrganisationFactory(unit=world.district, name="Hội Phụ nữ huyện")
    sibling = OrganisationFactory(unit=world.sibling_commune, name="Hội Cựu chiến binh xã Phú Mỹ")

    body = _page(client, world.commune_officer, "models:model-create")

    assert "Heo đất tiết kiệm" in body and "Bò giống chưa công nhận" not in body
    assert f'value="{recognised.pk}"' in body
    assert own.name in body and district_union.name in body and sibling.name not in body
    assert f'name="year" value="{timezone.localdate().year}"' in body


def test_a_replica_names_its_original_and_the_original_counts_it(client, world):
    original = model_in_state(ModelState.RECOGNISED, commune=world.sibling_commune, name="Heo đất tiết kiệm")
    client.force_login(world.commune_officer)
    with mock.patch.object(timezone, "localdate", return_value=datetime.date(YEAR + 1, 2, 1)):
        response = client.post(reverse("models:model-create"), _form(year=str(YEAR + 1),
                                                                       replicates=str(original.pk)))
        replica = TypicalModel.objects.get(replicates=original)
        assert response.status_code == 302 and replica.round.year == YEAR + 1
        assert "Replicated in 0 communes" in _page(client, world.district_member, "models:model-detail", original.pk)
        services.model_advance(actor=world.commune_officer, model=replica, step="register")  # a draft does not count

    body = _page(client, world.district_member, "models:model-detail", original.pk)
    assert "Replicated in 1 commune" in body
    assert reverse("models:model-detail", args=[replica.pk]) in body


@pytest.mark.parametrize("role", ["district_member", "provincial_officer"])
def test_only_a_commune_officer_may_register(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("models:model-create")).status_code == 403
    assert client.post(reverse("models:model-create"), _form()).status_code == 403
    assert not TypicalModel.objects.exists()


def test_a_model_needs_its_leader(client, world):
    client.force_login(world.commune_officer)
    response = client.post(reverse("models:model-create"), _form(leader_name=""))
    assert response.status_code == 400
    assert "Name the member organisation or the person leading the model." in response.content.decode()
    assert not TypicalModel.objects.exists()


# -- editing and deleting ---------------------------------------------------------------------------

def test_commune_officer_edits_a_draft(client, world):
    model = _draft(world)
    client.force_login(world.commune_officer)
    response = client.post(reverse("models:model-update", args=[model.pk]),
                           _form(name="Giếng nước cho trường học", budget="90.000.000"))
    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.name, model.budget) == ("Giếng nước cho trường học", 90_000_000)


def test_a_submitted_model_is_read_only_for_its_commune(client, world):
    model = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    client.force_login(world.commune_officer)

    refused = client.get(reverse("models:model-update", args=[model.pk]))
    assert refused.status_code == 403
    assert "the commune can change it again only if it is returned" in refused.content.decode()
    assert client.post(reverse("models:model-update", args=[model.pk]), _form(name="Đổi tên")).status_code == 403
    assert TypicalModel.objects.get(pk=model.pk).name == model.name
    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert 'data-testid="edit-model"' not in body
    # Only its final report may still be attached.
    upload_form = body.split('data-testid="attachment-form"', 1)[1].split("</form>")[0]
    assert re.findall(r'<option value="(\w+)"', upload_form) == ["final_report"]


def test_commune_officer_deletes_a_draft_after_confirming_but_not_a_registered_model(client, world):
    draft = _draft(world)
    registered = model_in_state(ModelState.REGISTERED, officer=world.commune_officer)
    client.force_login(world.commune_officer)

    assert "Delete the draft" in client.get(reverse("models:model-delete", args=[draft.pk])).content.decode()
    assert client.post(reverse("models:model-delete", args=[draft.pk])).status_code == 302
    assert not TypicalModel.objects.filter(pk=draft.pk).exists()
    assert client.post(reverse("models:model-delete", args=[registered.pk])).status_code == 403
    assert TypicalModel.objects.filter(pk=registered.pk).exists()


# -- steps ------------------------------------------------------------------------------------------

def test_commune_officer_registers_and_submits_from_the_models_page(client, world):
    model = _draft(world)
    client.force_login(world.commune_officer)
    with mock.patch.object(timezone, "localdate", return_value=BEFORE_DEADLINE):
        body = client.get(reverse("models:model-detail", args=[model.pk])).content.decode()
        assert re.findall(r'data-testid="step-form" data-step="(\w+)"', body) == ["register"]
        assert _step(client, model, "register").status_code == 302
        assert _state(model) == ModelState.REGISTERED
        assert _step(client, model, "submit", note="Gửi huyện").status_code == 302
    assert _state(model) == ModelState.SUBMITTED
    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert "Gửi huyện" in body and 'data-testid="step-form"' not in body


def test_after_the_deadline_registering_is_refused_until_the_level_above_reopens_the_round(client, world):
    model = _draft(world)
    client.force_login(world.commune_officer)
    with mock.patch.object(timezone, "localdate", return_value=AFTER_DEADLINE):
        refused = _step(client, model, "register")
        assert refused.status_code == 400
        assert "The round's deadline (31/03/2025) has passed" in html.unescape(refused.content.decode())
        assert _state(model) == ModelState.DRAFT

        services.round_reopen(actor=world.district_member, round_=model.round, commune=world.commune,
                              until=datetime.date(YEAR, 4, 30), reason="Xã mới kiện toàn Ban Thường trực")
        body = client.get(reverse("models:model-detail", args=[model.pk])).content.decode()
        assert "Reopened for your commune until 30/04/2025." in body
        assert _step(client, model, "register").status_code == 302
    assert _state(model) == ModelState.REGISTERED


def test_district_member_returns_with_a_note_and_the_commune_reads_it_and_edits_again(client, world):
    model = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    client.force_login(world.district_member)

    without_reason = _step(client, model, "return", note="")
    assert without_reason.status_code == 400 and 'data-testid="step-errors"' in without_reason.content.decode()
    assert _state(model) == ModelState.SUBMITTED
    assert _step(client, model, "return", note="Bổ sung số hộ tham gia").status_code == 302
    assert _state(model) == ModelState.RETURNED

    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert "Bổ sung số hộ tham gia" in body and 'data-testid="edit-model"' in body
    assert re.findall(r'data-testid="step-form" data-step="(\w+)"', body) == ["submit"]
    client.force_login(world.commune_officer)
    assert client.post(reverse("models:model-update", args=[model.pk]), _form(participants="180")).status_code == 302
    assert TypicalModel.objects.get(pk=model.pk).participants == 180


def test_district_member_proposes_a_recognised_model_for_a_higher_award_with_a_reason(client, world):
    model = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    body = _page(client, world.district_member, "models:model-detail", model.pk)
    assert re.findall(r'data-testid="step-form" data-step="(\w+)"', body) == ["propose_higher"]
    assert re.findall(r'data-testid="step-form" data-step="(\w+)"',
                      _page(client, world.commune_officer, "models:model-detail", model.pk)) == []

    client.force_login(world.district_member)
    assert _step(client, model, "propose_higher", note="").status_code == 400
    assert _step(client, model, "propose_higher", note="Đề nghị tỉnh tặng Bằng khen").status_code == 302
    assert _state(model) == ModelState.PROPOSED_HIGHER
    assert "Đề nghị tỉnh tặng Bằng khen" in _page(client, world.commune_officer, "models:model-detail", model.pk)


def test_the_level_above_cannot_take_the_communes_steps(client, world):
    model = _draft(world)
    client.force_login(world.district_member)
    assert _step(client, model, "register").status_code == 403
    assert client.post(reverse("models:model-step", args=[model.pk, "plan"])).status_code == 404
    assert _state(model) == ModelState.DRAFT


# -- the model's page -------------------------------------------------------------------------------

def test_recognised_models_page_shows_inspection_decision_and_replicas_linked_only_in_scope(client, world):
    original = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    with mock.patch.object(timezone, "localdate", return_value=datetime.date(YEAR + 1, 2, 1)):
        sibling_officer = CommuneOfficerFactory(unit=world.sibling_commune)
        sibling_replica = services.model_create(actor=sibling_officer, year=YEAR + 1,
                                                **model_data(name="Giếng Phú Mỹ", replicates=original))
        services.model_advance(actor=sibling_officer, model=sibling_replica, step="register")

    body = _page(client, world.commune_officer, "models:model-detail", original.pk)

    assert 'data-testid="inspection"' in body and "100 / 100" in body
    assert "Recognised" in body and 'data-testid="meeting-decision"' in body
    assert "Replicated in 1 commune" in body
    assert world.sibling_commune.name in body
    assert "Giếng Phú Mỹ" not in body, "a replica outside the viewer's scope is named by its commune only"
    assert reverse("models:model-detail", args=[sibling_replica.pk]) not in body
    district_view = _page(client, world.district_member, "models:model-detail", original.pk)
    assert reverse("models:model-detail", args=[sibling_replica.pk]) in district_view


def test_models_page_shows_its_notice_award_and_support_with_their_amounts(client, world):
    from ..donations.factories import fund_of, receipt_into

    model = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    fund = fund_of(world.district)
    receipt_into(fund, actor=world.district_member, amount=20_000_000, happened_on=datetime.date(YEAR, 9, 1))
    notice = services.notice_issue(actor=world.district_member, round_=model.round, models=[model], number=15,
                                   issued_on=datetime.date(YEAR, 9, 20), signer="Nguyễn Văn Ký",
                                   signer_title="PHÓ CHỦ TỊCH", recipients="Như trên", symbol="TB-MTTQ")
    services.award_give(actor=world.district_member, model=model, kind="certificate_and_money", title="Giấy khen",
                        awarded_on=datetime.date(YEAR, 12, 20), amount=5_000_000, fund=fund, notice=notice)
    services.support_give(actor=world.district_member, model=model, kind="advice",
                          given_on=datetime.date(YEAR, 5, 2), description="Hướng dẫn lập sổ theo dõi giếng")

    body = _page(client, world.commune_officer, "models:model-detail", model.pk)

    assert "Notice 15/TB-MTTQ of 20/09/2025, signed by Nguyễn Văn Ký" in body
    awards = body.split('data-testid="awards"', 1)[1].split("</table>")[0]
    assert "Giấy khen" in awards and "5.000.000 ₫" in awards and "20/12/2025" in awards
    assert "Hướng dẫn lập sổ theo dõi giếng" in body.split('data-testid="support"', 1)[1]


def test_commune_records_a_study_visit_and_media_coverage_of_its_recognised_model(client, world):
    model = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    client.force_login(world.commune_officer)

    assert client.post(reverse("models:visit-add", args=[model.pk]), {
        "visit-visiting_unit": world.other_district_commune.pk, "visit-visitors": "", "visit-visited_on": "01/10/2025",
        "visit-people": "25", "visit-note": ""}).status_code == 302
    assert client.post(reverse("models:media-add", args=[model.pk]), {
        "media-outlet": "Báo Đồng Khởi", "media-title": "Giếng nước cho ấp nghèo", "media-published_on": "05/10/2025",
        "media-link": "https://baodongkhoi.vn/gieng"}).status_code == 302

    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert world.other_district_commune.name in body and "Giếng nước cho ấp nghèo" in body
    assert "1 study visit" in body and "25 people" in body


def test_replication_is_not_recorded_for_a_model_not_recognised(client, world):
    model = model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    client.force_login(world.commune_officer)
    page = client.get(reverse("models:model-detail", args=[model.pk])).content.decode()
    assert 'data-testid="visit-form"' not in page
    response = client.post(reverse("models:media-add", args=[model.pk]), {
        "media-outlet": "Báo Đồng Khởi", "media-title": "Tin", "media-published_on": "05/10/2025", "media-link": ""})
    assert response.status_code == 400
    assert "recorded for a recognised model" in response.content.decode()
    assert not MediaCoverage.objects.exists() and not StudyVisit.objects.exists()


def test_a_photo_added_on_the_page_is_served_in_scope_under_a_safe_name(client, world):
    model = _draft(world)
    client.force_login(world.commune_officer)
    assert client.post(reverse("models:attachment-add", args=[model.pk]), {
        "kind": "photo", "file": SimpleUploadedFile("Ảnh giếng.png", TINY_PNG)}).status_code == 302
    attachment = ModelAttachment.objects.get()

    client.force_login(world.district_member)
    response = client.get(reverse("models:attachment-download", args=[attachment.pk]), {"download": "1"})
    assert response["Content-Disposition"] == f'attachment; filename="mo-hinh-{model.pk}-anh-gieng.png"'
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == TINY_PNG


def test_history_page_shows_the_registrations_changes(client, world):
    model = _draft(world)
    services.model_update(actor=world.commune_officer, model=model, name="Giếng nước cho trường học")
    body = _page(client, world.district_member, "models:model-history", model.pk)
    assert "Đào giếng nước sạch → Giếng nước cho trường học" in body


# -- the outsider -----------------------------------------------------------------------------------

def _outsiders(world):
    return [CommuneOfficerFactory(unit=world.sibling_commune), DistrictMemberFactory(unit=world.other_district),
            ProvincialOfficerFactory(unit=world.other_province)]


def test_an_outsider_gets_404_on_every_page_and_action_of_a_model(client, world):
    model = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    attachment = services.attachment_add(actor=world.commune_officer, model=model, kind=AttachmentKind.FINAL_REPORT,
                                         uploaded_file=SimpleUploadedFile("bao-cao.png", TINY_PNG))
    for outsider in _outsiders(world):
        client.force_login(outsider)
        for name in ("models:model-detail", "models:model-update", "models:model-delete", "models:model-history"):
            assert client.get(reverse(name, args=[model.pk])).status_code == 404, (outsider.role, name)
        assert _step(client, model, "propose_higher", note="Đề nghị khen").status_code == 404
        assert client.post(reverse("models:visit-add", args=[model.pk]), {}).status_code == 404
        assert client.post(reverse("models:attachment-add", args=[model.pk]), {}).status_code == 404
        assert client.get(reverse("models:attachment-download", args=[attachment.pk])).status_code == 404
    assert _state(model) == ModelState.RECOGNISED and not StudyVisit.objects.exists()


# -- the board and the list -------------------------------------------------------------------------

def _count(body: str, state: str) -> int:
    found = re.search(rf'data-testid="state-count" data-state="{state}">([\d.]+)<', body)
    return int(found.group(1).replace(".", ""))


def _row(body: str, unit_code: str) -> list[int]:
    row = body.split(f'data-testid="round-row" data-unit="{unit_code}"', 1)[1].split("</tr>", 1)[0]
    return [int(cell.replace(".", "")) for cell in re.findall(r'<td class="text-end[^"]*">([\d.]+)</td>', row)]


def test_district_board_shows_its_round_by_state_without_drafts(client, world):
    officer = world.commune_officer
    model_in_state(ModelState.SUBMITTED, officer=officer, name="Bò giống")
    model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Heo đất")
    model_in_state(ModelState.RECOGNISED, officer=officer, name="Giếng nước")
    model_in_state(ModelState.DRAFT, officer=officer, name="Bản nháp")
    model_in_state(ModelState.SUBMITTED, commune=world.other_district_commune, name="Nhà vệ sinh")

    body = _page(client, world.district_member, "models:board", data={"year": YEAR})

    assert (_count(body, "submitted"), _count(body, "recognised")) == (2, 1)
    assert 'data-state="draft"' not in body and "Bản nháp" not in body and "Nhà vệ sinh" not in body
    assert "Bò giống" in body and "Heo đất" in body
    assert "31/03/2025" in body


def test_province_board_counts_every_districts_round_and_its_own_current_era_round(client, world):
    current = CommuneFactory(parent=world.province, district=None, era="current", name="Phường An Hội")
    model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    model_in_state(ModelState.RECOGNISED, commune=world.other_district_commune)
    current_model = model_in_state(ModelState.SUBMITTED, commune=current, name="Thùng rác công cộng")
    model_in_state(ModelState.SUBMITTED, commune=world.other_province_commune)

    table = _page(client, world.provincial_officer, "models:board", data={"year": YEAR})

    submitted, recognised = 1, 6  # the columns after registered: submitted is the 2nd state, recognised the 7th
    assert _row(table, world.district.code)[submitted] == 1
    assert _row(table, world.other_district.code)[recognised] == 1
    assert _row(table, world.province.code)[submitted] == 1
    assert re.search(r'data-testid="board-total">3<', table)
    assert f"?unit={world.district.pk}&amp;year={YEAR}" in table

    own_round = _page(client, world.provincial_officer, "models:board", data={"year": YEAR, "unit": world.province.pk})
    assert current_model.name in own_round and _count(own_round, "submitted") == 1


def test_board_of_a_unit_outside_the_viewers_scope_is_404(client, world):
    client.force_login(world.provincial_officer)
    other = world.other_province_commune.district
    assert client.get(reverse("models:board"), {"unit": other.pk}).status_code == 404
    client.force_login(world.district_member)
    assert client.get(reverse("models:board"), {"unit": world.other_district.pk}).status_code == 404


def test_commune_board_shows_its_own_models_with_drafts_and_the_deadline(client, world):
    model_in_state(ModelState.DRAFT, officer=world.commune_officer, name="Bản nháp của xã")
    model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Của xã bạn")
    with mock.patch.object(timezone, "localdate", return_value=AFTER_DEADLINE):
        body = _page(client, world.commune_officer, "models:board", data={"year": YEAR})
    assert "Bản nháp của xã" in body and "Của xã bạn" not in body and _count(body, "draft") == 1
    assert 'data-testid="deadline-passed"' in body


def test_board_reads_counts_with_grouped_queries_whatever_the_round(client, world, django_assert_max_num_queries):
    for index in range(3):
        model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, name=f"Mô hình {index}")
    client.force_login(world.district_member)
    client.get(reverse("models:board"), {"year": YEAR})  # the session and the user, read once
    with django_assert_max_num_queries(8):
        assert client.get(reverse("models:board"), {"year": YEAR}).status_code == 200
    for index in range(3, 12):
        model_in_state(ModelState.REGISTERED, commune=world.sibling_commune, name=f"Mô hình {index}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("models:board"), {"year": YEAR}).status_code == 200
    client.force_login(world.provincial_officer)
    client.get(reverse("models:board"), {"year": YEAR})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("models:board"), {"year": YEAR}).status_code == 200
    client.force_login(world.commune_officer)
    client.get(reverse("models:board"), {"year": YEAR})
    with django_assert_max_num_queries(9):
        assert client.get(reverse("models:board"), {"year": YEAR}).status_code == 200


def test_list_shows_the_models_in_scope_with_their_total(client, world):
    original = model_in_state(ModelState.RECOGNISED, commune=world.other_district_commune, name="Heo đất gốc")
    model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, name="Heo đất nhân rộng", replicates=original)
    model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name="Bò giống")

    commune_view = _page(client, world.commune_officer, "models:model-list")
    district_view = _page(client, world.district_member, "models:model-list")

    assert re.search(r"Typical models <span[^>]*>\(1\)", commune_view)
    assert "Heo đất nhân rộng" in commune_view and "Bò giống" not in commune_view
    assert "Heo đất gốc" in commune_view, "the original's name is shown"
    assert reverse("models:model-detail", args=[original.pk]) not in commune_view, "but not linked outside scope"
    assert re.search(r"Typical models <span[^>]*>\(2\)", district_view)


def test_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    original = model_in_state(ModelState.RECOGNISED, commune=world.sibling_commune)
    for index in range(3):
        model_in_state(ModelState.SUBMITTED, officer=world.commune_officer, name=f"Mô hình {index}",
                       replicates=original)
    client.force_login(world.district_member)
    client.get(reverse("models:model-list"))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("models:model-list"), {"state": "submitted"}).status_code == 200
    for index in range(3, 10):
        model_in_state(ModelState.REGISTERED, commune=world.sibling_commune, name=f"Mô hình {index}")
    with django_assert_max_num_queries(7):
        assert client.get(reverse("models:model-list")).status_code == 200


def test_models_page_reads_the_same_number_of_queries_whatever_it_shows(client, world, django_assert_max_num_queries):
    original = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer)
    client.force_login(world.district_member)
    client.get(reverse("models:model-detail", args=[original.pk]))
    with django_assert_max_num_queries(19):
        assert client.get(reverse("models:model-detail", args=[original.pk])).status_code == 200
    for index in range(4):
        model_in_state(ModelState.SUBMITTED, commune=world.sibling_commune, name=f"Bản sao {index}",
                       replicates=original)
        services.attachment_add(actor=world.commune_officer, model=original, kind=AttachmentKind.FINAL_REPORT,
                                uploaded_file=SimpleUploadedFile(f"bao-cao-{index}.png", TINY_PNG))
        services.study_visit_record(actor=world.commune_officer, model=original, visited_on=datetime.date(2025, 10, 1),
                                    people=10, visiting_unit=world.sibling_commune)
    with django_assert_max_num_queries(19):
        assert client.get(reverse("models:model-detail", args=[original.pk])).status_code == 200


def test_menu_leads_to_the_board(client, world):
    body = _page(client, world.commune_officer, "home")
    assert f'href="{reverse("models:board")}" data-testid="nav-models"' in body


def test_administrator_sees_every_round_with_models_and_a_bad_year_falls_back_to_this_year(client, world):
    from ..factories import AdministratorFactory

    model_in_state(ModelState.SUBMITTED, officer=world.commune_officer)
    model_in_state(ModelState.SUBMITTED, commune=world.other_province_commune)
    body = _page(client, AdministratorFactory(), "models:board", data={"year": YEAR})
    assert _row(body, world.district.code)[1] == 1
    assert _row(body, world.other_province_commune.district.code)[1] == 1

    fallback = _page(client, world.district_member, "models:board", data={"year": "hai nghìn"})
    assert f"Typical models of {timezone.localdate().year}" in fallback
    assert "Choose a year from the list" in fallback


def test_registering_with_a_photo_and_taking_a_step_have_a_query_ceiling(client, world, django_assert_max_num_queries):
    client.force_login(world.commune_officer)
    client.get(reverse("models:board"))
    with mock.patch.object(timezone, "localdate", return_value=BEFORE_DEADLINE):
        with django_assert_max_num_queries(30):
            client.post(reverse("models:model-create"), {
                **_form(), "photo": SimpleUploadedFile("anh.png", TINY_PNG, content_type="image/png")})
        model = TypicalModel.objects.get()
        with django_assert_max_num_queries(13):
            assert _step(client, model, "register").status_code == 302


def test_a_column_shows_fifty_models_and_links_to_the_list_of_them_all(client, world):
    first = model_in_state(ModelState.REGISTERED, officer=world.commune_officer, name="Mô hình 00")
    TypicalModel.objects.bulk_create([
        TypicalModel(round=first.round, commune=world.sibling_commune, name=f"Mô hình {index:02d}",
                     field=first.field, goals="Mục tiêu", started_on=first.started_on, state=ModelState.REGISTERED,
                     created_by=first.created_by) for index in range(1, 53)])

    body = _page(client, world.district_member, "models:board", data={"year": YEAR})

    column = body.split('data-testid="board-column" data-state="registered"', 1)[1].split("</section>", 1)[0]
    assert _count(body, "registered") == 53
    assert column.count('data-testid="board-card"') == 50
    link = re.search(r'href="([^"]+)" data-testid="see-all"', column).group(1)
    assert html.unescape(link) == f"{reverse('models:model-list')}?round={first.round_id}&state=registered"
    listed = _page(client, world.district_member, "models:model-list", data={"round": first.round_id,
                                                                               "state": "registered"})
    assert re.search(r"Typical models <span[^>]*>\(53\)", listed)


# -- what the model's page offers the level above -----------------------------------------------------


def _above_links(client, user, model) -> dict[str, str]:
    """{test id: address} of the "for the level above" buttons the model's page shows ``user``."""
    body = _page(client, user, "models:model-detail", model.pk)
    section = re.search(r'data-testid="above-actions".*?</section>', body, re.S)
    if section is None:
        return {}
    return {testid: html.unescape(href) for href, testid in
            re.findall(r'<a [^>]*href="([^"]+)" data-testid="([^"]+)"', section.group(0))}


@pytest.mark.parametrize("state,expected", [
    (ModelState.SUBMITTED, {"above-plan", "score-sheet", "support-create"}),
    (ModelState.PLANNED, {"above-inspection", "score-sheet", "support-create"}),
    (ModelState.INSPECTED, {"above-meeting", "support-create"}),
    (ModelState.PRESENTED, {"above-decision", "support-create"}),
    (ModelState.RECOGNISED, {"award-create", "support-create"}),
])
def test_the_model_page_leads_the_district_to_the_page_of_its_next_step(client, world, state, expected):
    model = model_in_state(state, officer=_officer(world))
    links = _above_links(client, world.district_member, model)
    assert set(links) == expected
    if state == ModelState.SUBMITTED:
        assert links["above-plan"] == reverse("models:round-plan", args=[model.round_id])
        assert links["score-sheet"].endswith(f"?model={model.pk}")
    if state == ModelState.PRESENTED:
        assert links["above-decision"] == reverse("models:meeting-detail", args=[model.meeting_item.meeting_id])
    assert _above_links(client, world.commune_officer, model) == {}
    assert _above_links(client, world.provincial_officer, model) == {}


def test_the_commune_reads_its_recognition_notice_and_certificate_from_the_model_page(client, world):
    model = model_in_state(ModelState.RECOGNISED, officer=_officer(world))
    notice = services.notice_issue(actor=world.district_member, round_=model.round, models=[model], number=15,
                                   issued_on=datetime.date(2025, 10, 10), signer="Lê Văn Phúc",
                                   signer_title="CHỦ TỊCH", recipients="- Lưu VT.")
    award = services.award_give(actor=world.district_member, model=model, kind="certificate", title="Giấy khen",
                                awarded_on=datetime.date(2025, 10, 20), notice=notice)
    body = _page(client, world.commune_officer, "models:model-detail", model.pk)
    assert reverse("models:notice-detail", args=[notice.pk]) in body
    assert reverse("models:notice-pdf", args=[notice.pk]) in body
    assert reverse("models:award-certificate-pdf", args=[award.pk]) in body
    assert "15/TB-MTTQ" in body
    assert client.get(reverse("models:notice-pdf", args=[notice.pk]))["Content-Type"] == "application/pdf"


def test_the_list_finds_a_model_by_its_name_typed_without_diacritics(client, world):
    model_in_state(ModelState.SUBMITTED, officer=_officer(world), name="Đào giếng nước sạch")
    model_in_state(ModelState.SUBMITTED, officer=_officer(world), name="Heo đất tiết kiệm")
    body = _page(client, world.district_member, "models:model-list", data={"q": "dao GIENG"})
    assert "Đào giếng nước sạch" in body and "Heo đất tiết kiệm" not in body


def test_a_score_sheet_asked_for_a_model_of_odd_digits_is_not_found(client, world):
    model = model_in_state(ModelState.SUBMITTED, officer=_officer(world))
    client.force_login(world.district_member)
    response = client.get(reverse("models:score-sheet-pdf", args=[model.round_id]), {"model": "²"})
    assert response.status_code == 404


def test_a_replica_of_another_provinces_model_keeps_its_original_when_edited(client, world):
    original = model_in_state(ModelState.RECOGNISED, commune=world.other_province_commune, name="Nuôi bò Lâm Đồng")
    with mock.patch.object(timezone, "localdate", return_value=datetime.date(YEAR + 1, 2, 1)):
        replica = services.model_create(actor=world.commune_officer, year=YEAR + 1,
                                        **model_data(name="Nuôi bò", replicates=original))
    client.force_login(world.commune_officer)
    response = client.post(reverse("models:model-update", args=[replica.pk]),
                           {**_form(replicates=str(original.pk), name="Nuôi bò sinh sản"), "year": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    replica.refresh_from_db()
    assert (replica.name, replica.replicates_id) == ("Nuôi bò sinh sản", original.pk)


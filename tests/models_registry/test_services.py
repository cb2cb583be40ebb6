"""The rules of the typical models' services beyond the step table: the round's deadline and its
reopening, the versioned criteria and the scores, the money of awards and support (through the
ledger), the notice, replication, files and history."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from donations.choices import Purpose
from donations.models import PostingLine
from donations.selectors import fund_balance
from models_registry import services
from models_registry.choices import AttachmentKind, AwardKind, ModelState, SupportKind, Transition
from models_registry.models import (
    Award,
    Criterion,
    Inspection,
    ModelAttachment,
    ModelSupport,
    Notice,
    Reopening,
    Round,
    TypicalModel,
)

from ..donations.factories import fund_of, receipt_into
from ..factories import CommuneOfficerFactory, DistrictMemberFactory
from ..housing.factories import TINY_PDF, TINY_PNG
from .factories import INSPECTED_ON, REGISTERED_ON, RoundFactory, model_data, model_in_state, scores_for

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2025, 4, 2)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _on(day):
    return mock.patch.object(timezone, "localdate", return_value=day)


def _draft(officer, **fields):
    with _on(REGISTERED_ON):
        return services.model_create(actor=officer, year=2025, **model_data(**fields))


# -- the round and its deadline -------------------------------------------------------------------------


def test_the_first_registration_of_a_year_makes_the_districts_round_due_31_march(world):
    model = _draft(world.commune_officer)
    assert (model.round.unit, model.round.year, model.round.deadline) == (world.district, 2025,
                                                                         datetime.date(2025, 3, 31))
    assert [criterion.weight for criterion in services.current_criteria(model.round)] == [30, 25, 20, 15, 10]


def test_registering_after_the_deadline_is_refused_until_the_level_above_reopens_it_with_a_reason(world):
    model = _draft(world.commune_officer)
    with _on(APRIL), pytest.raises(ValidationError, match="deadline"):
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.REGISTER)
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.DRAFT
    with _on(APRIL), pytest.raises(ValidationError, match="reason"):
        services.round_reopen(actor=world.district_member, round_=model.round, commune=world.commune,
                              until=datetime.date(2025, 4, 15), reason=" ")
    with _on(APRIL):
        reopening = services.round_reopen(actor=world.district_member, round_=model.round, commune=world.commune,
                                          until=datetime.date(2025, 4, 15), reason="Xã mới kiện toàn ban thường trực")
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.REGISTER)
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.SUBMIT)
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED
    assert (reopening.reopened_by, reopening.commune) == (world.district_member, world.commune)


def test_a_reopening_serves_only_its_commune_and_only_until_its_day(world):
    own = _draft(world.commune_officer)
    sibling = _draft(CommuneOfficerFactory(unit=world.sibling_commune))
    with _on(APRIL):
        services.round_reopen(actor=world.district_member, round_=own.round, commune=world.commune,
                              until=datetime.date(2025, 4, 10), reason="Lý do")
        with pytest.raises(ValidationError, match="deadline"):
            services.model_advance(actor=sibling.created_by, model=sibling, step=Transition.REGISTER)
    with _on(datetime.date(2025, 4, 11)), pytest.raises(ValidationError, match="deadline"):
        services.model_advance(actor=world.commune_officer, model=own, step=Transition.REGISTER)


def test_only_the_level_above_reopens_and_only_for_its_own_communes(world):
    model = _draft(world.commune_officer)
    with _on(APRIL):
        for actor in (world.commune_officer, world.provincial_officer, DistrictMemberFactory(
                unit=world.other_district)):
            with pytest.raises((PermissionDenied, Round.DoesNotExist)):
                services.round_reopen(actor=actor, round_=model.round, commune=world.commune,
                                      until=datetime.date(2025, 4, 10), reason="Lý do")
        with pytest.raises(ValidationError, match="not one of this round"):
            services.round_reopen(actor=world.district_member, round_=model.round,
                                  commune=world.other_district_commune, until=datetime.date(2025, 4, 10), reason="X")
    assert not Reopening.objects.exists()


def test_the_district_may_set_another_deadline_for_its_communes(world):
    round_ = services.round_create(actor=world.district_member, unit=world.district, year=2025,
                                   deadline=datetime.date(2025, 4, 20), mid_year_review_on=datetime.date(2025, 8, 31),
                                   final_report_on=datetime.date(2025, 11, 20))
    model = _draft(world.commune_officer)
    assert model.round == round_
    with _on(APRIL):
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.REGISTER)
    with pytest.raises(ValidationError, match="review"):
        services.round_update(actor=world.district_member, round_=round_, mid_year_review_on=datetime.date(2025, 4, 1))
    assert Round.objects.get(pk=round_.pk).mid_year_review_on == datetime.date(2025, 8, 31)


def test_a_commune_officer_cannot_set_up_or_change_the_round(world):
    with pytest.raises(PermissionDenied):
        services.round_create(actor=world.commune_officer, unit=world.district, year=2025)
    round_ = RoundFactory(unit=world.district)
    with pytest.raises(PermissionDenied):
        services.round_update(actor=world.commune_officer, round_=round_, deadline=datetime.date(2025, 5, 1))


# -- criteria, versions, scores ------------------------------------------------------------------------


def test_criteria_must_weigh_100_points(world):
    round_ = RoundFactory(unit=world.district)
    with pytest.raises(ValidationError, match="add up to 90"):
        services.criteria_set(actor=world.district_member, round_=round_,
                              criteria=[("Hiệu quả", "", 50), ("Lan tỏa", "", 40)])
    assert not round_.criteria.exists()


def test_changing_criteria_after_an_inspection_makes_a_new_version_and_the_old_scores_keep_theirs(world):
    first = model_in_state(ModelState.INSPECTED, officer=CommuneOfficerFactory(unit=world.commune))
    round_ = first.round
    version = services.criteria_set(actor=world.district_member, round_=round_,
                                    criteria=[("Hiệu quả kinh tế", "Thu nhập tăng", 60), ("Lan tỏa", "", 40)])
    assert version == 2
    inspection = Inspection.objects.get(model=first)
    assert inspection.criteria_version == 1
    assert sorted(inspection.scores.values_list("criterion__weight", flat=True)) == [10, 15, 20, 25, 30]
    second = model_in_state(ModelState.INSPECTED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    assert Inspection.objects.get(model=second).criteria_version == 2
    assert Inspection.objects.get(model=second).total_score == 100
    assert Criterion.objects.filter(round=round_, version=1).count() == 5


def test_changing_criteria_before_any_score_replaces_the_version(world):
    model = model_in_state(ModelState.PLANNED, officer=CommuneOfficerFactory(unit=world.commune))
    assert services.criteria_set(actor=world.district_member, round_=model.round,
                                 criteria=[("Hiệu quả", "", 100)]) == 1
    assert model.round.criteria.count() == 1


def test_a_new_round_starts_with_the_criteria_its_unit_used_last(world):
    old = RoundFactory(unit=world.district, year=2024)
    services.criteria_set(actor=world.district_member, round_=old, criteria=[("A", "", 70), ("B", "", 30)])
    model = _draft(world.commune_officer)
    assert [(c.name, c.weight) for c in services.current_criteria(model.round)] == [("A", 70), ("B", 30)]


@pytest.mark.parametrize("change", ["too_many_points", "missing", "unknown"])
def test_a_score_sheet_must_score_every_criterion_within_its_weight(world, change):
    model = model_in_state(ModelState.PLANNED, officer=CommuneOfficerFactory(unit=world.commune))
    scores = scores_for(model)
    first = next(iter(scores))
    if change == "too_many_points":
        scores[first] += 1
    elif change == "missing":
        del scores[first]
    else:
        scores[999_999] = 1
    with pytest.raises(ValidationError) as refused:
        services.inspection_record(actor=world.district_member, model=model, inspected_on=INSPECTED_ON,
                                   officers="Ông A", findings="Tốt", scores=scores)
    assert "scores" in refused.value.message_dict
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.PLANNED
    assert not Inspection.objects.exists()


# -- money: awards and support go through the ledger ---------------------------------------------------


def test_a_money_award_is_paid_out_of_the_districts_fund_and_traced_in_the_ledger(world):
    model = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    fund = fund_of(world.district)
    receipt_into(fund, amount=20_000_000, actor=world.district_member)
    award = services.award_give(actor=world.district_member, model=model, kind=AwardKind.CERTIFICATE_AND_MONEY,
                                title="Giấy khen", awarded_on=datetime.date(2025, 10, 20), amount=5_000_000,
                                fund=fund)
    assert fund_balance(fund) == 15_000_000
    paid = PostingLine.objects.get(posting=award.posting, fund=fund)
    assert (paid.amount, paid.purpose) == (-5_000_000, Purpose.TYPICAL_MODELS)
    assert award.posting.happened_on == datetime.date(2025, 10, 20)


def test_an_award_the_fund_cannot_cover_is_refused_whole(world):
    model = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    fund = fund_of(world.district)
    receipt_into(fund, amount=1_000_000, actor=world.district_member)
    with pytest.raises(ValidationError):
        services.award_give(actor=world.district_member, model=model, kind=AwardKind.MONEY, title="Tiền thưởng",
                            awarded_on=datetime.date(2025, 10, 20), amount=5_000_000, fund=fund)
    assert not Award.objects.exists()
    assert fund_balance(fund) == 1_000_000


def test_an_award_goes_to_a_recognised_model_only_and_money_needs_its_fund(world):
    presented = model_in_state(ModelState.PRESENTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="recognised"):
        services.award_give(actor=world.district_member, model=presented, kind=AwardKind.CERTIFICATE,
                            title="Giấy khen", awarded_on=datetime.date(2025, 10, 20))
    recognised = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    with pytest.raises(ValidationError, match="fund"):
        services.award_give(actor=world.district_member, model=recognised, kind=AwardKind.MONEY, title="Thưởng",
                            awarded_on=datetime.date(2025, 10, 20), amount=1_000_000)
    assert not Award.objects.exists()


def test_funds_given_to_a_model_are_a_disbursement_and_advice_has_no_amount(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    fund = fund_of(world.district)
    receipt_into(fund, amount=10_000_000, actor=world.district_member)
    support = services.support_give(actor=world.district_member, model=model, kind=SupportKind.FUNDS,
                                    given_on=datetime.date(2025, 5, 5), description="Mua ống nước", amount=3_000_000,
                                    fund=fund)
    assert fund_balance(fund) == 7_000_000 and support.posting is not None
    with pytest.raises(ValidationError, match="Only money"):
        services.support_give(actor=world.district_member, model=model, kind=SupportKind.ADVICE,
                              given_on=datetime.date(2025, 5, 5), description="Tư vấn", amount=1, fund=fund)
    assert ModelSupport.objects.count() == 1


def test_the_district_pays_only_out_of_its_own_fund(world):
    model = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    province_fund = fund_of(world.province)
    receipt_into(province_fund, amount=10_000_000)
    with pytest.raises(PermissionDenied):
        services.award_give(actor=world.district_member, model=model, kind=AwardKind.MONEY, title="Thưởng",
                            awarded_on=datetime.date(2025, 10, 20), amount=1_000_000, fund=province_fund)
    assert fund_balance(province_fund) == 10_000_000


# -- the notice ----------------------------------------------------------------------------------------


def _notice_fields(**overrides):
    return {"number": 15, "symbol": "TB-MTTQ", "issued_on": datetime.date(2025, 10, 10), "signer": "Nguyễn Văn Hùng",
            "signer_title": "PHÓ CHỦ TỊCH", "recipients": "- Ban Thường trực tỉnh;\n- UBND huyện;\n- Lưu VT.",
            **overrides}


def test_a_notice_recognises_models_the_meeting_recognised_and_its_number_is_not_given_twice(world):
    recognised = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    not_yet = model_in_state(ModelState.PRESENTED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    with pytest.raises(ValidationError, match="recognised"):
        services.notice_issue(actor=world.district_member, round_=recognised.round, models=[recognised, not_yet],
                              **_notice_fields())
    notice = services.notice_issue(actor=world.district_member, round_=recognised.round, models=[recognised],
                                   **_notice_fields())
    assert list(notice.recognised_models.all()) == [recognised]
    assert notice.reference == "15/TB-MTTQ"
    assert notice.recipient_lines() == ["- Ban Thường trực tỉnh;", "- UBND huyện;", "- Lưu VT."]
    with pytest.raises(ValidationError, match="number"):
        services.notice_issue(actor=world.district_member, round_=recognised.round, models=[recognised],
                              **_notice_fields())
    assert Notice.objects.count() == 1


# -- replication ---------------------------------------------------------------------------------------


def test_a_replica_copies_a_recognised_model_and_is_counted_on_it_once_registered(world):
    from models_registry.selectors import replica_communes, replication_of

    original = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    submitted = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    with pytest.raises(ValidationError, match="recognised"):
        _draft(CommuneOfficerFactory(unit=world.other_district_commune), replicates=submitted)
    for commune in (world.sibling_commune, world.other_district_commune, world.other_province_commune):
        officer = CommuneOfficerFactory(unit=commune)
        replica = _draft(officer, name="Đào giếng (nhân rộng)", replicates=original)
        if commune != world.other_province_commune:  # a draft is its commune's own: not counted yet
            with _on(REGISTERED_ON):
                services.model_advance(actor=officer, model=replica, step=Transition.REGISTER)
    services.study_visit_record(actor=world.district_member, model=original, visited_on=datetime.date(2025, 11, 1),
                                people=25, visiting_unit=world.other_district_commune)
    services.media_record(actor=world.commune_officer, model=original, outlet="Báo Đồng Khởi",
                          title="Giếng nước sạch cho hộ nghèo", published_on=datetime.date(2025, 11, 3),
                          link="https://baodongkhoi.vn/gieng")
    assert replication_of(original) == {"communes": 2, "visits": 1, "people": 25, "media": 1}
    assert replica_communes(TypicalModel.objects.filter(pk=original.pk)) == {original.pk: 2}


def test_study_visits_are_for_recognised_models_and_recorded_by_their_commune_or_the_level_above(world):
    submitted = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="recognised"):
        services.media_record(actor=world.district_member, model=submitted, outlet="Báo", title="Bài",
                              published_on=datetime.date(2025, 5, 1))
    recognised = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    with pytest.raises(TypicalModel.DoesNotExist):
        services.study_visit_record(actor=world.commune_officer, model=recognised, people=5,
                                    visited_on=datetime.date(2025, 11, 1), visitors="Đoàn xã bạn")


# -- files and history ---------------------------------------------------------------------------------


def test_a_photo_is_attached_while_the_commune_holds_the_registration_and_checked_by_content(world):
    model = _draft(world.commune_officer)
    photo = services.attachment_add(actor=world.commune_officer, model=model, kind=AttachmentKind.PHOTO,
                                    uploaded_file=SimpleUploadedFile("gieng.png", TINY_PNG))
    assert photo.is_image and photo.content_type == "image/png"
    with pytest.raises(ValidationError, match="photo must be"):
        services.attachment_add(actor=world.commune_officer, model=model, kind=AttachmentKind.PHOTO,
                                uploaded_file=SimpleUploadedFile("gieng.pdf", TINY_PDF))
    with pytest.raises(ValidationError, match="name ends"):
        services.attachment_add(actor=world.commune_officer, model=model, kind=AttachmentKind.DOCUMENT,
                                uploaded_file=SimpleUploadedFile("ke-hoach.png", TINY_PDF))
    assert ModelAttachment.objects.count() == 1


def test_no_file_is_attached_once_submitted_except_the_level_aboves_inspection_photos(world):
    model = model_in_state(ModelState.INSPECTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=model.created_by, model=model, kind=AttachmentKind.PHOTO,
                                uploaded_file=SimpleUploadedFile("a.png", TINY_PNG))
    photo = services.attachment_add(actor=world.district_member, model=model, kind=AttachmentKind.INSPECTION_PHOTO,
                                    uploaded_file=SimpleUploadedFile("kiem-tra.png", TINY_PNG))
    assert photo.inspection == model.inspection


def test_every_change_of_a_registration_is_in_its_history_with_who(world):
    model = _draft(world.commune_officer)
    services.model_update(actor=world.commune_officer, model=model, participants=150)
    history = list(model.history.order_by("history_date").values_list("history_user", "participants"))
    assert history == [(world.commune_officer.pk, 120), (world.commune_officer.pk, 150)]


def test_a_draft_may_be_deleted_by_its_commune_but_not_once_registered(world):
    model = _draft(world.commune_officer)
    registered = model_in_state(ModelState.REGISTERED, officer=world.commune_officer)
    services.model_delete(actor=world.commune_officer, model=model)
    with pytest.raises(PermissionDenied):
        services.model_delete(actor=world.commune_officer, model=registered)
    assert list(TypicalModel.objects.all()) == [registered]


def test_a_leader_is_named_and_the_budget_is_not_negative(world):
    with pytest.raises(ValidationError) as refused, _on(REGISTERED_ON):
        services.model_create(actor=world.commune_officer, year=2025,
                              **model_data(leader_name="", budget=-1))
    assert refused.value.message_dict == {
        "leader_name": ["Name the member organisation or the person leading the model."],
        "__all__": ["The budget cannot be negative."]}
    assert not TypicalModel.objects.exists()


def test_a_notice_without_a_symbol_takes_the_fronts_usual_one(world):
    recognised = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    fields = _notice_fields()
    del fields["symbol"]
    notice = services.notice_issue(actor=world.district_member, round_=recognised.round, models=[recognised],
                                   **fields)
    assert notice.reference == "15/TB-MTTQ"


# -- the second look's findings ------------------------------------------------------------------------


def test_a_province_rounds_notice_is_read_by_its_communes_not_by_the_districts_under_the_province(world):
    from ..factories import CommuneFactory, ProvincialOfficerFactory

    commune = CommuneFactory(parent=world.province, district=None, era="current", code="90001")
    provincial = ProvincialOfficerFactory(unit=world.province)
    officer = CommuneOfficerFactory(unit=commune)
    model = model_in_state(ModelState.RECOGNISED, officer=officer, approver=provincial)
    notice = services.notice_issue(actor=provincial, round_=model.round, models=[model], **_notice_fields())
    assert list(Notice.objects.visible_to(officer)) == [notice]
    assert list(Notice.objects.visible_to(world.provincial_officer)) == [notice]
    assert list(Notice.objects.visible_to(world.district_member)) == []
    assert list(Notice.objects.visible_to(world.commune_officer)) == []
    assert Notice.objects.visible_to(world.administrator).count() == 1


def test_a_notice_or_award_cannot_be_dated_before_the_recognition(world):
    model = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    early = datetime.date(2025, 9, 1)  # the meeting recognised it on 5 September
    with pytest.raises(ValidationError, match="before the model was recognised"):
        services.notice_issue(actor=world.district_member, round_=model.round, models=[model],
                              **_notice_fields(issued_on=early))
    with pytest.raises(ValidationError, match="before the model was recognised"):
        services.award_give(actor=world.district_member, model=model, kind=AwardKind.CERTIFICATE, title="Giấy khen",
                            awarded_on=early)
    assert not Notice.objects.exists() and not Award.objects.exists()


def test_a_round_is_set_up_for_a_year_up_to_next_year(world):
    with pytest.raises(ValidationError, match="next year"):
        services.round_create(actor=world.district_member, unit=world.district, year=timezone.localdate().year + 2)
    assert not Round.objects.exists()


def test_a_study_visit_brings_at_least_one_person(world):
    model = model_in_state(ModelState.RECOGNISED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="at least one"):
        services.study_visit_record(actor=world.district_member, model=model, people=0,
                                    visited_on=datetime.date(2025, 11, 1), visitors="Đoàn xã bạn")


def test_a_deleted_drafts_files_go_once_the_deletion_is_committed(world, django_capture_on_commit_callbacks):
    model = _draft(world.commune_officer)
    photo = services.attachment_add(actor=world.commune_officer, model=model, kind=AttachmentKind.PHOTO,
                                    uploaded_file=SimpleUploadedFile("gieng.png", TINY_PNG))
    storage, name = photo.file.storage, photo.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.model_delete(actor=world.commune_officer, model=model)
    assert storage.exists(name)  # not yet: the deletion could still be rolled back
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_an_inspection_is_not_planned_for_a_day_before_the_plan(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="before the plan was decided"):
        services.inspection_plan(actor=world.district_member, model=model, officers="Ban Phong trào",
                                 planned_on=datetime.date(2025, 4, 1), decided_on=datetime.date(2025, 4, 15))
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED

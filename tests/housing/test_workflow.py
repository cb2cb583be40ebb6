"""Every step of the case workflow, allowed and refused, by role and by state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from frontwelfare.accounts.choices import Role
from housing import services
from housing.choices import AttachmentKind, CaseState, Transition
from housing.models import CaseAttachment, CaseTransition, HousingCase
from housing.workflow import STEPS, steps_for

from ..factories import CommuneFactory, ProvincialOfficerFactory
from .factories import TINY_PDF, CaseAttachmentFactory, HousingCaseFactory, ProgrammeFactory, case_in_state

# What each step records, valid for a case built by case_in_state.
STEP_VALUES = {
    Transition.SURVEY: {"survey_date": datetime.date(2025, 4, 1), "survey_findings": "Nhà dột, vách lá mục"},
    Transition.APPROVE: {},
    Transition.REJECT: {},
    Transition.START: {"start_date": datetime.date(2025, 5, 2)},
    Transition.COMPLETE: {"completion_date": datetime.date(2025, 7, 2), "final_cost": 79_000_000},
    Transition.HAND_OVER: {"handover_date": datetime.date(2025, 7, 20)},
    Transition.CANCEL: {},
}
STEP_ROLES = {
    Transition.SURVEY: Role.COMMUNE_OFFICER, Transition.START: Role.COMMUNE_OFFICER,
    Transition.COMPLETE: Role.COMMUNE_OFFICER, Transition.HAND_OVER: Role.COMMUNE_OFFICER,
    Transition.APPROVE: Role.DISTRICT_MEMBER, Transition.REJECT: Role.DISTRICT_MEMBER,
    Transition.CANCEL: Role.DISTRICT_MEMBER,
}


def _handover_record():
    return SimpleUploadedFile("bien-ban-ban-giao.pdf", TINY_PDF, content_type="application/pdf")


def _advance(actor, case, step):
    extra = {"note": "Lý do: hộ đã chuyển đi nơi khác"}
    if step == Transition.HAND_OVER:
        extra["handover_record"] = _handover_record()
    return services.case_advance(actor=actor, case=case, step=step, **STEP_VALUES[step], **extra)


@pytest.mark.parametrize("state", list(CaseState))
@pytest.mark.parametrize("step", list(Transition))
def test_each_step_is_allowed_for_its_role_from_its_states_only(world, step, state):
    case = case_in_state(state, household__commune=world.commune, programme__unit=world.district)
    allowed_here = state in STEPS[step].sources
    for role in (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR):
        actor = world.viewer(role)
        if role != STEP_ROLES[step]:
            with pytest.raises(PermissionDenied):
                _advance(actor, case, step)
        elif not allowed_here:
            with pytest.raises(ValidationError):
                _advance(actor, case, step)
        else:
            moved = _advance(actor, case, step)
            assert moved.state == STEPS[step].target
            recorded = CaseTransition.objects.get(case=case)
            assert (recorded.name, recorded.from_state, recorded.to_state, recorded.actor) == \
                (step, state, STEPS[step].target, actor)
            return
        case.refresh_from_db()
        assert case.state == state, f"{role} {step} changed the state"
    assert not CaseTransition.objects.filter(case=case).exists()


@pytest.mark.parametrize("step", list(Transition))
def test_officers_of_other_units_do_not_even_find_the_case(world, step):
    case = case_in_state(next(iter(STEPS[step].sources)), household__commune=world.sibling_commune,
                         programme__unit=world.district)
    outsider = world.commune_officer if STEP_ROLES[step] == Role.COMMUNE_OFFICER else None
    if outsider is None:
        case = case_in_state(next(iter(STEPS[step].sources)), household__commune=world.other_district_commune,
                             programme__unit=world.other_district)
        outsider = world.district_member
    with pytest.raises(HousingCase.DoesNotExist):
        _advance(outsider, case, step)


def test_page_offers_only_the_steps_the_user_may_take(world):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme__unit=world.district)
    assert [step.name for step in steps_for(world.district_member, case)] == [
        Transition.APPROVE, Transition.REJECT, Transition.CANCEL]
    assert steps_for(world.commune_officer, case) == []
    assert steps_for(world.provincial_officer, case) == []
    approved = case_in_state(CaseState.APPROVED, household__commune=world.commune, programme__unit=world.district)
    assert [step.name for step in steps_for(world.commune_officer, approved)] == [Transition.START]


def test_a_commune_without_a_district_is_decided_by_its_province(world):
    commune = CommuneFactory(parent=world.province, district=None, era="current")
    case = case_in_state(CaseState.SURVEYED, household__commune=commune, programme__unit=world.province)
    services.case_advance(actor=world.provincial_officer, case=case, step=Transition.APPROVE)
    assert HousingCase.objects.get(pk=case.pk).state == CaseState.APPROVED
    other = ProvincialOfficerFactory(unit=world.other_province)
    assert steps_for(other, case) == []


@pytest.mark.parametrize("step", [Transition.REJECT, Transition.CANCEL])
def test_rejecting_or_cancelling_needs_a_reason(world, step, english):
    case = case_in_state(CaseState.SURVEYED, household__commune=world.commune, programme__unit=world.district)
    with pytest.raises(ValidationError) as error:
        services.case_advance(actor=world.district_member, case=case, step=step, note="  ")
    assert error.value.message_dict == {"note": ["Give the reason."]}
    services.case_advance(actor=world.district_member, case=case, step=step, note="Hộ không còn ở địa phương")
    assert CaseTransition.objects.get(case=case).note == "Hộ không còn ở địa phương"


def test_steps_require_their_fields(world, english):
    case = case_in_state(CaseState.CONSTRUCTION_STARTED, household__commune=world.commune,
                         programme__unit=world.district)
    with pytest.raises(ValidationError) as error:
        services.case_advance(actor=world.commune_officer, case=case, step=Transition.COMPLETE,
                              completion_date=None, final_cost=None)
    assert set(error.value.message_dict) == {"completion_date", "final_cost"}


def test_dates_in_the_future_or_out_of_order_are_refused(world, english):
    case = case_in_state(CaseState.APPROVED, household__commune=world.commune, programme__unit=world.district)
    with pytest.raises(ValidationError) as error:
        services.case_advance(actor=world.commune_officer, case=case, step=Transition.START,
                              start_date=datetime.date.today() + datetime.timedelta(days=3))
    assert error.value.message_dict == {"start_date": ["The date cannot be in the future."]}
    with pytest.raises(ValidationError) as error:
        services.case_advance(actor=world.commune_officer, case=case, step=Transition.START,
                              start_date=datetime.date(2025, 3, 1))
    assert error.value.message_dict == {
        "start_date": ["The date cannot be before the case's previous step (01/04/2025)."]}
    started = case_in_state(CaseState.CONSTRUCTION_STARTED, household__commune=world.commune,
                            programme__unit=world.district)
    with pytest.raises(ValidationError):
        services.case_advance(actor=world.commune_officer, case=started, step=Transition.COMPLETE,
                              completion_date=datetime.date(2025, 4, 30), final_cost=70_000_000)
    assert HousingCase.objects.get(pk=started.pk).state == CaseState.CONSTRUCTION_STARTED


def test_handing_over_needs_the_handover_record(world, english):
    case = case_in_state(CaseState.COMPLETED, household__commune=world.commune, programme__unit=world.district)
    with pytest.raises(ValidationError) as error:
        services.case_advance(actor=world.commune_officer, case=case, step=Transition.HAND_OVER,
                              handover_date=datetime.date(2025, 7, 20))
    assert error.value.message_dict == {"handover_record": ["Attach the handover record."]}
    CaseAttachmentFactory(case=case, kind=AttachmentKind.HANDOVER_RECORD, uploaded_by=world.commune_officer)
    services.case_advance(actor=world.commune_officer, case=case, step=Transition.HAND_OVER,
                          handover_date=datetime.date(2025, 7, 20))
    assert HousingCase.objects.get(pk=case.pk).state == CaseState.HANDED_OVER


def test_handing_over_with_the_record_attaches_it_in_the_same_step(world):
    case = case_in_state(CaseState.COMPLETED, household__commune=world.commune, programme__unit=world.district)
    _advance(world.commune_officer, case, Transition.HAND_OVER)
    record = CaseAttachment.objects.get(case=case)
    assert (record.kind, record.content_type, record.original_name) == (
        AttachmentKind.HANDOVER_RECORD, "application/pdf", "bien-ban-ban-giao.pdf")


def test_a_refused_handover_stores_no_file(world, settings):
    case = case_in_state(CaseState.COMPLETED, household__commune=world.commune, programme__unit=world.district)
    with pytest.raises(ValidationError):
        services.case_advance(actor=world.commune_officer, case=case, step=Transition.HAND_OVER,
                              handover_date=datetime.date(2025, 6, 1), handover_record=_handover_record())
    assert not CaseAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_every_step_is_in_the_case_history_with_its_author(world):
    case = HousingCaseFactory(household__commune=world.commune, programme=ProgrammeFactory(unit=world.district))
    _advance(world.commune_officer, case, Transition.SURVEY)
    _advance(world.district_member, case, Transition.APPROVE)
    steps = HousingCase.history.filter(id=case.pk).order_by("history_id").values_list("state", "history_user")
    # The first row is the factory's, which no one wrote.
    assert list(steps)[1:] == [(CaseState.SURVEYED, world.commune_officer.pk),
                               (CaseState.APPROVED, world.district_member.pk)]

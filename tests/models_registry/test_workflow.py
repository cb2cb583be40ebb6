"""The workflow table, step by step, by role and state, in both eras (before the 2025 reform the
district's standing committee takes the level above's steps; for the current units, the province's)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from models_registry import services
from models_registry.choices import Decision, ModelState, Transition
from models_registry.models import ModelStep, TypicalModel
from models_registry.workflow import STEPS, steps_for

from ..factories import (
    CommuneFactory,
    CommuneOfficerFactory,
    DistrictMemberFactory,
    ProvinceFactory,
    ProvincialOfficerFactory,
)
from .factories import MET_ON, REGISTERED_ON, model_data, model_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are read in English here (the users' default is Vietnamese)."""
    with translation.override("en"):
        yield


def _current_era_commune():
    province = ProvinceFactory(era="current", name="Tỉnh Vĩnh Long", code="86")
    return CommuneFactory(parent=province, district=None, era="current", name="Xã Phước Mỹ Trung")


def _in_march():
    return mock.patch.object(timezone, "localdate", return_value=REGISTERED_ON)


# -- who takes which step ------------------------------------------------------------------------------


def test_commune_officer_registers_and_submits_own_commune_model_by_the_deadline(world):
    with _in_march():
        model = services.model_create(actor=world.commune_officer, year=2025, **model_data())
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.REGISTER)
        services.model_advance(actor=world.commune_officer, model=model, step=Transition.SUBMIT)
    model.refresh_from_db()
    assert model.state == ModelState.SUBMITTED
    assert model.round.unit == world.district
    assert [step.to_state for step in model.steps.all()] == [ModelState.DRAFT, ModelState.REGISTERED,
                                                            ModelState.SUBMITTED]
    assert {step.actor for step in model.steps.all()} == {world.commune_officer}


def test_only_a_commune_officer_registers_a_model(world):
    for actor in (world.district_member, world.provincial_officer, world.administrator):
        with pytest.raises(PermissionDenied), _in_march():
            services.model_create(actor=actor, year=2025, **model_data())
    assert not TypicalModel.objects.exists()


def test_another_communes_officer_cannot_move_the_model(world):
    model = model_in_state(ModelState.REGISTERED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(TypicalModel.DoesNotExist), _in_march():
        services.model_advance(actor=CommuneOfficerFactory(unit=world.sibling_commune), model=model,
                               step=Transition.SUBMIT)
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.REGISTERED


def test_the_district_cannot_take_the_communes_steps_nor_the_commune_the_districts(world):
    model = model_in_state(ModelState.REGISTERED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(PermissionDenied), _in_march():
        services.model_advance(actor=world.district_member, model=model, step=Transition.SUBMIT)
    submitted = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(PermissionDenied):
        services.model_advance(actor=world.commune_officer, model=submitted, step=Transition.RETURN, note="Thiếu")
    with pytest.raises(PermissionDenied):
        services.inspection_plan(actor=world.commune_officer, model=submitted, officers="A",
                                 planned_on=datetime.date(2025, 6, 1))
    assert TypicalModel.objects.get(pk=submitted.pk).state == ModelState.SUBMITTED


def test_the_province_does_not_take_the_districts_part_for_a_pre_reform_commune(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(PermissionDenied):
        services.model_advance(actor=world.provincial_officer, model=model, step=Transition.RETURN, note="Thiếu")
    assert steps_for(world.provincial_officer, model) == []
    assert [step.name for step in steps_for(world.district_member, model)] == [Transition.RETURN, Transition.PLAN]


def test_a_current_era_communes_model_is_recognised_by_its_province():
    commune = _current_era_commune()
    officer = CommuneOfficerFactory(unit=commune)
    provincial = ProvincialOfficerFactory(unit=commune.province)
    model = model_in_state(ModelState.RECOGNISED, officer=officer, approver=provincial)
    assert model.round.unit == commune.province
    assert ModelStep.objects.get(model=model, name=Transition.RECOGNISE).actor == provincial


def test_a_district_member_cannot_act_on_a_current_era_communes_model():
    commune = _current_era_commune()
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=commune))
    stranger = DistrictMemberFactory()
    with pytest.raises((PermissionDenied, TypicalModel.DoesNotExist)):
        services.inspection_plan(actor=stranger, model=model, officers="A", planned_on=datetime.date(2025, 6, 1))
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED


@pytest.mark.parametrize("state,allowed", [
    (ModelState.DRAFT, {Transition.REGISTER}),
    (ModelState.REGISTERED, {Transition.SUBMIT}),
    (ModelState.SUBMITTED, {Transition.RETURN, Transition.PLAN}),
    (ModelState.RETURNED, {Transition.SUBMIT}),
    (ModelState.PLANNED, {Transition.INSPECT}),
    (ModelState.INSPECTED, {Transition.PRESENT}),
    (ModelState.PRESENTED, {Transition.RECOGNISE, Transition.NOT_RECOGNISE}),
    (ModelState.RECOGNISED, {Transition.PROPOSE_HIGHER}),
    (ModelState.NOT_RECOGNISED, set()),
    (ModelState.PROPOSED_HIGHER, set()),
])
def test_each_state_offers_only_its_steps_to_whoever_may_take_them(world, state, allowed):
    model = model_in_state(state, officer=CommuneOfficerFactory(unit=world.commune))
    offered = {step.name for step in steps_for(world.commune_officer, model)} | \
        {step.name for step in steps_for(world.district_member, model)}
    assert offered == allowed
    assert steps_for(world.provincial_officer, model) == []
    assert steps_for(world.administrator, model) == []


@pytest.mark.parametrize("step", [Transition.REGISTER, Transition.PROPOSE_HIGHER])
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(world, step):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    actor = world.commune_officer if STEPS[step].by == "commune" else world.district_member
    with pytest.raises(ValidationError, match="cannot be moved"):
        services.model_advance(actor=actor, model=model, step=step, note="Lý do")
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED
    assert model.steps.count() == 3


def test_steps_taken_by_recording_are_not_taken_directly(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="Unknown step"):
        services.model_advance(actor=world.district_member, model=model, step=Transition.PLAN)


def test_returning_needs_a_comment_which_the_commune_reads_and_then_may_edit_and_resubmit(world):
    officer = CommuneOfficerFactory(unit=world.commune)
    model = model_in_state(ModelState.SUBMITTED, officer=officer)
    with pytest.raises(ValidationError, match="reason"):
        services.model_advance(actor=world.district_member, model=model, step=Transition.RETURN, note="  ")
    with pytest.raises(PermissionDenied):
        services.model_update(actor=officer, model=model, goals="Mục tiêu mới")
    services.model_advance(actor=world.district_member, model=model, step=Transition.RETURN,
                           note="Bổ sung số hộ hưởng lợi")
    services.model_update(actor=officer, model=model, goals="Mục tiêu mới")
    # Returned after the deadline: submitted again whatever the day.
    services.model_advance(actor=officer, model=model, step=Transition.SUBMIT)
    model.refresh_from_db()
    assert (model.state, model.goals) == (ModelState.SUBMITTED, "Mục tiêu mới")
    assert model.steps.get(name=Transition.RETURN).note == "Bổ sung số hộ hưởng lợi"


def test_a_step_cannot_be_dated_before_the_previous_one_nor_in_the_future(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(ValidationError, match="previous step"):
        services.model_advance(actor=world.district_member, model=model, step=Transition.RETURN, note="Thiếu",
                               happened_on=datetime.date(2025, 1, 2))
    with pytest.raises(ValidationError, match="future"):
        services.model_advance(actor=world.district_member, model=model, step=Transition.RETURN, note="Thiếu",
                               happened_on=timezone.localdate() + datetime.timedelta(days=1))
    assert TypicalModel.objects.get(pk=model.pk).state == ModelState.SUBMITTED


def test_the_meeting_can_recognise_and_propose_for_a_higher_award_in_one_decision(world):
    model = model_in_state(ModelState.PRESENTED, officer=CommuneOfficerFactory(unit=world.commune))
    services.meeting_decide(actor=world.district_member, model=model, decision=Decision.PROPOSED_HIGHER,
                            note="Đề nghị tỉnh tặng bằng khen")
    model.refresh_from_db()
    assert model.state == ModelState.PROPOSED_HIGHER
    assert list(model.steps.filter(happened_on=MET_ON).values_list("to_state", flat=True)) == [
        ModelState.PRESENTED, ModelState.RECOGNISED, ModelState.PROPOSED_HIGHER]
    assert model.meeting_item.decision == Decision.PROPOSED_HIGHER


def test_a_meeting_presents_only_inspected_models_of_its_round_and_writes_nothing_otherwise(world):
    inspected = model_in_state(ModelState.INSPECTED, officer=CommuneOfficerFactory(unit=world.commune))
    planned = model_in_state(ModelState.PLANNED, officer=CommuneOfficerFactory(unit=world.sibling_commune))
    with pytest.raises(ValidationError):
        services.meeting_record(actor=world.district_member, round_=inspected.round, held_on=MET_ON,
                                chaired_by="Chủ tịch", participants="Ban Thường trực", models=[inspected, planned])
    assert TypicalModel.objects.get(pk=inspected.pk).state == ModelState.INSPECTED
    assert not inspected.round.meetings.exists()


def test_the_administrator_sees_but_takes_no_step(world):
    model = model_in_state(ModelState.SUBMITTED, officer=CommuneOfficerFactory(unit=world.commune))
    with pytest.raises(PermissionDenied):
        services.inspection_plan(actor=world.administrator, model=model, officers="A",
                                 planned_on=datetime.date(2025, 6, 1))

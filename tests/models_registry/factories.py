"""Factories and helpers of the typical-models tests. The factories write rows directly, to set up
fast; `model_in_state` walks a model along the real services, so a test of a later step starts from
a model that reached its state the way users take it there."""

import datetime

import factory
from factory.django import DjangoModelFactory

from models_registry import services
from models_registry.choices import Decision, Field, ModelState
from models_registry.models import Round, TypicalModel

from ..factories import CommuneOfficerFactory, DistrictFactory, DistrictMemberFactory

YEAR = 2025
# Days of the 2025 round, all before the deadline's year ends and before "today" in the tests.
REGISTERED_ON = datetime.date(2025, 3, 10)
PLANNED_FOR = datetime.date(2025, 6, 10)
INSPECTED_ON = datetime.date(2025, 6, 12)
MET_ON = datetime.date(2025, 9, 5)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    unit = factory.SubFactory(DistrictFactory)
    year = YEAR
    deadline = datetime.date(YEAR, 3, 31)
    created_by = factory.SubFactory(DistrictMemberFactory, unit=factory.SelfAttribute("..unit"))


def model_data(**overrides) -> dict:
    """The fields of a registration, as a commune officer fills them in."""
    return {
        "name": "Đào giếng nước sạch", "field": Field.SOCIAL_SECURITY, "leader_name": "Hội Phụ nữ xã",
        "goals": "Mỗi ấp một giếng nước sạch", "started_on": datetime.date(2025, 1, 15),
        "expected_results": "20 giếng", "participants": 120, "budget": 150_000_000,
        "budget_sources": "Xã hội hóa", "description": "Vận động đào giếng cho hộ nghèo", **overrides,
    }


def approver_of(commune):
    """The standing committee member who takes the level above's steps for ``commune``'s models."""
    from ..factories import ProvincialOfficerFactory

    if commune.district_id is not None:
        return DistrictMemberFactory(unit=commune.district)
    return ProvincialOfficerFactory(unit=commune.province)


def scores_for(model, points: list[int] | None = None) -> dict[int, int]:
    """A full score sheet for ``model``'s round: each criterion's weight, or ``points`` in order."""
    criteria = services.current_criteria(model.round)
    given = points or [criterion.weight for criterion in criteria]
    return {criterion.pk: value for criterion, value in zip(criteria, given, strict=True)}


def model_in_state(state: str, *, officer=None, approver=None, commune=None, today=None, **fields) -> TypicalModel:
    """A model of ``commune`` (the officer's) brought to ``state`` through the services, in 2025."""
    if officer is None:
        officer = CommuneOfficerFactory(unit=commune) if commune is not None else CommuneOfficerFactory()
    commune = officer.unit
    approver = approver or approver_of(commune)
    from unittest import mock

    from django.utils import timezone

    steps = [ModelState.DRAFT, ModelState.REGISTERED, ModelState.SUBMITTED, ModelState.PLANNED, ModelState.INSPECTED,
             ModelState.PRESENTED, ModelState.RECOGNISED, ModelState.PROPOSED_HIGHER]
    target = ModelState.PRESENTED if state == ModelState.NOT_RECOGNISED else state
    wanted = steps.index(target) if target in steps else steps.index(ModelState.SUBMITTED)
    # Registered in March, before the round's deadline: the services judge the deadline on "today".
    with mock.patch.object(timezone, "localdate", return_value=REGISTERED_ON):
        model = services.model_create(actor=officer, year=YEAR, **model_data(**fields))
        if wanted >= 1:
            services.model_advance(actor=officer, model=model, step="register", happened_on=REGISTERED_ON)
        if wanted >= 2:
            services.model_advance(actor=officer, model=model, step="submit", happened_on=REGISTERED_ON)
    if state == ModelState.RETURNED:
        services.model_advance(actor=approver, model=model, step="return", note="Bổ sung kết quả dự kiến")
    if wanted >= 3:
        services.inspection_plan(actor=approver, model=model, officers="Ban Phong trào", planned_on=PLANNED_FOR,
                                 decided_on=datetime.date(2025, 4, 15))
    if wanted >= 4:
        services.inspection_record(actor=approver, model=model, inspected_on=INSPECTED_ON, officers="Ông A, bà B",
                                   findings="Mô hình hoạt động tốt", scores=scores_for(model))
    if wanted >= 5:
        services.meeting_record(actor=approver, round_=model.round, held_on=MET_ON, chaired_by="Chủ tịch",
                                participants="Ban Thường trực", models=[model])
    if state == ModelState.NOT_RECOGNISED:
        services.meeting_decide(actor=approver, model=model, decision=Decision.NOT_RECOGNISED)
    elif wanted >= 6:
        decision = Decision.PROPOSED_HIGHER if wanted >= 7 else Decision.RECOGNISED
        services.meeting_decide(actor=approver, model=model, decision=decision)
    model.refresh_from_db()
    assert model.state == state, (model.state, state)
    return model

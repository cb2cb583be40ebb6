"""The typical models' routes in the scope harness (api): see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS, ROUTES and COUNTS.

Models belong to their commune (the nearest outsider is the sibling commune's); rounds, meetings
and notices to the district that runs the round (the nearest outsider is another district's, or
another province's for a provincial officer), as programmes do. Meetings are the level above's
records: a commune's officer is refused them (403) on its own district's round; notices are
addressed to the round's communes, which read them."""

import datetime

from django.utils import timezone

from models_registry import services as model_services
from models_registry.choices import Decision, ModelState
from models_registry.models import Round, TypicalModel
from models_registry.selectors import round_communes

from .factories import DistrictMemberFactory
from .models_registry.factories import MET_ON, model_in_state, scores_for
from .scope_harness import (
    COMMUNE_OFFICERS,
    DISTRICT_MEMBERS,
    OVERSEERS,
    ROUTES,
    SCOPED_MODELS,
    Route,
    ScopedModel,
    Write,
    _field_is,
    _programme_outside,
    _upload,
)

_numbers = iter(range(1, 10**9))


def _number() -> str:
    """Zero-padded, so that no marker is the start of another."""
    return f"{next(_numbers):06d}"


def _model(state):
    """A model of the commune brought to ``state`` by the services, named for the harness (its marker)."""
    def make(world, commune):
        return model_in_state(state, commune=commune, name=f"Mô hình kiểm tra phạm vi {_number()}")
    return make


def _level_above(commune):
    return DistrictMemberFactory(unit=commune.district)


def _round(world, commune):
    """This year's round of the commune's district (this year's: a round reopens within its own year,
    from today on)."""
    year = timezone.localdate().year
    return Round.objects.filter(unit=commune.district, year=year).first() or model_services.round_create(
        actor=_level_above(commune), unit=commune.district, year=year)


def _sendable_round(world, commune):
    """A round whose synthesis can be sent (its report kind: models_registry.report_sections)."""
    return _round(world, commune)


def _meeting(world, commune):
    """An agency meeting of the district's 2025 round presenting a model of the commune; its
    participants (the marker) named for the harness."""
    model = model_in_state(ModelState.INSPECTED, commune=commune, name=f"Mô hình họp {_number()}")
    return model_services.meeting_record(actor=_level_above(commune), round_=model.round, held_on=MET_ON,
                                         chaired_by="Chủ tịch Ủy ban MTTQ", participants=f"Đại biểu {_number()}",
                                         models=[model])


def _notice(world, commune):
    model = model_in_state(ModelState.RECOGNISED, commune=commune, name=f"Mô hình công nhận {_number()}")
    return model_services.notice_issue(
        actor=_level_above(commune), round_=model.round, models=[model], number=int(_number()), symbol="TB-MTTQ",
        issued_on=datetime.date(2025, 9, 20), signer=f"Nguyễn Văn Ký {_number()}", signer_title="PHÓ CHỦ TỊCH",
        recipients="Như trên\nLưu VT")


def _round_marker(round_):
    return round_.unit.name


SCOPED_MODELS.update({
    "models_round": ScopedModel(make=_round, marker=_round_marker, outside=_programme_outside),
    "models_sendable_round": ScopedModel(make=_sendable_round, marker=_round_marker, outside=_programme_outside),
    "models_draft": ScopedModel(make=_model(ModelState.DRAFT), marker=lambda record: record.name),
    "models_returned": ScopedModel(make=_model(ModelState.RETURNED), marker=lambda record: record.name),
    "models_submitted": ScopedModel(make=_model(ModelState.SUBMITTED), marker=lambda record: record.name),
    "models_planned": ScopedModel(make=_model(ModelState.PLANNED), marker=lambda record: record.name),
    "models_presented": ScopedModel(make=_model(ModelState.PRESENTED), marker=lambda record: record.name),
    "models_recognised": ScopedModel(make=_model(ModelState.RECOGNISED), marker=lambda record: record.name),
    "models_meeting": ScopedModel(make=_meeting, marker=lambda record: record.participants,
                                  outside=_programme_outside),
    "models_notice": ScopedModel(make=_notice, marker=lambda record: record.signer, outside=_programme_outside),
})


def _state_is(state):
    return lambda model: TypicalModel.objects.get(pk=model.pk).state == state


def _criteria(world, round_):
    return {"criteria": [{"name": "Hiệu quả (harness)", "description": "", "weight": 60},
                         {"name": "Sức lan tỏa", "weight": 40}]}


def _reopening(world, round_):
    return {"commune": round_communes(round_).first().pk, "until": timezone.localdate().isoformat(),
            "reason": "Xã bị ngập lụt, chưa kịp đăng ký"}


def _inspection(world, model):
    return {"inspected_on": "2025-06-12", "officers": "Ông A, bà B", "findings": "Hoạt động tốt",
            "scores": [{"criterion": criterion, "points": points} for criterion, points in scores_for(model).items()]}


REPLICATORS = (*COMMUNE_OFFICERS, *DISTRICT_MEMBERS)
NEW_MODEL_NAME = "Nuôi bò sinh sản (harness)"
NEW_DEADLINE = datetime.date(timezone.localdate().year, 4, 15)

ROUTES.update({
    # Rounds: seen by the district's communes and the province; run by the district's committee.
    "api:models-round-list": Route("list", "models_round", api=True),
    "api:models-round-detail": Route("detail", "models_round", api=True, methods=("get", "patch"), write=Write(
        data=lambda world, round_: {"deadline": NEW_DEADLINE.isoformat()}, done=_field_is("deadline", NEW_DEADLINE),
        method="patch", by=DISTRICT_MEMBERS)),
    "api:models-round-criteria": Route("action", "models_round", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=_criteria, done=lambda round_: round_.criteria.filter(name="Hiệu quả (harness)").exists())),
    "api:models-round-reopen": Route("action", "models_round", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=_reopening, done=lambda round_: round_.reopenings.exists())),
    "api:models-round-send": Route("action", "models_sendable_round", api=True, editors=DISTRICT_MEMBERS,
                                   write=Write(data=lambda world, round_: {},
                                               done=lambda round_: Round.objects.get(pk=round_.pk).synthesis_sent_at
                                               is not None)),
    # Read by everyone who sees the round: the communes (or models) each caller sees.
    "api:models-round-synthesis": Route("detail", "models_round", api=True),
    "api:models-round-board": Route("detail", "models_round", api=True),
    # Models: a commune's; changed by its officers while they hold it, moved along by each role.
    "api:models-model-list": Route("list", "models_draft", api=True),
    "api:models-model-detail": Route("detail", "models_draft", api=True, methods=("get", "patch", "delete"),
                                     write=Write(data=lambda world, model: {"name": NEW_MODEL_NAME},
                                                 done=_field_is("name", NEW_MODEL_NAME), method="patch",
                                                 by=COMMUNE_OFFICERS)),
    # A returned model is submitted again whatever the day (register and submit are refused after
    # the deadline, which the harness's 2025 round is past).
    "api:models-model-step": Route("action", "models_returned", api=True, editors=COMMUNE_OFFICERS,
                                   extra_kwargs={"step": "submit"},
                                   write=Write(data=lambda world, model: {"note": "Đã bổ sung"},
                                               done=_state_is(ModelState.SUBMITTED))),
    "api:models-model-attachments": Route("action", "models_draft", api=True, editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, model: {"kind": "photo", "file": _upload("gieng.png")},
        done=lambda model: model.attachments.exists(), multipart=True)),
    "api:models-model-plan": Route("action", "models_submitted", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, model: {"officers": "Ban Phong trào", "planned_on": "2025-06-10"},
        done=_state_is(ModelState.PLANNED))),
    "api:models-model-inspection": Route("action", "models_planned", api=True, editors=DISTRICT_MEMBERS,
                                         write=Write(data=_inspection, done=_state_is(ModelState.INSPECTED))),
    "api:models-model-decision": Route("action", "models_presented", api=True, editors=DISTRICT_MEMBERS,
                                       write=Write(data=lambda world, model: {"decision": Decision.RECOGNISED},
                                                   done=_state_is(ModelState.RECOGNISED))),
    "api:models-model-visits": Route("action", "models_recognised", api=True, editors=REPLICATORS, write=Write(
        data=lambda world, model: {"visited_on": "2025-10-01", "people": 12, "visitors": "Đoàn xã bạn"},
        done=lambda model: model.study_visits.exists())),
    "api:models-model-media": Route("action", "models_recognised", api=True, editors=REPLICATORS, write=Write(
        data=lambda world, model: {"outlet": "Báo Đồng Khởi", "title": "Giếng nước sạch cho hộ nghèo",
                                   "published_on": "2025-10-02"},
        done=lambda model: model.media.exists())),
    "api:models-model-awards": Route("action", "models_recognised", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, model: {"kind": "certificate", "title": "Giấy khen", "awarded_on": "2025-10-01"},
        done=lambda model: model.awards.exists())),
    "api:models-model-support": Route("action", "models_submitted", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, model: {"kind": "advice", "given_on": "2025-05-01", "description": "Tư vấn kỹ thuật"},
        done=lambda model: model.support.exists())),
    # The level above's records: a commune's officers are refused them (403), outsiders get 404.
    "api:models-meeting-list": Route("list", "models_meeting", api=True, editors=OVERSEERS),
    "api:models-meeting-detail": Route("detail", "models_meeting", api=True, editors=OVERSEERS),
    "api:models-notice-list": Route("list", "models_notice", api=True),
    "api:models-notice-detail": Route("detail", "models_notice", api=True),
})

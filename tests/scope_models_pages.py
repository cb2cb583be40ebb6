"""The typical models' routes in the scope harness (pages): see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS, ROUTES and COUNTS."""

import datetime
from unittest import mock

from django.core.files.base import ContentFile
from django.utils import timezone

from frontwelfare.accounts.choices import Role
from models_registry import services
from models_registry.choices import AttachmentKind, ModelState
from models_registry.models import MediaCoverage, ModelAttachment, StudyVisit, TypicalModel

from .factories import CommuneOfficerFactory
from .housing.factories import TINY_PNG
from .models_registry.factories import model_data, model_in_state
from .scope_harness import (
    COMMUNE_OFFICERS,
    COUNTS,
    HEADING_COUNT,
    ROUTES,
    SCOPED_MODELS,
    Counted,
    Offers,
    Route,
    ScopedModel,
    Write,
    _upload,
    figure,
    latin1_text,
)

_numbers = iter(range(1, 10**9))
HARNESS_MODEL_NAME = "Giếng nước đổi tên (harness)"


def _name(commune) -> str:
    """A model's name no other model has: its marker on every page."""
    return f"Mô hình {commune.code}-{next(_numbers):06d}"


def _officer(world, commune):
    return world.commune_officer if commune == world.commune else CommuneOfficerFactory(unit=commune)


def _submitted(world, commune):
    return model_in_state(ModelState.SUBMITTED, officer=_officer(world, commune), name=_name(commune))


def _recognised(world, commune):
    return model_in_state(ModelState.RECOGNISED, officer=_officer(world, commune), name=_name(commune))


def _draft(world, commune):
    """A draft of next year's round, whose deadline (31 March) is ahead whatever the day the tests run:
    its commune may register it."""
    return services.model_create(actor=_officer(world, commune), year=timezone.localdate().year + 1,
                                 **model_data(name=_name(commune)))


def _registered_this_year(world, commune):
    """A model registered in this year's round (in January, before its deadline): the board of this
    year counts it, at every level."""
    january = datetime.date(timezone.localdate().year, 1, 20)
    officer = _officer(world, commune)
    with mock.patch.object(timezone, "localdate", return_value=january):
        model = services.model_create(actor=officer, year=january.year,
                                      **model_data(name=_name(commune), started_on=datetime.date(january.year, 1, 2)))
        return services.model_advance(actor=officer, model=model, step="register")


def _photo(world, commune):
    """A photo of a draft; its name (ASCII, so that the bytes read back as text show it) travels inside
    the file, so that the downloaded bytes show which one was served."""
    model = _draft(world, commune)
    name = f"anh-mo-hinh-{commune.code}-{next(_numbers):06d}.png"
    content = TINY_PNG + name.encode()
    attachment = ModelAttachment(model=model, kind=AttachmentKind.PHOTO, original_name=name,
                                 content_type="image/png", size=len(content), uploaded_by=model.created_by)
    attachment.file.save("anh.png", ContentFile(content), save=False)
    attachment.save()
    return attachment


SCOPED_MODELS.update({
    "typical_model": ScopedModel(make=_submitted, marker=lambda record: record.name),
    "draft_model": ScopedModel(make=_draft, marker=lambda record: record.name),
    "recognised_model": ScopedModel(make=_recognised, marker=lambda record: record.name),
    "model_this_year": ScopedModel(make=_registered_this_year, marker=lambda record: record.name),
    "model_attachment": ScopedModel(make=_photo, marker=lambda record: record.original_name),
})


def _model_form(world, model=None, organisation=None) -> dict:
    return {"year": str(timezone.localdate().year), "name": HARNESS_MODEL_NAME, "field": "social_security",
            "replicates": "", "leader_organisation": organisation.pk if organisation else "",
            "leader_name": "" if organisation else "Hội Phụ nữ xã", "goals": "Mỗi ấp một giếng nước sạch",
            "started_on": "15/01/2025", "expected_results": "", "participants": "120", "budget": "150.000.000",
            "budget_sources": "", "description": ""}


def _gone(model) -> bool:
    return not TypicalModel.objects.filter(pk=model.pk).exists()


def _state_is(state):
    return lambda model: TypicalModel.objects.get(pk=model.pk).state == state


# Recorded by the model's commune or the level above it (a district's committee here): the province
# sees the model and is refused.
REPLICATION_RECORDERS = (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER)

ROUTES.update({
    "models:model-list": Route("list", "typical_model"),
    "models:board": Route("page"),  # its figures are in COUNTS
    # The leader chosen among the member organisations of the officer's commune and the units above.
    "models:model-create": Route(
        "page", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        offers=Offers({"leader_organisation": "own_organisation"},
                      data=lambda world, chosen: _model_form(world, organisation=chosen["leader_organisation"]),
                      done=lambda chosen: TypicalModel.objects.filter(
                          leader_organisation=chosen["leader_organisation"]).exists())),
    "models:model-detail": Route("detail", "typical_model"),
    "models:model-history": Route("detail", "typical_model"),
    "models:model-update": Route("detail", "draft_model", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                 write=Write(data=lambda world, model: _model_form(world),
                                             done=lambda model: TypicalModel.objects.get(pk=model.pk).name
                                             == HARNESS_MODEL_NAME)),
    "models:model-delete": Route("detail", "draft_model", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                 write=Write(data=lambda world, model: {}, done=_gone)),
    "models:model-step": Route("action", "draft_model", editors=COMMUNE_OFFICERS, extra_kwargs={"step": "register"},
                               write=Write(data=lambda world, model: {}, done=_state_is(ModelState.REGISTERED))),
    "models:attachment-add": Route("action", "draft_model", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, model: {"kind": "photo", "file": _upload("gieng.png")},
        done=lambda model: ModelAttachment.objects.filter(model=model).exists())),
    "models:attachment-download": Route("detail", "model_attachment", reader=latin1_text),
    "models:visit-add": Route("action", "recognised_model", editors=REPLICATION_RECORDERS, write=Write(
        data=lambda world, model: {"visit-visiting_unit": "", "visit-visitors": "Đoàn xã bạn",
                                   "visit-visited_on": "01/10/2025", "visit-people": "20", "visit-note": ""},
        done=lambda model: StudyVisit.objects.filter(model=model).exists())),
    "models:media-add": Route("action", "recognised_model", editors=REPLICATION_RECORDERS, write=Write(
        data=lambda world, model: {"media-outlet": "Báo Đồng Khởi", "media-title": "Giếng nước cho ấp nghèo",
                                   "media-published_on": "05/10/2025", "media-link": ""},
        done=lambda model: MediaCoverage.objects.filter(model=model).exists())),
})


COUNTS.extend([
    Counted("models:model-list", "typical_model", HEADING_COUNT, "total"),
    # This year's board: the commune's own models, the district's round, the province's table.
    Counted("models:board", "model_this_year", figure(data_testid="board-total"), "models of the year's round"),
    Counted("models:board", "model_this_year", figure(data_testid="state-count", data_state="registered"),
            "registered column", roles=(Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER)),
    Counted("models:board", "model_this_year", figure("tr", data_testid="round-row", data_unit="838"),
            "registered in the district's row", roles=(Role.PROVINCIAL_OFFICER,)),
])

"""The typical models' routes in the scope harness (above): see tests/scope_harness.py for the rules.
Imported at the end of scope_harness.py; adds to its SCOPED_MODELS, ROUTES and COUNTS.

The level above's pages: a round is run by a district (seen by its communes and its province), so
the round a viewer must not see is another district's (another province's for the provincial
officer); a model, its meeting and award belong to the model's commune, a notice to its round (it is
addressed to the round's communes). Only the committee that runs the round writes (the district
member here: the world's communes have a district); meetings are the committee's and the province's,
refused (403) to the commune whose model they name.
"""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from weasyprint import HTML

from models_registry import services
from models_registry.choices import AttachmentKind, ModelState
from models_registry.models import Meeting, ModelAttachment, Reopening, Round, TypicalModel
from models_registry.selectors import round_communes

from .factories import DistrictMemberFactory
from .models_registry.factories import YEAR, approver_of, model_in_state, scores_for
from .scope_harness import (
    COUNTS,
    DISTRICT_MEMBERS,
    OVERSEERS,
    PROGRAMME_MANAGERS,
    ROUTES,
    SCOPED_MODELS,
    Counted,
    Offers,
    Route,
    ScopedModel,
    Write,
    _programme_outside,
    _upload,
    figure,
    pdf_text,
)

_numbers = itertools.count(1)


def _number() -> int:
    return next(_numbers)


# -- rounds -------------------------------------------------------------------------------------------


def _this_years_round(commune) -> Round:
    """The round of this year of the commune's district, set up by its committee."""
    year = timezone.localdate().year
    return Round.objects.filter(unit=commune.district, year=year).first() or services.round_create(
        actor=DistrictMemberFactory(unit=commune.district), unit=commune.district, year=year)


def _round_2025(commune) -> Round:
    """The 2025 round of the commune's district, the one its models of `model_in_state` join."""
    return services.round_of(commune=commune, year=YEAR, actor=approver_of(commune))


def _sheet_round(world, commune) -> Round:
    """This year's round, scoring against one criterion named for it (which its score sheet prints)."""
    round_ = _this_years_round(commune)
    services.criteria_set(actor=approver_of(commune), round_=round_,
                          criteria=[(f"TC-{_number():05d}", "", 100)])  # one word: a PDF table cell may wrap
    return round_


def _sendable_round(world, commune) -> Round:
    return _this_years_round(commune)


def _round_with(state):
    """The 2025 round of the commune's district, with a model of the commune in ``state``."""
    return lambda world, commune: _model(world, commune, state).round


def _model(world, commune, state=ModelState.SUBMITTED) -> TypicalModel:
    """A model of the commune walked to ``state`` through the services, named for the test (its marker)."""
    return model_in_state(state, commune=commune, name=f"Mô hình {_number():05d} xã {commune.code}")


def _of_round(round_, state) -> TypicalModel | None:
    return round_.models.filter(state=state).order_by("pk").first()


# -- what the level above records on a model ------------------------------------------------------------


def _meeting(world, commune) -> Meeting:
    return _model(world, commune, ModelState.PRESENTED).meeting_item.meeting


def _minutes(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban-hop.pdf", HTML(string=f"<p>Biên bản họp: {text}</p>").write_pdf(),
                              content_type="application/pdf")


def _meeting_with_minutes(world, commune) -> Meeting:
    meeting = _meeting(world, commune)
    return services.meeting_minutes_attach(actor=approver_of(commune), meeting=meeting,
                                           uploaded_file=_minutes(_meeting_marker(meeting)))


def _meeting_marker(meeting) -> str:
    """The name of the model the meeting presented."""
    return meeting.items.get().model.name


def _notice(world, commune):
    model = _model(world, commune, ModelState.RECOGNISED)
    return services.notice_issue(actor=approver_of(commune), round_=model.round, models=[model], number=_number(),
                                 symbol="TB-MTTQ", issued_on=datetime.date(2025, 10, 1), signer="Trần Thị Ký",
                                 signer_title="PHÓ CHỦ TỊCH", recipients="Như trên;\nLưu VP.")


def _award(world, commune):
    model = _model(world, commune, ModelState.RECOGNISED)
    return services.award_give(actor=approver_of(commune), model=model, kind="certificate", title="Giấy khen",
                               awarded_on=datetime.date(2025, 10, 1))


SCOPED_MODELS.update({
    # This year's round of the commune's district (its communes and province see it too).
    "models_round": ScopedModel(make=lambda world, commune: _this_years_round(commune), marker=str,
                                outside=_programme_outside),
    "sendable_round": ScopedModel(make=_sendable_round, marker=str, outside=_programme_outside),
    "sheet_round": ScopedModel(make=_sheet_round, marker=lambda record: services.current_criteria(record)[0].name,
                               outside=_programme_outside),
    # The 2025 round of the commune's district with a model of the commune at a step of the way.
    "round_with_submitted": ScopedModel(make=_round_with(ModelState.SUBMITTED), marker=str,
                                        outside=_programme_outside),
    "round_with_inspected": ScopedModel(make=_round_with(ModelState.INSPECTED), marker=str,
                                        outside=_programme_outside),
    "round_with_recognised": ScopedModel(make=_round_with(ModelState.RECOGNISED), marker=str,
                                         outside=_programme_outside),
    # A model of the commune at a step of the way, known by its name.
    "submitted_model": ScopedModel(make=_model, marker=lambda record: record.name),
    "planned_model": ScopedModel(make=lambda world, commune: _model(world, commune, ModelState.PLANNED),
                                 marker=lambda record: record.name),
    "inspected_model": ScopedModel(make=lambda world, commune: _model(world, commune, ModelState.INSPECTED),
                                   marker=lambda record: record.name),
    "presented_model": ScopedModel(make=lambda world, commune: _model(world, commune, ModelState.PRESENTED),
                                   marker=lambda record: record.name),
    "recognised_model": ScopedModel(make=lambda world, commune: _model(world, commune, ModelState.RECOGNISED),
                                    marker=lambda record: record.name),
    # The meeting that presented a model of the commune, the notice that recognised one, an award to one.
    "models_meeting": ScopedModel(make=_meeting, marker=_meeting_marker),
    "meeting_with_minutes": ScopedModel(make=_meeting_with_minutes, marker=_meeting_marker),
    # A notice is addressed to its round's communes: read like a programme (another district's is out).
    "models_notice": ScopedModel(make=_notice, marker=lambda record: record.recognised_models.get().name,
                                 outside=_programme_outside),
    "models_award": ScopedModel(make=_award, marker=lambda record: record.model.name),
})


# -- the valid posts ------------------------------------------------------------------------------------

HARNESS_CRITERION = "Hiệu quả (kiểm tra phạm vi)"
HARNESS_REASON = "Xã mới kiện toàn (kiểm tra phạm vi)"


def _criteria(world, round_) -> dict:
    return {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "form-0-name": HARNESS_CRITERION, "form-0-weight": "60",
            "form-1-name": "Lan tỏa", "form-1-weight": "40"}


def _criteria_set(round_) -> bool:
    return any(criterion.name == HARNESS_CRITERION for criterion in services.current_criteria(
        Round.objects.get(pk=round_.pk)))


def _reopening(world, round_, commune=None) -> dict:
    commune = commune or round_communes(round_).first()
    return {"commune": commune.pk, "until": f"31/12/{round_.year}", "reason": HARNESS_REASON}


def _plan(world, round_) -> dict:
    model = _of_round(round_, ModelState.SUBMITTED)
    return {"model": model.pk, f"plan-{model.pk}-officers": "Ban Phong trào",
            f"plan-{model.pk}-planned_on": "10/06/2025"}


def _inspection(world, model) -> dict:
    data = {"inspected_on": "12/06/2025", "officers": "Ông Ba, bà Tư", "findings": "Mô hình duy trì tốt"}
    return data | {f"score_{pk}": str(points) for pk, points in scores_for(model).items()}


def _meeting_form(world, chosen) -> dict:
    return {"held_on": "05/09/2025", "chaired_by": "Chủ tịch", "participants": "Ban Thường trực",
            "models": [chosen["models"].pk]}


def _presented(chosen) -> bool:
    return TypicalModel.objects.filter(pk=chosen["models"].pk, meeting_item__isnull=False).exists()


def _notice_form(world, chosen) -> dict:
    return {"number": str(_number()), "symbol": "TB-MTTQ", "issued_on": "01/10/2025", "signer": "Trần Thị Ký",
            "signer_title": "PHÓ CHỦ TỊCH", "recipients": "Lưu VP.", "models": [chosen["models"].pk]}


def _in_a_notice(chosen) -> bool:
    return chosen["models"].notices.exists()


def _state_is(state):
    return lambda model: TypicalModel.objects.get(pk=model.pk).state == state


def _kwargs_round_2025(world) -> dict:
    return {"pk": _round_2025(world.commune).pk}


ROUTES.update({
    "models:round-list": Route("list", "models_round"),
    "models:round-create": Route("page", methods=("get", "post"), editors=PROGRAMME_MANAGERS,
                                 reason="the round of the viewer's own unit: nothing scoped to choose"),
    # Read by everyone who sees the round; its forms are for the committee that runs it.
    "models:round-detail": Route("detail", "models_round"),
    "models:round-update": Route("detail", "models_round", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                 write=Write(data=lambda world, round_: {"deadline": f"15/04/{round_.year}"},
                                             done=lambda round_: Round.objects.get(pk=round_.pk).deadline
                                             == datetime.date(round_.year, 4, 15))),
    "models:round-criteria": Route("detail", "models_round", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                   write=Write(data=_criteria, done=_criteria_set)),
    # Only the round's communes are offered.
    "models:round-reopen": Route(
        "detail", "models_round", methods=("get", "post"), editors=DISTRICT_MEMBERS,
        kwargs=lambda world: {"pk": _this_years_round(world.commune).pk},
        offers=Offers({"commune": "unit"},
                      data=lambda world, chosen: _reopening(world, _this_years_round(world.commune),
                                                            chosen["commune"]),
                      done=lambda chosen: Reopening.objects.filter(commune=chosen["commune"]).exists()),
        write=Write(data=_reopening, done=lambda round_: Reopening.objects.filter(round=round_).exists())),
    "models:round-synthesis": Route("detail", "models_round"),
    "models:round-send": Route("action", "sendable_round", editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, round_: {},
        done=lambda round_: Round.objects.get(pk=round_.pk).synthesis_sent_at is not None)),
    # Read by everyone who sees the round (each sees their models); planned by its committee.
    "models:round-plan": Route("detail", "round_with_submitted", methods=("get", "post"), write=Write(
        data=_plan, done=lambda round_: round_.models.filter(state=ModelState.PLANNED).exists(),
        by=DISTRICT_MEMBERS)),
    "models:inspection-record": Route("detail", "planned_model", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                      write=Write(data=_inspection, done=_state_is(ModelState.INSPECTED))),
    "models:inspection-photo-add": Route("action", "inspected_model", editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, model: {"file": _upload("kiem-tra.png")},
        done=lambda model: ModelAttachment.objects.filter(model=model, kind=AttachmentKind.INSPECTION_PHOTO)
        .exists())),
    # The round's inspected models are offered, no other.
    "models:meeting-create": Route(
        "detail", "round_with_inspected", methods=("get", "post"), editors=DISTRICT_MEMBERS,
        kwargs=_kwargs_round_2025,
        offers=Offers({"models": "inspected_model"}, data=_meeting_form, done=_presented),
        write=Write(data=lambda world, round_: _meeting_form(world, {
            "models": _of_round(round_, ModelState.INSPECTED)}), done=lambda round_: round_.meetings.exists())),
    "models:meeting-detail": Route("detail", "models_meeting", editors=OVERSEERS),
    "models:meeting-decide": Route("action", "presented_model", editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, model: {f"decide-{model.pk}-decision": "recognised"},
        done=_state_is(ModelState.RECOGNISED))),
    "models:meeting-minutes": Route("action", "models_meeting", editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, meeting: {"file": _minutes("kiểm tra phạm vi")},
        done=lambda meeting: bool(Meeting.objects.get(pk=meeting.pk).minutes))),
    "models:meeting-minutes-download": Route("detail", "meeting_with_minutes", editors=OVERSEERS, reader=pdf_text),
    # The round's recognised models are offered, no other.
    "models:notice-create": Route(
        "detail", "round_with_recognised", methods=("get", "post"), editors=DISTRICT_MEMBERS,
        kwargs=_kwargs_round_2025,
        offers=Offers({"models": "recognised_model"}, data=_notice_form, done=_in_a_notice),
        write=Write(data=lambda world, round_: _notice_form(world, {
            "models": _of_round(round_, ModelState.RECOGNISED)}), done=lambda round_: round_.notices.exists())),
    "models:notice-detail": Route("detail", "models_notice"),
    "models:award-create": Route("detail", "recognised_model", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                 write=Write(data=lambda world, model: {
                                     "kind": "certificate", "title": "Giấy khen", "awarded_on": "01/10/2025",
                                     "earmark": "none"}, done=lambda model: model.awards.exists())),
    "models:support-create": Route("detail", "submitted_model", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                   write=Write(data=lambda world, model: {
                                       "kind": "advice", "given_on": "01/05/2025", "description": "Hướng dẫn",
                                       "earmark": "none"}, done=lambda model: model.support.exists())),
    # Documents: the notice as the notice's page; the score sheet to whoever sees the round; the
    # certificate to whoever sees the model (its commune, too).
    "models:notice-pdf": Route("detail", "models_notice", reader=pdf_text),
    "models:score-sheet-pdf": Route("detail", "sheet_round", reader=pdf_text),
    "models:award-certificate-pdf": Route("detail", "models_award", reader=pdf_text),
})

COUNTS.extend([
    # The synthesis counts the registrations of the communes the viewer sees.
    Counted("models:round-synthesis", "submitted_model", figure(data_testid="synthesis-total"),
            "models registered", kwargs=lambda world, viewer: _kwargs_round_2025(world)),
])

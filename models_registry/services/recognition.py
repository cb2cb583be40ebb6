"""The agency meeting and its decisions, the recognition notice, awards and support to a model (the
money of both paid out of a fund through the ledger), and the synthesis sent to the province."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from donations.choices import Earmark, Purpose
from donations.services import disbursement_record
from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.reports.choices import ReportFormat
from frontwelfare.reports.periods import year as year_period
from frontwelfare.reports.services import report_request
from frontwelfare.services import conflicts_reported
from housing.attachments import attachment_check, without_metadata

from ..choices import AWARDS_WITH_MONEY, RECOGNISED_STATES, Decision, ModelState, SupportKind, Transition
from ..models import Award, Meeting, MeetingItem, ModelStep, ModelSupport, Notice, Round, TypicalModel
from ..permissions import NOT_LEVEL_ABOVE, is_approver_of, runs_round
from ..workflow import STEPS
from .registrations import advance, locked_model
from .rounds import locked_round

SYNTHESIS_REPORT = "models_synthesis"


@transaction.atomic
def meeting_record(*, actor, round_: Round, held_on: datetime.date, chaired_by: str, participants: str,
                   models: list[TypicalModel]) -> Meeting:
    """The agency meeting of the round's level above, presenting each of ``models`` (inspected, of
    this round) with its inspection's score. Each is then "presented", on the meeting's day."""
    round_ = locked_round(actor, round_)
    errors = {}
    if not chaired_by.strip():
        errors["chaired_by"] = _("Name who chaired the meeting.")
    if not participants.strip():
        errors["participants"] = _("Name the participants.")
    if not models:
        errors["models"] = _("Choose the models presented.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(round=round_, held_on=held_on, chaired_by=chaired_by.strip(),
                                     participants=participants.strip(), created_by=actor)
    for chosen in sorted(models, key=lambda model: model.pk):  # locked in id order: no deadlock
        model = locked_model(actor, chosen)
        if model.round_id != round_.pk:
            raise ValidationError({"models": _("“%(model)s” is not of this round.") % {"model": model.name}})
        advance(actor=actor, model=model, step=STEPS[Transition.PRESENT], happened_on=held_on)
        MeetingItem.objects.create(meeting=meeting, model=model, score=model.inspection.total_score)
    return meeting


@transaction.atomic
def meeting_minutes_attach(*, actor, meeting: Meeting, uploaded_file) -> Meeting:
    """Attach the minutes (a PDF or a scanned page, checked like every attachment)."""
    meeting = locked_in_scope(Meeting.objects.select_related("round__unit"), actor=actor, pk=meeting.pk)
    if not runs_round(actor, meeting.round.unit):
        raise PermissionDenied(NOT_LEVEL_ABOVE)
    checked = attachment_check(uploaded_file, kind="minutes", photo_kinds=())
    content = without_metadata(uploaded_file, checked)
    replaced = meeting.minutes.name
    meeting.minutes.save(f"minutes{checked.extension}", ContentFile(content), save=False)
    meeting.minutes_name = (uploaded_file.name or "")[-255:]
    meeting._history_user = actor
    meeting.save(update_fields=["minutes", "minutes_name"])
    if replaced:
        # Removed once the new minutes are committed: a rollback keeps the row's file.
        storage = meeting.minutes.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return meeting


@transaction.atomic
def meeting_decide(*, actor, model: TypicalModel, decision: str, note: str = "") -> TypicalModel:
    """The meeting's decision on a model it presented: recognised, not recognised, or recognised and
    proposed for a higher award (two steps). Dated the day of the meeting."""
    model = locked_model(actor, model)
    item = MeetingItem.objects.select_related("meeting").filter(model=model).first()
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose the decision.")})
    if item is None:
        raise ValidationError(_("The model has not been presented at a meeting."))
    day = item.meeting.held_on
    if decision == Decision.NOT_RECOGNISED:
        advance(actor=actor, model=model, step=STEPS[Transition.NOT_RECOGNISE], note=note, happened_on=day)
    else:
        advance(actor=actor, model=model, step=STEPS[Transition.RECOGNISE], note=note, happened_on=day)
        if decision == Decision.PROPOSED_HIGHER:
            advance(actor=actor, model=model, step=STEPS[Transition.PROPOSE_HIGHER],
                    note=note or str(Decision.PROPOSED_HIGHER.label), happened_on=day)
    item.decision, item.note = decision, note.strip()[:500]
    item.save(update_fields=["decision", "note"])
    return model


NOTICE_FIELDS = ("number", "symbol", "issued_on", "signer", "signer_title", "recipients")


@transaction.atomic
def notice_issue(*, actor, round_: Round, models: list[TypicalModel], **fields) -> Notice:
    """The numbered notice recognising ``models`` (recognised in this round), with its signer and
    recipients; printed as a PDF (models_registry.documents)."""
    round_ = locked_round(actor, round_)
    if not models:
        raise ValidationError({"models": _("Choose the models the notice recognises.")})
    ids = [model.pk for model in models]
    found = list(TypicalModel.objects.filter(pk__in=ids, round=round_, state__in=RECOGNISED_STATES))
    if len(found) != len(set(ids)):
        raise ValidationError({"models": _("A notice recognises models of its round that the meeting recognised.")})
    for name in ("signer", "signer_title", "recipients", "symbol"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    # The usual symbol of a Front committee's notice, unless another is given.
    fields["symbol"] = fields.get("symbol") or Notice._meta.get_field("symbol").default
    notice = Notice(round=round_, created_by=actor, **fields)
    if notice.issued_on and (problem := _day_problem(notice.issued_on, after=_recognised_on(found))):
        raise ValidationError({"issued_on": problem})
    notice.full_clean()
    notice._history_user = actor
    with conflicts_reported():  # the same number saved by another clerk since the check
        notice.save()
    notice.recognised_models.set(found)
    return notice


def _recognised_on(models) -> datetime.date | None:
    """The latest day any of ``models`` was recognised (its RECOGNISE step)."""
    days = ModelStep.objects.filter(model__in=models, name=Transition.RECOGNISE).values_list("happened_on", flat=True)
    return max(days, default=None)


def _day_problem(day: datetime.date, *, after: datetime.date | None) -> str | None:
    """Why a notice or an award cannot be dated ``day``: not in the future, nor before the recognition
    it follows (``after``)."""
    if day > timezone.localdate():
        return _("The date cannot be in the future.")
    if after is not None and day < after:
        return _("The date cannot be before the model was recognised (%(day)s).") % {
            "day": date_format(after, "SHORT_DATE_FORMAT")}
    return None


def _saved_and_paid(record, *, actor, day: datetime.date, description: str):
    """An award or support checked and saved, its money (if any) paid out of its fund's earmark as one
    disbursement first (the ledger's own checks: the fund's officers only, no overdraft), in the
    caller's transaction: a refused payment saves nothing."""
    record.full_clean(exclude=["posting"])
    if record.fund is not None:
        record.posting = disbursement_record(
            actor=actor, fund=record.fund, amount=record.amount, happened_on=day, earmark=record.earmark,
            recipient=description[:500], description=description[:500], purpose=Purpose.TYPICAL_MODELS)
    record._history_user = actor
    record.save()
    return record


def _check_money(*, with_money: bool, amount, fund) -> None:
    if with_money and (amount is None or fund is None):
        raise ValidationError({"amount" if amount is None else "fund": _("Give the amount and the fund it is paid "
                                                                          "from.")})
    if not with_money and (amount is not None or fund is not None):
        raise ValidationError({"amount": _("Only money is given an amount and a fund.")})


@transaction.atomic
def award_give(*, actor, model: TypicalModel, kind: str, title: str, awarded_on: datetime.date,
               amount: int | None = None, fund=None, earmark: str = Earmark.NONE,
               notice: Notice | None = None) -> Award:
    """A commendation or award to a recognised model; its money paid out of a fund as a disbursement."""
    model = locked_model(actor, model)
    if not is_approver_of(actor, model.commune):
        raise PermissionDenied(NOT_LEVEL_ABOVE)
    if model.state not in RECOGNISED_STATES:
        raise ValidationError(_("Only a recognised model is awarded."))
    if notice is not None and not notice.recognised_models.filter(pk=model.pk).exists():
        raise ValidationError({"notice": _("The notice does not recognise this model.")})
    if problem := _day_problem(awarded_on, after=_recognised_on([model])):
        raise ValidationError({"awarded_on": problem})
    _check_money(with_money=kind in AWARDS_WITH_MONEY, amount=amount, fund=fund)
    award = Award(model=model, notice=notice, kind=kind, title=title.strip(), awarded_on=awarded_on, amount=amount,
                  fund=fund, earmark=earmark, created_by=actor)
    return _saved_and_paid(award, actor=actor, day=awarded_on, description=f"{award.title}: {model.name} "
                                                                            f"({model.commune})")


@transaction.atomic
def support_give(*, actor, model: TypicalModel, kind: str, given_on: datetime.date, description: str,
                 amount: int | None = None, fund=None, earmark: str = Earmark.NONE) -> ModelSupport:
    """Support the level above gives a registered model: advice, information, resources, or funds
    (paid out of a fund as a disbursement)."""
    model = locked_model(actor, model)
    if not is_approver_of(actor, model.commune):
        raise PermissionDenied(NOT_LEVEL_ABOVE)
    if model.state in (ModelState.DRAFT, ModelState.NOT_RECOGNISED):
        raise ValidationError(_("Support is given to a registered model."))
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    _check_money(with_money=kind == SupportKind.FUNDS, amount=amount, fund=fund)
    support = ModelSupport(model=model, kind=kind, given_on=given_on, description=description.strip(), amount=amount,
                           fund=fund, earmark=earmark, created_by=actor)
    return _saved_and_paid(support, actor=actor, day=given_on,
                           description=f"{model.name} ({model.commune}): {support.description}")


@transaction.atomic
def synthesis_send(*, actor, round_: Round) -> Round:
    """Send the round's synthesis to the province: the synthesis report (every registration by
    commune and field, the communes that registered none) made as XLSX and PDF through the report
    pipeline and kept with the round, which the province reads as sent. Sent again, it is made again."""
    round_ = locked_round(actor, round_)
    period = year_period(round_.year)
    if period.start > timezone.localdate():
        raise ValidationError(_("The round's year has not started yet."))
    round_.synthesis_xlsx = report_request(actor=actor, kind=SYNTHESIS_REPORT, unit=round_.unit, period=period,
                                           file_format=ReportFormat.XLSX)
    round_.synthesis_pdf = report_request(actor=actor, kind=SYNTHESIS_REPORT, unit=round_.unit, period=period,
                                          file_format=ReportFormat.PDF)
    round_.synthesis_sent_at, round_.synthesis_sent_by = timezone.now(), actor
    round_._history_user = actor
    round_.save(update_fields=["synthesis_xlsx", "synthesis_pdf", "synthesis_sent_at", "synthesis_sent_by"])
    return round_

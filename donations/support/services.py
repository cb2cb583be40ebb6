"""Every write of support to households and of the member organisations' work. Pages, the API,
the imports and the demo call these; none of them holds a rule.

A batch (đợt trao) is drawn up as a draft (`batch_create`), its recipients chosen by the
households' filters (`batch_add_by_filter`) or by hand with a reason (`recipient_add`,
`recipient_remove`), confirmed after the duplicate-benefit check (`batch_confirm`: recipients
already helped for the same kind and occasion need a reason), handed out and recorded one by one
(`delivery_record`), and closed (`batch_close`): only then are its delivered lines posted to the
fund, one disbursement line per recipient, refused whole when the fund's earmark holds less.

Member organisations (`organisation_create`/`update`), their members by year (`membership_record`)
and their activities (`activity_record`/`update`) are kept by the officers of their own unit.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from frontwelfare.accounts.scope import locked_in_scope, within_q
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.text import fold_diacritics
from households.models import Household, Member

from ..models import Donor, Fund
from ..permissions import (
    NOT_BATCH_KEEPER,
    NOT_DELIVERY_RECORDER,
    NOT_FUND_MANAGER,
    NOT_ORGANISATION_KEEPER,
    can_keep_batches,
    can_keep_organisations,
    can_manage_batch,
    can_manage_fund,
    can_record_delivery,
)
from ..services import Payment, support_disbursement_post
from .choices import DELIVERED, BatchState, Delivery
from .models import Activity, Batch, BatchImport, Membership, Organisation, Recipient, SupportKind
from .selectors import duplicate_count

BATCH_FIELDS = ("kind", "occasion", "happened_on", "fund", "earmark", "donor", "organisation", "value", "in_kind",
                "goods", "note")
# Recipients are written this many to a statement: a province's Tet batch has tens of thousands.
WRITE_CHUNK = 2_000


# -- kinds of support ------------------------------------------------------------------------------


def kind_create(*, actor, name_vi: str, name_en: str, purpose: str, recipients: str, details: str = "") -> SupportKind:
    """A kind of support of ``actor``'s unit, beside the nationwide ones; its code is made from
    its name."""
    if not can_keep_batches(actor):
        raise PermissionDenied(NOT_BATCH_KEEPER)
    kind = SupportKind(unit_id=actor.unit_id, name_vi=name_vi.strip(), name_en=name_en.strip(), purpose=purpose,
                       recipients=recipients, details=details, created_by=actor,
                       code=slugify(fold_diacritics(name_en or name_vi))[:40] or "kind")
    kind.full_clean(exclude=["created_by"], validate_constraints=False)
    taken = ValidationError({"name_en": _("A kind of support of this name already exists.")})
    if SupportKind.objects.available_to(actor.unit).filter(code=kind.code).exists():
        raise taken
    try:
        with transaction.atomic():  # two officers adding the same kind at once: one is refused
            kind.save()
    except IntegrityError as clash:
        raise taken from clash
    return kind


# -- batches ----------------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor, **fields) -> Batch:
    """A draft batch of ``actor``'s unit, drawing on a fund of the unit or given directly by a donor."""
    if not can_keep_batches(actor):
        raise PermissionDenied(NOT_BATCH_KEEPER)
    batch = Batch(unit_id=actor.unit_id, created_by=actor, **_only(fields, BATCH_FIELDS))
    _check_batch(actor, batch)
    batch.save()
    return batch


@transaction.atomic
def batch_update(*, actor, batch: Batch, **fields) -> Batch:
    """A draft's details; the lines at the batch's value follow a new one (an imported list's own
    values stay)."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    old_value = batch.value
    for name, value in _only(fields, BATCH_FIELDS).items():
        setattr(batch, name, value)
    _check_batch(actor, batch)
    batch.save()
    if batch.value != old_value:
        batch.recipients.filter(value=old_value).update(value=batch.value)
    return batch


def _check_batch(actor, batch: Batch) -> None:
    batch.full_clean(exclude=["unit", "created_by", "state"])
    if not SupportKind.objects.available_to(actor.unit).filter(pk=batch.kind_id).exists():
        raise ValidationError({"kind": _("Choose a kind of support of your unit or a nationwide one.")})
    if batch.fund_id is not None and not can_manage_fund(actor, batch.fund):
        raise ValidationError({"fund": NOT_FUND_MANAGER})
    if batch.donor_id is not None and not Donor.objects.visible_to(actor).filter(pk=batch.donor_id).exists():
        raise ValidationError({"donor": _("Choose a donor your unit keeps.")})
    if batch.organisation_id is not None and not Organisation.objects.filter(
            within_q(actor.unit, "unit"), pk=batch.organisation_id).exists():
        raise ValidationError({"organisation": _("Choose an organisation of your unit or a unit below it.")})


@transaction.atomic
def batch_add_by_filter(*, actor, batch: Batch, households, school_level: str = "") -> int:
    """Add to a draft the households of ``households`` (a queryset: the households' FilterSet
    applied to the actor's list) that lie within the batch's unit and are not in it yet; for a
    kind given per pupil, each pupil of theirs (a member at school; at ``school_level``, the
    filter's, when one is chosen). Written in chunks, with no query per household. Returns how many lines
    were added."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    chosen = (households.filter(within_q(batch.unit, "commune"))
              .filter(pk__in=Household.objects.visible_to(actor).values("pk")))
    if batch.per_pupil:
        return _add_lines(batch, _pupil_lines(batch, chosen, school_level))
    already = Recipient.objects.filter(batch=batch, household=OuterRef("pk"), pupil__isnull=True)
    ids = chosen.filter(~Exists(already)).order_by().values_list("pk", flat=True).iterator(chunk_size=WRITE_CHUNK)
    return _add_lines(batch, (Recipient(batch=batch, household_id=pk, value=batch.value) for pk in ids))


def _pupil_lines(batch: Batch, households, school_level: str):
    already = Recipient.objects.filter(batch=batch, pupil=OuterRef("pk"))
    pupils = Member.objects.filter(household__in=households.order_by().values("pk")).exclude(school_level="")
    if school_level:
        pupils = pupils.filter(school_level=school_level)
    pupils = pupils.filter(~Exists(already)).order_by().values_list("pk", "household_id")
    for pupil_id, household_id in pupils.iterator(chunk_size=WRITE_CHUNK):
        yield Recipient(batch=batch, household_id=household_id, pupil_id=pupil_id, value=batch.value)


def _add_lines(batch: Batch, lines) -> int:
    added, chunk = 0, []
    for line in lines:
        chunk.append(line)
        if len(chunk) == WRITE_CHUNK:
            added += len(Recipient.objects.bulk_create(chunk))
            chunk = []
    if chunk:
        added += len(Recipient.objects.bulk_create(chunk))
    return added


@transaction.atomic
def recipient_add(*, actor, batch: Batch, household: Household, reason: str, pupil: Member | None = None,
                  **details) -> Recipient:
    """A household (or one of its pupils) added to a draft by hand, with the reason; one removed
    earlier comes back."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this household is added by hand.")})
    if not Household.objects.visible_to(actor).filter(within_q(batch.unit, "commune"), pk=household.pk).exists():
        raise ValidationError({"household": _("Choose a household of the batch's unit.")})
    if batch.per_pupil and (pupil is None or pupil.household_id != household.pk):
        raise ValidationError({"pupil": _("This support is given per pupil: choose a pupil of the household.")})
    pupil = pupil if batch.per_pupil else None
    recipient = Recipient.objects.filter(batch=batch, household=household, pupil=pupil).first()
    if recipient is not None and not recipient.removed:
        raise ValidationError({"household": _("This household is already in the batch.")})
    recipient = recipient or Recipient(batch=batch, household=household, pupil=pupil, value=batch.value)
    recipient.removed, recipient.removed_reason, recipient.added_reason = False, "", reason.strip()
    _set_details(recipient, details)
    recipient.save()
    return recipient


@dataclass(frozen=True)
class ListedRecipient:
    """A line of a member organisation's list, as its import found it (`recipients_add_listed`)."""

    row: int
    household_id: int
    pupil_id: int | None
    value: int
    details: dict
    note: str = ""  # the row's note, kept after the reason


class ListRefused(ValidationError):
    """Lines of a list that cannot be added: ``rows`` maps each row of the file to why."""

    def __init__(self, rows: dict[int, str]):
        super().__init__(list(rows.values()))
        self.rows = rows


@transaction.atomic
def recipients_add_listed(*, actor, batch: Batch, lines: list[ListedRecipient], reason: str) -> int:
    """The lines of a member organisation's list added to a draft, all of them or none: the rules of
    `recipient_add` (a household of the batch's unit the actor sees, a pupil of it for a kind given
    per pupil, not already in the batch; one removed earlier comes back), checked for the whole list
    in a few queries under the batch's lock, then written in chunks. Raises ListRefused naming the
    rows refused (a household added by someone else since the list was checked, one gone out of
    scope). Returns how many lines were added."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    refused = _listed_refusals(actor, batch, lines)
    if refused:
        raise ListRefused(refused)
    key = "pupil_id" if batch.per_pupil else "household_id"
    removed = {getattr(line, key): line for line in Recipient.objects.filter(
        batch=batch, removed=True, **{f"{key}__in": [getattr(line, key) for line in lines]})}
    revived, new = [], []
    for line in lines:
        recipient = removed.get(getattr(line, key)) or Recipient(batch=batch, household_id=line.household_id,
                                                                 pupil_id=line.pupil_id if batch.per_pupil else None)
        recipient.value = line.value
        recipient.added_reason = " ".join(part for part in (reason.strip(), line.note.strip()) if part)[:500]
        recipient.removed, recipient.removed_reason = False, ""
        _set_details(recipient, line.details)
        (revived if recipient.pk else new).append(recipient)
    if revived:
        Recipient.objects.bulk_update(revived, ["value", "added_reason", "removed", "removed_reason",
                                                *DETAIL_FIELDS], batch_size=WRITE_CHUNK)
    return _add_lines(batch, new) + len(revived)


def _listed_refusals(actor, batch: Batch, lines: list[ListedRecipient]) -> dict[int, str]:
    """{row: why} for the lines `recipients_add_listed` must refuse; three queries for the list."""
    household_ids = {line.household_id for line in lines}
    seen = set(Household.objects.visible_to(actor).filter(within_q(batch.unit, "commune"), pk__in=household_ids)
               .values_list("pk", flat=True))
    pupils = dict(Member.objects.filter(pk__in={line.pupil_id for line in lines if line.pupil_id})
                  .values_list("pk", "household_id")) if batch.per_pupil else {}
    key = "pupil_id" if batch.per_pupil else "household_id"
    standing = set(Recipient.objects.filter(batch=batch, removed=False, **{
        f"{key}__in": [getattr(line, key) for line in lines]}).values_list(key, flat=True))
    refused: dict[int, str] = {}
    listed: set[int] = set()
    for line in lines:
        if getattr(line, key) in listed:
            refused[line.row] = _("This recipient is listed twice.")
        listed.add(getattr(line, key))
        if line.row in refused:
            continue
        if line.household_id not in seen:
            refused[line.row] = _("Choose a household of the batch's unit.")
        elif batch.per_pupil and pupils.get(line.pupil_id) != line.household_id:
            refused[line.row] = _("This support is given per pupil: choose a pupil of the household.")
        elif getattr(line, key) in standing:
            refused[line.row] = (_("This pupil is already in the batch.") if batch.per_pupil
                                 else _("This household is already in the batch."))
        elif line.value <= 0:
            refused[line.row] = _("Enter a value of at least 1 đồng.")
    return refused


@transaction.atomic
def recipient_remove(*, actor, recipient: Recipient, reason: str) -> Recipient:
    """A line taken out of a draft, with the reason; it stays, marked, so the reason is kept."""
    _batch, recipient = _locked_line(actor, recipient, BatchState.DRAFT)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this household is taken out of the batch.")})
    recipient.removed, recipient.removed_reason = True, reason.strip()
    recipient.save(update_fields=["removed", "removed_reason"])
    return recipient


def recipient_details_update(*, actor, recipient: Recipient, **details) -> Recipient:
    """What the kind records for a line: the pupil's school, grade and school year; the
    insurance card's number and validity; the goods given."""
    with transaction.atomic():
        _batch, recipient = _locked_line(actor, recipient, BatchState.DRAFT, BatchState.CONFIRMED)
        _set_details(recipient, details)
        recipient.full_clean(exclude=["batch", "household", "pupil", "line", "delivery_recorded_by"])
        recipient.save()
    return recipient


DETAIL_FIELDS = ("school", "grade", "school_year", "card_number", "card_valid_until", "goods")


def _set_details(recipient: Recipient, details: dict) -> None:
    for name, value in _only(details, DETAIL_FIELDS).items():
        setattr(recipient, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def batch_confirm(*, actor, batch: Batch, duplicate_reason: str = "") -> Batch:
    """The recipients confirmed: from now on the batch is handed out. Recipients already in
    another batch of the same kind and occasion, at any level and from any fund (the duplicate-
    benefit check), are confirmed only with a reason."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    if not batch.recipients.standing().exists():
        raise ValidationError(_("Choose the batch's recipients before confirming it."))
    duplicates = duplicate_count(batch)
    if duplicates and not duplicate_reason.strip():
        raise ValidationError({"duplicate_reason": ngettext(
            "%(count)s recipient was already helped for this occasion: say why they are helped again, "
            "or take them out of the batch.",
            "%(count)s recipients were already helped for this occasion: say why they are helped again, "
            "or take them out of the batch.", duplicates) % {"count": duplicates}})
    batch.state, batch.confirmed_by, batch.confirmed_at = BatchState.CONFIRMED, actor, timezone.now()
    batch.duplicates_at_confirmation = duplicates
    batch.duplicate_reason = duplicate_reason.strip() if duplicates else ""
    batch.save()
    return batch


@transaction.atomic
def delivery_record(*, actor, recipient: Recipient, delivery: str, delivered_on: datetime.date | None = None,
                    representative: str = "") -> Recipient:
    """What happened to one line when the batch was handed out: delivered on a day (to the
    household, or to a representative named), not found, or refused. Recorded, and corrected, by
    an officer whose unit covers the household until the batch is closed."""
    if not can_record_delivery(actor):
        raise PermissionDenied(NOT_DELIVERY_RECORDER)
    batch, recipient = _locked_line(actor, recipient, keeper=False)
    if recipient.removed:
        raise ValidationError(_("This household was taken out of the batch."))
    if batch.state != BatchState.CONFIRMED:
        raise ValidationError(_("Deliveries are recorded once the batch is confirmed and until it is closed."))
    if batch.closing_since is not None:
        raise ValidationError(_("The batch is being closed: its deliveries can no longer be changed."))
    _check_delivery(delivery, delivered_on, representative.strip())
    recipient.delivery = delivery
    recipient.delivered_on = delivered_on if delivery in DELIVERED else None
    recipient.representative = representative.strip() if delivery == Delivery.REPRESENTATIVE else ""
    recipient.delivery_recorded_by, recipient.delivery_recorded_at = actor, timezone.now()
    recipient.save(update_fields=["delivery", "delivered_on", "representative", "delivery_recorded_by",
                                  "delivery_recorded_at"])
    return recipient


def _check_delivery(delivery: str, delivered_on, representative: str) -> None:
    if delivery not in Delivery.values or delivery == Delivery.PENDING:
        raise ValidationError({"delivery": _("Choose what happened: delivered, to a representative, not found or "
                                             "refused.")})
    if delivery in DELIVERED and delivered_on is None:
        raise ValidationError({"delivered_on": _("Enter the day it was handed over.")})
    if delivered_on is not None and delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The day of delivery cannot be in the future.")})
    if delivery == Delivery.REPRESENTATIVE and not representative:
        raise ValidationError({"representative": _("Enter the name of the person who received it.")})


# A batch of at most this many lines is closed in the officer's request (a commune's, a district's:
# under a couple of seconds); a bigger one by a worker (a province's Tet gifts: 20,000 lines, ~10 s).
CLOSE_IN_REQUEST = 2_000


def batch_close_request(*, actor, batch: Batch) -> Batch:
    """Close ``batch`` now when it is small, else check what can be checked at once (the officer,
    the state, deliveries still pending) and hand the closing to a worker, marked on the batch
    (``closing_since``); the worker's refusal, if any, is kept in ``close_error`` for the page."""
    with transaction.atomic():
        locked = _locked_batch(actor, batch, BatchState.CONFIRMED)
        if locked.closing_since is not None:
            raise ValidationError(_("The batch is already being closed."))
        _refuse_pending(locked)
        if locked.recipients.standing().count() <= CLOSE_IN_REQUEST:
            return batch_close(actor=actor, batch=locked)
        locked.closing_since, locked.close_error = timezone.now(), ""
        locked.save(update_fields=["closing_since", "close_error"])
        language = translation.get_language() or "vi"
        transaction.on_commit(lambda: _enqueue_close(locked.pk, actor.pk, language))
    return locked


def _enqueue_close(batch_id: int, actor_id: int, language: str) -> None:
    from ..tasks import batch_close_task  # the tasks import the services

    batch_close_task.delay(batch_id, actor_id, language)


def batch_close_run(batch_id: int, actor_id: int, language: str) -> None:
    """The worker's closing of a batch (`batch_close_request`), as the officer who asked for it;
    a refusal (the fund short of money since) is kept on the batch in the officer's language."""
    from frontwelfare.accounts.models import User

    batch = Batch.objects.filter(pk=batch_id, state=BatchState.CONFIRMED).first()
    if batch is None:  # closed already: a task delivered twice
        return
    with translation.override(language):
        try:
            batch_close(actor=User.objects.get(pk=actor_id), batch=batch)
        except (ValidationError, PermissionDenied) as refusal:
            _closing_failed(batch_id, " ".join(getattr(refusal, "messages", None) or [str(refusal)]))
        except Exception:
            # Whatever else stopped it (the officer's account closed since, the database), the batch
            # must not stay "being closed" for ever: it is open again, the officer told to retry.
            _closing_failed(batch_id, _("Closing stopped on an error: close the batch again."))
            raise


def _closing_failed(batch_id: int, message: str) -> None:
    # Only a batch still open: a second task of the same request meets a batch the first closed.
    Batch.objects.filter(pk=batch_id, state=BatchState.CONFIRMED).update(closing_since=None,
                                                                          close_error=message[:1000])


@transaction.atomic
def batch_close(*, actor, batch: Batch) -> Batch:
    """The batch handed out: every line's delivery is recorded, and the delivered lines are posted
    to the fund as one disbursement (one line per recipient, dated the last day of delivery) —
    refused whole, nothing posted, when the fund's earmark holds less than their sum. A batch
    given directly by a donor posts nothing: its money never was in a Front fund."""
    batch = _locked_batch(actor, batch, BatchState.CONFIRMED)
    _refuse_pending(batch)
    delivered = list(_lines_in_unit(batch).filter(delivery__in=DELIVERED)
                     .select_related("household", "pupil").order_by("pk"))
    if batch.fund_id is not None and delivered:
        _post_delivered(actor, batch, delivered)
    batch.state, batch.closed_by, batch.closed_at = BatchState.CLOSED, actor, timezone.now()
    batch.closing_since, batch.close_error = None, ""
    batch.save()
    return batch


def _lines_in_unit(batch: Batch):
    """The standing lines of ``batch`` whose household still lives within the batch's unit: a family
    that moved away since is out of the batch's officers' scope (they neither see nor record its
    line) and of the fund's (which pays households of its own unit), so its line is left out."""
    return batch.recipients.standing().filter(within_q(batch.unit, "household__commune"))


def _refuse_pending(batch: Batch) -> None:
    pending = _lines_in_unit(batch).filter(delivery=Delivery.PENDING).count()
    if pending:
        raise ValidationError(ngettext(
            "%(count)s recipient has no delivery recorded: record it (delivered, not found or refused) before "
            "closing the batch.",
            "%(count)s recipients have no delivery recorded: record them (delivered, not found or refused) before "
            "closing the batch.", pending) % {"count": pending})


def _post_delivered(actor, batch: Batch, delivered: list[Recipient]) -> None:
    payments = [Payment(amount=line.value, purpose=batch.kind.purpose, household=line.household,
                        description=line.pupil.full_name if line.pupil_id else "") for line in delivered]
    posting, fund_lines = support_disbursement_post(
        actor=actor, fund=Fund.objects.get(pk=batch.fund_id), earmark=batch.earmark,
        happened_on=max(line.delivered_on for line in delivered),
        description=f"{batch.kind.name_vi}: {batch.occasion}"[:500], payments=payments)
    for recipient, line in zip(delivered, fund_lines, strict=True):
        recipient.line = line
    Recipient.objects.bulk_update(delivered, ["line"], batch_size=WRITE_CHUNK)
    batch.posting = posting


@transaction.atomic
def batch_delete(*, actor, batch: Batch) -> None:
    """A draft thrown away, with its lines and the lists imported into it (their files deleted
    once the transaction commits): nothing of it was handed out."""
    batch = _locked_batch(actor, batch, BatchState.DRAFT)
    imports = list(batch.imports.all())
    for listed in imports:
        if listed.file:
            transaction.on_commit(lambda file=listed.file: file.delete(save=False))
    BatchImport.objects.filter(pk__in=[listed.pk for listed in imports]).delete()
    batch.recipients.all().delete()
    batch.delete()


# -- shared -----------------------------------------------------------------------------------------


def _only(fields: dict, allowed: tuple) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def _locked_batch(actor, batch: Batch, *states: str) -> Batch:
    """``batch`` re-read under a lock through the actor's scope, kept by their unit and in one of
    ``states``: two officers confirming and closing at once are served one after the other."""
    locked = locked_in_scope(Batch.objects.select_related("kind", "unit"), actor=actor, pk=batch.pk,
                             of=("self",))
    if not can_manage_batch(actor, locked):
        raise PermissionDenied(NOT_BATCH_KEEPER)
    if locked.state not in states:
        raise ValidationError(_("This batch is %(state)s: it can no longer be changed this way.")
                              % {"state": locked.get_state_display().lower()})
    return locked


def _locked_line(actor, recipient: Recipient, *states: str, keeper: bool = True) -> tuple[Batch, Recipient]:
    """A line of a batch and its batch, re-read under locks through the actor's scope: the batch
    first, then the line — the order `batch_close` takes them in (the batch, then its lines), so
    that a delivery corrected while a big batch is being closed waits instead of deadlocking.
    ``keeper``: only the batch's own officers, in one of ``states``; else any officer who sees the
    line (the state is the caller's to check)."""
    batch_id = Recipient.objects.visible_to(actor).filter(pk=recipient.pk).values_list("batch_id", flat=True).first()
    if batch_id is None:
        raise Recipient.DoesNotExist
    if keeper:
        batch = _locked_batch(actor, Batch(pk=batch_id), *states)
    else:
        batch = locked_in_scope(Batch.objects, actor=actor, pk=batch_id)
    return batch, locked_in_scope(Recipient.objects, actor=actor, pk=recipient.pk)


# -- member organisations and their activities -----------------------------------------------------

ORGANISATION_FIELDS = ("kind", "name", "note")
ACTIVITY_FIELDS = ("organisation", "kind", "name", "starts_on", "ends_on", "occurrences", "people_served",
                   "value", "funders", "note")
# The first year a membership may be recorded for: the Front was founded in 1930.
FIRST_MEMBERSHIP_YEAR = 1930
# A PositiveIntegerField's ceiling: more members than this is a typing error, not an organisation.
MAX_COUNT = 2_147_483_647


def _require_keeper(actor, unit=None) -> None:
    if not can_keep_organisations(actor, unit):
        raise PermissionDenied(NOT_ORGANISATION_KEEPER)


def organisation_create(*, actor, kind: str, name: str, note: str = "") -> Organisation:
    """A member organisation of ``actor``'s unit (its Red Cross, Women's Union…)."""
    _require_keeper(actor)
    organisation = Organisation(unit_id=actor.unit_id, created_by=actor, kind=kind, name=(name or "").strip(),
                                note=note or "")
    _save_organisation(actor, organisation)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Correct an organisation's kind, name or note; its unit never changes."""
    organisation = locked_in_scope(Organisation.objects, actor=actor, pk=organisation.pk)
    _require_keeper(actor, organisation.unit_id)
    for field, value in _only(fields, ORGANISATION_FIELDS).items():
        setattr(organisation, field, value.strip() if field == "name" else value)
    _save_organisation(actor, organisation)
    return organisation


def _save_organisation(actor, organisation: Organisation) -> None:
    """Save ``organisation``, checked by full_clean. Its name is unique in its unit, and full_clean
    cannot see another officer saving the same name at the same moment: the database's constraint
    refuses the second, answered as full_clean would have answered it."""
    organisation.full_clean(exclude=["unit", "created_by"])
    _check_name_free(organisation)
    organisation._history_user = actor
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as clash:
        raise ValidationError({"name": _("This unit already has an organisation of this name.")}) from clash


def _check_name_free(organisation: Organisation) -> None:
    # full_clean left the unit out (the actor's, checked already), and with it the unique constraint.
    taken = Organisation.objects.filter(unit_id=organisation.unit_id, name__iexact=organisation.name)
    if taken.exclude(pk=organisation.pk).exists():
        raise ValidationError({"name": _("This unit already has an organisation of this name.")})


@transaction.atomic
def membership_record(*, actor, organisation: Organisation, year: int, members: int) -> Membership:
    """How many members ``organisation`` had in ``year``; recording a year again corrects it."""
    # The organisation's row, locked, serialises two officers recording the same year at once:
    # the second finds the first's row and updates it rather than failing on the unique constraint.
    organisation = locked_in_scope(Organisation.objects, actor=actor, pk=organisation.pk)
    _require_keeper(actor, organisation.unit_id)
    _check_year(year)
    _check_count("members", members, _("Enter the number of members as a whole number, 0 or more."))
    membership = Membership.objects.filter(organisation=organisation, year=year).first()
    if membership is None:
        membership = Membership(organisation=organisation, year=year, members=members)
    elif membership.members == members:
        return membership
    membership.members = members
    membership.full_clean(exclude=["organisation"], validate_unique=False)
    membership._history_user = actor
    membership.save()
    return membership


def _check_year(year) -> None:
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_MEMBERSHIP_YEAR <= year <= this_year:
        raise ValidationError({"year": _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_MEMBERSHIP_YEAR, "last": this_year}})


def _check_count(field: str, value, message: str, *, least: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_COUNT:
        raise ValidationError({field: message})


def activity_record(*, actor, kind: str, name: str, starts_on: datetime.date, organisation: Organisation | None = None,
                    ends_on: datetime.date | None = None, occurrences: int = 1, people_served: int = 0,
                    households=(), value: int = 0, funders: str = "", note: str = "") -> Activity:
    """An activity of ``actor``'s unit, or of one of its organisations: one day's, or a period's with
    its number of sessions, cases or operations (``occurrences``)."""
    _require_keeper(actor)
    with transaction.atomic():
        activity = Activity(unit_id=actor.unit_id, recorded_by=actor, kind=kind, name=(name or "").strip(),
                            starts_on=starts_on, ends_on=ends_on, occurrences=occurrences,
                            people_served=people_served, value=value, funders=funders or "", note=note or "")
        activity.organisation = _organisation_of(actor, organisation, activity.unit_id)
        served = _households_served(actor, activity.unit_id, households)
        _check_activity(activity, served)
        activity._history_user = actor
        activity.save()
        activity.households.set(served)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, **fields) -> Activity:
    """Correct an activity; ``households`` (when given) replaces the households served."""
    activity = locked_in_scope(Activity.objects, actor=actor, pk=activity.pk)
    _require_keeper(actor, activity.unit_id)
    for field, value in _only(fields, ACTIVITY_FIELDS).items():
        setattr(activity, field, value.strip() if field == "name" else value)
    if "organisation" in fields:
        activity.organisation = _organisation_of(actor, fields["organisation"], activity.unit_id)
    served = None  # the households served stay as they are unless given
    if "households" in fields:
        served = _households_served(actor, activity.unit_id, fields["households"])
    _check_activity(activity, served if served is not None else list(activity.households.all()))
    activity._history_user = actor
    activity.save()
    if served is not None:
        activity.households.set(served)
    return activity


def _organisation_of(actor, organisation: Organisation | None, unit_id: int) -> Organisation | None:
    """The organisation an activity of ``unit_id`` is of, read again in ``actor``'s scope (404 when it
    left it): one of the unit's own."""
    if organisation is None:
        return None
    organisation = Organisation.objects.visible_to(actor).filter(pk=organisation.pk).first()
    if organisation is None:
        raise Organisation.DoesNotExist
    if organisation.unit_id != unit_id:
        raise ValidationError({"organisation": _("Choose an organisation of the activity's own unit.")})
    return organisation


# The households an activity names, at most: a programme serving more records them as a number.
MOST_HOUSEHOLDS_NAMED = 1_000
TOO_MANY_HOUSEHOLDS = gettext_lazy("Name at most 1,000 households here; record a larger programme's people served "
                                   "as a number.")


def _households_served(actor, unit_id: int, households) -> list[Household]:
    """The households of the registry an activity served: each within its unit and seen by ``actor``."""
    wanted = {getattr(household, "pk", household) for household in households or ()}
    if not wanted:
        return []
    if len(wanted) > MOST_HOUSEHOLDS_NAMED:
        raise ValidationError({"households": TOO_MANY_HOUSEHOLDS})
    unit = AdministrativeUnit.objects.get(pk=unit_id)
    found = list(Household.objects.visible_to(actor).filter(within_q(unit, "commune"), pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"households": _("Choose households of the registry within the activity's unit.")})
    return found


def _check_activity(activity: Activity, served: list) -> None:
    """The rules of one activity, each with a message on its field, then the model's own."""
    errors = {}
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The last day must be on or after the first day.")
    value = activity.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["value"] = _("Enter the value as a whole number of đồng, 0 or more.")
    for field, message, least in (
            ("occurrences", _("Enter the number of sessions, cases or operations: a whole number, 1 or more."), 1),
            ("people_served", _("Enter the number of people served: a whole number, 0 or more."), 0)):
        try:
            _check_count(field, getattr(activity, field), message, least=least)
        except ValidationError as error:
            errors.update(error.message_dict)
    if "people_served" not in errors and len(served) > activity.people_served:
        errors["people_served"] = _("The people served cannot be fewer than the households of the registry "
                                    "served (%(count)s).") % {"count": len(served)}
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["unit", "organisation", "recorded_by", "households"])

"""Every write of the funds' ledger. Pages and the API call these; none of them holds a rule.

Money: `receipt_record` (money in from a donor, numbered per fund and year), `decision_record`
(a spending decision paying households, works or another fund), `disbursement_record` (one payment
out), `transfer_record` (from one fund to another, between levels), `posting_reverse` (the one way
to correct a posting). Each writes one posting whose lines sum to zero, through `_post`, which also
traces every fund line to the receipts its money is (`Trace`).

People and appeals: `donor_create`/`donor_update`, `campaign_create`/`campaign_update`, `pledge_record`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import covers, unit_within
from frontwelfare.templatetags.frontwelfare import vnd
from households.models import Household

from .choices import DonorKind, Earmark, FundKind, Party, PaymentMethod, PostingKind, Purpose
from .models import (
    Campaign,
    Donor,
    Fund,
    Pledge,
    Posting,
    PostingLine,
    Receipt,
    ReceiptSeries,
    SoftCredit,
    SpendingDecision,
    Trace,
)
from .permissions import (
    NOT_DONOR_KEEPER,
    NOT_FUND_MANAGER,
    NOT_REVERSER,
    can_edit_donor,
    can_keep_donors,
    can_manage_fund,
    can_reverse,
)
from .selectors import pledges_with_outstanding, receipts_of_bank_references

# A fund line's `Line.sources` when its money is the posting itself: a receipt's.
OWN_MONEY = "own"


@dataclass(frozen=True)
class Line:
    """A line to post: ``amount`` into (positive) or out of (negative) ``fund``'s ``earmark``, or,
    without a fund, the outside world's side (``party``: a donor or a recipient).

    Which receipts a fund line's money is: ``sources`` (OWN_MONEY for a receipt; a list of
    (receipt posting id, amount) for a reversal, which undoes its posting's), or ``follows`` (the
    index of the line whose draws it carries: a transfer's line into the fund below); otherwise a
    line out of a fund draws on its receipts oldest first."""

    amount: int
    party: str = Party.FUND
    fund: Fund | None = None
    earmark: str = ""
    description: str = ""
    purpose: str = ""
    household: object = None
    case: object = None
    sources: object = None
    follows: int | None = None


@dataclass(frozen=True)
class Payment:
    """One line of a spending decision: ``amount`` for ``purpose``, to a household of the fund's
    unit, into another fund (``destination``), or to a work or recipient described in words."""

    amount: int
    purpose: str
    description: str = ""
    household: object = None
    destination: Fund | None = None
    case: object = None


# -- donors, campaigns, pledges -------------------------------------------------------------------

DONOR_FIELDS = ("kind", "member_organisation", "name", "tax_code", "phone", "address", "anonymous", "note")
CAMPAIGN_FIELDS = ("kind", "name", "code", "starts_on", "ends_on", "target", "fund", "earmark", "description")


def donor_create(*, actor, **fields) -> Donor:
    """A donor kept by ``actor``'s unit. Likely duplicates are shown to the officer before this
    (`selectors.likely_duplicate_donors`); the officer decides."""
    if not can_keep_donors(actor):
        raise PermissionDenied(NOT_DONOR_KEEPER)
    donor = Donor(unit_id=actor.unit_id, created_by=actor, **_only(fields, DONOR_FIELDS))
    _check_donor(donor)
    donor.save()
    return donor


@transaction.atomic
def donor_update(*, actor, donor: Donor, **fields) -> Donor:
    donor = _locked(Donor.objects.visible_to(actor), donor.pk)
    if not can_edit_donor(actor, donor):
        raise PermissionDenied(NOT_DONOR_KEEPER)
    for name, value in _only(fields, DONOR_FIELDS).items():
        setattr(donor, name, value)
    _check_donor(donor)
    donor.save()
    return donor


def _check_donor(donor: Donor) -> None:
    if donor.kind != DonorKind.MEMBER_ORGANISATION:
        donor.member_organisation = ""
    elif not donor.member_organisation:
        raise ValidationError({"member_organisation": _("Choose which member organisation gives.")})
    donor.full_clean(exclude=["unit", "created_by", "name_folded"])


def campaign_create(*, actor, **fields) -> Campaign:
    """A campaign of the unit whose fund receives its money."""
    fund = fields.get("fund")
    if fund is None or not can_manage_fund(actor, fund):
        raise PermissionDenied(NOT_FUND_MANAGER)
    fields = _only(fields, CAMPAIGN_FIELDS)
    fields["code"] = fields.get("code", "").strip().upper()
    campaign = Campaign(unit_id=fund.unit_id, created_by=actor, **fields)
    campaign.full_clean(exclude=["unit", "created_by"])
    _save_campaign(campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    campaign = _locked(Campaign.objects.visible_to(actor), campaign.pk)
    fields = _only(fields, CAMPAIGN_FIELDS)
    if not can_manage_fund(actor, campaign.fund) or not can_manage_fund(actor, fields.get("fund", campaign.fund)):
        raise PermissionDenied(NOT_FUND_MANAGER)
    for name, value in fields.items():
        setattr(campaign, name, value.strip().upper() if name == "code" else value)
    campaign.full_clean(exclude=["unit", "created_by"])
    _save_campaign(campaign)
    return campaign


def _save_campaign(campaign: Campaign) -> None:
    """Save ``campaign``, checked by full_clean. Its code is unique, and full_clean cannot see a
    campaign another officer is saving at the same moment under the same code: the database's
    constraint refuses the second, and it is answered as full_clean would have answered it."""
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as clash:
        raise ValidationError({"code": campaign.unique_error_message(Campaign, ("code",))}) from clash


def pledge_record(*, actor, campaign: Campaign, donor: Donor, amount: int, pledged_on: datetime.date,
                  note: str = "") -> Pledge:
    """Money a donor announced for ``campaign``: not money until a receipt settles it."""
    if not can_keep_donors(actor):
        raise PermissionDenied(NOT_DONOR_KEEPER)
    _require_visible(Campaign, actor, campaign)
    _require_visible(Donor, actor, donor)
    pledge = Pledge(unit_id=actor.unit_id, campaign=campaign, donor=donor, amount=_positive(amount),
                    pledged_on=pledged_on, note=note, recorded_by=actor)
    pledge.full_clean(exclude=["unit", "recorded_by"])
    pledge.save()
    return pledge


# -- money ----------------------------------------------------------------------------------------


@transaction.atomic
def receipt_record(*, actor, fund: Fund, donor: Donor, amount: int, happened_on: datetime.date,
                   method: str = PaymentMethod.CASH, earmark: str = Earmark.NONE, bank_reference: str = "",
                   in_kind_description: str = "", campaign: Campaign | None = None, pledge: Pledge | None = None,
                   note: str = "", attached_documents: int = 0, soft_credits=()) -> Receipt:
    """Money (or goods, valued in đồng) received into ``fund`` for ``earmark`` from ``donor``,
    numbered next in the fund's series for the year of ``happened_on``.

    ``soft_credits``: (name, amount or None) of the people an agency's receipt lists."""
    _require_manager(actor, fund)
    _require_visible(Donor, actor, donor)
    amount = _positive(amount)
    bank_reference = bank_reference.strip()
    # Receipts of a fund are written one at a time (the fund's row locked until the receipt commits),
    # so that a bank reference checked as new is still new when its receipt is written: two clerks,
    # or a clerk and a statement import, cannot both record the same transfer.
    _lock_funds([fund.pk])
    if pledge is not None:
        _require_visible(Pledge, actor, pledge)
        # Money that settles a pledge is money received for the pledge's campaign (its progress
        # counts pledged against received), whether or not the campaign was chosen too.
        campaign = campaign if campaign is not None else pledge.campaign
    earmark = receipt_earmark(campaign, earmark)
    _check_receipt(fund=fund, donor=donor, amount=amount, method=method, bank_reference=bank_reference,
                   in_kind_description=in_kind_description, campaign=campaign, pledge=pledge, actor=actor)
    receipt = Receipt(fund=fund, year=happened_on.year, happened_on=happened_on, donor=donor, amount=amount,
                      method=method, bank_reference=bank_reference, in_kind_description=in_kind_description,
                      campaign=campaign, pledge=pledge, earmark=earmark, note=note,
                      attached_documents=attached_documents, recorded_by=actor)
    receipt.full_clean(exclude=["posting", "sequence", "number", "recorded_by"], validate_unique=False,
                       validate_constraints=False)
    receipt.posting = _post(actor=actor, kind=PostingKind.RECEIPT, unit=fund.unit, happened_on=happened_on,
                            description=note, lines=[
                                Line(amount=amount, fund=fund, earmark=earmark, sources=OWN_MONEY),
                                Line(amount=-amount, party=Party.DONOR, description=donor.name),
                            ])
    receipt.sequence = _next_receipt_number(fund, receipt.year)
    receipt.number = f"PT-{receipt.year}-{receipt.sequence:06d}"
    receipt.save()
    SoftCredit.objects.bulk_create([SoftCredit(receipt=receipt, name=name.strip(), amount=part)
                                    for name, part in soft_credits if name.strip()])
    return receipt


def receipt_earmark(campaign: Campaign | None, earmark: str = Earmark.NONE) -> str:
    """The earmark of a receipt for ``campaign``: an earmarked campaign's (a disaster appeal's money
    is for disaster relief) when the receipt names none or the same one; another is refused."""
    if campaign is None or campaign.earmark == Earmark.NONE:
        return earmark
    if earmark in (Earmark.NONE, campaign.earmark):
        return campaign.earmark
    raise ValidationError({"earmark": _("Money given to this campaign is for “%(earmark)s”: the receipt keeps that "
                                        "earmark.") % {"earmark": Earmark(campaign.earmark).label}})


def _check_receipt(*, fund, donor, amount, method, bank_reference, in_kind_description, campaign, pledge,
                   actor) -> None:
    errors = {}
    if method == PaymentMethod.BANK_TRANSFER and not bank_reference:
        errors["bank_reference"] = _("Enter the bank's reference of the transfer.")
    if method == PaymentMethod.IN_KIND and not in_kind_description.strip():
        errors["in_kind_description"] = _("Describe the goods given; the amount is their value in đồng.")
    if bank_reference and receipts_of_bank_references(fund, [bank_reference]).exists():
        errors["bank_reference"] = _("A receipt of this bank reference is already recorded.")
    if campaign is not None:
        _require_visible(Campaign, actor, campaign)
        if not covers(campaign.unit_id, fund.unit):
            errors["campaign"] = _("This fund does not collect for that campaign.")
    if pledge is not None:
        if pledge.donor_id != donor.pk or (campaign is not None and pledge.campaign_id != campaign.pk):
            errors["pledge"] = _("The pledge settled must be the donor's, for the same campaign.")
        else:
            # The race this prevents: two receipts settle the same pledge at once; each reads what it
            # has left before the other is committed, and together they settle more than was pledged.
            # So the pledge's row is locked before it is read: the second waits, then reads the first's.
            list(Pledge.objects.select_for_update().filter(pk=pledge.pk).values_list("pk"))
            left = pledge_outstanding(pledge)
            if amount > left:
                errors["pledge"] = _("The pledge has %(left)s left to settle: the receipt is larger.") % {
                    "left": vnd(left)}
    if errors:
        raise ValidationError(errors)


def pledge_outstanding(pledge: Pledge) -> int:
    """What ``pledge`` still has to settle: its amount less the receipts that settle it and stand
    (a reversed receipt settles nothing), as `selectors.pledges_with_outstanding` counts it."""
    return pledges_with_outstanding(Pledge.objects.filter(pk=pledge.pk)).values_list("outstanding", flat=True).get()


def _next_receipt_number(fund: Fund, year: int) -> int:
    """The next number of ``fund``'s receipts in ``year``, with no gap and no repeat.

    The series row is created if missing (ON CONFLICT DO NOTHING: two first receipts of a year
    do not collide) and then locked until the receipt's transaction ends: a second clerk's receipt
    waits here for the first to commit and reads its number; a receipt that fails rolls its number
    back with it, so no number is skipped."""
    ReceiptSeries.objects.bulk_create([ReceiptSeries(fund=fund, year=year)], ignore_conflicts=True)
    series = ReceiptSeries.objects.select_for_update().get(fund=fund, year=year)
    series.last += 1
    series.save(update_fields=["last"])
    return series.last


@transaction.atomic
def decision_record(*, actor, fund: Fund, number: str, decided_on: datetime.date, signer: str,
                    payments: list[Payment], earmark: str = Earmark.NONE) -> SpendingDecision:
    """A spending decision of ``fund``'s unit, paying each of ``payments`` out of ``earmark``:
    to a household of the fund's unit, into a fund above or below it, or to a work or recipient
    described. Refused whole when the earmark cannot pay them all."""
    _require_manager(actor, fund)
    number, signer = number.strip(), signer.strip()
    if not number or not signer:
        raise ValidationError({"number" if not number else "signer": _("This field is required.")})
    if not payments:
        raise ValidationError(_("A decision pays at least one line."))
    # The fund's row is locked first (as _post would), so that the number checked as new is still
    # new when the decision is written: two clerks entering the same decision get one refusal.
    _lock_funds([fund.pk])
    decision = SpendingDecision(fund=fund, number=number, decided_on=decided_on, signer=signer, earmark=earmark,
                                recorded_by=actor)
    decision.full_clean(exclude=["posting", "recorded_by"], validate_unique=False, validate_constraints=False)
    if SpendingDecision.objects.filter(fund=fund, number=number).exists():
        raise ValidationError({"number": _("This fund already has a decision of this number.")})
    payments = _with_communes(payments)
    lines = []
    for payment in payments:
        if payment.household is None and payment.destination is None and not payment.description.strip():
            raise ValidationError({"description": _("Say who or what is paid: a household, or the work and its "
                                                    "place.")})
        lines.extend(_payment_lines(actor, fund, earmark, payment, index=len(lines)))
    posting = _post(actor=actor, kind=PostingKind.DISBURSEMENT, unit=fund.unit, happened_on=decided_on,
                    description=number, lines=lines)
    decision.posting = posting
    decision.save()
    return decision


def _with_communes(payments: list[Payment]) -> list[Payment]:
    """``payments`` with their households read again with their communes, in one query, so that
    checking each against the fund's unit reads nothing more (a Tet decision pays hundreds)."""
    ids = [payment.household.pk for payment in payments if payment.household is not None]
    households = Household.objects.select_related("commune").in_bulk(ids) if ids else {}
    return [replace(payment, household=households[payment.household.pk]) if payment.household is not None
            else payment for payment in payments]


def _payment_lines(actor, fund: Fund, earmark: str, payment: Payment, *, index: int) -> list[Line]:
    amount = _positive(payment.amount)
    if payment.purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose what the money is spent on.")})
    if payment.household is not None and not unit_within(payment.household.commune, fund.unit):
        raise ValidationError({"household": _("A fund pays households of its own unit.")})
    # What Funds for the Poor paid for a case is deducted from its part when its construction
    # starts (`_case_pay`): a payment named for a case is one to the case's own household.
    if payment.case is not None and (payment.household is None or payment.case.household_id != payment.household.pk):
        raise ValidationError({"case": _("A payment for a house case pays the case's household.")})
    shared = {"purpose": payment.purpose, "household": payment.household, "case": payment.case,
              "description": payment.description.strip()}
    if payment.destination is not None:
        # Money passed to another fund is not spent yet: its lines carry no purpose (see selectors).
        _check_transfer(fund, payment.destination)
        moved = {"description": shared["description"]}
        return [Line(amount=-amount, fund=fund, earmark=earmark, **moved),
                Line(amount=amount, fund=payment.destination, earmark=earmark, follows=index, **moved)]
    paid = Line(amount=-amount, fund=fund, earmark=earmark, **shared)
    return [paid, Line(amount=amount, party=Party.RECIPIENT, **shared)]


def disbursement_record(*, actor, fund: Fund, amount: int, happened_on: datetime.date,
                        earmark: str = Earmark.NONE, recipient: str = "", description: str = "",
                        purpose: str = Purpose.OTHER, household=None, case=None) -> Posting:
    """One payment out of ``fund``'s ``earmark``, without a decision of its own (the housing link
    pays a case's Fund-for-the-Poor part this way); refused when the earmark holds less."""
    _require_manager(actor, fund)
    payment = Payment(amount=amount, purpose=purpose, description=recipient or description or str(household or ""),
                      household=household, case=case)
    return _post(actor=actor, kind=PostingKind.DISBURSEMENT, unit=fund.unit, happened_on=happened_on,
                 description=description, lines=_payment_lines(actor, fund, earmark, payment, index=0))


@transaction.atomic
def support_disbursement_post(*, actor, fund: Fund, earmark: str, happened_on: datetime.date, description: str,
                              payments: list[Payment]) -> tuple[Posting, list[PostingLine]]:
    """One disbursement paying ``payments`` out of ``fund``'s ``earmark`` (a batch of support,
    `donations.support.services.batch_close`), refused whole when the earmark holds less than
    their sum. Returns the posting and its fund lines, in the order of ``payments``."""
    _require_manager(actor, fund)
    lines = []
    for payment in _with_communes(payments):
        lines.extend(_payment_lines(actor, fund, earmark, payment, index=len(lines)))
    posting = _post(actor=actor, kind=PostingKind.DISBURSEMENT, unit=fund.unit, happened_on=happened_on,
                    description=description, lines=lines)
    return posting, list(posting.lines.filter(party=Party.FUND).order_by("pk"))


def transfer_record(*, actor, source: Fund, destination: Fund, amount: int, happened_on: datetime.date,
                    earmark: str = Earmark.NONE, description: str = "") -> Posting:
    """Money passed between levels (điều tiết): down from a province's or district's fund to a fund
    below it, or up from a commune's. The earmark and the receipts' trace travel with the money."""
    _require_manager(actor, source)
    _check_transfer(source, destination)
    return _post(actor=actor, kind=PostingKind.TRANSFER, unit=source.unit, happened_on=happened_on,
                 description=description, lines=[
                     Line(amount=-_positive(amount), fund=source, earmark=earmark),
                     Line(amount=amount, fund=destination, earmark=earmark, follows=0),
                 ])


def _check_transfer(source: Fund, destination: Fund) -> None:
    if source.pk == destination.pk or not (covers(source.unit, destination.unit)
                                           or covers(destination.unit, source.unit)):
        raise ValidationError({"destination": _("Money moves between a fund and a fund of a unit above or "
                                                "below it.")})


@transaction.atomic
def posting_reverse(*, actor, posting: Posting, reason: str, happened_on: datetime.date) -> Posting:
    """The correction of ``posting``: a posting of the opposite lines that names it, with a reason.
    The reversed posting stays, marked by its reversal. Each fund line gives back exactly the
    receipts' money it moved, so a reversal is refused when a fund no longer holds that money (a
    receipt whose money has since been spent or passed on: reverse that first)."""
    if not can_reverse(actor, posting):
        raise PermissionDenied(NOT_REVERSER)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the posting is reversed.")})
    if posting.kind == PostingKind.REVERSAL:
        raise ValidationError(_("A reversal is not reversed: record the movement again instead."))
    # The race this prevents: two officers reverse the same posting at once; each finds no reversal
    # and writes one, and the second fails on the one-to-one `reverses` (an IntegrityError, not a
    # refusal). So the posting's row is locked (SELECT … FOR UPDATE; a lock, not an UPDATE, which the
    # ledger's trigger would refuse) before the check: the second waits, then finds the first's.
    list(Posting.objects.select_for_update().filter(pk=posting.pk).values_list("pk"))
    if Posting.objects.filter(reverses=posting).exists():
        raise ValidationError(_("This posting has already been reversed."))
    sources = defaultdict(list)
    for line_id, source_id, amount in Trace.objects.filter(line__posting=posting).values_list(
            "line_id", "source_id", "amount"):
        sources[line_id].append((source_id, -amount))
    lines = [Line(amount=-line.amount, party=line.party, fund=line.fund, earmark=line.earmark,
                  description=line.description, purpose=line.purpose, household=line.household, case=line.case,
                  sources=sources[line.pk] if line.fund_id else None)
             for line in posting.lines.select_related("fund", "household", "case").order_by("pk")]
    return _post(actor=actor, kind=PostingKind.REVERSAL, unit=posting.unit, happened_on=happened_on,
                 description=posting.description, lines=lines, reverses=posting, reason=reason.strip())


# -- the posting itself ---------------------------------------------------------------------------


def _only(fields: dict, allowed: tuple) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def _locked(queryset, pk):
    locked = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None:
        raise queryset.model.DoesNotExist
    return locked


def _require_visible(model, actor, record) -> None:
    if not model.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise model.DoesNotExist


def _require_manager(actor, fund: Fund) -> None:
    if not can_manage_fund(actor, fund):
        raise PermissionDenied(NOT_FUND_MANAGER)


def _positive(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount of at least 1 đồng, in whole đồng.")})
    return amount


@transaction.atomic
def _post(*, actor, kind: str, unit, happened_on: datetime.date, lines: list[Line], description: str = "",
          reverses: Posting | None = None, reason: str = "") -> Posting:
    """Write one posting of ``lines``, which must sum to zero, leaving no fund's earmark below zero,
    and trace each fund line to the receipts its money is.

    The race this prevents: two clerks pay out of the same fund at once; each reads a balance of
    100 and sees room for its 80; both post, and the fund holds -60. So the funds this posting
    takes money from are locked (SELECT … FOR UPDATE, in id order so that two postings touching
    the same funds cannot deadlock) before their balances are read: the second clerk waits until
    the first has committed, then reads a balance that includes the first's lines (each statement
    sees what was committed before it began, under PostgreSQL's READ COMMITTED). The receipts a
    payment draws on are read under the same lock, so two payments never draw the same money."""
    if len(lines) < 2 or sum(line.amount for line in lines) != 0:
        raise ValidationError(_("A posting has two or more lines whose amounts sum to zero."))
    if any(line.fund is not None and line.earmark not in Earmark.values for line in lines):
        raise ValidationError({"earmark": _("Choose what the money is earmarked for.")})
    taken = defaultdict(int)
    for line in lines:
        if line.fund is not None:
            taken[(line.fund.pk, line.earmark)] += line.amount
    debited = sorted({fund_id for (fund_id, _earmark), change in taken.items() if change < 0})
    if debited:
        _lock_funds(debited)
        _refuse_overdraft({key: change for key, change in taken.items() if change < 0})
    posting = Posting.objects.create(kind=kind, unit=unit, happened_on=happened_on, description=description,
                                     reverses=reverses, reason=reason, recorded_by=actor)
    written = PostingLine.objects.bulk_create([
        PostingLine(posting=posting, party=line.party, fund=line.fund, earmark=line.earmark, amount=line.amount,
                    description=line.description[:500], purpose=line.purpose, household=line.household,
                    case=line.case) for line in lines
    ])
    Trace.objects.bulk_create(_traces(posting, lines, written))
    return posting


def _traces(posting: Posting, lines: list[Line], written: list[PostingLine]) -> list[Trace]:
    """Each fund line split over the receipts its money is (see `Line` and `models.Trace`)."""
    holdings = _Holdings()
    parts_of: dict[int, list[tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        if line.fund is None:
            continue
        if line.sources == OWN_MONEY:
            parts = [(posting.pk, line.amount)]
        elif line.sources is not None:
            parts = line.sources
            holdings.take_exactly(line.fund, line.earmark, parts)
        elif line.follows is not None:
            parts = [(source, -amount) for source, amount in parts_of[line.follows]]
        else:
            parts = holdings.draw(line.fund, line.earmark, -line.amount)
        holdings.add(line.fund, line.earmark, parts)
        parts_of[index] = parts
    return [Trace(line=written[index], source_id=source, fund=lines[index].fund, earmark=lines[index].earmark,
                  amount=amount)
            for index, parts in parts_of.items() for source, amount in parts if amount]


class _Holdings:
    """What each receipt still holds in a fund's earmark, read once per earmark a posting touches
    (under the fund's lock) and kept current as the posting's own lines draw on it."""

    def __init__(self):
        self._held: dict[tuple[int, str], dict[int, int]] = {}
        # Money this posting puts into an earmark not read yet (a receipt's, a transfer's into the
        # fund below): added when, and only if, a later line of the posting reads that earmark. A
        # receipt thus reads nothing: reading a fund's holdings costs as much as its history.
        self._added: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)

    def _of(self, fund: Fund, earmark: str) -> dict[int, int]:
        key = (fund.pk, earmark)
        if key not in self._held:
            # Oldest receipt first: by the day it happened, then the order it was recorded.
            rows = (Trace.objects.filter(fund=fund, earmark=earmark).values("source")
                    .annotate(held=Sum("amount")).filter(held__gt=0)
                    .order_by("source__happened_on", "source").values_list("source", "held"))
            self._held[key] = held = dict(rows)
            for source, amount in self._added.pop(key, ()):
                held[source] = held.get(source, 0) + amount
        return self._held[key]

    def draw(self, fund: Fund, earmark: str, amount: int) -> list[tuple[int, int]]:
        """The parts of a payment of ``amount``: the oldest receipts' money first."""
        parts = []
        for source, held in self._of(fund, earmark).items():
            if amount == 0:
                break
            part = min(held, amount)
            if part > 0:
                parts.append((source, -part))
                amount -= part
        if amount:  # the balance was checked: only lines recorded without a trace could cause this
            raise ValidationError(_("%(fund)s's money cannot be traced to its receipts.") % {"fund": fund.name})
        return parts

    def take_exactly(self, fund: Fund, earmark: str, parts: list[tuple[int, int]]) -> None:
        """Refuses parts that take from a receipt more than it still holds here."""
        held = self._of(fund, earmark)
        for source, amount in parts:
            if amount < 0 and held.get(source, 0) + amount < 0:
                number = Receipt.objects.filter(posting_id=source).values_list("number", flat=True).first()
                raise ValidationError(_(
                    "The money of receipt %(number)s in %(fund)s has already been spent or passed on: "
                    "reverse that first.") % {"number": number or source, "fund": fund.name})

    def add(self, fund: Fund, earmark: str, parts: list[tuple[int, int]]) -> None:
        key = (fund.pk, earmark)
        if key not in self._held:
            self._added[key].extend(parts)
            return
        held = self._held[key]
        for source, amount in parts:
            left = held.get(source, 0) + amount
            if left:
                held[source] = left
            else:
                # Spent: dropped, so that the next draw starts at the oldest receipt still holding
                # money instead of walking every spent one (a Tet batch pays 20,000 lines in turn).
                held.pop(source, None)


def _lock_funds(fund_ids) -> None:
    """SELECT … FOR UPDATE of the funds' rows, in id order (two postings touching the same funds
    then wait for each other instead of deadlocking), until the caller's transaction ends."""
    list(Fund.objects.select_for_update().filter(pk__in=sorted(fund_ids)).order_by("pk").values_list("pk"))


def _refuse_overdraft(taken: dict[tuple[int, str], int]) -> None:
    """Refuses, naming what is held, a posting that would take a fund's earmark below zero."""
    funds = {fund_id for fund_id, _earmark in taken}
    held = {(fund_id, earmark): total for fund_id, earmark, total in
            PostingLine.objects.filter(fund_id__in=funds).values_list("fund_id", "earmark")
            .annotate(total=Sum("amount")).order_by()}
    for (fund_id, earmark), change in taken.items():
        balance = held.get((fund_id, earmark), 0)
        if balance + change < 0:
            fund = Fund.objects.get(pk=fund_id)
            raise ValidationError({"amount": _(
                "%(fund)s holds %(balance)s for “%(earmark)s”: it cannot pay out %(amount)s."
            ) % {"fund": fund.name, "balance": vnd(balance), "earmark": Earmark(earmark).label,
                 "amount": vnd(-change)}})


# -- funds ----------------------------------------------------------------------------------------

FUND_FIELDS = ("kind", "name")


@transaction.atomic
def fund_create(*, actor, kind: str, name: str) -> Fund:
    """A fund of ``actor``'s own unit. The Fund for the Poor exists once per unit.

    The race this prevents: two officers of a commune create its Fund for the Poor at the same
    moment; each finds none and both save. So the unit's row is locked (SELECT … FOR UPDATE)
    before the check: the second officer waits for the first to commit, then finds its fund."""
    from frontwelfare.areas.models import AdministrativeUnit

    from .choices import FundKind
    from .permissions import NOT_FUND_CREATOR, can_create_fund

    if not can_create_fund(actor):
        raise PermissionDenied(NOT_FUND_CREATOR)
    list(AdministrativeUnit.objects.select_for_update().filter(pk=actor.unit_id).values_list("pk"))
    fund = Fund(unit_id=actor.unit_id, kind=kind, name=name.strip())
    fund.full_clean(exclude=["unit"], validate_unique=False)
    if kind == FundKind.FOR_THE_POOR and Fund.objects.filter(unit_id=actor.unit_id, kind=kind).exists():
        raise ValidationError({"kind": _("The unit already has its Fund for the Poor.")})
    if Fund.objects.filter(unit_id=actor.unit_id, name=fund.name).exists():
        raise ValidationError({"name": _("The unit already has a fund of this name.")})
    fund.save()
    return fund
# -- the housing link -----------------------------------------------------------------------------


def case_fund_for_the_poor(case) -> Fund | None:
    """The fund that pays ``case``'s Fund-for-the-Poor part: the Fund for the Poor of the case's
    commune or, when the commune keeps none in FrontWelfare, the one of the unit that runs the
    case's programme (the first created, should a unit keep more than one). None when neither
    keeps one. One query."""
    units = [case.commune_id, case.programme.unit_id]
    funds = Fund.objects.filter(kind=FundKind.FOR_THE_POOR, unit_id__in=units).select_related("unit").order_by("pk")
    found = {}
    for fund in funds:
        found.setdefault(fund.unit_id, fund)
    return found.get(case.commune_id) or found.get(case.programme.unit_id)


def case_construction_pay(*, actor, case) -> Posting | None:
    """Pay the Fund-for-the-Poor part of ``case``'s funding plan, now that its construction has
    started: housing's construction-start hook (housing.hooks), run inside case_advance's
    transaction, so a refusal here leaves the case as it was. Returns the disbursement's posting,
    or None when there is nothing to pay.

    - Which fund: `case_fund_for_the_poor`. When neither the commune nor the programme's unit
      keeps its Fund for the Poor in FrontWelfare, nothing is posted: their money is kept
      elsewhere, and the house is not held up for it.
    - How much: the plan's `fund_for_the_poor` less what Funds for the Poor have already paid for
      the case and still stands (a decision naming the case, an earlier start); nothing when
      that leaves nothing (a plan without a Fund-for-the-Poor part).
    - Which earmark: housing-earmarked money when it alone covers the amount, otherwise
      unrestricted money when it alone covers it; otherwise the step is refused, naming both
      balances. One payment draws on one earmark, as a spending decision does.
    - Who: starting construction is the case's commune officers' step (housing.workflow), and
      they manage their commune's fund. A programme's fund, of a district or province whose
      officers they are not, pays on the strength of the case's approval: the district (or,
      after 2025, the province) committed the plan's Fund-for-the-Poor part when it approved the
      plan (housing checks the plan against the programme at approval), and starting construction
      carries that out. The posting is the fund's unit's, recorded by the officer who started
      construction, dated by the start date, and corrected like any posting of that unit
      (`can_reverse`)."""
    from housing.permissions import is_commune_officer_of

    if case.fund_for_the_poor <= 0:
        return None
    if not is_commune_officer_of(actor, case.commune_id):
        raise PermissionDenied(NOT_FUND_MANAGER)
    fund = case_fund_for_the_poor(case)
    if fund is None:
        return None
    if fund.unit_id == case.commune_id:
        _require_manager(actor, fund)
    with transaction.atomic():
        return _case_pay(actor, case, fund)


def _case_pay(actor, case, fund: Fund) -> Posting | None:
    # Locked before anything is read, so that the earmark chosen below still holds the amount when
    # _post checks it under the same lock (another payment cannot draw on it in between).
    list(Fund.objects.select_for_update().filter(pk=fund.pk).values_list("pk"))
    paid = -(PostingLine.objects.filter(case=case, party=Party.FUND, fund__kind=FundKind.FOR_THE_POOR,
                                        purpose=Purpose.HOUSING).aggregate(total=Sum("amount"))["total"] or 0)
    amount = case.fund_for_the_poor - paid
    if amount <= 0:
        return None
    held = dict(PostingLine.objects.filter(fund=fund, earmark__in=[Earmark.HOUSING, Earmark.NONE])
                .values_list("earmark").annotate(total=Sum("amount")).order_by())
    housing, unrestricted = held.get(Earmark.HOUSING, 0), held.get(Earmark.NONE, 0)
    if housing >= amount:
        earmark = Earmark.HOUSING
    elif unrestricted >= amount:
        earmark = Earmark.NONE
    else:
        raise ValidationError(_(
            "Construction cannot start yet: %(fund)s pays the Fund-for-the-Poor part of this house, "
            "%(amount)s, and holds %(housing)s for housing and %(unrestricted)s unrestricted; neither covers "
            "it alone. Start construction once the fund holds the money (a transfer from the level above, or "
            "a receipt).") % {"fund": fund.name, "amount": vnd(amount), "housing": vnd(housing),
                              "unrestricted": vnd(unrestricted)})
    household = Household.objects.select_related("commune").get(pk=case.household_id)
    description = f"{case.programme.name} · #{case.pk}"
    payment = Payment(amount=amount, purpose=Purpose.HOUSING, description=description, household=household,
                      case=case)
    return _post(actor=actor, kind=PostingKind.DISBURSEMENT, unit=fund.unit, happened_on=case.start_date,
                 description=description, lines=_payment_lines(actor, fund, earmark, payment, index=0))

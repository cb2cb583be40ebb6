"""Every write of the funds' ledger. Pages and the API call these; none of them holds a rule.

`receipt_record` (money in from a donor), `disbursement_record` (money out to a recipient),
`transfer_record` (from one fund to another, between levels), `posting_reverse` (the one way to
correct a posting). Each writes one posting whose lines sum to zero, through `_post`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import covers
from frontwelfare.templatetags.frontwelfare import vnd

from .choices import Earmark, Party, PostingKind
from .models import Fund, Posting, PostingLine
from .permissions import NOT_FUND_MANAGER, NOT_REVERSER, can_manage_fund, can_reverse


@dataclass(frozen=True)
class Line:
    """A line to post: ``amount`` into (positive) or out of (negative) ``fund``'s ``earmark``, or,
    without a fund, the outside world's side (``party``: a donor or a recipient)."""

    amount: int
    party: str = Party.FUND
    fund: Fund | None = None
    earmark: str = ""
    description: str = ""


def receipt_record(*, actor, fund: Fund, amount: int, happened_on: datetime.date, earmark: str = Earmark.NONE,
                   donor: str = "", description: str = "") -> Posting:
    """Money received into ``fund`` (for ``earmark``) from a donor."""
    _require_manager(actor, fund)
    return _post(actor=actor, kind=PostingKind.RECEIPT, unit=fund.unit, happened_on=happened_on,
                 description=description, lines=[
                     Line(amount=_positive(amount), fund=fund, earmark=earmark),
                     Line(amount=-amount, party=Party.DONOR, description=donor),
                 ])


def disbursement_record(*, actor, fund: Fund, amount: int, happened_on: datetime.date,
                        earmark: str = Earmark.NONE, recipient: str = "", description: str = "") -> Posting:
    """Money paid out of ``fund``'s ``earmark`` to a recipient; refused when the earmark holds less."""
    _require_manager(actor, fund)
    return _post(actor=actor, kind=PostingKind.DISBURSEMENT, unit=fund.unit, happened_on=happened_on,
                 description=description, lines=[
                     Line(amount=-_positive(amount), fund=fund, earmark=earmark),
                     Line(amount=amount, party=Party.RECIPIENT, description=recipient),
                 ])


def transfer_record(*, actor, source: Fund, destination: Fund, amount: int, happened_on: datetime.date,
                    earmark: str = Earmark.NONE, description: str = "") -> Posting:
    """Money passed between levels (điều tiết): down from a province's or district's fund to a fund
    below it, or up from a commune's. The earmark travels with the money."""
    _require_manager(actor, source)
    if source.pk == destination.pk or not (covers(source.unit, destination.unit)
                                           or covers(destination.unit, source.unit)):
        raise ValidationError({"destination": _("Money moves between a fund and a fund of a unit above or "
                                                "below it.")})
    return _post(actor=actor, kind=PostingKind.TRANSFER, unit=source.unit, happened_on=happened_on,
                 description=description, lines=[
                     Line(amount=-_positive(amount), fund=source, earmark=earmark),
                     Line(amount=amount, fund=destination, earmark=earmark),
                 ])


def posting_reverse(*, actor, posting: Posting, reason: str, happened_on: datetime.date) -> Posting:
    """The correction of ``posting``: a posting of the opposite lines that names it, with a reason.
    The reversed posting stays, marked by its reversal. Refused when a fund no longer holds what
    the reversal takes back (money received and since spent)."""
    if not can_reverse(actor, posting):
        raise PermissionDenied(NOT_REVERSER)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the posting is reversed.")})
    if posting.kind == PostingKind.REVERSAL:
        raise ValidationError(_("A reversal is not reversed: record the movement again instead."))
    if Posting.objects.filter(reverses=posting).exists():
        raise ValidationError(_("This posting has already been reversed."))
    lines = [Line(amount=-line.amount, party=line.party, fund=line.fund, earmark=line.earmark,
                  description=line.description) for line in posting.lines.select_related("fund")]
    return _post(actor=actor, kind=PostingKind.REVERSAL, unit=posting.unit, happened_on=happened_on,
                 description=posting.description, lines=lines, reverses=posting, reason=reason.strip())


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
    """Write one posting of ``lines``, which must sum to zero, leaving no fund's earmark below zero.

    The race this prevents: two clerks pay out of the same fund at once; each reads a balance of
    100 and sees room for its 80; both post, and the fund holds -60. So the funds this posting
    takes money from are locked (SELECT … FOR UPDATE, in id order so that two postings touching
    the same funds cannot deadlock) before their balances are read: the second clerk waits until
    the first has committed, then reads a balance that includes the first's lines (each statement
    sees what was committed before it began, under PostgreSQL's READ COMMITTED)."""
    if len(lines) < 2 or sum(line.amount for line in lines) != 0:
        raise ValidationError(_("A posting has two or more lines whose amounts sum to zero."))
    taken = defaultdict(int)
    for line in lines:
        if line.fund is not None:
            taken[(line.fund.pk, line.earmark)] += line.amount
    debited = sorted({fund_id for (fund_id, _earmark), change in taken.items() if change < 0})
    if debited:
        list(Fund.objects.select_for_update().filter(pk__in=debited).order_by("pk").values_list("pk"))
        _refuse_overdraft({key: change for key, change in taken.items() if change < 0})
    posting = Posting.objects.create(kind=kind, unit=unit, happened_on=happened_on, description=description,
                                     reverses=reverses, reason=reason, recorded_by=actor)
    PostingLine.objects.bulk_create([
        PostingLine(posting=posting, party=line.party, fund=line.fund, earmark=line.earmark, amount=line.amount,
                    description=line.description) for line in lines
    ])
    return posting


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

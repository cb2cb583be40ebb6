"""Reads of the ledger: balances, always summed from the lines, and the trail of every đồng,
read from the traces (`models.Trace`) that tie each fund line to the receipts its money is.

A line "spends" money when it has a purpose: the fund's side of a payment to a household, a work
or a recipient outside the Front's funds (money moved between funds has none). A reversal's lines
repeat the purpose with the opposite sign, so sums net reversed payments out.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum

from frontwelfare.text import fold_diacritics

from .choices import Earmark
from .models import Campaign, Donor, Fund, Pledge, PostingLine, Receipt, Trace


def fund_balance(fund: Fund) -> int:
    """What ``fund`` holds: the sum of its lines (one index-only read, donations_line_balance)."""
    return PostingLine.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or 0


def fund_balances(fund_ids) -> dict[int, int]:
    """{fund id: what it holds} for several funds in one read (a list of funds, a dashboard)."""
    held = dict(PostingLine.objects.filter(fund_id__in=list(fund_ids)).values_list("fund_id")
                .annotate(total=Sum("amount")).order_by())
    return {fund_id: held.get(fund_id, 0) for fund_id in fund_ids}


def earmark_balances(fund: Fund) -> dict[str, int]:
    """{earmark: what ``fund`` holds of it} for every earmark, zero included."""
    held = dict(PostingLine.objects.filter(fund=fund).values_list("earmark").annotate(total=Sum("amount"))
                .order_by())
    return {earmark: held.get(earmark, 0) for earmark in Earmark.values}


# -- tracing ----------------------------------------------------------------------------------------

SPENDING = Q(line__purpose__gt="")


@dataclass(frozen=True)
class Spent:
    """Money of a receipt (or of several) paid out for ``purpose``: to ``household_id``, or to what
    ``description`` names (a work and its place, a recipient)."""

    purpose: str
    household_id: int | None
    case_id: int | None
    description: str
    fund_id: int
    amount: int


def receipt_trail(receipt: Receipt) -> tuple[list[Spent], dict[tuple[int, str], int]]:
    """Where ``receipt``'s money went: what it paid for (through any transfers between funds), and
    what of it each fund still holds, {(fund id, earmark): amount}. The caller decides which
    households the viewer may see by name (`Household.objects.visible_to`); the rest are counted."""
    traces = Trace.objects.filter(source_id=receipt.posting_id)
    spent = [Spent(purpose, household_id, case_id, description, fund_id, -total)
             for purpose, household_id, case_id, description, fund_id, total in traces.filter(SPENDING)
             .values_list("line__purpose", "line__household_id", "line__case_id", "line__description", "fund_id")
             .annotate(total=Sum("amount")).order_by("line__purpose", "line__household_id") if total]
    held = {(fund_id, earmark): total for fund_id, earmark, total in traces.values_list("fund_id", "earmark")
            .annotate(total=Sum("amount")).order_by() if total}
    return spent, held


def household_sources(household) -> list[tuple[Receipt, int]]:
    """Which receipts' money reached ``household`` (net of reversals), and how much of each, oldest
    first: the donors behind a household's help."""
    reached = dict(Trace.objects.filter(SPENDING, line__household=household).values_list("source_id")
                   .annotate(total=Sum("amount")).order_by())
    receipts = Receipt.objects.filter(posting_id__in=[source for source, total in reached.items() if total])
    return [(receipt, -reached[receipt.posting_id])
            for receipt in receipts.select_related("donor", "fund").order_by("happened_on", "pk")]


# -- campaigns ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignProgress:
    target: int
    pledged: int
    received: int
    spent_by_purpose: dict[str, int]

    @property
    def spent(self) -> int:
        return sum(self.spent_by_purpose.values())

    @property
    def left(self) -> int:
        return self.received - self.spent

    @property
    def received_share(self) -> int:
        """Received as a whole percentage of the target (0 without a target)."""
        return self.received * 100 // self.target if self.target else 0


def standing_receipts(until: datetime.date | None = None):
    """Receipts whose posting has not been reversed: the money a campaign or a donor counts.
    With ``until``, as things stood at the end of that day (by the day each happened): receipts
    of that day or before, not reversed by then."""
    if until is None:
        return Receipt.objects.filter(posting__reversed_by__isnull=True)
    standing = Q(posting__reversed_by__isnull=True) | Q(posting__reversed_by__happened_on__gt=until)
    return Receipt.objects.filter(standing, happened_on__lte=until)


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """A campaign's target, pledged, received (receipts that stand) and spent by purpose (the
    traces of its receipts' money, wherever the money was passed on to): `campaigns_progress`."""
    return campaigns_progress([campaign])[campaign.pk]


def likely_duplicate_donors(viewer, *, name: str, tax_code: str = "", phone: str = "", exclude=None):
    """The donors ``viewer`` may see that look like the one being entered: the same name without
    diacritics, or the same tax code or phone. Only donors in the viewer's scope are ever read, so
    nothing of another unit's donors leaks through the warning."""
    match = Q(name_folded=fold_diacritics(name)) if name.strip() else Q(pk__in=[])
    if tax_code.strip():
        match |= Q(tax_code=tax_code.strip())
    if phone.strip():
        match |= Q(phone=phone.strip())
    donors = Donor.objects.visible_to(viewer).filter(match)
    if exclude is not None:
        donors = donors.exclude(pk=exclude.pk)
    return donors.select_related("unit")[:10]


# -- several campaigns at once (the campaign report, the dashboard) ------------------------------------


def campaigns_progress(campaigns, *, until: datetime.date | None = None) -> dict[int, CampaignProgress]:
    """{campaign id: its progress} for ``campaigns``, in three grouped reads whatever their number.
    With ``until``, as things stood at the end of that day, counted by the day each pledge, receipt,
    payment and reversal happened (however late it was entered): what a report of a past period shows."""
    campaigns = list(campaigns)
    ids = [campaign.pk for campaign in campaigns]
    pledges = Pledge.objects.filter(campaign_id__in=ids)
    traces = Trace.objects.filter(SPENDING, source__receipt__campaign_id__in=ids)
    if until is not None:
        pledges = pledges.filter(pledged_on__lte=until)
        traces = traces.filter(line__posting__happened_on__lte=until)
    pledged = dict(pledges.values_list("campaign_id").annotate(total=Sum("amount")).order_by())
    received = dict(standing_receipts(until).filter(campaign_id__in=ids).values_list("campaign_id")
                    .annotate(total=Sum("amount")).order_by())
    spent: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for campaign_id, purpose, total in traces.values_list("source__receipt__campaign_id", "line__purpose") \
            .annotate(total=Sum("amount")).order_by("source__receipt__campaign_id", "line__purpose"):
        if total:
            spent[campaign_id][purpose] = -total
    return {campaign.pk: CampaignProgress(target=campaign.target, pledged=pledged.get(campaign.pk, 0),
                                          received=received.get(campaign.pk, 0), spent_by_purpose=spent[campaign.pk])
            for campaign in campaigns}


# -- what a viewer sees of the ledger -----------------------------------------------------------------


def funds_to_pay_into(viewer):
    """The funds ``viewer`` may name as where money goes (a transfer, a decision's line into another
    fund): those they see, and those of the units above theirs, which they do not see but send
    collections up to. Whether the two funds are a level apart is the service's check."""
    from frontwelfare.accounts.scope import covers_q, scope_q

    seen = scope_q(viewer, "unit")
    unit = getattr(viewer, "unit", None) if getattr(viewer, "unit_id", None) else None
    return Fund.objects.filter(seen | covers_q(unit, "unit") if unit is not None else seen)


@dataclass(frozen=True)
class SpentElsewhere:
    """Money of a receipt paid out for ``purpose`` where the viewer may not look: only how many
    households it reached and how much."""

    purpose: str
    households: int
    amount: int


@dataclass(frozen=True)
class ReceiptTrail:
    """`receipt_trail` as one viewer may see it. ``spent`` and ``held`` name only funds and
    households in the viewer's scope (``funds``, ``households``: those records by id); the rest is
    counted in ``spent_elsewhere`` (by purpose) and ``held_elsewhere``."""

    spent: list[Spent]
    spent_elsewhere: list[SpentElsewhere]
    held: dict[tuple[int, str], int]
    held_elsewhere: int
    funds: dict
    households: dict


def receipt_trail_for(viewer, receipt: Receipt) -> ReceiptTrail:
    """Where ``receipt``'s money went, for ``viewer``: a payment is shown when the viewer sees the
    fund that paid and the household paid (if any); payments elsewhere are counted by purpose, and
    money held in funds the viewer does not see is one sum. Four reads."""
    from households.models import Household

    spent, held = receipt_trail(receipt)
    fund_ids = {row.fund_id for row in spent} | {fund_id for fund_id, _earmark in held}
    funds = Fund.objects.visible_to(viewer).in_bulk(fund_ids) if fund_ids else {}
    household_ids = {row.household_id for row in spent if row.household_id is not None}
    households = (Household.objects.visible_to(viewer).only("id", "code", "head_name", "commune_id")
                  .in_bulk(household_ids) if household_ids else {})

    shown, elsewhere = [], {}
    for row in spent:
        if row.fund_id in funds and (row.household_id is None or row.household_id in households):
            shown.append(row)
        else:
            reached, amount = elsewhere.get(row.purpose, (set(), 0))
            if row.household_id is not None:
                reached.add(row.household_id)
            elsewhere[row.purpose] = (reached, amount + row.amount)
    return ReceiptTrail(
        spent=shown,
        spent_elsewhere=[SpentElsewhere(purpose, len(reached), amount)
                         for purpose, (reached, amount) in sorted(elsewhere.items())],
        held={key: amount for key, amount in held.items() if key[0] in funds},
        held_elsewhere=sum(amount for (fund_id, _earmark), amount in held.items() if fund_id not in funds),
        funds=funds, households=households,
    )

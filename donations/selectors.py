"""Reads of the ledger: balances, always summed from the lines, and the trail of every đồng,
read from the traces (`models.Trace`) that tie each fund line to the receipts its money is.

A line "spends" money when it has a purpose: the fund's side of a payment to a household, a work
or a recipient outside the Front's funds (money moved between funds has none). A reversal's lines
repeat the purpose with the opposite sign, so sums net reversed payments out.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Sum

from frontwelfare.text import fold_diacritics

from .choices import Earmark, Party, PostingKind
from .models import Campaign, Donor, Fund, Pledge, Posting, PostingLine, Receipt, Trace


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


def standing_receipts():
    """Receipts whose posting has not been reversed: the money a campaign or a donor counts."""
    return Receipt.objects.filter(posting__reversed_by__isnull=True)


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """A campaign's target, pledged, received (receipts that stand) and spent by purpose (the
    traces of its receipts' money, wherever the money was passed on to), in four reads."""
    pledged = Pledge.objects.filter(campaign=campaign).aggregate(total=Sum("amount"))["total"] or 0
    received = standing_receipts().filter(campaign=campaign).aggregate(total=Sum("amount"))["total"] or 0
    spent = {purpose: -total for purpose, total in Trace.objects.filter(
        SPENDING, source__receipt__campaign=campaign).values_list("line__purpose").annotate(total=Sum("amount"))
        .order_by() if total}
    return CampaignProgress(target=campaign.target, pledged=pledged, received=received, spent_by_purpose=spent)


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


# -- the housing link -------------------------------------------------------------------------------


def case_payments(*, case, user=None) -> list:
    """The money funds paid for house ``case`` (housing.hooks.CasePayment, for its page): each
    fund's side of a payment naming the case, oldest first, marked when it has been reversed (the
    reversal itself is not listed). Whoever sees the case sees what was paid for it, and from which
    fund. One query."""
    from housing.hooks import CasePayment

    lines = (PostingLine.objects.filter(case=case, party=Party.FUND).exclude(purpose="")
             .exclude(posting__kind=PostingKind.REVERSAL)
             .annotate(reversed=Exists(Posting.objects.filter(reverses=OuterRef("posting"))))
             .values_list("posting__happened_on", "fund__name", "amount", "description", "reversed")
             .order_by("posting__happened_on", "pk"))
    return [CasePayment(day=day, source=fund, amount=-amount, description=description, reversed=reversed_)
            for day, fund, amount, description, reversed_ in lines]

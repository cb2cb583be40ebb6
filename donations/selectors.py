"""Reads of the ledger: balances, always summed from the lines, and the trail of every đồng,
read from the traces (`models.Trace`) that tie each fund line to the receipts its money is.

A line "spends" money when it has a purpose: the fund's side of a payment to a household, a work
or a recipient outside the Front's funds (money moved between funds has none). A reversal's lines
repeat the purpose with the opposite sign, so sums net reversed payments out.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import covers_q, within_q
from frontwelfare.history import HistoryEntry, HistorySource, history_entries
from frontwelfare.text import fold_diacritics
from households.models import Household

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


def standing_receipts(until: datetime.date | None = None):
    """Receipts whose posting has not been reversed: the money a campaign or a donor counts.
    With ``until``, as things stood at the end of that day (by the day each happened): receipts
    of that day or before, not reversed by then."""
    if until is None:
        return Receipt.objects.filter(posting__reversed_by__isnull=True)
    standing = Q(posting__reversed_by__isnull=True) | Q(posting__reversed_by__happened_on__gt=until)
    return Receipt.objects.filter(standing, happened_on__lte=until)


def receipts_of_bank_references(fund: Fund, references):
    """The receipts of ``fund`` that stand and carry one of the bank ``references``: a transfer is
    recorded once, and recorded again only after its receipt was reversed."""
    return standing_receipts().filter(fund=fund, bank_reference__in=list(references))


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


# -- pages: a fund's entries, a receipt's trail as a viewer may read it ------------------------------


def fund_entries(fund: Fund):
    """``fund``'s lines, newest first, each with its posting, the document behind it (receipt and
    donor, decision), the posting that reversed it or that it reverses, and its household: one
    read for a page of them (the caller slices)."""
    return (PostingLine.objects.filter(fund=fund)
            .select_related("posting__receipt__donor", "posting__decision", "posting__reversed_by",
                            "posting__reverses__receipt", "posting__reverses__decision", "household")
            .order_by("-posting__happened_on", "-posting_id", "pk"))


def other_funds_of(lines) -> dict[int, list[str]]:
    """{posting id: names of the other funds it touches}, for the transfers among ``lines`` (a
    page of a fund's entries): where the money came from or went. One read."""
    postings = {line.posting_id: line.fund_id for line in lines}
    names: dict[int, list[str]] = {}
    for posting_id, fund_id, name in (PostingLine.objects.filter(posting_id__in=list(postings), fund__isnull=False)
                                      .values_list("posting_id", "fund_id", "fund__name").order_by("pk")):
        if fund_id != postings[posting_id]:
            names.setdefault(posting_id, []).append(name)
    return names


# -- the pages of donors and campaigns ---------------------------------------------------------------


def _sum_of(receipts_or_pledges, by: str):
    """A subquery summing the ``amount`` of the rows whose ``by`` is the outer row: one figure per
    row of a page's list, read with the list."""
    total = (receipts_or_pledges.filter(**{by: OuterRef("pk")}).order_by().values(by)
             .annotate(total=Sum("amount")).values("total"))
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0))


def pledges_with_outstanding(pledges):
    """``pledges``, each with ``outstanding``: what it still has to settle, as
    `services.pledge_outstanding` says (its amount less the standing receipts that settle it),
    for a whole page of pledges in one query."""
    return pledges.annotate(outstanding=F("amount") - _sum_of(standing_receipts(), "pledge"))


def campaigns_with_totals(campaigns):
    """``campaigns``, each with ``pledged`` and ``received`` (standing receipts), the figures of
    `campaign_progress`, for a list of campaigns in one query."""
    return campaigns.annotate(pledged=_sum_of(Pledge.objects.all(), "campaign"),
                              received=_sum_of(standing_receipts(), "campaign"))


def receipts_marked_reversed(receipts):
    """``receipts``, each with ``reversed``: whether its posting has been reversed (the receipt
    stays, marked, and counts no more)."""
    return receipts.annotate(reversed=Exists(Posting.objects.filter(reverses_id=OuterRef("posting_id"))))


def donor_given(donor: Donor, *, viewer) -> int:
    """What ``donor`` has given into the funds ``viewer`` sees: its standing receipts."""
    return (standing_receipts().visible_to(viewer).filter(donor=donor)
            .aggregate(total=Sum("amount"))["total"] or 0)


def donor_history(*, donor: Donor) -> list[HistoryEntry]:
    fields = ("kind", "member_organisation", "name", "tax_code", "phone", "address", "anonymous", "note")
    return history_entries([HistorySource(Donor.history.filter(id=donor.pk), Donor, fields,
                                          lambda record: str(_("Donor")))])


def campaign_history(*, campaign: Campaign) -> list[HistoryEntry]:
    fields = ("kind", "name", "code", "starts_on", "ends_on", "target", "fund", "earmark", "description")
    return history_entries([HistorySource(Campaign.history.filter(id=campaign.pk), Campaign, fields,
                                          lambda record: str(_("Campaign")))])


# -- what a viewer sees of the ledger -----------------------------------------------------------------


def funds_linked_to(unit):
    """The funds money of a fund of ``unit`` may move to or from (a transfer, a decision's line into
    another fund): of ``unit`` itself, of the units above it, and of the units below it — what
    `services._check_transfer` allows. A commune sends its collections up to the district's fund,
    which its officer does not otherwise see: only its name is offered."""
    return Fund.objects.filter(covers_q(unit, "unit") | within_q(unit, "unit"))


def funds_to_pay_into(viewer):
    """The funds ``viewer`` may name as where money goes: those linked to their unit, since only the
    officers of a fund's own unit move its money (`permissions.can_manage_fund`)."""
    unit = viewer.unit if getattr(viewer, "unit_id", None) else None
    return funds_linked_to(unit) if unit is not None else Fund.objects.none()


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

    @property
    def shown(self) -> list:
        """[(payment, its household or None)], for a page."""
        return [(row, self.households.get(row.household_id)) for row in self.spent]

    @property
    def held_rows(self) -> list:
        """[(fund, earmark's label, amount)] of the funds the viewer sees, for a page."""
        return [(self.funds[fund_id], Earmark(earmark).label, amount)
                for (fund_id, earmark), amount in sorted(self.held.items())]

    @property
    def hidden_households(self) -> int:
        return sum(row.households for row in self.spent_elsewhere)

    @property
    def hidden_amount(self) -> int:
        return sum(row.amount for row in self.spent_elsewhere)


def receipt_trail_for(viewer, receipt: Receipt) -> ReceiptTrail:
    """Where ``receipt``'s money went, for ``viewer``: a payment is shown when the viewer sees the
    fund that paid and the household paid (if any); payments elsewhere are counted by purpose, and
    money held in funds the viewer does not see is one sum. Four reads."""
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

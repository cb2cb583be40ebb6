"""What the public disclosure pages (công khai) publish, read for anyone, signed in or not.

The Front publishes the money of its funds: who gave (organisations by name, people by name unless
they asked not to be), what was spent on what and where, how many households were helped, what is
left. It publishes nothing of the people helped (Law 91/2025/QH15 on personal data protection): no
household, member, name, citizen ID, address or household code, and no free text written about a
payment (a line's or a posting's description may name a family) ever leaves these functions; a
count of households under `SMALL_COUNT` is published as "< 5" (`protected_counts`).

Every figure is summed in the database, one grouped query per table, whatever the number of
lines; the pages cache what these return (see views.public). Separate from `selectors` because
what may be read here is decided by who may read it: everyone.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BigIntegerField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from frontwelfare.accounts.scope import within_q
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit

from .models import Campaign, Fund, PostingLine, Receipt, Trace
from .selectors import SPENDING, CampaignProgress, campaign_progress, receipts_marked_reversed, standing_receipts

# A count of households below this is published as "< 5": small enough to point at a family.
SMALL_COUNT = 5
# The unit's campaigns its page lists, the latest first.
CAMPAIGNS_SHOWN = 20
# Rows of the donors' table on one page.
DONORS_PER_PAGE = 100
# Receipts a search answers with at most: a number is unique per fund and year, so a unit's page
# may hold the same number in each of its funds (a district's and its communes').
FOUND_AT_MOST = 20
# The longest search accepted: a bank reference (Receipt.bank_reference) or a receipt number.
SEARCH_LENGTH = 64


# -- counts of households -------------------------------------------------------------------------


def small_count(count: int) -> str:
    """A count of households as published: "< 5" from 1 to 4, else the count ("0", "12")."""
    return f"< {SMALL_COUNT}" if 0 < count < SMALL_COUNT else str(count)


def protected_counts(counts: dict, total: int) -> tuple[dict, str]:
    """The counts of a breakdown (by unit) and their total, as published.

    A count from 1 to 4 is published as "< 5". When exactly one is hidden so and the total is
    published, the hidden one would be the total less the others: the smallest of the others is
    then published as "≥ 5" too, so that only the sum of the two can be worked out, not either.
    (A household helped by two units' funds is counted once in the total, so the sum of the
    counts may exceed the total; the rule is only the safer for it.)"""
    published = {key: small_count(count) for key, count in counts.items()}
    hidden = [key for key, count in counts.items() if 0 < count < SMALL_COUNT]
    if len(hidden) == 1 and total >= SMALL_COUNT:
        others = sorted((count, str(key), key) for key, count in counts.items() if count >= SMALL_COUNT)
        if others:
            published[others[0][2]] = f"≥ {SMALL_COUNT}"
    return published, small_count(total)


def _households_helped(lines, household: str = "household") -> int:
    """How many households ``lines`` (fund lines of payments, or their traces, with the path to
    the household) paid, net of reversals: a household whose payments were all reversed was not
    helped."""
    return lines.filter(**{f"{household}__isnull": False}).values(household).annotate(net=Sum("amount")) \
        .filter(net__lt=0).order_by().count()


def _households_helped_by(lines, key, household: str = "household") -> dict[int, int]:
    """{``key`` (an expression of a line, e.g. its fund's unit): households ``lines`` paid}, net of
    reversals. The households are grouped in a subquery, the keys counted around it: one query."""
    inner = (lines.filter(**{f"{household}__isnull": False}).annotate(unit_key=key).values("unit_key", household)
             .annotate(net=Sum("amount")).filter(net__lt=0).order_by())
    sql, params = inner.query.sql_with_params()
    with connections[inner.db].cursor() as cursor:
        # The ORM's own SQL, its values passed as parameters.
        cursor.execute(f"SELECT helped.unit_key, COUNT(*) FROM ({sql}) AS helped "  # noqa: S608
                       "GROUP BY helped.unit_key", params)
        return dict(cursor.fetchall())


# -- donors ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DonorTotal:
    """What one donor gave, as published: ``name`` is empty for a donor who asked not to be
    published (the page writes "An anonymous donor"); the name of such a donor is never read."""

    name: str
    kind: str
    anonymous: bool
    gifts: int
    amount: int


def donor_count(receipts) -> int:
    return receipts.values("donor").distinct().order_by().count()


def donor_totals(receipts, *, page: int = 1) -> list[DonorTotal]:
    """The donors of ``receipts`` (receipts that stand), the largest total first, one page of
    `DONORS_PER_PAGE`. An anonymous donor's name is replaced in the query itself."""
    start = (page - 1) * DONORS_PER_PAGE
    rows = (receipts.annotate(public_name=Case(When(donor__anonymous=True, then=Value("")),
                                               default=F("donor__name")))
            .values("donor", "public_name", "donor__kind", "donor__anonymous")
            .annotate(gifts=Count("pk"), total=Sum("amount")).order_by("-total", "donor"))
    return [DonorTotal(name=row["public_name"], kind=row["donor__kind"], anonymous=row["donor__anonymous"],
                       gifts=row["gifts"], amount=row["total"]) for row in rows[start:start + DONORS_PER_PAGE]]


# -- a unit's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One row of a unit's breakdown: the unit itself (its own funds) or a unit one level below
    (its funds and those of the units below it)."""

    unit_id: int
    name: str
    level: str
    own: bool
    received: int
    spent: int
    balance: int
    households: int
    households_shown: str = ""


@dataclass(frozen=True)
class FundRow:
    name: str
    kind: str
    balance: int


@dataclass(frozen=True)
class CampaignRow:
    code: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    target: int
    received: int


@dataclass(frozen=True)
class UnitDisclosure:
    """Everything a unit's public page shows, for the unit's funds and those of the units below."""

    unit_id: int
    name: str
    level: str
    parent_id: int | None
    funds: list[FundRow]
    rows: list[UnitRow]
    spent_by_purpose: dict[str, int]
    households: int
    households_shown: str
    donors: int
    campaigns: list[CampaignRow]
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def received(self) -> int:
        return sum(row.received for row in self.rows)

    @property
    def spent(self) -> int:
        return sum(self.spent_by_purpose.values())

    @property
    def balance(self) -> int:
        return sum(row.balance for row in self.rows)

    @property
    def moved(self) -> int:
        """Money passed in from funds above (or out to them, when negative), net: what the balance
        holds besides the receipts less the spending."""
        return self.balance - self.received + self.spent

    @property
    def breakdown(self) -> bool:
        return self.level != Level.COMMUNE

    @property
    def donor_pages(self) -> int:
        return max(1, -(-self.donors // DONORS_PER_PAGE))


def _row_key(unit: AdministrativeUnit, path: str):
    """The unit a row (reached by ``path`` from a line or receipt) is counted under on ``unit``'s
    page: the unit itself or the one below it, its child. A province's children are its districts
    (before July 2025) or its communes (after): a commune counts under its district if it has one."""
    if unit.level == Level.PROVINCE:
        return Coalesce(F(f"{path}__district_id"), F(f"{path}_id"), output_field=BigIntegerField())
    return F(f"{path}_id")


def unit_receipts(unit: AdministrativeUnit):
    """The receipts that stand in the funds of ``unit`` and of the units below it."""
    return standing_receipts().filter(within_q(unit, "fund__unit"))


def unit_disclosure(unit: AdministrativeUnit) -> UnitDisclosure:
    """The figures of ``unit``'s public page, in a fixed number of queries."""
    lines = PostingLine.objects.filter(within_q(unit, "fund__unit"))
    payments = lines.filter(purpose__gt="")
    key = _row_key(unit, "fund__unit")
    money = {row["unit_key"]: row for row in lines.annotate(unit_key=key).values("unit_key").annotate(
        balance=Sum("amount"), spent=Sum("amount", filter=Q(purpose__gt=""))).order_by()}
    receipts = unit_receipts(unit)
    received = dict(receipts.annotate(unit_key=key).values("unit_key").annotate(total=Sum("amount"))
                    .values_list("unit_key", "total").order_by())
    helped = _households_helped_by(payments, key)
    households = _households_helped(payments)

    units = [(unit.pk, unit.name, unit.level)]
    if unit.level != Level.COMMUNE:
        units += list(AdministrativeUnit.objects.filter(parent=unit).order_by("code")
                      .values_list("pk", "name", "level"))
    shown, households_shown = protected_counts({pk: helped.get(pk, 0) for pk, _name, _level in units}, households)
    rows = [UnitRow(unit_id=pk, name=name, level=level, own=pk == unit.pk, received=received.get(pk, 0),
                    spent=-(money.get(pk, {}).get("spent") or 0), balance=money.get(pk, {}).get("balance") or 0,
                    households=helped.get(pk, 0), households_shown=shown[pk])
            for pk, name, level in units]

    funds = [FundRow(name=name, kind=kind, balance=balance) for name, kind, balance in
             Fund.objects.filter(unit=unit).annotate(balance=Coalesce(Sum("lines__amount"), 0))
             .order_by("name").values_list("name", "kind", "balance")]
    spent_by_purpose = {purpose: -total for purpose, total in payments.values("purpose")
                        .annotate(total=Sum("amount")).values_list("purpose", "total").order_by("purpose") if total}
    campaigns = list(Campaign.objects.filter(unit=unit).order_by("-starts_on", "pk")
                     .values_list("pk", "code", "name", "starts_on", "ends_on", "target")[:CAMPAIGNS_SHOWN])
    collected = dict(standing_receipts().filter(campaign__in=[row[0] for row in campaigns])
                     .values("campaign").annotate(total=Sum("amount")).values_list("campaign", "total").order_by())
    return UnitDisclosure(
        unit_id=unit.pk, name=unit.name, level=unit.level, parent_id=unit.parent_id, funds=funds, rows=rows,
        spent_by_purpose=spent_by_purpose, households=households, households_shown=households_shown,
        donors=donor_count(receipts),
        campaigns=[CampaignRow(code=code, name=name, starts_on=starts_on, ends_on=ends_on, target=target,
                               received=collected.get(pk, 0))
                   for pk, code, name, starts_on, ends_on, target in campaigns],
    )


# -- a campaign's page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignDisclosure:
    campaign_id: int
    code: str
    name: str
    kind: str
    unit_id: int
    unit_name: str
    fund_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    progress: CampaignProgress
    rows: list[UnitRow]
    households: int
    households_shown: str
    donors: int
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def donor_pages(self) -> int:
        return max(1, -(-self.donors // DONORS_PER_PAGE))


def campaign_receipts(campaign: Campaign):
    return standing_receipts().filter(campaign=campaign)


def campaign_disclosure(campaign: Campaign) -> CampaignDisclosure:
    """The figures of ``campaign``'s public page: its progress (target, pledged, received, spent by
    purpose), where its money was spent (by the unit of the fund that paid) and how many
    households it helped: the traces of its receipts' money, wherever it was passed on to."""
    progress = campaign_progress(campaign)
    traced = Trace.objects.filter(SPENDING, source__receipt__campaign=campaign)
    spent = list(traced.values("fund__unit", "fund__unit__name", "fund__unit__level").annotate(total=Sum("amount"))
                 .order_by("fund__unit__code").values_list("fund__unit", "fund__unit__name", "fund__unit__level",
                                                          "total"))
    helped = _households_helped_by(traced, F("fund__unit_id"), household="line__household")
    households = _households_helped(traced, household="line__household")
    shown, households_shown = protected_counts({pk: helped.get(pk, 0) for pk, *_rest in spent}, households)
    return CampaignDisclosure(
        campaign_id=campaign.pk, code=campaign.code, name=campaign.name, kind=campaign.kind, unit_id=campaign.unit_id,
        unit_name=campaign.unit.name, fund_name=campaign.fund.name, starts_on=campaign.starts_on,
        ends_on=campaign.ends_on, progress=progress,
        rows=[UnitRow(unit_id=pk, name=name, level=level, own=pk == campaign.unit_id, received=0, spent=-total,
                      balance=0, households=helped.get(pk, 0), households_shown=shown[pk])
              for pk, name, level, total in spent if total],
        households=households, households_shown=households_shown, donors=donor_count(campaign_receipts(campaign)),
    )


# -- a donor checks their receipt -------------------------------------------------------------------


@dataclass(frozen=True)
class FoundReceipt:
    """A receipt as a donor who knows its number or bank reference sees it: no donor, no
    household, no note; what it paid for by purpose only, and where the rest is held."""

    number: str
    happened_on: datetime.date
    amount: int
    method: str
    fund_name: str
    unit_name: str
    campaign_name: str
    reversed: bool
    spent_by_purpose: dict[str, int]
    held: list[tuple[str, int]]

    @property
    def spent(self) -> int:
        return sum(self.spent_by_purpose.values())


def find_receipts(receipts, text: str) -> list[FoundReceipt]:
    """The receipts among ``receipts`` whose number or bank reference is exactly ``text`` (a
    receipt number is matched whatever its case), at most `FOUND_AT_MOST`, in three queries.
    Nothing is matched in part: a visitor cannot list receipts by trying prefixes."""
    text = text.strip()
    found = list(receipts_marked_reversed(receipts.filter(Q(number=text.upper()) | Q(bank_reference=text)))
                 .select_related("fund__unit", "campaign").order_by("-happened_on", "pk")[:FOUND_AT_MOST])
    sources = [receipt.posting_id for receipt in found]
    spent: dict[int, dict[str, int]] = {}
    for source, purpose, total in Trace.objects.filter(SPENDING, source_id__in=sources) \
            .values_list("source_id", "line__purpose").annotate(total=Sum("amount")).order_by("line__purpose"):
        if total:
            spent.setdefault(source, {})[purpose] = -total
    held: dict[int, list[tuple[str, int]]] = {}
    for source, fund_name, total in Trace.objects.filter(source_id__in=sources) \
            .values_list("source_id", "fund__name").annotate(total=Sum("amount")).order_by("fund__name"):
        if total:
            held.setdefault(source, []).append((fund_name, total))
    return [FoundReceipt(number=receipt.number, happened_on=receipt.happened_on, amount=receipt.amount,
                         method=receipt.method, fund_name=receipt.fund.name, unit_name=receipt.fund.unit.name,
                         campaign_name=receipt.campaign.name if receipt.campaign_id else "",
                         reversed=receipt.reversed, spent_by_purpose=spent.get(receipt.posting_id, {}),
                         held=held.get(receipt.posting_id, []))
            for receipt in found]


def unit_search_scope(unit: AdministrativeUnit):
    """The receipts a unit's page searches: those of its funds and the funds below it, reversed
    ones included (a donor must learn that theirs was cancelled)."""
    return Receipt.objects.filter(within_q(unit, "fund__unit"))


def campaign_search_scope(campaign: Campaign):
    return Receipt.objects.filter(campaign=campaign)

"""The funds' part of the reports (frontwelfare.reports.registry): the fund statement (opening
balance, receipts by donor kind and by campaign, disbursements by purpose, transfers, closing
balance; by the units below and by earmark), the campaign report (target, pledged, received, spent
by purpose, left), their "fund" and "campaign" options, and the dashboard's funds panel, which reads
the same queries so that both always show the same figures. Registered in DonationsConfig.ready().

Every figure is a sum of fund lines counted by the day their posting happened (`Posting.happened_on`),
never by when it was entered, and summed in SQL: one grouped query for all the statement's tables
(a few rows per fund); never a loop over lines.
"""

import copy
from dataclasses import dataclass, replace

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.accounts.scope import covers_q, unit_within, within_q
from frontwelfare.reports.data import MONEY, PERCENT, TEXT, Column, Section
from frontwelfare.reports.registry import (
    DashboardPanel,
    ReportContext,
    ReportKindSpec,
    ReportOption,
    ReportSection,
    register_kind,
    register_option,
    register_panel,
    register_section,
)
from frontwelfare.reports.registry import kind as registered_kind
from frontwelfare.reports.tables import percent, unit_table, with_total_across
from frontwelfare.text import fold_diacritics
from households.report_sections import SOCIAL_SECURITY

from .choices import DonorKind, Earmark, PostingKind, Purpose
from .models import Campaign, Donor, Fund, Pledge, Posting, PostingLine
from .selectors import CampaignProgress, campaigns_progress
from .support import report_sections as support_sections
from .support.organisation_report import MEMBER_ORGANISATIONS_KIND, ORGANISATION_SECTIONS

FUND_STATEMENT = "fund_statement"
CAMPAIGN_REPORT = "campaign_report"

# How a fund line moved money, which decides the statement's column it counts in. A line with a
# purpose is spending (its reversal repeats the purpose with the opposite sign, so it nets out); a
# receipt's line, or its reversal's, is money received; any other line moved money between funds
# (a transfer, or a decision paying into another fund), in or out by the sign of the line it is or
# reverses: a reversed transfer out lowers the transfers out, it is not money coming in.
SPENT, RECEIVED, MOVED_IN, MOVED_OUT = "spent", "received", "moved_in", "moved_out"
REVERSAL = Q(posting__kind=PostingKind.REVERSAL)
MOVEMENT = Case(
    When(~Q(purpose=""), then=Value(SPENT)),
    When(Q(posting__kind=PostingKind.RECEIPT) | Q(posting__reverses__kind=PostingKind.RECEIPT), then=Value(RECEIVED)),
    When(Q(amount__lt=0, posting__kind__in=[PostingKind.TRANSFER, PostingKind.DISBURSEMENT])
         | (Q(amount__gt=0) & REVERSAL), then=Value(MOVED_OUT)),
    default=Value(MOVED_IN), output_field=CharField(),
)
# The receipt behind a receipt's line or its reversal's: its donor's kind and its campaign.
DONOR_KIND = Coalesce("posting__receipt__donor__kind", "posting__reverses__receipt__donor__kind")
CAMPAIGN_ID = Coalesce("posting__receipt__campaign_id", "posting__reverses__receipt__campaign_id",
                       output_field=BigIntegerField())
# The campaign column of receipts that came for no campaign.
NO_CAMPAIGN = 0


# -- the figures ----------------------------------------------------------------------------------


def statement_lines(context: ReportContext):
    """The lines of the funds the statement covers, up to the period's end: the funds of the unit
    and of the units below it (`within_q`, as every section scopes), or the one chosen."""
    lines = PostingLine.objects.filter(context.within("fund__unit"), posting__happened_on__lte=context.period.end)
    chosen = context.options.get("fund")
    return lines.filter(fund=chosen) if chosen is not None else lines


def row_key(context: ReportContext):
    """The report's row a fund line counts in: the unit's own row for a fund of the unit itself
    (a district's own fund belongs to none of its communes), else the row of the unit below."""
    below = context.key("fund__unit")
    if context.unit is None:
        return below
    return Case(When(fund__unit_id=context.unit.pk, then=Value(context.unit.pk)), default=below,
                output_field=BigIntegerField())


def ledger_movements(context: ReportContext):
    """The statement's one query: the lines' amounts summed by row, earmark and fund, by whether
    they happened before the period or in it, and by how they moved money (with the donor's kind
    and campaign of a receipt, the purpose of a payment). A few rows per fund, whatever the number
    of lines; `statement_columns` turns each into the statement's columns."""
    in_period = ExpressionWrapper(Q(posting__happened_on__gte=context.period.start), output_field=BooleanField())
    return (statement_lines(context)
            .annotate(row=row_key(context), in_period=in_period, movement=MOVEMENT, donor_kind=DONOR_KIND,
                      campaign=CAMPAIGN_ID)
            .values("row", "earmark", "fund_id", "in_period", "movement", "donor_kind", "campaign", "purpose")
            .order_by().annotate(total=Sum("amount")))


def statement_columns(movement: dict) -> dict[str, int]:
    """The columns one row of `ledger_movements` counts in, and how much: the closing balance
    always, the opening balance before the period; in the period, receipts (and their donor's
    kind), spending (and its purpose), transfers in or out. Money out is a positive amount."""
    total = movement["total"]
    if not movement["in_period"]:
        return {"opening": total, "closing": total}
    kind = movement["movement"]
    columns = {"closing": total, kind: -total if kind in (SPENT, MOVED_OUT) else total}
    if kind == RECEIVED:
        columns[f"{RECEIVED}_{movement['donor_kind']}"] = total
    elif kind == SPENT:
        columns[f"{SPENT}_{movement['purpose']}"] = -total
    return columns


@dataclass(frozen=True)
class Statement:
    """The fund statement's figures, {key: {column: amount}}, by the report's row unit, by earmark
    and by fund; and the receipts of the period by row and campaign, {row: {campaign id: amount}}
    (NO_CAMPAIGN: given for none)."""

    by_row: dict[int, dict[str, int]]
    by_earmark: dict[str, dict[str, int]]
    by_fund: dict[int, dict[str, int]]
    by_campaign: dict[int, dict[str, int]]


def fund_statement(context: ReportContext) -> Statement:
    """The statement, from `ledger_movements` (one query), computed once per report and once per
    dashboard."""
    def compute() -> Statement:
        statement = Statement({}, {}, {}, {})
        for movement in ledger_movements(context):
            columns = statement_columns(movement)
            _add(statement.by_row.setdefault(movement["row"], {}), columns)
            _add(statement.by_earmark.setdefault(movement["earmark"], {}), columns)
            _add(statement.by_fund.setdefault(movement["fund_id"], {}), columns)
            if movement["in_period"] and movement["movement"] == RECEIVED:
                campaign = str(movement["campaign"] or NO_CAMPAIGN)
                _add(statement.by_campaign.setdefault(movement["row"], {}), {campaign: movement["total"]})
        return statement
    return context.shared_value("donations.statement", compute)


def _add(into: dict[str, int], figures: dict[str, int]) -> None:
    for name, value in figures.items():
        into[name] = into.get(name, 0) + value


def campaigns_received(context: ReportContext) -> list[Campaign]:
    """The campaigns money came in for during the period (the receipts-by-campaign columns): one query."""
    ids = {int(campaign) for values in fund_statement(context).by_campaign.values() for campaign in values}
    return list(Campaign.objects.filter(pk__in=ids - {NO_CAMPAIGN}).order_by("starts_on", "name"))


def statement_rows(context: ReportContext) -> list:
    """The units the statement's rows are: the unit itself (its own funds) first, then the units
    one level below (a commune is its own one row)."""
    units = context.breakdown.units
    if context.unit is None or context.unit.pk in {unit.pk for unit in units}:
        return units
    own = copy.copy(context.unit)
    own.row_name = _("%(name)s (its own funds)") % {"name": context.unit.name}
    return [own, *units]


def funds_note(context: ReportContext) -> str:
    chosen = context.options.get("fund")
    if chosen is not None:
        return _("Fund: %(name)s. Counted by the day each movement happened.") % {"name": chosen.name}
    return _("Every fund of the unit and of the units below it. Counted by the day each movement happened.")


def statement_version(context: ReportContext) -> list:
    """The latest line of the funds covered (lines are never changed, only added: a reversal is new
    lines), of a fund within the unit, and the latest change of a donor or a campaign (a donor's
    kind and a campaign's name head the statement's columns)."""
    # Each fund's latest line is one probe of the (fund, id) index; a MAX over the joined lines
    # would read every line of a province (half a million: most of a second).
    latest_line = PostingLine.objects.filter(fund=OuterRef("pk")).order_by("-id").values("id")[:1]
    funds = Fund.objects.filter(context.within("unit"))
    return [
        funds.annotate(latest=Subquery(latest_line)).aggregate(v=Max("latest"))["v"],
        funds.aggregate(v=Max("id"))["v"],
        Donor.history.aggregate(v=Max("history_id"))["v"],
        Campaign.history.aggregate(v=Max("history_id"))["v"],
    ]


# -- the fund statement's sections ----------------------------------------------------------------


def _balance_columns() -> list[tuple[str, Column]]:
    return [("opening", Column(_("Opening balance"), MONEY)), (RECEIVED, Column(_("Receipts"), MONEY)),
            (SPENT, Column(_("Disbursements"), MONEY)), (MOVED_IN, Column(_("Transfers in"), MONEY)),
            (MOVED_OUT, Column(_("Transfers out"), MONEY)), ("closing", Column(_("Closing balance"), MONEY))]


def balances_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("Fund statement"), statement_rows(context), fund_statement(context).by_row,
                       _balance_columns(), note=funds_note(context))]


def receipts_section(context: ReportContext) -> list[Section]:
    by_kind = with_total_across(unit_table(
        _("Receipts by donor kind"), statement_rows(context), fund_statement(context).by_row,
        [(f"{RECEIVED}_{kind.value}", Column(str(kind.label), MONEY)) for kind in DonorKind]))
    columns = [(str(campaign.pk), Column(campaign.name, MONEY)) for campaign in campaigns_received(context)]
    columns.append((str(NO_CAMPAIGN), Column(_("No campaign"), MONEY)))
    by_campaign = fund_statement(context).by_campaign
    return [by_kind, with_total_across(unit_table(_("Receipts by campaign"), statement_rows(context), by_campaign,
                                                  columns))]


def spending_section(context: ReportContext) -> list[Section]:
    return [with_total_across(unit_table(
        _("Disbursements by purpose"), statement_rows(context), fund_statement(context).by_row,
        [(f"{SPENT}_{purpose.value}", Column(str(purpose.label), MONEY)) for purpose in Purpose],
        note=_("Net of the disbursements reversed.")))]


def earmarks_section(context: ReportContext) -> list[Section]:
    """The statement's columns for each earmark, the units together."""
    by_earmark = fund_statement(context).by_earmark
    columns = _balance_columns()
    section = Section(title=_("Fund statement by earmark"),
                      columns=[Column(_("Earmark"), TEXT), *(column for _name, column in columns)])
    for earmark in Earmark:
        values = by_earmark.get(earmark.value, {})
        section.rows.append([str(earmark.label), *(values.get(name, 0) for name, _column in columns)])
    section.total = [_("Total"), *(sum(row[index] for row in section.rows) for index in range(1, len(columns) + 1))]
    return [section]


def funds_section(context: ReportContext) -> list[Section]:
    """The statement's columns for each fund that moved money or held some (the year-end report's
    "statement of each fund"): one query for the funds' names, after the statement's own."""
    by_fund = fund_statement(context).by_fund
    columns = _balance_columns()
    section = Section(title=_("Statement of each fund"),
                      columns=[Column(_("Fund"), TEXT), *(column for _name, column in columns)],
                      note=funds_note(context))
    for fund in Fund.objects.filter(pk__in=list(by_fund)).select_related("unit").order_by("unit__code", "name"):
        values = by_fund[fund.pk]
        section.rows.append([f"{fund.name} ({fund.unit.name})", *(values.get(name, 0) for name, _column in columns)])
    section.total = [_("Total"), *(sum(row[index] for row in section.rows) for index in range(1, len(columns) + 1))]
    return [section]


# -- the campaign report ----------------------------------------------------------------------------


def _campaigns_concerning(unit) -> Q:
    """The campaigns of ``unit``, of the units below it, and of the units above it that it collects for."""
    return within_q(unit, "unit") | covers_q(unit, "unit")


def campaigns_of(context: ReportContext) -> list[Campaign]:
    """The campaign chosen, or the campaigns that ran during the period, oldest first: the unit's,
    those of the units below it, and those of the units above it that it collects for (a commune's
    dashboard shows its district's Month for the Poor). A campaign's figures are its own, wherever
    its money was received, as on its page."""
    chosen = context.options.get("campaign")
    if chosen is not None:
        return [chosen]
    period = context.period
    unit = context.unit
    return list(Campaign.objects.filter(_campaigns_concerning(unit), starts_on__lte=period.end,
                                        ends_on__gte=period.start).order_by("starts_on", "name"))


def campaign_figures(context: ReportContext) -> list[tuple[Campaign, CampaignProgress]]:
    """Each campaign with its progress at the end of the period (selectors.campaigns_progress, the
    campaign page's rules): two queries for the campaigns and three for their figures."""
    def compute():
        campaigns = campaigns_of(context)
        progress = campaigns_progress(campaigns, until=context.period.end)
        return [(campaign, progress[campaign.pk]) for campaign in campaigns]
    return context.shared_value("donations.campaigns", compute)


def campaigns_section(context: ReportContext) -> list[Section]:
    spent_group = _("Spent, by purpose")
    columns = [Column(_("Campaign"), TEXT), Column(_("Target"), MONEY), Column(_("Pledged"), MONEY),
               Column(_("Received"), MONEY), Column(_("Received as a share of target (%)"), PERCENT),
               *(Column(str(purpose.label), MONEY, group=spent_group) for purpose in Purpose),
               Column(_("Spent"), MONEY), Column(_("Left"), MONEY)]
    section = Section(title=_("Campaigns"), columns=columns, note=_(
        "As things stood at the end of the period; received counts the receipts not reversed, spent "
        "the campaign's money paid out wherever it was passed on to."))
    for campaign, progress in campaign_figures(context):
        section.rows.append([campaign.name, progress.target, progress.pledged, progress.received,
                             percent(progress.received, progress.target),
                             *(progress.spent_by_purpose.get(purpose, 0) for purpose in Purpose.values),
                             progress.spent, progress.left])
    sums = [sum(row[index] for row in section.rows) if column.kind == MONEY else None
            for index, column in enumerate(columns) if index]
    sums[3] = percent(sums[2], sums[0])  # the share of the targets together, not a sum of shares
    section.total = [_("Total"), *sums]
    return [section]


def campaign_version(context: ReportContext) -> list:
    """The latest change of a campaign or pledge, and the latest posting anywhere: a campaign's
    money is followed to wherever it was passed on to and spent."""
    return [
        Campaign.history.filter(_campaigns_concerning(context.unit)).aggregate(v=Max("history_id"))["v"],
        Pledge.history.aggregate(v=Max("history_id"))["v"],
        Posting.objects.aggregate(v=Max("id"))["v"],
    ]


# -- registration ---------------------------------------------------------------------------------

STATEMENT_SECTIONS = [
    ReportSection("donations.balances", balances_section, statement_version),
    ReportSection("donations.receipts", receipts_section, statement_version),
    ReportSection("donations.spending", spending_section, statement_version),
    ReportSection("donations.earmarks", earmarks_section, statement_version),
]
CAMPAIGN_SECTIONS = [ReportSection("donations.campaigns", campaigns_section, campaign_version)]
# The year-end report's (frontwelfare.reports.annual), beside the statement by unit.
FUNDS_SECTION = ReportSection("donations.funds", funds_section, statement_version)


def _fund_choices(user):
    funds = Fund.objects.all() if user is None else Fund.objects.visible_to(user)
    return funds.select_related("unit").order_by("unit__code", "name")


def _campaign_choices(user):
    campaigns = Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)
    return campaigns.select_related("unit").order_by("-starts_on", "name")


FUND_OPTION = ReportOption(
    "fund", gettext_lazy("Fund"), gettext_lazy("Every fund of the unit"), choices=_fund_choices,
    covers=lambda fund, unit: unit_within(fund.unit, unit),
    not_covering=gettext_lazy("This fund belongs to neither the chosen unit nor a unit below it."),
    describe=lambda fund: fund.name, detail=lambda fund: f"{fund.name} ({fund.unit.name})",
    file_word=lambda fund: slugify(fold_diacritics(fund.name))[:40],
)
CAMPAIGN_OPTION = ReportOption(
    "campaign", gettext_lazy("Campaign"), gettext_lazy("Every campaign of the period"), choices=_campaign_choices,
    covers=lambda campaign, unit: unit_within(campaign.unit, unit),
    not_covering=gettext_lazy("This campaign belongs to neither the chosen unit nor a unit below it."),
    describe=lambda campaign: campaign.name, detail=lambda campaign: f"{campaign.name} ({campaign.code})",
    file_word=lambda campaign: slugify(campaign.code),
)
FUND_STATEMENT_KIND = ReportKindSpec(
    FUND_STATEMENT, gettext_lazy("Fund statement"), gettext_lazy("Fund statement"),
    sections=tuple(section.name for section in STATEMENT_SECTIONS), options=("fund",), file_word="quy")
CAMPAIGN_KIND = ReportKindSpec(
    CAMPAIGN_REPORT, gettext_lazy("Campaign report"), gettext_lazy("Campaign report"),
    sections=tuple(section.name for section in CAMPAIGN_SECTIONS), options=("campaign",), file_word="van-dong")


# -- the dashboard's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class FundRow:
    unit: object
    received: int
    spent: int
    closing: int


@dataclass(frozen=True)
class CampaignLine:
    campaign: Campaign
    progress: CampaignProgress
    running: bool


@dataclass(frozen=True)
class FundsPanel:
    """The balances of the unit's funds, its own one by one and the units' below by row, and its
    campaigns of the period with what they received against their target."""

    funds: list[tuple[Fund, int]]  # the unit's own funds and their balance at the end of the period
    rows: list[FundRow]
    total: FundRow | None
    campaigns: list[CampaignLine]


def funds_panel(context: ReportContext) -> FundsPanel:
    """The fund statement's figures for the same unit and period (its one grouped query), the unit's
    own funds (one query) and the campaign report's figures."""
    by_row = fund_statement(context).by_row
    rows = [FundRow(unit, *(by_row.get(unit.pk, {}).get(name, 0) for name in (RECEIVED, SPENT, "closing")))
            for unit in statement_rows(context)]
    total = FundRow(_("Total"), sum(row.received for row in rows), sum(row.spent for row in rows),
                    sum(row.closing for row in rows))
    by_fund = fund_statement(context).by_fund
    own = Fund.objects.filter(unit=context.unit).order_by("name")
    today = timezone.localdate()
    campaigns = [CampaignLine(campaign, progress, campaign.starts_on <= today <= campaign.ends_on)
                 for campaign, progress in campaign_figures(context)]
    return FundsPanel(funds=[(fund, by_fund.get(fund.pk, {}).get("closing", 0)) for fund in own], rows=rows,
                      total=total if len(rows) > 1 else None, campaigns=campaigns)


FUNDS_PANEL = DashboardPanel("funds", "donations/partials/dashboard_panel.html", funds_panel)


def register() -> None:
    for section in (*STATEMENT_SECTIONS, FUNDS_SECTION, *CAMPAIGN_SECTIONS, *ORGANISATION_SECTIONS,
                    support_sections.SUPPORT_SECTION):
        register_section(section)
    register_option(FUND_OPTION)
    register_option(CAMPAIGN_OPTION)
    register_kind(FUND_STATEMENT_KIND)
    register_kind(CAMPAIGN_KIND)
    register_kind(MEMBER_ORGANISATIONS_KIND)
    register_kind(support_sections.SUPPORT_KIND)
    _social_security_gains_support_given()
    register_panel(FUNDS_PANEL)
    register_panel(support_sections.SUPPORT_PANEL)


def _social_security_gains_support_given() -> None:
    """The households' social-security summary (households.report_sections) ends with the support
    given: the households app knows nothing of donations, so donations adds its section to that
    kind, which the households app registered before (INSTALLED_APPS' order)."""
    summary = registered_kind(SOCIAL_SECURITY)
    if summary is not None and support_sections.SECTION not in summary.sections:
        register_kind(replace(summary, sections=(*summary.sections, support_sections.SECTION)))

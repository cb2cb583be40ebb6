"""The dashboard's funds panel (donations.report_sections.funds_panel): every figure it shows is the
fund statement's or the campaign report's for the same unit and dates, and another district's fund
and campaign count nowhere in it."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import translation

from donations.report_sections import CAMPAIGN_REPORT, FUND_STATEMENT
from frontwelfare.reports import figures, periods

from ..reports.test_dashboard import _figures, _page
from .ledger_data import CAMPAIGN, COMMUNE_FUND, DISTRICT_FUND, OUTSIDER_CAMPAIGN, OUTSIDER_FUND, build_ledger

TODAY = datetime.date(2025, 12, 15)
YEAR_SO_FAR = periods.date_range(datetime.date(2025, 1, 1), TODAY)
PANEL_COLUMNS = ["Receipts", "Disbursements", "Closing balance"]


@pytest.fixture
def ledger(world):
    with time_machine.travel(datetime.datetime(2025, 12, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield build_ledger(world)


def _report(kind, unit, **options):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=kind, unit=unit, period=YEAR_SO_FAR, options=options))


def _picked(section, labels: list[str]) -> list[int]:
    named = {column.label: position for position, column in enumerate(section.columns)}
    return [named[label] for label in labels]


@pytest.mark.parametrize("role", ["district_member", "provincial_officer", "commune_officer"])
def test_the_funds_panel_shows_the_fund_statements_figures_for_the_year_so_far(client, world, ledger, role):
    viewer = getattr(world, role)
    _response, page = _page(client, viewer)
    statement = _report(FUND_STATEMENT, viewer.unit).sections[0]
    assert statement.title == "Fund statement"
    picked = _picked(statement, PANEL_COLUMNS)

    shown = page.tables["funds-table"]
    assert shown["thead"][0][1:] == PANEL_COLUMNS
    assert _figures(shown["tbody"]) == [[row[0], *(row[i] for i in picked)] for row in statement.rows]
    if len(statement.rows) > 1:
        assert _figures(shown["tfoot"]) == [["Total", *(statement.total[i] for i in picked)]]


def test_the_district_panel_counts_its_funds_and_campaign_and_not_another_districts(client, world, ledger):
    response, page = _page(client, world.district_member)
    body = response.content.decode()
    # The district's own fund, as the statement of that fund alone closes.
    alone = _report(FUND_STATEMENT, world.district, fund=ledger.district_fund.pk).sections[0]
    assert _figures(page.tables["fund-balances"]["tbody"]) == [[DISTRICT_FUND, alone.total[-1]]]
    assert alone.total[-1] == 35_000_000
    assert _figures(page.tables["funds-table"]["tfoot"]) == [["Total", 78_000_000, 27_000_000, 61_000_000]]
    # The running campaign: received against its target, as the campaign report shows it.
    campaign = _report(CAMPAIGN_REPORT, world.district).sections[0]
    assert [row[:4] for row in campaign.rows] == [[CAMPAIGN, 100_000_000, 80_000_000, 50_000_000]]
    assert page.tables["campaigns-table"]["tbody"] == [[f"{CAMPAIGN} Running", "50.000.000", "100.000.000"]]
    for outsider in (OUTSIDER_FUND, OUTSIDER_CAMPAIGN, "99.000.000"):
        assert outsider not in body


def test_the_commune_panel_shows_its_own_fund_and_the_districts_campaign_it_collects_for(client, world, ledger):
    response, page = _page(client, world.commune_officer)
    # 7.000.000 received on 10/01/2026 is after the dashboard's dates.
    assert _figures(page.tables["fund-balances"]["tbody"]) == [[COMMUNE_FUND, 18_000_000]]
    assert DISTRICT_FUND not in response.content.decode()
    # The district's Month for the Poor, which the commune collects for: the campaign's own figures.
    assert [row[1:] for row in page.tables["campaigns-table"]["tbody"]] == [["50.000.000", "100.000.000"]]
    assert OUTSIDER_CAMPAIGN not in response.content.decode()


def test_the_provinces_panel_counts_both_districts(client, world, ledger):
    _response, page = _page(client, world.provincial_officer)
    rows = {row[0]: row[1:] for row in _figures(page.tables["funds-table"]["tbody"])}
    assert rows["Huyện Châu Thành"] == [99_000_000, 0, 99_000_000]
    assert rows["Huyện Mỏ Cày Bắc"] == [78_000_000, 27_000_000, 61_000_000]
    names = [row[0] for row in page.tables["campaigns-table"]["tbody"]]
    assert names == [f"{CAMPAIGN} Running", f"{OUTSIDER_CAMPAIGN} Running"]

"""The dashboard on the home page: every figure it shows is the summary report's for the same unit
and dates, its charts draw the figures of its tables, each viewer sees only their scope, and its
queries do not grow with the number of communes."""

import datetime
import json
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from frontwelfare.reports import figures, periods
from frontwelfare.reports.dashboard import dashboard_period, dashboard_year
from households.report_sections import SOCIAL_SECURITY
from housing.choices import CaseState
from housing.report_sections import HOUSING

from ..factories import CommuneFactory
from .dashboard_data import district_figures, house, status

TODAY = datetime.date(2025, 10, 15)
YEAR_SO_FAR = periods.date_range(datetime.date(2025, 1, 1), TODAY)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2025, 10, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def data(world, today):
    return district_figures(world, year=2025, today=today)


class _Tables(HTMLParser):
    """The rows of every table with a data-testid, as lists of cell texts (headers included), and
    the JSON of the json_script elements."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list]] = {}
        self.scripts: dict[str, str] = {}
        self._table = self._section = self._row = self._cell = self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-testid" in attrs:
            self._table = self.tables.setdefault(attrs["data-testid"], {"thead": [], "tbody": [], "tfoot": []})
        elif self._table is not None and tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []
        elif tag == "script" and attrs.get("type") == "application/json":
            self._script = attrs["id"]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table[self._section].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._script is not None:
            self.scripts[self._script] = self.scripts.get(self._script, "") + data


def _page(client, user, url=None):
    client.force_login(user)
    client.cookies.load({"django_language": "en"})
    response = client.get(url or reverse("home"))
    assert response.status_code == 200
    parsed = _Tables()
    parsed.feed(response.content.decode())
    return response, parsed


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _figures(rows: list[list[str]]) -> list[list]:
    """Table rows as [unit name, figures...]; a "Behind schedule" badge is not part of the name."""
    return [[row[0].removesuffix(" Behind schedule"), *(_number(cell) for cell in row[1:])] for row in rows]


def _report(kind, unit, period):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=kind, unit=unit, period=period, options={}))


def _columns(section, wanted: list[tuple[str, str]]) -> list[int]:
    """The positions of the report's columns named (group, label), in the order wanted."""
    named = {(column.group, column.label): position for position, column in enumerate(section.columns)}
    return [named[key] for key in wanted]


HOUSING_COLUMNS = [(group, label) for group in ("New houses", "Repairs")
                   for label in ("Target", "Completed", "Handed over")]
STAGES = ["Approved", "Under construction", "Completed", "Handed over"]


@pytest.mark.parametrize("role", ["district_member", "provincial_officer", "commune_officer"])
def test_every_figure_on_the_dashboard_is_the_summary_reports_for_the_year_so_far(client, world, data, role):
    viewer = getattr(world, role)
    _response, page = _page(client, viewer)
    social = _report(SOCIAL_SECURITY, viewer.unit, YEAR_SO_FAR)
    housing = _report(HOUSING, viewer.unit, YEAR_SO_FAR)

    by_category = social.sections[0]
    assert by_category.title == "Households by category"
    shown = page.tables["categories-table"]
    assert _figures(shown["tbody"]) == by_category.rows
    if len(by_category.rows) > 1:
        assert _figures(shown["tfoot"]) == [by_category.total]
    assert shown["thead"][0][1:] == [column.label for column in by_category.columns[1:]]

    by_stage = housing.sections[0]
    assert by_stage.title == "Houses by stage"
    picked = _columns(by_stage, HOUSING_COLUMNS)
    shown = page.tables["housing-table"]
    assert _figures(shown["tbody"]) == [[row[0], *(row[i] for i in picked)] for row in by_stage.rows]
    if len(by_stage.rows) > 1:
        assert _figures(shown["tfoot"]) == [["Total", *(by_stage.total[i] for i in picked)]]

    stages = [[label, by_stage.total[new], by_stage.total[repair]] for label in STAGES
              for new, repair in [_columns(by_stage, [("New houses", label), ("Repairs", label)])]]
    assert _figures(page.tables["stages-table"]["tbody"]) == stages


def test_the_district_members_dashboard_counts_each_commune_of_the_district(client, world, data):
    _response, page = _page(client, world.district_member)
    assert _figures(page.tables["categories-table"]["tbody"]) == [
        ["Xã Phú Mỹ", 1, 0, 0, 0],  # the near-poor status is decided after today
        ["Thị trấn Phước Mỹ Trung", 3, 2, 1, 1],
    ]
    assert _figures(page.tables["housing-table"]["tbody"]) == [
        ["Xã Phú Mỹ", 5, 2, 2, 0, 0, 0],  # 2 + 3 of the province's programme
        ["Thị trấn Phước Mỹ Trung", 4, 2, 2, 2, 1, 0],
    ]
    assert _figures(page.tables["stages-table"]["tbody"]) == [
        ["Approved", 5, 1], ["Under construction", 1, 0], ["Completed", 4, 1], ["Handed over", 4, 0]]


def test_a_unit_behind_in_any_programme_is_flagged_though_ahead_in_another(client, world, data):
    response, page = _page(client, world.district_member)
    board = response.context["unit_dashboard"]
    # Phước Mỹ Trung: 3 of 6 finished with 79% of the year passed (4 due). Phú Mỹ: on schedule in
    # the district's programme (2 of 2), behind in the province's (0 of 3, 2 due).
    assert {row.unit.name: row.behind for row in board.panel("housing").housing.rows} == {
        "Xã Phú Mỹ": True, "Thị trấn Phước Mỹ Trung": True}
    assert [(line.programme, line.units_behind) for line in board.panel("housing").programmes] == [
        (data.district_programme, 1), (data.province_programme, 1)]
    assert all(row[0].endswith("Behind schedule") for row in page.tables["housing-table"]["tbody"])
    assert response.content.decode().count('data-behind="true"') == 2


def test_a_unit_on_schedule_everywhere_is_not_flagged(client, world, data):
    for _ in range(2):  # 2 of 3 due by now
        house(data.province_programme, world.sibling_commune, CaseState.COMPLETED, TODAY - datetime.timedelta(days=1))
    response, _tables = _page(client, world.district_member)
    behind = {row.unit.name: row.behind for row in response.context["unit_dashboard"].panel("housing").housing.rows}
    assert behind == {"Xã Phú Mỹ": False, "Thị trấn Phước Mỹ Trung": True}


def test_the_charts_draw_the_figures_of_the_tables(client, world, data):
    response, page = _page(client, world.district_member)
    charts = json.loads(page.scripts["dashboard-data"])
    board = response.context["unit_dashboard"]
    assert charts["categories"]["names"] == ["Xã Phú Mỹ", "Thị trấn Phước Mỹ Trung"]
    assert charts["categories"]["labels"] == ["Phú Mỹ", "Phước Mỹ Trung"]
    assert [series["data"] for series in charts["categories"]["series"]] == [
        list(column) for column in zip(*(row.figures for row in board.panel("categories").rows), strict=True)]
    # New houses and repairs together: target, completed, handed over.
    assert [series["data"] for series in charts["housing"]["series"]] == [[5, 6], [2, 3], [2, 2]]
    assert charts["housing"]["behind"] == [True, True]
    assert [series["data"] for series in charts["stages"]["series"]] == [[5, 1, 4, 4], [1, 0, 1, 0]]
    body = response.content.decode()
    assert "vendor/chart.umd.min.js" in body
    assert "frontwelfare/dashboard.js" in body


def test_a_past_year_shows_that_years_report(client, world, data):
    status(world.commune, "poor", 2024, datetime.date(2024, 1, 5))
    response, page = _page(client, world.district_member, reverse("home") + "?year=2024")
    board = response.context["unit_dashboard"]
    assert board.period == periods.year(2024)
    social = _report(SOCIAL_SECURITY, world.district, periods.year(2024))
    assert _figures(page.tables["categories-table"]["tbody"]) == social.sections[0].rows
    assert _figures(page.tables["categories-table"]["tbody"])[1] == ["Thị trấn Phước Mỹ Trung", 1, 0, 0, 0]
    assert "housing-table" not in page.tables  # no programme ran in 2024
    assert 'data-testid="no-programmes"' in response.content.decode()


def test_the_year_in_the_address_is_one_the_page_offers(today):
    assert dashboard_year("2023", today) == 2023
    assert dashboard_year("2019", today) == 2025
    assert dashboard_year("2026", today) == 2025
    assert dashboard_year("năm", today) == 2025
    assert dashboard_year(None, today) == 2025
    assert dashboard_period(2025, today) == YEAR_SO_FAR


# -- scope ----------------------------------------------------------------------------------------


def test_a_provincial_officer_sees_each_district_and_opens_any_of_them(client, world, data):
    response, page = _page(client, world.provincial_officer)
    assert [row[0] for row in page.tables["categories-table"]["tbody"]] == ["Huyện Châu Thành", "Huyện Mỏ Cày Bắc"]
    body = response.content.decode()
    for district in (world.district, world.other_district):
        assert reverse("dashboard", args=[district.pk]) in body

    _response, district_page = _page(client, world.provincial_officer, reverse("dashboard", args=[world.district.pk]))
    _response, member_page = _page(client, world.district_member)
    assert district_page.tables == member_page.tables


def test_a_district_member_cannot_open_another_districts_dashboard(client, world, data):
    client.force_login(world.district_member)
    for unit in (world.other_district, world.other_district_commune, world.province, world.other_province):
        response = client.get(reverse("dashboard", args=[unit.pk]))
        assert response.status_code == 404, unit.name
        assert unit.name not in response.content.decode()
    assert client.get(reverse("dashboard", args=[world.sibling_commune.pk])).status_code == 200


def test_a_commune_officer_sees_only_their_commune(client, world, data):
    response, page = _page(client, world.commune_officer)
    assert _figures(page.tables["categories-table"]["tbody"]) == [["Thị trấn Phước Mỹ Trung", 3, 2, 1, 1]]
    assert page.tables["categories-table"]["tfoot"] == []  # one row: no total
    assert [row[0] for row in page.tables["housing-table"]["tbody"]] == ["Thị trấn Phước Mỹ Trung Behind schedule"]
    assert "Xã Phú Mỹ" not in response.content.decode()
    client.force_login(world.commune_officer)
    for unit in (world.sibling_commune, world.district):
        assert client.get(reverse("dashboard", args=[unit.pk])).status_code == 404


def test_the_administrators_home_page_has_no_dashboard_but_opens_any(client, world, data):
    response, page = _page(client, world.administrator)
    assert response.context["unit_dashboard"] is None
    assert "chart.umd.min.js" not in response.content.decode()
    _response, page = _page(client, world.administrator, reverse("dashboard", args=[world.other_district.pk]))
    assert _figures(page.tables["categories-table"]["tbody"]) == [["Xã Tân Thạch", 4, 0, 0, 0]]


def test_a_missing_unit_answers_404(client, world):
    client.force_login(world.administrator)
    assert client.get(reverse("dashboard", args=[987654])).status_code == 404


# -- speed ----------------------------------------------------------------------------------------


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_dashboards_queries_do_not_grow_with_the_communes(client, world, data):
    few = _queries(client, world.district_member)
    for number in range(6):
        commune = CommuneFactory(parent=world.district, name=f"Xã Mới {number}", code=f"2900{number}")
        status(commune, "poor", 2025, datetime.date(2025, 1, 5))
        house(data.district_programme, commune, CaseState.HANDED_OVER, TODAY)
    many = _queries(client, world.district_member)
    assert many == few
    # The page and the figures above the dashboard (9, with the district's province), the rows,
    # the households by category, the programmes, three for each of the two programmes
    # (reports.figures.housing_figures), and the funds panel's three (the funds' lines, the
    # district's own funds, its campaigns: none here, so none of their figures).
    assert many <= 9 + 3 + 2 * 3 + 3

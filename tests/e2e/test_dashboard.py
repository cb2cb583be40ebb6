"""The dashboard in a real browser: a district member signs in and sees the charts of their district
(drawn by Chart.js) and the tables beside them; a provincial officer opens a district's dashboard.

Things are found by ``data-testid``, ``data-*`` values and the units' names, not by translated words.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from housing.choices import CaseState

from ..reports.dashboard_data import district_figures, house
from .test_browser import sign_in

# What each chart draws, from the page's Chart.js instances.
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const box = canvas.getBoundingClientRect();
  return chart && {
    name: canvas.dataset.chart, labels: chart.data.labels, width: box.width, height: box.height,
    data: chart.data.datasets.map((dataset) => dataset.data),
    colours: chart.data.datasets.map((_, index) => chart.getDatasetMeta(index).data.map(
      (bar) => bar.options.backgroundColor)),
  };
})"""
DANGER = "#dc3545"  # Bootstrap's danger red


@pytest.fixture
def figures(world):
    """The district's figures this year; Phú Mỹ is on schedule in both programmes (its three
    houses of the province's programme are completed), Phước Mỹ Trung is behind."""
    today = timezone.localdate()
    data = district_figures(world, year=today.year, today=today)
    for _ in range(3):
        house(data.province_programme, world.sibling_commune, CaseState.COMPLETED, today - datetime.timedelta(days=2))
    return data


# The charts are drawn once Chart.js and dashboard.js have run, which can be after the page's
# text is there (seen once in CI: "Chart is not defined" right after the heading appeared).
CHARTS_DRAWN = """() => typeof Chart !== "undefined"
  && Array.from(document.querySelectorAll("canvas[data-chart]")).every((canvas) => Chart.getChart(canvas))"""


def _charts(page: Page) -> dict:
    page.wait_for_function(CHARTS_DRAWN)
    return {chart["name"]: chart for chart in page.evaluate(CHARTS)}


@pytest.mark.e2e
def test_district_member_opens_the_dashboard_and_sees_the_charts(page, world, figures, snap):
    page.goto("/")
    sign_in(page, "member")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_have_text("Huyện Mỏ Cày Bắc")

    categories = page.get_by_test_id("categories-table")
    expect(categories.locator("tbody tr[data-unit='28915'] td")).to_have_text(["3", "2", "1", "1"])
    expect(categories.locator("tbody tr[data-unit='28889'] td")).to_have_text(["1", "0", "0", "0"])
    expect(categories.locator("tfoot td")).to_have_text(["4", "2", "1", "1"])
    housing = page.get_by_test_id("housing-table")
    expect(housing.locator("tbody tr[data-behind]")).to_have_count(1)
    expect(housing.locator("tbody tr[data-unit='28915']")).to_have_attribute("data-behind", "true")
    expect(housing.locator("tbody tr[data-unit='28915'] td")).to_have_text(["4", "2", "2", "2", "1", "0"])
    expect(housing.locator("tbody tr[data-unit='28889'] td")).to_have_text(["5", "5", "2", "0", "0", "0"])
    expect(page.get_by_test_id("stages-table").locator("tbody td")).to_have_text(
        ["8", "1", "1", "0", "7", "1", "4", "0"])

    charts = _charts(page)
    assert set(charts) == {"categories", "housing", "stages"}, "every chart is drawn"
    # The rows in GSO code order, as in the tables: Phú Mỹ (28889), then Phước Mỹ Trung (28915).
    assert charts["categories"]["labels"] == ["Phú Mỹ", "Phước Mỹ Trung"]
    assert charts["categories"]["data"] == [[1, 3], [0, 2], [0, 1], [0, 1]]
    assert charts["housing"]["data"] == [[5, 6], [5, 3], [2, 2]]
    completed = charts["housing"]["colours"][1]
    assert completed[1] == DANGER, "the commune behind schedule has a red bar"
    assert completed[0] != DANGER
    assert charts["stages"]["data"] == [[8, 1, 7, 4], [1, 0, 1, 0]]

    width = page.viewport_size["width"]
    for chart in charts.values():
        assert 0 < chart["width"] <= width and chart["height"] >= 150, chart["name"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing sticks out sideways"
    snap("dashboard")


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_provincial_officer_opens_a_districts_dashboard(page, world, figures, snap):
    page.goto("/")
    sign_in(page, "provincial")
    expect(page.locator("main h1")).to_have_text("Tỉnh Bến Tre")
    expect(page.get_by_test_id("categories-table").locator("tbody tr")).to_have_count(2)
    assert _charts(page)["categories"]["labels"] == ["Châu Thành", "Mỏ Cày Bắc"]
    snap("province")

    page.get_by_test_id("open-unit").get_by_role("link", name="Huyện Mỏ Cày Bắc").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/{world.district.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Huyện Mỏ Cày Bắc")
    expect(page.get_by_test_id("housing-table").locator("tbody tr[data-behind]")).to_have_count(1)
    assert _charts(page)["housing"]["labels"] == ["Phú Mỹ", "Phước Mỹ Trung"]

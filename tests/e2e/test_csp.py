"""The pages work under the Content-Security-Policy: Chart.js draws the dashboard, htmx adds a
member form and checks for duplicates, the API docs start. Any refusal Chromium reports fails the
test: the ``page`` fixture (conftest.py) collects them, for every browser test."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import TEST_PASSWORD
from .test_browser import sign_in
from .test_dashboard import _charts
from .test_dashboard import figures as figures
from .test_households import DUPLICATES_URL, NEW_URL, add_member_form, member_field

POLICY = re.compile(r"script-src 'self'(;|$)")


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_dashboard_charts_draw_under_the_policy(page, world, figures):
    page.goto("/")
    sign_in(page, "member")
    # The dashboard the sign-in led to, loaded, before it is loaded again: reloading while that
    # navigation is still under way fails in Chromium ("Not attached to an active page").
    expect(page.locator("main h1")).to_have_text("Huyện Mỏ Cày Bắc")
    page.wait_for_load_state("load")

    with page.expect_response(re.compile(r"/$")) as home:
        page.reload()

    assert POLICY.search(home.value.headers["content-security-policy"])
    assert "unsafe" not in home.value.headers["content-security-policy"]
    expect(page.locator("main h1")).to_have_text("Huyện Mỏ Cày Bắc")
    charts = _charts(page)
    assert set(charts) == {"categories", "housing", "stages"}
    # The chart's height follows its rows (data-fw-rows, set by csp.js instead of style="...").
    assert page.locator(".fw-chart-categories").evaluate("e => e.style.getPropertyValue('--fw-rows')") == "2"


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_htmx_registration_page_works_under_the_policy(page, world):
    page.goto("/households/new/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(NEW_URL)

    add_member_form(page)  # htmx GET, then the count raised out of band
    add_member_form(page)
    member_field(page, 2, "full_name").fill("Nguyễn Văn Ba")
    with page.expect_response(DUPLICATES_URL) as checked:  # htmx POST with the CSRF header
        member_field(page, 2, "full_name").press("Tab")

    assert checked.value.ok
    # htmx's indicator style comes from app.css, not from a <style> it injects.
    assert page.locator("style").count() == 0


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_api_docs_start_under_the_policy(page, world):
    page.goto("/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/api/docs/")

    # Swagger UI shows the title once the schema is made: seconds on a busy machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("FrontWelfare API", timeout=30_000)
    expect(page.locator(".opblock-tag").first).to_be_visible()

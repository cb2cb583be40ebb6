"""What a person sees in a real browser: signing in, the language switch, the users' pages.

Vietnamese is the default and its catalogue may lag behind the English strings, so the tests
find things by ``data-testid``, ids and values, and only read English text.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from ..factories import TEST_PASSWORD, CommuneOfficerFactory

LOGIN_URL = re.compile(r"/accounts/login/")
# app.css paints the navbar in the Front's red (#b3121b): proof that our stylesheet loaded.
FRONT_RED = "rgb(179, 18, 27)"


def sign_in(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    """Fill and submit the sign-in form the page is on."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form:has(#id_password) button[type=submit]").click()


def open_menu(page: Page) -> None:
    """On a narrow screen the navigation is folded behind the hamburger: unfold it."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap adds "show" once the slide-down ends; until then the menu is half drawn.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_commune_officer_signs_in_and_sees_own_commune_on_home_page(page, world):
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator("nav.navbar")).to_have_css("background-color", FRONT_RED)

    sign_in(page, "officer")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    whoami = page.get_by_test_id("whoami")
    # Bootstrap's CSS folds the menu on a phone and only Bootstrap's JS unfolds it.
    expect(whoami).to_be_hidden()
    expect(page.locator(".navbar-toggler")).to_be_visible()
    open_menu(page)
    expect(whoami).to_be_visible()
    expect(whoami).to_contain_text("Thị trấn Phước Mỹ Trung")
    expect(page.locator("main h1")).to_have_text("Thị trấn Phước Mỹ Trung")


@pytest.mark.e2e
def test_language_switch_turns_the_interface_to_english_and_back(page, world):
    page.goto("/")
    sign_in(page, "officer")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    switch = page.get_by_test_id("language-switch")

    switch.locator("select").select_option("en")
    switch.locator("button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    open_menu(page)
    expect(page.locator("form[action$='/logout/'] button")).to_have_text("Sign out")
    expect(switch.locator("select")).to_have_value("en")

    switch.locator("select").select_option("vi")
    switch.locator("button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(switch.locator("select")).to_have_value("vi")


@pytest.mark.e2e
def test_district_member_lists_district_users_and_opens_change_history(page, world):
    CommuneOfficerFactory(unit=world.other_province_commune, username="outsider")
    page.goto("/")
    sign_in(page, "member")

    open_menu(page)
    page.locator("#main-nav .nav-link[href$='/accounts/users/']").click()

    expect(page).to_have_url(re.compile(r"/accounts/users/$"))
    table = page.get_by_test_id("user-table")
    expect(table.get_by_role("link", name="officer", exact=True)).to_be_visible()
    expect(table).not_to_contain_text("outsider")

    table.get_by_role("link", name="officer", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/users/\d+/$"))
    # A recorded change has four cells; "No changes recorded." is one cell across them.
    changes = page.get_by_test_id("history").locator("tbody tr:has(td:nth-child(4))")
    expect(changes.first).to_be_visible()
    # The officer's creation set the unit: the change shows the commune it was set to.
    expect(changes.last).to_contain_text("Thị trấn Phước Mỹ Trung")


@pytest.mark.e2e
def test_wrong_password_shows_error_and_stays_on_login_page(page, world):
    page.goto("/")
    sign_in(page, "officer", "not the password")

    expect(page).to_have_url(LOGIN_URL)
    error = page.locator(".card-body [role=alert]")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile(r"\S"))
    expect(page.locator("#id_username")).to_have_value("officer")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_test_id("whoami")).to_have_count(0)

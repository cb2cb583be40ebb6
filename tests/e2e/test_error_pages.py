"""An officer who follows a link to a household outside their commune, on a phone, gets the site's
404 page: the menu, what happened, and a way back to the list."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import TEST_PASSWORD
from ..households.factories import HouseholdFactory
from .test_browser import open_menu, sign_in


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_out_of_scope_household_shows_the_sites_404_page_with_a_way_back(page, world, snap):
    outside = HouseholdFactory(commune=world.sibling_commune)
    page.goto("/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    response = page.goto(f"/households/{outside.pk}/")

    assert response.status == 404
    expect(page.get_by_test_id("error-page").locator("h1")).to_have_text("Không tìm thấy trang")
    expect(page.get_by_test_id("error-page")).not_to_contain_text(outside.head_name)
    snap("404")
    open_menu(page)
    expect(page.get_by_test_id("whoami")).to_be_visible()
    page.get_by_test_id("error-page").locator("a[href='/households/']").click()
    expect(page).to_have_url(re.compile(r"/households/$"))

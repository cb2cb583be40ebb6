"""A failed save on a phone: the summary of what to correct is at the top of the page, in view
and focused, and its link takes the officer to the field, far below."""

import re

import pytest
from playwright.sync_api import expect

from households.choices import Relation, Sex
from households.models import Household

from ..factories import TEST_PASSWORD
from .test_browser import sign_in
from .test_households import NEW_URL, fill_member


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_failed_registration_on_a_phone_shows_the_summary_focused_and_links_to_the_field(page, world, snap):
    page.goto("/")
    sign_in(page, "officer", TEST_PASSWORD)
    page.goto("/households/new/")
    expect(page).to_have_url(NEW_URL)
    page.locator("#id_hamlet").fill("Ấp Phước Hậu")
    fill_member(page, 0, full_name="Nguyễn Văn An", relation=Relation.HEAD, sex=Sex.MALE, birth_year=1980)
    page.locator("#id_consent_date").fill("")  # the last field of the form, screens below the top

    page.get_by_test_id("save-household").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport(ratio=1)  # on the first screen
    link = summary.locator("a[href='#id_consent_date']")
    expect(link).to_be_visible()
    field = page.locator("#id_consent_date")
    expect(field).not_to_be_in_viewport()  # screens below: the summary is what makes it findable
    snap("summary")

    link.click()

    expect(field).to_be_focused()
    expect(field).to_be_in_viewport(ratio=1)
    expect(page.locator("label[for='id_consent_date']")).to_be_in_viewport(ratio=1)  # its label too
    assert not Household.objects.exists()
    expect(page).to_have_url(re.compile(r"/households/new/$"))

"""The member organisations' pages in a browser, on a phone and a desktop: a commune officer records
the commune's Red Cross, its members of a year and a free examination day from its page, and sees
them in the lists, with nothing refused by the Content-Security-Policy."""

import pytest
from playwright.sync_api import Page, expect

from donations.support.models import Activity, Organisation

from ..households.factories import HouseholdFactory
from .test_browser import sign_in


@pytest.mark.e2e
def test_commune_officer_records_an_organisation_its_members_and_an_activity(page: Page, world, snap):
    household = HouseholdFactory(commune=world.commune, head_name="Lê Thị Hoa")
    page.goto("/support/organisations/")
    sign_in(page, world.commune_officer.username)
    page.get_by_test_id("new-organisation").click()
    page.locator("#id_name").fill("Hội Chữ thập đỏ thị trấn Phước Mỹ Trung")
    page.locator("#id_kind").select_option("red_cross")
    page.get_by_test_id("save-organisation").click()
    expect(page.get_by_test_id("organisation-name")).to_have_text("Hội Chữ thập đỏ thị trấn Phước Mỹ Trung")

    page.locator("#id_year").fill("2024")
    page.locator("#id_members").fill("315")
    page.get_by_test_id("record-members").click()
    expect(page.locator("[data-testid=membership-row][data-year='2024']")).to_contain_text("315")

    page.get_by_test_id("new-activity").click()
    expect(page.locator("#id_organisation")).to_have_value(str(Organisation.objects.get().pk))
    page.locator("#id_name").fill("Khám bệnh, cấp thuốc miễn phí ấp Phước Hậu")
    page.locator("#id_kind").select_option("medical_examination")
    page.locator("#id_starts_on").fill("01062025")
    page.locator("#id_people_served").fill("150")
    page.locator("#id_value").fill("45.000.000")
    page.locator("#id_households").fill(household.code)
    snap("activity-form")
    page.get_by_test_id("save-activity").click()
    expect(page.get_by_test_id("activity-value")).to_have_text("45.000.000 ₫")
    expect(page.get_by_test_id("served-household")).to_contain_text("Lê Thị Hoa")
    assert Activity.objects.get().starts_on.isoformat() == "2025-06-01"

    page.goto("/support/organisations/")
    expect(page.get_by_test_id("counts-total")).to_contain_text("315")
    snap("organisation-list")
    page.goto("/support/activities/")
    expect(page.get_by_test_id("total-value")).to_have_text("45.000.000 ₫")

"""Support given, in a real browser on a phone and a desktop: a household's Tet gift from the
district on its page's timeline with the year's total, and on the dashboard's support panel.

The support strings are not in the Vietnamese catalogue yet, so things are found by
``data-testid`` and figures read as the pages print them (``500.000 ₫``)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from donations.support import services
from donations.support.models import SupportKind

from ..donations.support_factories import batch_with, deliver_all, poor_household
from .test_browser import sign_in


@pytest.fixture
def gift(world):
    """The district's Tet gift to a poor household of the commune, handed over this year and closed."""
    # The kinds come with a migration, which the live server's flush between tests empties.
    SupportKind.objects.get_or_create(unit=None, code="tet_gifts", defaults={
        "name_vi": "Quà Tết", "name_en": "Tet gifts", "purpose": "tet_gifts", "recipients": "household"})
    household = poor_household(world.commune, head_name="Huỳnh Văn Tám")
    batch = batch_with(world.district, [household], actor=world.district_member)
    services.batch_confirm(actor=world.district_member, batch=batch)
    deliver_all(batch, world.commune_officer, day=datetime.date(timezone.localdate().year, 1, 2))
    services.batch_close(actor=world.district_member, batch=batch)
    return household


def test_the_commune_officer_sees_the_gift_on_the_households_page_and_the_dashboard(page: Page, world, gift, snap):
    page.goto(f"/households/{gift.pk}/")
    sign_in(page, "officer")
    received = page.get_by_test_id("support-received")
    expect(received).to_contain_text("Quà Tết Bính Ngọ 2026")
    expect(received).to_contain_text("500.000 ₫")
    expect(received).to_contain_text("Quỹ Vì người nghèo Huyện Mỏ Cày Bắc")
    by_year = page.get_by_test_id("support-by-year")
    expect(by_year.locator("tbody tr")).to_have_count(1)
    expect(by_year.locator("tbody tr td").nth(1)).to_have_text("500.000 ₫")
    snap("household")

    page.goto("/")
    panel = page.get_by_test_id("support-table")
    expect(panel.locator("tfoot td").nth(2)).to_have_text("500.000")
    expect(page.get_by_test_id("support-kinds")).to_contain_text("500.000")
    page.get_by_test_id("support").scroll_into_view_if_needed()

"""Dates are typed and read as dd/mm/yyyy on a phone set to English (the page fixture's browser
asks for en-US, where a native date box reads 12/02/2026 as 12 February)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import HouseholdStatus

from ..households.factories import HouseholdFactory
from .test_browser import sign_in


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_date_is_typed_and_read_back_as_day_month_year_on_an_english_phone(page, world, snap):
    year = timezone.localdate().year - 1
    household = HouseholdFactory(commune=world.commune)
    page.goto("/households/review/")
    sign_in(page, "officer")
    expect(page).to_have_url(re.compile(r"/households/review/$"))
    assert page.evaluate("() => navigator.language") == "en-US"

    day = page.locator("#id_decision_date")
    expect(day).to_have_attribute("type", "text")
    expect(day).to_have_attribute("inputmode", "numeric")
    expect(day).to_have_attribute("placeholder", "dd/mm/yyyy")

    # The digit keypad has no slash: they come by themselves, and a one-digit day gets its zero.
    day.press_sequentially(f"1202{year}")
    expect(day).to_have_value(f"12/02/{year}")
    day.fill("")
    day.press_sequentially(f"1/2/{year}")
    expect(day).to_have_value(f"01/02/{year}")

    # A day that does not exist is refused with a message that says how to write one.
    page.locator("#id_decision_number").fill("07/QĐ-UBND")
    page.locator(f"select[name=category_{household.pk}]").select_option("poor")
    day.fill("")
    day.press_sequentially(f"3102{year}")
    page.get_by_test_id("review-form").locator("button[type=submit]").click()
    expect(page.locator("#id_decision_date")).to_have_value(f"31/02/{year}")
    expect(page.get_by_test_id("review-form")).to_contain_text("dd/mm/yyyy")
    expect(page.get_by_test_id("review-form")).to_contain_text("30/06/2025")
    assert not HouseholdStatus.objects.exists()
    expect(page.locator(f"select[name=category_{household.pk}]")).to_have_value("poor")  # the choice is kept
    snap("impossible-date")

    page.locator("#id_decision_date").fill("")
    page.locator("#id_decision_date").press_sequentially(f"1202{year}")
    page.get_by_test_id("review-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    status = HouseholdStatus.objects.get(household=household)
    assert status.decision_date == datetime.date(year, 2, 12), "12/02 is the 12th of February"

"""The money pages in a browser, on a phone and a desktop: a commune officer reaches the commune's
fund from the menu, records a receipt, then a spending decision of two lines, the second added
with "Add a line" (htmx), with nothing refused by the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import Page, expect

from donations.models import Receipt, SpendingDecision

from ..donations.factories import DonorFactory, FundFactory
from ..households.factories import HouseholdFactory
from .test_browser import open_menu, sign_in


@pytest.mark.e2e
def test_commune_officer_records_a_receipt_and_a_decision_of_two_lines(page: Page, world, snap):
    fund = FundFactory(unit=world.commune, name="Quỹ Vì người nghèo Phước Mỹ Trung")
    DonorFactory(unit=world.commune, name="Công ty TNHH Thành Đạt")
    household = HouseholdFactory(commune=world.commune, head_name="Lê Thị Hoa")

    page.goto("/funds/")
    sign_in(page, world.commune_officer.username)
    open_menu(page)
    page.get_by_test_id("nav-funds").click()
    page.get_by_role("link", name=fund.name).click()
    page.get_by_test_id("record-receipt").click()
    page.locator("#id_donor").select_option(label="Công ty TNHH Thành Đạt")
    page.locator("#id_amount").fill("30.000.000")
    page.get_by_test_id("save-receipt").click()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("30.000.000 ₫")
    receipt = Receipt.objects.get()
    expect(page.get_by_test_id("receipt-number")).to_contain_text(receipt.number)

    page.get_by_role("link", name=fund.name).click()
    expect(page.get_by_test_id("fund-balance")).to_have_text("30.000.000 ₫")
    page.get_by_test_id("record-decision").click()
    page.locator("#id_number").fill("15/QĐ-MTTQ")
    page.locator("#id_signer").fill("Trần Văn Bảy")
    page.locator("#id_lines-0-amount").fill("2.000.000")
    page.locator("#id_lines-0-purpose").select_option("tet_gifts")
    page.locator("#id_lines-0-household").fill(household.code)
    page.get_by_test_id("add-line").click()
    expect(page.locator("#id_lines-3-amount")).to_be_visible()
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("4")
    page.locator("#id_lines-3-amount").fill("10.000.000")
    page.locator("#id_lines-3-purpose").select_option("community_work")
    page.locator("#id_lines-3-description").fill("Cầu bê tông Ấp 2")
    snap("decision-form")
    page.get_by_test_id("save-decision").click()

    expect(page.get_by_test_id("decision-total")).to_have_text("12.000.000 ₫")
    expect(page.get_by_test_id("payment-line")).to_have_count(2)
    expect(page.get_by_test_id("payment-lines")).to_contain_text("Lê Thị Hoa")
    assert SpendingDecision.objects.get().number == "15/QĐ-MTTQ"
    assert re.search(r"/funds/decisions/\d+/$", page.url)

"""The money trail of issue 13 in a real browser, on a phone and a desktop: a commune officer
records a donor and their receipt and prints the receipt; a district member passes money down to
the commune's fund; the officer pays a household of the commune out of it; and a visitor, signed
in as nobody, reads the public pages' totals, which name no one who was helped.

The donations strings are not in the Vietnamese catalogue yet, so things are found by
``data-testid``, ids, URLs and the data the test itself typed; figures are read as the pages
print them (``25.500.000 ₫``).
"""

import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from donations import services
from donations.choices import CampaignKind, DonorKind, FundKind, PaymentMethod, PostingKind
from donations.models import Donor, Posting, Receipt, SpendingDecision

from ..donations.factories import DonorFactory, FundFactory
from ..households.factories import HouseholdFactory, MemberFactory
from .test_browser import open_menu, sign_in
from .test_housing import assert_fits_width as assert_page_fits_width
from .test_housing import sign_out, typed

COMMUNE_FUND = "Quỹ Vì người nghèo thị trấn Phước Mỹ Trung"
DISTRICT_FUND = "Quỹ Vì người nghèo huyện Mỏ Cày Bắc"
CAMPAIGN = "Tháng cao điểm Vì người nghèo huyện Mỏ Cày Bắc"
DONOR = "Công ty TNHH Thủy sản Hoàng Long"
DONOR_TAX_CODE = "1300987654"
HEAD_NAME = "Đặng Văn Hùng"
MEMBER_NAME = "Đặng Thị Lan"
SIBLING_HEAD = "Võ Văn Sáu"
# A payment line's free text may name the family: it must stay off the public pages too.
LINE_NOTE = "Hỗ trợ nuôi bò sinh sản cho hộ ông Hùng"
FUNDS_URL = re.compile(r"/funds/$")
FUND_URL = re.compile(r"/funds/(\d+)/$")


def pdf_text(content: bytes) -> str:
    """The PDF's text with its lines joined (a long value may wrap on the page)."""
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()
    return " ".join(text.split())


def open_fund(page: Page, name: str) -> None:
    """From anywhere: the menu, the fund list, the fund."""
    open_menu(page)
    page.get_by_test_id("nav-funds").click()
    expect(page).to_have_url(FUNDS_URL)
    page.get_by_test_id("fund-table").get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(FUND_URL)
    expect(page.get_by_test_id("fund-title")).to_have_text(name)


def fund_row_balance(page: Page, fund) -> Locator:
    return page.get_by_test_id("fund-table").locator(f"[data-fund='{fund.pk}'] [data-testid=fund-balance]")


def assert_fits_width(page: Page) -> None:
    """Nothing sticks out sideways: the page is no wider than the screen, and no figure is wider
    than its card."""
    assert_page_fits_width(page)
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.fw-figure')]
        .filter(figure => figure.scrollWidth > figure.clientWidth).map(figure => figure.textContent.trim())""")
    assert not overflowing, f"{page.url}: figures wider than their box: {overflowing}"


def public_figures(page: Page) -> dict[str, str]:
    totals = page.get_by_test_id("totals")
    return {name: totals.get_by_test_id(name).inner_text().strip()
            for name in ("received", "spent", "households", "balance")}


@pytest.mark.e2e
def test_money_goes_from_a_donor_through_the_funds_to_a_household_and_is_published_without_it(
        page: Page, world, snap):
    today = timezone.localdate()
    commune_fund = FundFactory(unit=world.commune, name=COMMUNE_FUND, kind=FundKind.FOR_THE_POOR)
    district_fund = FundFactory(unit=world.district, name=DISTRICT_FUND, kind=FundKind.FOR_THE_POOR)
    # The district's fund already holds what a bank gave to its campaign.
    campaign = services.campaign_create(
        actor=world.district_member, fund=district_fund, kind=CampaignKind.MONTH_FOR_THE_POOR, name=CAMPAIGN,
        code="VNNMCB", starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=20),
        target=500_000_000)
    services.receipt_record(actor=world.district_member, fund=district_fund, happened_on=today, campaign=campaign,
                            donor=DonorFactory(unit=world.district, name="Ngân hàng Nông nghiệp chi nhánh Mỏ Cày Bắc"),
                            amount=200_000_000, method=PaymentMethod.BANK_TRANSFER, bank_reference="FT25001")
    household = HouseholdFactory(commune=world.commune, head_name=HEAD_NAME, address="Ấp Phước Hậu 2, tổ 5")
    MemberFactory(household=household, full_name=MEMBER_NAME)
    people = list(household.members.values_list("full_name", "citizen_id"))
    assert len(people) == 2
    # A household of the commune beside: not one the officer may pay.
    HouseholdFactory(commune=world.sibling_commune, head_name=SIBLING_HEAD)
    number = f"PT-{today.year}-000001"

    # -- 1. The commune officer records the donor, then the receipt, and prints it. ----------------
    page.goto("/funds/")
    sign_in(page, world.commune_officer.username)
    expect(page).to_have_url(FUNDS_URL)
    page.get_by_test_id("donations-tabs").locator("a[href$='/funds/donors/']").click()
    page.get_by_test_id("new-donor").click()
    form = page.get_by_test_id("donor-form")
    form.locator("#id_kind").select_option(DonorKind.BUSINESS)
    form.locator("#id_name").fill(DONOR)
    form.locator("#id_tax_code").fill(DONOR_TAX_CODE)
    form.locator("#id_phone").fill("0913456789")
    form.locator("#id_address").fill("Khu công nghiệp Giao Long, Châu Thành, Bến Tre")
    page.get_by_test_id("save-donor").click()
    expect(page).to_have_url(re.compile(r"/funds/donors/\d+/$"))
    expect(page.get_by_test_id("donor-name")).to_contain_text(DONOR)
    donor = Donor.objects.get(name=DONOR)
    assert (donor.unit_id, donor.tax_code, donor.anonymous) == (world.commune.pk, DONOR_TAX_CODE, False)

    open_fund(page, COMMUNE_FUND)
    expect(page.get_by_test_id("fund-balance")).to_have_text("0 ₫")
    page.get_by_test_id("record-receipt").click()
    expect(page).to_have_url(re.compile(rf"/funds/{commune_fund.pk}/receipts/new/$"))
    form = page.get_by_test_id("receipt-form")
    # Only the donors the commune keeps are offered: not the district's.
    expect(form.locator("#id_donor option", has_text="Ngân hàng Nông nghiệp")).to_have_count(0)
    form.locator("#id_donor").select_option(label=f"{DONOR} · {DONOR_TAX_CODE}")
    form.locator("#id_amount").fill("25.500.000")
    form.locator("#id_method").select_option(PaymentMethod.CASH)
    form.locator("#id_note").fill("Ủng hộ Tháng cao điểm Vì người nghèo")
    form.locator("#id_attached_documents").fill("1")
    assert_fits_width(page)
    snap("1-receipt-form")
    page.get_by_test_id("save-receipt").click()

    expect(page).to_have_url(re.compile(r"/funds/receipts/\d+/$"))
    receipt = Receipt.objects.get(fund=commune_fund)
    assert (receipt.number, receipt.amount, receipt.donor_id) == (number, 25_500_000, donor.pk)
    expect(page.get_by_test_id("receipt-number")).to_contain_text(number)
    expect(page.get_by_test_id("receipt-amount")).to_have_text("25.500.000 ₫")
    expect(page.get_by_test_id("receipt-donor")).to_contain_text(DONOR)
    assert_fits_width(page)
    snap("1-receipt")

    # The "Print" link serves the PDF with the officer's session; read back what it prints.
    pdf_link = page.get_by_test_id("receipt-pdf")
    expect(pdf_link).to_have_attribute("href", f"/funds/receipts/{receipt.pk}/pdf/")
    response = page.context.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "PHIẾU THU" in text
    assert f"Số: {number}" in text
    assert f"Họ và tên người nộp tiền: {DONOR}" in text
    assert "Số tiền: 25.500.000 đồng" in text
    assert "(Viết bằng chữ): Hai mươi lăm triệu năm trăm nghìn đồng" in text
    assert "Kèm theo: 1 chứng từ gốc." in text
    sign_out(page)

    # -- 2. The district member passes money down to the commune's fund. -------------------------
    page.goto("/funds/")
    sign_in(page, world.district_member.username)
    expect(page).to_have_url(FUNDS_URL)
    # The district sees its communes' funds: the commune's holds the receipt.
    expect(fund_row_balance(page, commune_fund)).to_have_text("25.500.000 ₫")
    expect(fund_row_balance(page, district_fund)).to_have_text("200.000.000 ₫")
    open_fund(page, COMMUNE_FUND)
    expect(page.get_by_test_id("fund-balance")).to_have_text("25.500.000 ₫")
    # It sees the commune's fund; the commune records its money.
    expect(page.get_by_test_id("fund-actions")).to_have_count(0)

    open_fund(page, DISTRICT_FUND)
    expect(page.get_by_test_id("fund-balance")).to_have_text("200.000.000 ₫")
    page.get_by_test_id("record-transfer").click()
    expect(page).to_have_url(re.compile(rf"/funds/{district_fund.pk}/transfer/$"))
    form = page.get_by_test_id("transfer-form")
    form.locator("#id_destination").select_option(label=f"{COMMUNE_FUND} · {world.commune.name}")
    form.locator("#id_happened_on").fill(typed(today))
    form.locator("#id_amount").fill("20.000.000")
    form.locator("#id_description").fill("Điều tiết đợt 1 về thị trấn Phước Mỹ Trung")
    assert_fits_width(page)
    snap("2-transfer-form")
    page.get_by_test_id("save-transfer").click()

    expect(page).to_have_url(re.compile(rf"/funds/{district_fund.pk}/$"))
    expect(page.get_by_test_id("fund-balance")).to_have_text("180.000.000 ₫")
    transfer = Posting.objects.get(kind=PostingKind.TRANSFER)
    assert sorted(transfer.lines.values_list("fund_id", "amount")) == sorted(
        [(district_fund.pk, -20_000_000), (commune_fund.pk, 20_000_000)])
    open_fund(page, COMMUNE_FUND)
    expect(page.get_by_test_id("fund-balance")).to_have_text("45.500.000 ₫")
    entries = page.get_by_test_id("entries").get_by_test_id("entry")
    expect(entries).to_have_count(2)
    expect(page.get_by_test_id("entries").get_by_test_id("entry-amount")).to_have_text(
        ["+20.000.000 ₫", "+25.500.000 ₫"])
    # The transfer names the fund it came from (the phrase, not a house case's "from state").
    came_from = entries.first.get_by_test_id("other-funds")
    expect(came_from).to_contain_text(DISTRICT_FUND)
    expect(came_from).not_to_contain_text("trạng thái")
    expect(came_from).not_to_have_text(re.compile(r"^\s*·"))
    assert_fits_width(page)
    snap("2-commune-fund-after-transfer")
    sign_out(page)

    # -- 3. The commune officer pays a household of the commune. --------------------------------
    page.goto(f"/funds/{commune_fund.pk}/")
    sign_in(page, world.commune_officer.username)
    expect(page).to_have_url(re.compile(rf"/funds/{commune_fund.pk}/$"))
    expect(page.get_by_test_id("fund-balance")).to_have_text("45.500.000 ₫")
    page.get_by_test_id("record-decision").click()
    expect(page).to_have_url(re.compile(rf"/funds/{commune_fund.pk}/decisions/new/$"))
    expect(page.get_by_test_id("fund-holds")).to_contain_text("45.500.000 ₫")
    # The officer looks the household up by name: the commune beside's is not found.
    finder = page.locator("form:has(#find-household)")
    matches = page.get_by_test_id("household-matches")
    finder.locator("#find-household").fill(SIBLING_HEAD)
    finder.locator("button[type=submit]").click()
    expect(matches).to_contain_text(SIBLING_HEAD)  # in "no household ... matches “…”"
    expect(matches.locator("li")).to_have_count(0)
    finder.locator("#find-household").fill("Đặng Văn")
    finder.locator("button[type=submit]").click()
    expect(matches.locator("li")).to_have_count(1)
    expect(matches.locator("li")).to_contain_text(HEAD_NAME)
    code = matches.locator("li .user-select-all").inner_text().strip()
    assert code == household.code

    form = page.get_by_test_id("decision-form")
    form.locator("#id_number").fill("07/QĐ-MTTQ")
    form.locator("#id_decided_on").fill(typed(today))
    form.locator("#id_signer").fill("Nguyễn Thị Thu")
    form.locator("#id_lines-0-amount").fill("5.000.000")
    form.locator("#id_lines-0-purpose").select_option("livelihood")
    form.locator("#id_lines-0-household").fill(code)
    form.locator("#id_lines-0-description").fill(LINE_NOTE)
    assert_fits_width(page)
    snap("3-decision-form")
    page.get_by_test_id("save-decision").click()

    expect(page).to_have_url(re.compile(r"/funds/decisions/\d+/$"))
    decision = SpendingDecision.objects.get()
    assert (decision.fund_id, decision.number) == (commune_fund.pk, "07/QĐ-MTTQ")
    expect(page.get_by_test_id("decision-number")).to_contain_text("07/QĐ-MTTQ")
    expect(page.get_by_test_id("decision-total")).to_have_text("5.000.000 ₫")
    lines = page.get_by_test_id("payment-line")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(HEAD_NAME)
    expect(lines.first).to_contain_text(household.code)
    expect(lines.first).to_contain_text("5.000.000 ₫")
    assert_fits_width(page)
    snap("3-decision")

    page.locator("main").get_by_role("link", name=COMMUNE_FUND, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/funds/{commune_fund.pk}/$"))
    expect(page.get_by_test_id("fund-balance")).to_have_text("40.500.000 ₫")
    expect(page.get_by_test_id("entries").get_by_test_id("entry-amount").first).to_have_text("-5.000.000 ₫")
    expect(entries.first).to_contain_text(HEAD_NAME)
    assert_fits_width(page)
    snap("3-commune-fund-after-decision")
    sign_out(page)

    # -- 4. A visitor, signed in as nobody, reads the public pages. ----------------------------
    page.context.clear_cookies()
    page.goto(f"/public/units/{world.district.pk}/")
    expect(page).to_have_url(re.compile(rf"/public/units/{world.district.pk}/$"))
    expect(page.get_by_test_id("disclosure-title")).to_contain_text(world.district.name)
    expect(page.get_by_test_id("whoami")).to_have_count(0)  # nobody is signed in
    # The district's donor and the commune's; spending; one household, shown as "< 5"; left.
    assert public_figures(page) == {"received": "225.500.000 ₫", "spent": "5.000.000 ₫",
                                    "households": "< 5", "balance": "220.500.000 ₫"}
    row = page.get_by_test_id("units-table").locator(f"[data-unit='{world.commune.pk}']")
    expect(row.locator("td")).to_have_text([world.commune.name, "25.500.000 ₫", "5.000.000 ₫", "< 5",
                                            "40.500.000 ₫"])
    expect(page.get_by_test_id("donors-table")).to_contain_text(DONOR)
    assert_no_personal_data(page.content(), household, people)
    assert_fits_width(page)
    snap("4-district-public-page")

    # The district's campaign, from its page: the bank's gift, and what of it was spent.
    page.get_by_test_id("campaigns-table").get_by_role("link", name=CAMPAIGN).click()
    expect(page).to_have_url(re.compile(r"/public/campaigns/VNNMCB/$"))
    totals = page.get_by_test_id("totals")
    assert {name: totals.get_by_test_id(name).inner_text().strip()
            for name in ("target", "pledged", "received", "spent", "left", "households")} == {
        "target": "500.000.000 ₫", "pledged": "0 ₫", "received": "200.000.000 ₫", "spent": "5.000.000 ₫",
        "left": "195.000.000 ₫", "households": "< 5"}
    assert_no_personal_data(page.content(), household, people)
    assert_fits_width(page)
    snap("4-campaign-public-page")
    page.go_back()

    row.get_by_role("link", name=world.commune.name).click()
    expect(page).to_have_url(re.compile(rf"/public/units/{world.commune.pk}/$"))
    assert public_figures(page) == {"received": "25.500.000 ₫", "spent": "5.000.000 ₫",
                                    "households": "< 5", "balance": "40.500.000 ₫"}
    # What came down from the district, besides the donors' money.
    expect(page.get_by_test_id("moved")).to_contain_text("20.000.000 ₫")
    assert_no_personal_data(page.content(), household, people)

    # The donor checks that their money arrived, by the number printed on their receipt. The
    # household was paid from the older money, the district's (first in, first out): this
    # receipt's is all still held.
    search = page.get_by_test_id("receipt-search")
    search.locator("#id_q").fill(number)
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/public/units/{world.commune.pk}/receipts/\?q="))
    found = page.get_by_test_id("found-receipt")
    expect(found).to_have_count(1)
    expect(found.get_by_test_id("found-amount")).to_contain_text("25.500.000 ₫")
    expect(found.get_by_test_id("found-purposes")).to_have_count(0)
    expect(found.get_by_test_id("found-held").locator("td")).to_have_text([COMMUNE_FUND, "25.500.000 ₫"])
    assert_no_personal_data(page.content(), household, people)
    assert_fits_width(page)
    snap("4-receipt-found")

    # The bank checks its gift to the district by its transfer's reference: 5.000.000 ₫ of it
    # paid for a livelihood, the rest held by the district and, passed down, by the commune.
    page.goto(f"/public/units/{world.district.pk}/")
    search.locator("#id_q").fill("FT25001")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/public/units/{world.district.pk}/receipts/\?q=FT25001$"))
    expect(found).to_have_count(1)
    expect(found.get_by_test_id("found-amount")).to_contain_text("200.000.000 ₫")
    expect(found.get_by_test_id("found-purposes").locator("td").nth(1)).to_have_text("5.000.000 ₫")
    held = found.get_by_test_id("found-held")
    expect(held.locator(f"tr:has-text('{DISTRICT_FUND}') td").nth(1)).to_have_text("180.000.000 ₫")
    expect(held.locator(f"tr:has-text('{COMMUNE_FUND}') td").nth(1)).to_have_text("15.000.000 ₫")
    assert_no_personal_data(page.content(), household, people)


def assert_no_personal_data(html: str, household, people) -> None:
    """Nothing of the household helped is in the page's HTML: no name, citizen ID, code, address,
    nor the payment line's free text."""
    secrets = [household.code, household.address, LINE_NOTE, *(value for person in people for value in person)]
    leaked = [secret for secret in secrets if secret and secret in html]
    assert not leaked, f"the public page shows {leaked}"

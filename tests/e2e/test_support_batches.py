"""A Tet batch in a browser on a phone: a commune officer draws it up for the commune's poor
households, reviews and confirms it, finds the signature sheets, records the deliveries by tapping
(one household not found), and closes it; the fund's balance and a household's timeline show it."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from donations.support.models import Batch

from ..donations.factories import fund_of, receipt_into
from ..donations.support_factories import kind, poor_household
from .test_browser import sign_in

OCCASION = "Quà Tết Bính Ngọ 2026"


def _pdf_text(body: bytes, folder) -> str:
    pdf = folder / "sheet.pdf"
    pdf.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_commune_officer_hands_out_tet_gifts_to_the_communes_poor_households_on_a_phone(page: Page, world, snap,
                                                                                        tmp_path):
    fund = fund_of(world.commune)
    receipt_into(fund, amount=10_000_000, actor=world.commune_officer)
    poor = [poor_household(world.commune, head_name=name) for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cư")]
    poor_household(world.commune, category="near_poor", head_name="Ngô Thị Dung")

    page.goto("/support/batches/")
    sign_in(page, world.commune_officer.username)
    page.get_by_test_id("new-batch").click()
    page.locator("#id_kind").select_option(str(kind("tet_gifts").pk))
    page.locator("#id_occasion").fill(OCCASION)
    page.locator("#id_value").fill("500.000")
    page.locator("#id_fund").select_option(str(fund.pk))
    snap("create")
    page.get_by_test_id("save-batch").click()
    expect(page.get_by_test_id("batch-title")).to_have_text(OCCASION)
    batch = Batch.objects.get()

    # Recipients by the households' filters: the commune's poor households this year.
    page.get_by_test_id("choose-recipients").click()
    page.locator("#id_category").select_option("poor")
    page.get_by_test_id("count-households").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("3")
    snap("choose")
    page.get_by_test_id("add-households").click()
    expect(page.get_by_test_id("figure-lines")).to_have_text("3")
    expect(page.get_by_test_id("line")).to_have_count(3)
    expect(page.get_by_test_id("helped-elsewhere")).to_have_count(0)
    snap("recipients")
    page.get_by_test_id("confirm-batch").click()
    expect(page.get_by_test_id("batch-state")).to_have_attribute("class", "badge fs-6 text-bg-primary")

    # The signature sheet of the hamlet, and its deliveries.
    snap("confirmed")
    hamlet = page.get_by_test_id("hamlet-row")
    expect(hamlet).to_have_count(1)
    query = f"commune={world.commune.pk}&hamlet=%E1%BA%A4p%20Ph%C6%B0%E1%BB%9Bc%20H%E1%BA%ADu"
    sheet = f"{reverse('support:batch-sheet-pdf', args=[batch.pk])}?{query}"
    expect(hamlet.get_by_test_id("sheet-pdf")).to_have_attribute("href", sheet)
    printed = page.request.get(sheet)
    assert printed.headers["content-type"] == "application/pdf"
    text = _pdf_text(printed.body(), tmp_path)
    assert all(name in text for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cư", "DANH SÁCH KÝ NHẬN"))
    assert "Ngô Thị Dung" not in text  # near-poor: not chosen
    page.get_by_test_id("deliveries-link").click()
    cards = page.get_by_test_id("delivery-card")
    expect(cards).to_have_count(3)
    snap("deliveries")

    # A few taps per household, each swapping its card and the hamlet's progress (no reload).
    page.evaluate("window.stillTheSamePage = true")
    cards.nth(0).get_by_test_id("tap-delivered").click()
    expect(cards.nth(0)).to_have_attribute("data-delivery", "delivered")
    cards.nth(1).get_by_test_id("tap-not-found").click()
    expect(cards.nth(1)).to_have_attribute("data-delivery", "not_found")
    cards.nth(2).get_by_test_id("tap-representative").click()
    cards.nth(2).locator("input[name=representative]").fill("Phạm Thị Em")
    cards.nth(2).get_by_test_id("save-representative").click()
    expect(cards.nth(2)).to_have_attribute("data-delivery", "representative")
    expect(page.locator("#delivery-progress progress")).to_have_attribute("value", "2")
    assert page.evaluate("window.stillTheSamePage") is True
    snap("delivered")

    page.get_by_role("link", name=OCCASION).click()
    expect(page.get_by_test_id("figure-delivered")).to_have_text("2")
    page.get_by_test_id("close-batch").click()
    expect(page.get_by_test_id("batch-state")).to_have_attribute("class", "badge fs-6 text-bg-success")
    page.get_by_test_id("posting-link").click()
    expect(page.get_by_test_id("fund-balance")).to_have_text("9.000.000 ₫")
    page.go_back()
    snap("closed")

    # The gift on the household's page: the batch's occasion, the fund it came from, its value.
    delivered = next(line.household for line in batch.recipients.select_related("household")
                     if line.delivery == "delivered")
    page.goto(reverse("households:detail", args=[delivered.pk]))
    expect(page.locator("#timeline")).to_contain_text(OCCASION)
    expect(page.locator("#timeline")).to_contain_text(fund.name)
    expect(page.locator("#timeline")).to_contain_text("500.000 ₫")
    assert {line.household for line in batch.recipients.filter(delivery="not_found")} <= set(poor)


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_district_member_reviews_the_households_already_helped_and_confirms_with_a_reason(page: Page, world, snap):
    from donations.support import services

    from ..donations.support_factories import batch_with

    helped = poor_household(world.commune, head_name="Võ Văn Hai")
    commune_batch = batch_with(world.commune, [helped], actor=world.commune_officer, money=5_000_000)
    services.batch_confirm(actor=world.commune_officer, batch=commune_batch)
    batch = batch_with(world.district, [helped, poor_household(world.sibling_commune)], actor=world.district_member)

    page.goto("/support/batches/")
    sign_in(page, world.district_member.username)
    page.locator("#id_state").select_option("draft")
    page.locator("form[data-testid=filter-form] button[type=submit]").click()
    expect(page.get_by_test_id("batch-row")).to_have_count(1)
    page.get_by_role("link", name=OCCASION).click()
    page.get_by_test_id("show-flagged").click()
    flagged = page.get_by_test_id("line")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("Võ Văn Hai")
    expect(flagged.get_by_role("link", name=world.commune.name)).to_have_attribute(
        "href", reverse("support:batch-detail", args=[commune_batch.pk]))
    snap("flagged")

    page.get_by_test_id("confirm-batch").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("đã được hỗ trợ trong dịp này")
    assert Batch.objects.get(pk=batch.pk).state == "draft"
    page.locator("#id_duplicate_reason").fill("Hộ có người ốm nặng, xã và huyện cùng hỗ trợ")
    page.get_by_test_id("confirm-batch").click()
    expect(page.get_by_test_id("hamlet-row")).to_have_count(2)
    assert Batch.objects.get(pk=batch.pk).duplicate_reason == "Hộ có người ốm nặng, xã và huyện cùng hỗ trợ"

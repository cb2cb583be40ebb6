"""The annual review on a phone: every row starts at last year's status (not at "not poor"), one
button puts every row back to last year's, the selects are readable, and saving records them."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import HouseholdStatus

from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from .test_browser import sign_in


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_review_starts_at_last_years_status_and_keeps_it_for_all(page, world, snap):
    year = timezone.localdate().year
    last_year = datetime.date(year - 1, 1, 10)

    def household(name, *statuses):
        made = HouseholdFactory(commune=world.commune, head_name=name)
        for status_year, category in statuses:
            HouseholdStatusFactory(household=made, year=status_year, category=category,
                                   decision_date=last_year if status_year < year else timezone.localdate())
        return made

    poor = household("Lê Văn Nghèo", (year - 1, "poor"))
    near = household("Trần Thị Cận", (year - 1, "near_poor"))
    escaped = household("Phạm Văn Thoát", (year - 1, "escaped_poverty"))
    none = household("Võ Văn Khá")
    recorded = household("Đỗ Thị Đã", (year - 1, "poor"), (year, "near_poor"))

    page.goto("/households/review/")
    sign_in(page, "officer")
    expect(page).to_have_url(re.compile(r"/households/review/$"))

    def select(of):
        return page.locator(f"select[name=category_{of.pk}]")

    # Last year's poor and near-poor stay so; an escape or no status last year starts as not poor;
    # a status already recorded this year is shown as recorded.
    for of, value in ((poor, "poor"), (near, "near_poor"), (escaped, ""), (none, ""), (recorded, "near_poor")):
        expect(select(of)).to_have_value(value)

    # Readable on a phone: each select takes the row's width, in a font that needs no zoom.
    width = page.viewport_size["width"]
    box = select(poor).bounding_box()
    assert box["width"] >= 0.7 * width, f"the select is {box['width']}px wide on a {width}px phone"
    assert float(select(poor).evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 16
    # Against the screen's width: a phone's browser widens its window to a page too wide for it.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "the page does not scroll sideways"
    snap("preset")

    select(poor).select_option("escaped_poverty")
    select(none).select_option("poor")
    page.get_by_test_id("review-keep-all").click()
    for of, value in ((poor, "poor"), (near, "near_poor"), (escaped, ""), (none, ""), (recorded, "poor")):
        expect(select(of)).to_have_value(value)

    page.locator("#id_decision_number").fill("05/QĐ-UBND")
    page.locator("#id_decision_date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_test_id("review-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    statuses = dict(HouseholdStatus.objects.filter(year=year).values_list("household_id", "category"))
    assert statuses == {poor.pk: "poor", near.pk: "near_poor", recorded.pk: "poor"}

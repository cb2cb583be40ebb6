"""A typical model registered on a phone in a real browser: the commune officer opens the board from
the menu, fills the registration with a photo, lands on the model's page with the photo, registers
and submits it; the district's committee finds it on its board of the round.

The typical-models strings are not in the Vietnamese catalogue yet: things are found by
``data-testid``, ids, ``data-*`` values, URLs and the data the test itself typed.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from models_registry.choices import ModelState
from models_registry.models import TypicalModel

from .test_browser import open_menu, sign_in
from .test_housing import assert_fits_width, photo_jpeg, sign_out

MODEL_NAME = "Giọt nước nghĩa tình cho trường học"
MODEL_URL = re.compile(r"/models/(\d+)/(#\w+)?$")


def fits_if_phone(page: Page) -> None:
    """On a phone, nothing sticks out sideways (a desktop's wide tables may scroll in their box)."""
    if page.viewport_size["width"] < 500:
        assert_fits_width(page)


def fill_registration(page: Page, year: int) -> None:
    """Fill the registration form the page is on with MODEL_NAME of ``year``'s round and a first
    photo, without saving it."""
    form = page.get_by_test_id("model-form")
    form.locator("#id_year").fill(str(year))
    form.locator("#id_name").fill(MODEL_NAME)
    form.locator("#id_field").select_option("social_security")
    form.locator("#id_leader_name").fill("Chi hội Phụ nữ ấp Phước Hậu")
    form.locator("#id_goals").fill("Nước sạch cho ba điểm trường tiểu học")
    form.locator("#id_started_on").fill("15/01/2025")
    form.locator("#id_participants").fill("85")
    form.locator("#id_budget").fill("45.000.000")
    form.locator("#id_budget_sources").fill("Xã hội hóa, Quỹ Vì người nghèo xã")
    form.locator("#id_photo").set_input_files(files=[{"name": "gieng-truong.jpg", "mimeType": "image/jpeg",
                                                       "buffer": photo_jpeg()}])


def register_and_submit(page: Page) -> None:
    """From the model's page of a draft: register it, then submit it to the level above."""
    actions = page.get_by_test_id("model-actions")
    actions.locator("[data-step=register] [data-testid=take-step]").click()
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "registered")
    actions.locator("[data-step=submit] [data-testid=take-step]").click()
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "submitted")


@pytest.mark.e2e
def test_commune_officer_registers_a_model_with_a_photo_and_the_district_sees_it_on_its_board(page, world, snap):
    # The next year's round: its deadline (31 March) is ahead whatever day the test runs.
    year = timezone.localdate().year + 1
    page.goto("/")
    sign_in(page, "officer")
    open_menu(page)
    page.get_by_test_id("nav-models").click()
    expect(page).to_have_url(re.compile(r"/models/board/$"))
    page.get_by_test_id("register-model").first.click()
    fill_registration(page, year)
    fits_if_phone(page)
    snap("create-form")
    page.get_by_test_id("model-form").get_by_test_id("save-model").click()

    expect(page).to_have_url(MODEL_URL)
    expect(page.get_by_test_id("model-title")).to_have_text(MODEL_NAME)
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "draft")
    expect(page.get_by_test_id("attachment")).to_have_count(1)
    expect(page.get_by_test_id("model-budget")).to_contain_text("45.000.000 ₫")
    register_and_submit(page)
    expect(page.get_by_test_id("model-step")).to_have_count(3)
    fits_if_phone(page)
    snap("model-page")
    assert TypicalModel.objects.get(name=MODEL_NAME).state == ModelState.SUBMITTED

    sign_out(page)
    sign_in(page, "member")
    page.goto(f"/models/board/?year={year}")
    column = page.locator("[data-testid=board-column][data-state=submitted]")
    expect(column.get_by_test_id("state-count")).to_have_text("1")
    expect(column).to_contain_text(MODEL_NAME)
    snap("board")

    sign_out(page)
    sign_in(page, "provincial")
    page.goto(f"/models/board/?year={year}")
    row = page.locator(f"[data-testid=round-row][data-unit='{world.district.code}']")
    expect(row).to_contain_text(world.district.name)
    expect(page.get_by_test_id("board-total")).to_have_text("1")
    snap("province-table")
    row.locator("a").click()
    expect(page.locator("[data-testid=board-column][data-state=submitted]")).to_contain_text(MODEL_NAME)

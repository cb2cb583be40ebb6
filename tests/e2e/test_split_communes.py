"""The 2025 reform's split communes in a real browser: the officer of the current Vĩnh Long province
(which former Bến Tre became part of) opens Households, follows "Communes split in 2025", gives a
hamlet of the former Phú Mỹ commune to one of the two communes it was divided into and saves; the
page shows who assigned it and when, and the hamlet's households are now counted in that commune.
Another province's officer who is given the commune's address gets the site's 404 page.

Things are found by ``data-testid``, ``data-*`` values, the hamlets' select names
(households.forms.hamlet_field_name) and the names the test made.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontwelfare.areas.choices import Era
from households.forms import hamlet_field_name
from households.models import HamletAssignment, Household

from ..factories import CommuneFactory, ProvinceFactory, ProvincialOfficerFactory
from ..households.factories import HouseholdFactory
from .test_browser import open_menu, sign_in
from .test_housing import sign_out
from .test_models_register import fits_if_phone

HAMLETS = ("Ấp 1", "Ấp 2", "Ấp 3")
SPLIT_URL = re.compile(r"/households/split-communes/(\d+)/$")


@pytest.fixture
def split(world):
    """Phú Mỹ (former, of Bến Tre) divided between two communes of the current Vĩnh Long, with two
    households in each of three hamlets; Vĩnh Long's officer; the officer of the current Lâm Đồng, another
    province. As tests/households/test_hamlet_assignment.py's fixture of the same name."""
    vinh_long = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Vĩnh Long", code="86")
    east, west = (CommuneFactory(era=Era.CURRENT, parent=vinh_long, district=None, province=vinh_long, name=name)
                  for name in ("Xã Phú Mỹ Đông", "Xã Phú Mỹ Tây"))
    former = world.sibling_commune
    former.successors.set([east, west])
    world.province.current_province = vinh_long
    world.province.save(update_fields=["current_province"])
    former.current_province = vinh_long
    former.save(update_fields=["current_province"])
    for hamlet in HAMLETS:
        HouseholdFactory.create_batch(2, commune=former, hamlet=hamlet)
    lam_dong = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Lâm Đồng", code="68")
    return {"former": former, "east": east, "west": west,
            "officer": ProvincialOfficerFactory(username="vinhlong", unit=vinh_long),
            "outsider": ProvincialOfficerFactory(username="lamdong", unit=lam_dong)}


def hamlet_row(page: Page, hamlet: str):
    return page.locator(f"[data-testid=hamlet-row][data-hamlet='{hamlet}']")


def assert_choice_readable_if_phone(page: Page, select) -> None:
    """On a phone a hamlet is a card of its own, its select as wide as the card: the chosen commune's
    name is read whole (in a four-column table it was squeezed to its first few letters)."""
    if page.viewport_size["width"] < 500:
        assert select.bounding_box()["width"] >= page.viewport_size["width"] / 2, select.bounding_box()


def assigned_communes(former, hamlet: str) -> set:
    return set(Household.objects.filter(commune=former, hamlet=hamlet).values_list("assigned_commune_id", flat=True))


@pytest.mark.e2e
def test_provincial_officer_assigns_a_hamlet_of_a_split_commune_and_another_province_gets_404(
        page: Page, world, split, snap):
    former, east, officer = split["former"], split["east"], split["officer"]
    page.goto("/")
    sign_in(page, "vinhlong")
    open_menu(page)
    page.locator("#main-nav .nav-link[href='/households/']").click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    page.get_by_test_id("split-communes").click()

    expect(page).to_have_url(re.compile(r"/households/split-communes/$"))
    card = page.locator(f"[data-testid=split-commune][data-commune='{former.pk}']")
    expect(page.get_by_test_id("split-commune")).to_have_count(1)
    expect(card).to_contain_text(former.name)
    expect(card).to_contain_text("Xã Phú Mỹ Đông")
    expect(card).to_contain_text("Xã Phú Mỹ Tây")
    expect(card.get_by_test_id("hamlet-row")).to_have_count(len(HAMLETS))
    for hamlet in HAMLETS:
        row = hamlet_row(card, hamlet)
        expect(row.locator("td").nth(1)).to_have_text("2")  # its households
        expect(row.locator("select")).to_have_value("")  # not assigned
        expect(row.get_by_test_id("assigned-by")).to_have_text("—")
    fits_if_phone(page)
    snap("list")

    select = card.locator(f"select[name={hamlet_field_name('Ấp 2')}]")
    select.select_option(str(east.pk))
    card.get_by_test_id("save-assignment").click()

    expect(page).to_have_url(SPLIT_URL)
    assert SPLIT_URL.search(page.url).group(1) == str(former.pk)
    expect(page.locator("main .alert-success")).to_contain_text(former.name)
    row = hamlet_row(page, "Ấp 2")
    expect(row.locator("select")).to_have_value(str(east.pk))
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(row.get_by_test_id("assigned-by")).to_contain_text(officer.get_full_name() or officer.username)
    expect(row.get_by_test_id("assigned-by")).to_contain_text(today)
    for hamlet in ("Ấp 1", "Ấp 3"):
        expect(hamlet_row(page, hamlet).locator("select")).to_have_value("")
        expect(hamlet_row(page, hamlet).get_by_test_id("assigned-by")).to_have_text("—")
    assert_choice_readable_if_phone(page, row.locator("select"))
    fits_if_phone(page)
    snap("assigned")

    # The hamlet's households are now the current commune's; the others wait; none changed commune.
    assert assigned_communes(former, "Ấp 2") == {east.pk}
    assert assigned_communes(former, "Ấp 1") == assigned_communes(former, "Ấp 3") == {None}
    assert Household.objects.filter(commune=former).count() == 2 * len(HAMLETS)
    assignment = HamletAssignment.objects.get(former_commune=former)
    assert (assignment.hamlet, assignment.current_commune, assignment.assigned_by) == ("Ấp 2", east, officer)

    # Lâm Đồng's officer: the commune is not on their list, and its address is the site's 404 page.
    address = page.url
    sign_out(page)
    sign_in(page, "lamdong")
    response = page.goto("/households/split-communes/")
    assert response.status == 200
    expect(page.get_by_test_id("split-commune")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(former.name)
    response = page.goto(address)
    assert response.status == 404
    expect(page.get_by_test_id("error-page").locator("h1")).to_have_text("Không tìm thấy trang")
    expect(page.get_by_test_id("error-page")).not_to_contain_text(former.name)
    fits_if_phone(page)
    snap("outsider-404")
    assert HamletAssignment.objects.count() == 1

"""The household registry in a real browser: a commune officer registers a household with two
members, finds it again by typing its head's name without diacritics, and exports the list;
and the registration page warns of likely duplicates before anything is saved.

As in test_browser, things are found by ``data-testid``, ids, values and the data the test
itself typed, not by interface text, which the Vietnamese catalogue may not have caught up with.
"""

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from households.choices import Relation, Sex
from households.models import Household

from ..factories import TEST_PASSWORD, CommuneOfficerFactory
from ..households.factories import HouseholdFactory, valid_citizen_id
from .test_browser import open_menu, sign_in

HEAD_NAME = "Nguyễn Văn An"
HEAD_ID = valid_citizen_id(sex=Sex.MALE, birth_year=1980, serial=123456)
SPOUSE_NAME = "Trần Thị Bích"
SPOUSE_ID = valid_citizen_id(sex=Sex.FEMALE, birth_year=1982, serial=654321)
DETAIL_URL = re.compile(r"/households/\d+/$")
NEW_URL = re.compile(r"/households/new/$")
DUPLICATES_URL = re.compile(r"/households/new/duplicates/$")


def member_field(page: Page, index: int, name: str):
    """A field of the ``index``-th member form (0-based) of the registration page."""
    return page.locator(f"#id_members-{index}-{name}")


def fill_member(page: Page, index: int, *, full_name: str, relation: str, sex: str, birth_year: int | None = None,
                birth_date: str = "", citizen_id: str = "") -> None:
    member_field(page, index, "full_name").fill(full_name)
    member_field(page, index, "relation").select_option(relation)
    member_field(page, index, "sex").select_option(sex)
    if birth_date:
        member_field(page, index, "birth_date").fill(birth_date)
    if birth_year:
        member_field(page, index, "birth_year").fill(str(birth_year))
    if citizen_id:
        member_field(page, index, "citizen_id").fill(citizen_id)


def add_member_form(page: Page) -> None:
    """Click "add a member" and wait for htmx to append the next, empty, member form."""
    forms = page.get_by_test_id("member-form")
    before = forms.count()
    page.locator("#household-form").get_by_test_id("add-member").click()
    expect(forms).to_have_count(before + 1)
    expect(page.locator("#id_members-TOTAL_FORMS")).to_have_value(str(before + 1))
    expect(member_field(page, before, "full_name")).to_be_empty()


def workbook_values(path) -> list[str]:
    """Every non-empty cell of every sheet, as text."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                for value in row if value not in (None, "")]
    finally:
        workbook.close()


@pytest.mark.e2e
def test_commune_officer_registers_household_finds_it_without_diacritics_and_exports(page, world, snap, tmp_path):
    # Another household of the commune: the search must leave it out, and so must the export.
    HouseholdFactory(commune=world.commune, head_name="Lê Văn Hùng", consent_recorded_by=world.commune_officer)
    page.goto("/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    open_menu(page)
    page.locator("#main-nav .nav-link[href$='/households/']").click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    page.get_by_test_id("register-household").click()

    expect(page).to_have_url(NEW_URL)
    form = page.get_by_test_id("household-form")
    form.locator("#id_hamlet").fill("Ấp Phước Hậu")
    form.locator("#id_phone").fill("0912 345 678")
    form.locator("#id_consent_date").fill("01/03/2025")
    expect(page.get_by_test_id("member-form")).to_have_count(1)
    fill_member(page, 0, full_name=HEAD_NAME, relation=Relation.HEAD, sex=Sex.MALE, birth_year=1980,
                citizen_id=HEAD_ID)
    add_member_form(page)
    fill_member(page, 1, full_name=SPOUSE_NAME, relation=Relation.SPOUSE, sex=Sex.FEMALE,
                birth_date="14/05/1982", citizen_id=SPOUSE_ID)
    # Neither person is registered anywhere: the duplicate check, run once the typing stops, stays silent.
    with page.expect_response(DUPLICATES_URL) as checked:
        member_field(page, 1, "citizen_id").press("Tab")
    assert checked.value.ok
    expect(page.get_by_test_id("duplicates")).to_have_count(0)
    snap("form-filled")

    page.get_by_test_id("save-household").click()

    expect(page).to_have_url(DETAIL_URL)
    household = Household.objects.get(commune=world.commune, head_name=HEAD_NAME)
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    expect(page.locator("main .alert-success")).to_contain_text(household.code)
    expect(page.get_by_test_id("household-title")).to_have_text(HEAD_NAME)
    expect(page.locator("main")).to_contain_text(household.code)
    expect(page.locator("main")).to_contain_text("0912 345 678")
    rows = page.get_by_test_id("members").get_by_test_id("member-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(HEAD_NAME)
    expect(rows.nth(0)).to_contain_text("1980")
    # The officer of the household's own commune sees the full citizen IDs.
    expect(rows.nth(0).get_by_test_id("citizen-id")).to_have_text(HEAD_ID)
    expect(rows.nth(1)).to_contain_text(SPOUSE_NAME)
    expect(rows.nth(1)).to_contain_text("14/05/1982")
    expect(rows.nth(1).get_by_test_id("citizen-id")).to_have_text(SPOUSE_ID)
    expect(page.locator("main")).to_contain_text("01/03/2025")
    snap("detail")

    page.locator("main a[href$='/households/']").first.click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    table = page.get_by_test_id("household-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.locator("#id_q").fill("nguyen van an")
    page.get_by_test_id("search-button").click()

    expect(page).to_have_url(re.compile(r"[?&]q=nguyen\+van\+an(&|$)"))
    expect(page.locator("#id_q")).to_have_value("nguyen van an")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name=HEAD_NAME, exact=True)).to_be_visible()
    expect(table).to_contain_text(household.code)
    expect(table).not_to_contain_text("Lê Văn Hùng")
    snap("search")

    export = page.get_by_test_id("export-xlsx")
    expect(export).to_have_attribute("href", re.compile(r"/households/export\.xlsx\?.*q=nguyen\+van\+an"))
    with page.expect_download(timeout=20_000) as download_info:
        export.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    cells = workbook_values(saved)
    assert household.code in cells, cells[:40]
    assert any(HEAD_NAME in cell for cell in cells), cells[:40]
    # The export follows the search it was started from.
    assert not any("Lê Văn Hùng" in cell for cell in cells), cells[:40]


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_registration_warns_of_likely_duplicates_before_saving(page, world, snap):
    # Registered in the sibling commune (same district, out of the officer's sight)...
    neighbour = CommuneOfficerFactory(unit=world.sibling_commune, username="phumy", last_name="Đặng Thị",
                                      first_name="Hoa", phone="0987 654 321", email="hoa@phumy.example")
    hidden = HouseholdFactory(commune=world.sibling_commune, head_name="Phạm Văn Bình", hamlet="Ấp Bình Thạnh",
                              consent_recorded_by=neighbour, head__birth_year=1970)
    hidden_id = hidden.members.get().citizen_id
    district_contact = world.district_member
    district_contact.phone = "0275 3860 111"
    district_contact.save()
    # ... and in the officer's own commune.
    own = HouseholdFactory(commune=world.commune, head_name="Võ Thị Cúc", consent_recorded_by=world.commune_officer,
                           head__birth_year=1990, head__sex=Sex.FEMALE)
    # Same name and year in a commune of another district: not the district's concern.
    HouseholdFactory(commune=world.other_district_commune, head_name="Phạm Văn Bình", hamlet="Ấp Tân Lợi",
                     head__birth_year=1970)
    households_before = Household.objects.count()

    page.goto("/households/new/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(NEW_URL)
    warning = page.get_by_test_id("duplicates")
    expect(warning).to_have_count(0)

    # Typed without diacritics, as on a phone keyboard; leaving the field (Tab) is the "change".
    member_field(page, 0, "full_name").fill("pham van binh")
    member_field(page, 0, "birth_year").fill("1970")
    with page.expect_response(DUPLICATES_URL) as checked:
        member_field(page, 0, "birth_year").press("Tab")
    assert checked.value.ok

    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_count(1)
    # Only that a match exists elsewhere, and whom to ask in the officer's own district.
    expect(warning).to_contain_text("pham van binh")
    expect(warning).to_contain_text(world.district.name)
    expect(warning).to_contain_text(district_contact.get_full_name())
    expect(warning).to_contain_text("0275 3860 111")
    # Nothing of the person, household or commune the officer may not see, nor its officer.
    for private in ("Phạm Văn Bình", hidden.code, hidden.hamlet, hidden_id, hidden_id[-4:], "1970",
                    world.sibling_commune.name, "Đặng Thị Hoa", "0987 654 321", "hoa@phumy.example"):
        expect(warning).not_to_contain_text(private)
    expect(warning.locator("a")).to_have_count(0)
    expect(warning).not_to_contain_text(world.other_district_commune.name)

    # A second person who is already registered in the officer's own commune: named, with a link.
    add_member_form(page)
    member_field(page, 1, "full_name").fill("Vo Thi Cuc")
    member_field(page, 1, "birth_year").fill("1990")
    member_field(page, 1, "birth_year").press("Tab")
    expect(warning.locator("li")).to_have_count(2)
    visible_hit = warning.locator("li", has_text="Võ Thị Cúc")
    expect(visible_hit).to_contain_text("1990")
    expect(visible_hit).to_contain_text(own.code)
    expect(visible_hit.locator("a")).to_have_attribute("href", re.compile(rf"/households/{own.pk}/$"))
    snap("duplicates")

    # Nothing was saved while typing; saving asks the officer to confirm they checked.
    expect(page).to_have_url(NEW_URL)
    assert Household.objects.count() == households_before
    page.locator("#id_hamlet").fill("Ấp Phước Hậu")
    member_field(page, 0, "relation").select_option(Relation.HEAD)
    member_field(page, 0, "sex").select_option(Sex.MALE)
    member_field(page, 1, "relation").select_option(Relation.PARENT)
    member_field(page, 1, "sex").select_option(Sex.FEMALE)
    page.get_by_test_id("save-household").click()

    confirm = page.locator("#duplicates-checked")
    expect(confirm).to_be_visible()
    expect(page).to_have_url(NEW_URL)
    expect(warning.locator("li")).to_have_count(2)
    expect(warning).not_to_contain_text("Phạm Văn Bình")
    expect(member_field(page, 0, "full_name")).to_have_value("pham van binh")
    snap("confirm")
    assert Household.objects.count() == households_before
    confirm.check()
    page.get_by_test_id("save-household").click()

    expect(page).to_have_url(DETAIL_URL)
    expect(page.get_by_test_id("members").get_by_test_id("member-row")).to_have_count(2)
    assert Household.objects.filter(commune=world.commune, head_name="pham van binh").count() == 1
    assert Household.objects.count() == households_before + 1


def test_a_provincial_officer_searching_a_name_too_common_is_asked_for_more_of_it(page: Page, live_server,
                                                                                 monkeypatch):
    """The limits made small (a name of more than 2 people is too common to list; a list of more than
    4 households too big to search it one by one): the province's list says so under the search box,
    and the same search within one commune finds its households."""
    from households import filters

    from ..factories import CommuneFactory, DistrictFactory, ProvinceFactory, ProvincialOfficerFactory

    monkeypatch.setattr(filters, "SEARCH_MATCHES", 2)
    monkeypatch.setattr(filters, "BROAD_SEARCH_LIST", 4)
    province = ProvinceFactory(name="Tỉnh Bến Tre", code="83")
    district = DistrictFactory(parent=province, name="Huyện Mỏ Cày Bắc", code="838")
    communes = [CommuneFactory(parent=district, name=name, code=code)
                for name, code in (("Xã Thạnh Ngãi", "28915"), ("Xã Tân Thành Bình", "28918"))]
    for commune in (communes[0], communes[0], communes[1], communes[1], communes[1]):
        HouseholdFactory(commune=commune, head_name="Nguyễn Văn Nam")
    ProvincialOfficerFactory(username="tinh", unit=province)

    page.goto(f"{live_server.url}/households/?q=nguyen")
    sign_in(page, "tinh")
    error = page.get_by_test_id("search-error")
    expect(error).to_have_text("Hơn 2 người có tên “nguyen”: hãy gõ thêm tên, hoặc chọn một đơn vị để tìm trong đó.")
    expect(page.locator("#id_q")).to_have_attribute("aria-describedby", re.compile(r"\bid_q_error\b"))

    page.goto(f"{live_server.url}/households/?q=nguyen&unit={communes[0].pk}")
    expect(page.get_by_test_id("search-error")).to_have_count(0)
    expect(page.get_by_test_id("household-count")).to_have_text("(2)")

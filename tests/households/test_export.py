"""The list's exports: XLSX (households and members) and CSV (households), within scope, filtered
like the list, citizen IDs masked by role, nothing that Excel would run as a formula."""

import csv
import datetime
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from frontwelfare.accounts.choices import Role
from households.choices import Disability, Relation, SchoolLevel, Sex
from households.exports import neutralise
from households.permissions import mask_citizen_id

from .factories import (
    HouseholdFactory,
    HouseholdPolicyFactory,
    HouseholdStatusFactory,
    MemberFactory,
    valid_citizen_id,
)

XLSX_URL = reverse("households:export-xlsx")
CSV_URL = reverse("households:export-csv")


@pytest.fixture
def english_client(client):
    """Headers and labels in their English source, whatever the catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def an_household(world):
    """A household of the world's commune: a head, a spouse, a child; poor in 2025; a war invalid's family."""
    household = HouseholdFactory(commune=world.commune, code="28915-0001", head_name="Nguyễn Văn An", hamlet="Ấp 3",
                                 address="12 Lê Lợi", phone="0912 345 678", head=False)
    MemberFactory(household=household, full_name="Nguyễn Văn An", relation=Relation.HEAD, birth_year=1970,
                  birth_date=datetime.date(1970, 5, 14),
                  citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234))
    MemberFactory(household=household, full_name="Lê Thị Bình", relation=Relation.SPOUSE, sex=Sex.FEMALE,
                  birth_year=1975, citizen_id="", health_insurance_number="HN4830123456789")
    MemberFactory(household=household, full_name="Nguyễn Văn Cường", relation=Relation.CHILD, birth_year=2010,
                  citizen_id="", disability=Disability.MILD, school_level=SchoolLevel.LOWER_SECONDARY)
    HouseholdStatusFactory(household=household, year=2025, category="poor")
    HouseholdStatusFactory(household=household, year=2024, category="near_poor")
    HouseholdPolicyFactory(household=household, policy_type="war_invalid")
    return household


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="ho-gia-dinh-')
    return load_workbook(BytesIO(response.content))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode()), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("value", ["=1+1", "+84912345678", "-2+3", "@SUM(A1)", "\tnote", "\r=1", "=HYPERLINK(\"x\")"])
def test_text_that_excel_would_run_gets_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "", "a=b", "083070001234", "********1234", 5, None,
                                   datetime.date(2025, 1, 1)])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_xlsx_has_households_and_members_with_headers_frozen(english_client, world, an_household):
    english_client.force_login(world.commune_officer)
    workbook = workbook_of(english_client.get(XLSX_URL, {"year": 2025}))
    assert workbook.sheetnames == ["Households", "Members"]
    households, members = workbook["Households"], workbook["Members"]
    assert households.freeze_panes == "A2" and members.freeze_panes == "A2"
    assert rows_of(households) == [
        ("Household code", "Commune", "Hamlet", "Street address", "Phone", "Head of household", "Head's citizen ID",
         "Members", "Categories in 2025", "Policy types"),
        ("28915-0001", "Thị trấn Phước Mỹ Trung", "Ấp 3", "12 Lê Lợi", "0912 345 678", "Nguyễn Văn An",
         valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234), 3, "Poor household", "War invalid"),
    ]
    assert households["A1"].font.bold
    assert rows_of(members) == [
        ("Household code", "Full name", "Date of birth", "Sex", "Relation to the head", "Citizen ID (CCCD)",
         "Ethnicity", "Disability", "Pupil or student", "Health-insurance card number", "Phone"),
        ("28915-0001", "Nguyễn Văn An", datetime.datetime(1970, 5, 14), "Male", "Head of household",
         valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234), "Kinh", None, None, None, None),
        ("28915-0001", "Lê Thị Bình", 1975, "Female", "Spouse", None, "Kinh", None, None, "HN4830123456789", None),
        ("28915-0001", "Nguyễn Văn Cường", 2010, "Male", "Child", None, "Kinh", "Mild disability",
         "Lower secondary school", None, None),
    ]
    assert members["C2"].number_format == "DD/MM/YYYY"


def test_categories_are_those_of_the_chosen_year(english_client, world, an_household):
    english_client.force_login(world.commune_officer)
    sheet = workbook_of(english_client.get(XLSX_URL, {"year": 2024}))["Households"]
    assert (sheet["I1"].value, sheet["I2"].value) == ("Categories in 2024", "Near-poor household")


def test_exports_follow_the_list_filters_and_name_order(client, world, an_household):
    HouseholdFactory(commune=world.commune, code="28915-0002", head_name="Đỗ Văn Bình")
    HouseholdFactory(commune=world.commune, code="28915-0003", head_name="Dương Thị Ánh")
    HouseholdFactory(commune=world.commune, code="28915-0004", head_name="Bùi Văn Cư")
    client.force_login(world.commune_officer)

    everything = rows_of(workbook_of(client.get(XLSX_URL)).worksheets[0])
    # Vietnamese order: B, D, Đ, N (Đ after D, not with it).
    assert [row[0] for row in everything[1:]] == ["28915-0004", "28915-0003", "28915-0002", "28915-0001"]

    poor = rows_of(workbook_of(client.get(XLSX_URL, {"category": "poor", "year": 2025})).worksheets[0])
    assert [row[0] for row in poor[1:]] == ["28915-0001"]
    found = csv_rows(client.get(CSV_URL, {"q": "duong thi"}))
    assert [row[0] for row in found[1:]] == ["28915-0003"]


def test_out_of_scope_households_are_not_exported(client, world, an_household):
    HouseholdFactory(commune=world.sibling_commune, code="28889-0001")
    client.force_login(world.commune_officer)
    text = str(rows_of(workbook_of(client.get(XLSX_URL)).worksheets[0])) + str(csv_rows(client.get(CSV_URL)))
    assert "28915-0001" in text
    assert "28889-0001" not in text


def test_csv_is_the_households_table_in_utf8_for_excel(english_client, world, an_household):
    english_client.force_login(world.commune_officer)
    rows = csv_rows(english_client.get(CSV_URL, {"year": 2025}))
    assert rows[0][:3] == ["Household code", "Commune", "Hamlet"]
    assert rows[1] == ["28915-0001", "Thị trấn Phước Mỹ Trung", "Ấp 3", "12 Lê Lợi", "0912 345 678", "Nguyễn Văn An",
                       valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234), "3", "Poor household",
                       "War invalid"]


def test_formula_like_text_is_neutralised_in_both_exports(client, world):
    household = HouseholdFactory(commune=world.commune, code="28915-0009", hamlet='=HYPERLINK("http://x.vn","Mở")',
                                 head_name="@Nguyễn", head=False)
    MemberFactory(household=household, full_name="+SUM(1,2)", relation=Relation.HEAD, phone="-1")
    client.force_login(world.commune_officer)
    workbook = workbook_of(client.get(XLSX_URL))
    households, members = workbook.worksheets
    assert households["C2"].value == "'=HYPERLINK(\"http://x.vn\",\"Mở\")"
    assert households["C2"].data_type == "s", "a string, not a formula"
    assert households["F2"].value == "'@Nguyễn"
    assert (members["B2"].value, members["K2"].value) == ("'+SUM(1,2)", "'-1")
    row = csv_rows(client.get(CSV_URL))[1]
    assert (row[2], row[5]) == ("'=HYPERLINK(\"http://x.vn\",\"Mở\")", "'@Nguyễn")


@pytest.mark.parametrize(("role", "full"), [
    (Role.COMMUNE_OFFICER, True), (Role.DISTRICT_MEMBER, True), (Role.PROVINCIAL_OFFICER, False),
    (Role.ADMINISTRATOR, False),
])
def test_citizen_ids_are_masked_for_those_who_do_not_work_with_the_person(client, world, an_household, role, full):
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234)
    shown = citizen_id if full else mask_citizen_id(citizen_id)
    client.force_login(world.viewer(role))
    workbook = workbook_of(client.get(XLSX_URL))
    assert workbook.worksheets[0]["G2"].value == shown
    assert workbook.worksheets[1]["F2"].value == shown
    assert csv_rows(client.get(CSV_URL))[1][6] == shown
    if not full:
        assert citizen_id not in client.get(CSV_URL).content.decode()


def test_district_member_sees_ids_of_own_district_only_in_full(client, world, an_household):
    other = HouseholdFactory(commune=world.other_district_commune, code="28756-0001")
    client.force_login(world.provincial_officer)
    rows = {row[0]: row[6] for row in csv_rows(client.get(CSV_URL))[1:]}
    assert rows["28756-0001"] == mask_citizen_id(other.members.get().citizen_id)
    client.force_login(world.district_member)
    rows = {row[0]: row[6] for row in csv_rows(client.get(CSV_URL))[1:]}
    assert "28756-0001" not in rows
    assert rows["28915-0001"] == valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1234)


def _thirty_households(world):
    for _ in range(30):
        household = HouseholdFactory(commune=world.commune)
        MemberFactory.create_batch(2, household=household)
        HouseholdStatusFactory(household=household, year=2025)
        HouseholdPolicyFactory(household=household)


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_export_of_thirty_households_stays_under_the_query_ceiling(client, world, url, django_assert_max_num_queries):
    _thirty_households(world)
    client.force_login(world.district_member)
    # session, user, the viewer's unit (the filter's choices), the count (a file at once, or made in
    # the background), households with their commune, members, statuses, policy types; then the
    # session is saved (savepoint, update, release).
    with django_assert_max_num_queries(11):
        response = client.get(url, {"category": "poor", "year": 2025})
    assert response.status_code == 200


@pytest.mark.parametrize("url", [XLSX_URL, CSV_URL])
def test_export_queries_do_not_grow_with_the_rows(client, world, url):
    client.force_login(world.commune_officer)
    HouseholdFactory(commune=world.commune)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _thirty_households(world)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)

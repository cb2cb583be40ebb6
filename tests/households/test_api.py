"""The households API: the page's filters, scope and services, as JSON."""

import datetime
import io

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from frontwelfare.accounts.choices import Role
from households.choices import Relation, Sex
from households.filters import current_year
from households.models import Household, HouseholdStatus, Member

from .factories import (
    HouseholdFactory,
    HouseholdPolicyFactory,
    HouseholdStatusFactory,
    MemberFactory,
    valid_citizen_id,
)

THIS_YEAR = current_year()


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in English (the msgids)."""

    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@pytest.fixture
def home(world):
    """A household of the officer's commune: the head An and his daughter Bình."""
    household = HouseholdFactory(
        commune=world.commune, consent_recorded_by=world.commune_officer, hamlet="Ấp Phước Hậu",
        head_name="Nguyễn Văn An", head__birth_year=1970,
        head__citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=111_222),
    )
    MemberFactory(household=household, full_name="Nguyễn Thị Bình", sex=Sex.FEMALE, birth_year=2010,
                  school_level="lower_secondary")
    return household


def _list(client, **params) -> list[dict]:
    response = client.get(reverse("api:household-list"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _codes(client, **params) -> set[str]:
    return {row["code"] for row in _list(client, **params)}


# -- list ----------------------------------------------------------------------------------------


def test_list_row_shows_commune_head_member_count_categories_and_policy_types(api, world, home):
    HouseholdStatusFactory(household=home, year=THIS_YEAR, category="poor")
    HouseholdStatusFactory(household=home, year=THIS_YEAR, category="difficult")
    HouseholdStatusFactory(household=home, year=THIS_YEAR - 1, category="near_poor")
    HouseholdPolicyFactory(household=home, policy_type="war_invalid")

    (row,) = _list(api(world.commune_officer))

    assert row["id"] == home.pk
    assert row["code"] == home.code
    assert row["commune"] == {"id": world.commune.pk, "code": "28915", "name": "Thị trấn Phước Mỹ Trung"}
    assert row["hamlet"] == "Ấp Phước Hậu"
    assert row["head_name"] == "Nguyễn Văn An"
    assert row["member_count"] == 2
    assert row["categories"] == ["difficult", "poor"]
    assert row["policy_types"] == ["war_invalid"]
    assert "members" not in row, "the list leaves personal data to the detail"


def test_list_categories_are_those_of_the_year_filter(api, world, home):
    HouseholdStatusFactory(household=home, year=2024, category="near_poor")
    HouseholdStatusFactory(household=home, year=THIS_YEAR, category="difficult")
    client = api(world.commune_officer)
    assert _list(client, year=2024)[0]["categories"] == ["near_poor"]


def test_list_orders_households_by_head_name_in_vietnamese_order(api, world):
    for name in ("Đỗ Văn Đạt", "Dương Thị Dung", "Âu Văn Ấn", "Anh Thị Ánh"):
        HouseholdFactory(commune=world.commune, head_name=name)
    names = [row["head_name"] for row in _list(api(world.commune_officer))]
    assert names == ["Anh Thị Ánh", "Âu Văn Ấn", "Dương Thị Dung", "Đỗ Văn Đạt"]


def test_search_without_diacritics_finds_the_member(api, world, home):
    HouseholdFactory(commune=world.commune, head_name="Trần Văn Bảy")
    client = api(world.commune_officer)
    assert _codes(client, q="nguyen van an") == {home.code}
    assert _codes(client, q="NGUYỄN THỊ BÌNH") == {home.code}
    assert _codes(client, q="111222") == {home.code}, "the last digits of a citizen ID"
    assert _codes(client, q="nguyen van binh") == set()


@pytest.fixture
def varied(world):
    """Households of two communes of the district, each with one thing to filter by."""
    this_commune = world.commune
    return {
        "poor": HouseholdFactory(commune=this_commune, hamlet="Ấp Một"),
        "near_poor_last_year": HouseholdFactory(commune=this_commune, hamlet="Ấp Hai"),
        "martyr": HouseholdFactory(commune=this_commune, hamlet="Ấp Hai"),
        "disability": HouseholdFactory(commune=this_commune, hamlet="Ấp Ba", head__disability="severe"),
        "pupil": HouseholdFactory(commune=this_commune, hamlet="Ấp Ba", head__school_level="university"),
        "sibling": HouseholdFactory(commune=world.sibling_commune, hamlet="Ấp Một"),
    }


@pytest.fixture
def varied_statuses(varied):
    HouseholdStatusFactory(household=varied["poor"], year=THIS_YEAR, category="poor")
    HouseholdStatusFactory(household=varied["near_poor_last_year"], year=THIS_YEAR - 1, category="near_poor")
    HouseholdPolicyFactory(household=varied["martyr"], policy_type="martyr_family")
    return varied


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"poor", "near_poor_last_year", "martyr", "disability", "pupil", "sibling"}),
    ({"unit": "commune"}, {"poor", "near_poor_last_year", "martyr", "disability", "pupil"}),
    ({"unit": "sibling_commune"}, {"sibling"}),
    ({"hamlet": "Ấp Một"}, {"poor", "sibling"}),
    ({"category": "poor"}, {"poor"}),
    ({"category": "near_poor"}, set()),
    ({"category": "near_poor", "year": THIS_YEAR - 1}, {"near_poor_last_year"}),
    ({"year": THIS_YEAR - 1}, {"near_poor_last_year"}),
    ({"policy_type": "martyr_family"}, {"martyr"}),
    ({"has_disability": "true"}, {"disability"}),
    ({"has_pupil": "true"}, {"pupil"}),
    ({"has_pupil": "false", "hamlet": "Ấp Ba"}, {"disability"}),
])
def test_list_filters_are_the_pages(api, world, varied_statuses, params, expected):
    by_code = {household.code: key for key, household in varied_statuses.items()}
    if "unit" in params:
        params = {**params, "unit": getattr(world, params["unit"]).pk}
    codes = _codes(api(world.district_member), **params)
    assert {by_code[code] for code in codes} == expected


def test_unknown_filter_value_is_a_400_naming_the_filter(api, world, home):
    response = api(world.commune_officer).get(reverse("api:household-list"), {"category": "rich"})
    assert response.status_code == 400
    assert "category" in response.json()


def test_unit_outside_the_viewers_unit_is_refused_not_used(api, world, home):
    HouseholdFactory(commune=world.other_district_commune)
    response = api(world.district_member).get(
        reverse("api:household-list"), {"unit": world.other_district_commune.pk}
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_household_list_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    def add_households(count):
        for _ in range(count):
            household = HouseholdFactory(commune=world.commune)
            MemberFactory(household=household)
            HouseholdStatusFactory(household=household, year=THIS_YEAR)
            HouseholdPolicyFactory(household=household)

    client = api(world.commune_officer)
    add_households(3)
    # up to 5 for the session (read, user, and its save when it notes the activity), 1 for the units the
    # filter offers, count, households, policy types, statuses.
    with django_assert_max_num_queries(10):
        assert len(_list(client)) == 3
    add_households(27)
    with django_assert_max_num_queries(10):
        assert len(_list(client, has_pupil="false")) == 30


def test_member_list_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    client = api(world.district_member)
    for _ in range(20):
        MemberFactory(household=HouseholdFactory(commune=world.commune))
    with django_assert_max_num_queries(7):  # 5 for the session, count, members
        response = client.get(reverse("api:member-list"))
    assert response.json()["count"] == 40


def test_household_detail_has_a_query_ceiling(api, world, home, django_assert_max_num_queries):
    for year in range(2015, 2025):
        MemberFactory(household=home)
        HouseholdStatusFactory(household=home, year=year, category="difficult")
    client = api(world.district_member)
    # 5 for the session, 1 for the FilterSet's units (DRF filters the detail too); household
    # with its commune and consent officer, policy types, members, statuses.
    with django_assert_max_num_queries(10):
        body = client.get(reverse("api:household-detail", args=[home.pk])).json()
    assert len(body["members"]) == 12


# -- retrieve and masking ----------------------------------------------------------------------------


def test_retrieve_shows_members_consent_notes_and_statuses(api, world, home):
    home.notes = "Nhà dột, cần sửa."
    home.save()
    HouseholdStatusFactory(household=home, year=2024, category="near_poor", recorded_by=world.commune_officer)
    HouseholdStatusFactory(household=home, year=THIS_YEAR, category="poor", decision_number="7/QĐ-UBND")

    body = api(world.commune_officer).get(reverse("api:household-detail", args=[home.pk])).json()

    assert body["code"] == home.code
    assert body["notes"] == "Nhà dột, cần sửa."
    assert body["consent_purpose"] == "Quản lý hỗ trợ an sinh xã hội"
    assert body["consent_date"] == "2025-03-01"
    assert body["consent_recorded_by"] == "Nguyễn Văn An"
    assert [(m["full_name"], m["relation"]) for m in body["members"]] == [
        ("Nguyễn Văn An", "head"), ("Nguyễn Thị Bình", "child"),
    ]
    assert body["members"][1]["school_level"] == "lower_secondary"
    assert [(s["year"], s["category"]) for s in body["statuses"]] == [(THIS_YEAR, "poor"), (2024, "near_poor")]
    assert body["statuses"][0]["decision_number"] == "7/QĐ-UBND"
    assert body["statuses"][1]["recorded_by"] == "Nguyễn Văn An"
    assert body["categories"] == ["poor"]


@pytest.mark.parametrize(("role", "full"), [
    (Role.COMMUNE_OFFICER, True),
    (Role.DISTRICT_MEMBER, True),
    (Role.PROVINCIAL_OFFICER, False),
    (Role.ADMINISTRATOR, False),
])
def test_citizen_ids_are_shown_in_full_only_to_those_who_work_with_the_household(api, world, home, role, full):
    head = home.members.get(relation=Relation.HEAD)
    expected = head.citizen_id if full else "********1222"
    client = api(world.viewer(role))

    detail = client.get(reverse("api:household-detail", args=[home.pk])).json()
    assert detail["members"][0]["citizen_id"] == expected
    assert client.get(reverse("api:member-detail", args=[head.pk])).json()["citizen_id"] == expected
    listed = client.get(reverse("api:member-list"), {"household": home.pk}).json()["results"]
    assert listed[0]["citizen_id"] == expected
    if not full:
        assert head.citizen_id not in client.get(reverse("api:household-detail", args=[home.pk])).content.decode()


def test_member_without_citizen_id_shows_it_empty(api, world, home):
    member = MemberFactory(household=home, citizen_id="")
    assert api(world.provincial_officer).get(reverse("api:member-detail", args=[member.pk])).json()[
        "citizen_id"] == ""


# -- create ------------------------------------------------------------------------------------------


def _payload(world, **changes):
    payload = {
        "commune": world.commune.pk,
        "hamlet": "Ấp Phước Hậu",
        "address": "5 đường 3 tháng 2",
        "phone": "0912 345 678",
        "consent_purpose": "Quản lý hỗ trợ an sinh xã hội",
        "consent_date": "2025-05-01",
        "members": [
            {"full_name": "Nguyễn  Văn An", "birth_year": 1970, "sex": "male", "relation": "head",
             "citizen_id": valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1)},
            # The year of birth may be left out when the date is given.
            {"full_name": "Lê Thị Bình", "birth_date": "1975-04-30", "sex": "female", "relation": "spouse",
             "citizen_id": valid_citizen_id(sex=Sex.FEMALE, birth_year=1975, serial=2)},
        ],
    }
    payload.update(changes)
    return payload


def _member(index, **changes):
    def change(payload):
        payload["members"][index].update(changes)
        return payload
    return change


def test_commune_officer_registers_household_with_two_members(api, world):
    payload = _payload(world, policy_types=["war_invalid"], statuses=[
        {"year": 2025, "category": "poor", "decision_number": "12/QĐ-UBND", "decision_date": "2025-01-05"},
    ])
    response = api(world.commune_officer).post(reverse("api:household-list"), payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    household = Household.objects.get()
    assert body["id"] == household.pk
    assert body["code"] == household.code == "28915-0001"
    assert body["head_name"] == "Nguyễn Văn An"
    assert body["member_count"] == 2
    assert body["policy_types"] == ["war_invalid"]
    assert [(s["year"], s["category"], s["recorded_by"]) for s in body["statuses"]] == [
        (2025, "poor", "Nguyễn Văn An")
    ]
    spouse = household.members.get(relation=Relation.SPOUSE)
    assert spouse.birth_year == 1975
    assert spouse.full_name_folded == "le thi binh"
    assert household.consent_recorded_by == world.commune_officer


def _female_id_with_male_digit():
    return valid_citizen_id(sex=Sex.MALE, birth_year=1975, serial=2)


@pytest.mark.parametrize(("change", "where", "message"), [
    pytest.param(_member(1, citizen_id=_female_id_with_male_digit()), ("members", "1", "citizen_id"),
                 "4th digit of the citizen ID should be 1", id="cccd-4th-digit"),
    pytest.param(_member(0, citizen_id="08317000000"), ("members", "0", "citizen_id"), "exactly 12 digits",
                 id="cccd-length"),
    pytest.param(_member(0, citizen_id="taken"), ("members", "0", "citizen_id"), "already registered",
                 id="cccd-registered-elsewhere"),
    pytest.param(_member(1, sex="male", birth_date=None, birth_year=1970,
                         citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1)),
                 ("non_field_errors",), "Two members have the same citizen ID", id="cccd-twice"),
    pytest.param(_member(0, relation="child"), ("non_field_errors",), "exactly one head", id="no-head"),
    pytest.param(_member(1, relation="head"), ("non_field_errors",), "exactly one head", id="two-heads"),
    pytest.param(_member(0, birth_date="1970-02-30"), ("members", "0", "birth_date"), "wrong format",
                 id="impossible-date"),
    pytest.param(_member(0, birth_date="1971-01-01"), ("members", "0", "birth_year"), "year of the date of birth",
                 id="date-and-year-disagree"),
    pytest.param(lambda payload: {**payload, "consent_date": "01/05/2025"}, ("consent_date",), "wrong format",
                 id="consent-date-format"),
    pytest.param(lambda payload: {**payload, "members": []}, ("members", "non_field_errors"), "may not be empty",
                 id="no-members"),
    pytest.param(lambda payload: {**payload, "phone": "call me"}, ("phone",), "8 to 15 digits", id="phone"),
])
def test_invalid_household_is_refused_with_messages_and_nothing_saved(api, world, change, where, message):
    taken = MemberFactory(household=HouseholdFactory(commune=world.other_province_commune))
    members_before = Member.objects.count()
    payload = change(_payload(world))
    for member in payload["members"]:
        if member.get("citizen_id") == "taken":
            member.update(citizen_id=taken.citizen_id, birth_year=taken.birth_year, sex=taken.sex)

    response = api(world.commune_officer).post(reverse("api:household-list"), payload, format="json")

    assert response.status_code == 400, response.content
    errors = response.json()
    for key in where:
        errors = errors[key]
    assert message in " ".join(errors), response.json()
    assert Household.objects.filter(commune=world.commune).count() == 0
    assert Member.objects.count() == members_before
    assert taken.household.commune.name not in response.content.decode()


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR])
def test_only_the_communes_officer_registers_households(api, world, role):
    response = api(world.viewer(role)).post(reverse("api:household-list"), _payload(world), format="json")
    assert response.status_code == 403
    assert "Only the Front officers of the commune" in response.json()["detail"]
    assert not Household.objects.exists()


def test_officer_cannot_register_in_another_commune(api, world):
    client = api(world.commune_officer)
    payload = _payload(world, commune=world.sibling_commune.pk)
    assert client.post(reverse("api:household-list"), payload, format="json").status_code == 403
    missing = client.post(reverse("api:household-list"), _payload(world, commune=world.district.pk), format="json")
    assert missing.status_code == 400
    assert missing.json() == {"commune": ["Commune not found."]}
    assert not Household.objects.exists()


def test_households_are_not_deleted_through_the_api(api, world, home):
    response = api(world.commune_officer).delete(reverse("api:household-detail", args=[home.pk]))
    assert response.status_code == 405
    assert Household.objects.filter(pk=home.pk).exists()


# -- update ------------------------------------------------------------------------------------------


def test_officer_changes_the_households_own_fields(api, world, home):
    client = api(world.commune_officer)
    url = reverse("api:household-detail", args=[home.pk])

    response = client.patch(url, {"hamlet": "Ấp Mới", "notes": "Đã chuyển nhà.", "code": "X-1"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["hamlet"] == "Ấp Mới"
    assert response.json()["members"][0]["full_name"] == "Nguyễn Văn An"
    home.refresh_from_db()
    assert (home.hamlet, home.notes, home.code) == ("Ấp Mới", "Đã chuyển nhà.", response.json()["code"])
    assert home.code != "X-1", "the code is not the caller's to choose"

    put = client.put(url, {"hamlet": "Ấp Cũ", "consent_purpose": "Hỗ trợ", "consent_date": "2025-06-01"},
                     format="json")
    assert put.status_code == 200, put.content
    home.refresh_from_db()
    assert (home.hamlet, home.consent_date) == ("Ấp Cũ", datetime.date(2025, 6, 1))


def test_invalid_change_is_a_400_and_nothing_changes(api, world, home):
    client = api(world.commune_officer)
    url = reverse("api:household-detail", args=[home.pk])
    response = client.patch(url, {"phone": "abc"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    assert client.put(url, {"hamlet": "Ấp Mới"}, format="json").status_code == 400
    home.refresh_from_db()
    assert home.hamlet == "Ấp Phước Hậu"


@pytest.mark.parametrize("role", [Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR])
def test_readers_cannot_change_households_they_see(api, world, home, role):
    client = api(world.viewer(role))
    head = home.members.get(relation=Relation.HEAD)
    attempts = [
        client.patch(reverse("api:household-detail", args=[home.pk]), {"hamlet": "Ấp Khác"}, format="json"),
        client.put(reverse("api:household-detail", args=[home.pk]), {}, format="json"),
        client.post(reverse("api:household-statuses", args=[home.pk]), {}, format="json"),
        client.patch(reverse("api:member-detail", args=[head.pk]), {"full_name": "X"}, format="json"),
        client.delete(reverse("api:member-detail", args=[home.members.exclude(pk=head.pk).get().pk])),
        client.post(reverse("api:member-list"), {"household": home.pk, "full_name": "Lê Văn Mới", "birth_year": 2000,
                                                 "sex": "male", "relation": "child"}, format="json"),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    home.refresh_from_db()
    assert home.hamlet == "Ấp Phước Hậu"
    assert home.members.count() == 2
    assert not home.statuses.exists()


# -- out of scope ------------------------------------------------------------------------------------


def test_other_communes_officer_gets_404_everywhere_on_the_household(api, world, home):
    neighbour = HouseholdFactory(commune=world.sibling_commune)
    client = api(neighbour.consent_recorded_by)
    head = home.members.get(relation=Relation.HEAD)
    detail = reverse("api:household-detail", args=[home.pk])
    statuses = reverse("api:household-statuses", args=[home.pk])
    member = reverse("api:member-detail", args=[head.pk])
    responses = [
        client.get(detail), client.patch(detail, {"hamlet": "X"}, format="json"),
        client.put(detail, {}, format="json"),
        client.get(statuses),
        client.post(statuses, {"year": 2025, "category": "poor", "decision_number": "1/QĐ",
                               "decision_date": "2025-01-01"}, format="json"),
        client.get(member), client.patch(member, {"full_name": "X"}, format="json"), client.delete(member),
    ]
    assert [response.status_code for response in responses] == [404] * len(responses)
    for response in responses:
        assert home.code not in response.content.decode()
        assert "Nguyễn Văn An" not in response.content.decode()
    assert _codes(client) == {neighbour.code}
    assert client.get(reverse("api:member-list"), {"household": home.pk}).json()["count"] == 0

    added = client.post(reverse("api:member-list"), {"household": home.pk, "full_name": "Lê Văn Mới",
                                                     "birth_year": 2000, "sex": "male", "relation": "child"},
                        format="json")
    assert added.status_code == 400
    assert added.json() == {"household": ["Household not found."]}
    missing = client.post(reverse("api:member-list"), {"household": 999_999, "full_name": "Lê Văn Mới",
                                                       "birth_year": 2000, "sex": "male", "relation": "child"},
                          format="json")
    assert missing.json() == added.json(), "out of scope reads exactly like missing"
    assert home.members.count() == 2


def test_anonymous_caller_is_refused(client, world, home):
    assert client.get(reverse("api:household-list")).status_code in (401, 403)
    assert client.post(reverse("api:household-list"), {}, content_type="application/json").status_code in (401, 403)


# -- statuses ----------------------------------------------------------------------------------------


def test_status_history_lists_every_year_newest_first(api, world, home):
    HouseholdStatusFactory(household=home, year=2023, category="poor", recorded_by=world.commune_officer)
    HouseholdStatusFactory(household=home, year=2025, category="near_poor", decision_number="9/QĐ-UBND",
                           decision_date=datetime.date(2025, 2, 1))
    HouseholdStatusFactory(household=home, year=2025, category="difficult")

    body = api(world.district_member).get(reverse("api:household-statuses", args=[home.pk])).json()

    assert (body["id"], body["code"]) == (home.pk, home.code)
    assert [(s["year"], s["category"]) for s in body["statuses"]] == [
        (2025, "difficult"), (2025, "near_poor"), (2023, "poor"),
    ]
    near_poor = body["statuses"][1]
    assert (near_poor["decision_number"], near_poor["decision_date"]) == ("9/QĐ-UBND", "2025-02-01")
    assert body["statuses"][2]["recorded_by"] == "Nguyễn Văn An"


def test_officer_records_a_status_and_a_new_poverty_category_replaces_the_old(api, world, home):
    client = api(world.commune_officer)
    url = reverse("api:household-statuses", args=[home.pk])
    first = client.post(url, {"year": 2025, "category": "poor", "decision_number": " 3/QĐ-UBND ",
                              "decision_date": "2025-01-10"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["decision_number"] == "3/QĐ-UBND"
    assert first.json()["recorded_by"] == "Nguyễn Văn An"

    second = client.post(url, {"year": 2025, "category": "near_poor", "decision_number": "4/QĐ-UBND",
                               "decision_date": "2025-06-10"}, format="json")
    assert second.status_code == 201
    assert list(HouseholdStatus.objects.filter(household=home).values_list("category", flat=True)) == ["near_poor"]
    assert client.get(reverse("api:household-detail", args=[home.pk])).json()["statuses"][0]["category"] == \
        "near_poor"


def test_invalid_status_is_a_400_with_messages(api, world, home):
    response = api(world.commune_officer).post(
        reverse("api:household-statuses", args=[home.pk]),
        {"year": 1999, "category": "rich", "decision_date": "tomorrow"}, format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"year", "category", "decision_number", "decision_date"}
    assert not home.statuses.exists()


# -- members -----------------------------------------------------------------------------------------


def test_officer_adds_a_member(api, world, home):
    response = api(world.commune_officer).post(reverse("api:member-list"), {
        "household": home.pk, "full_name": "Nguyễn Văn Cường", "birth_date": "2015-09-02", "sex": "male",
        "relation": "child", "school_level": "primary", "health_insurance_number": "hs4830123456789",
    }, format="json")
    assert response.status_code == 201, response.content
    member = Member.objects.get(pk=response.json()["id"])
    assert (member.household, member.birth_year, member.health_insurance_number) == (
        home, 2015, "HS4830123456789")
    assert response.json()["household"] == home.pk


def test_adding_a_member_checks_the_citizen_id(api, world, home):
    response = api(world.commune_officer).post(reverse("api:member-list"), {
        "household": home.pk, "full_name": "Nguyễn Văn Cường", "birth_year": 2015, "sex": "male",
        "relation": "child", "citizen_id": valid_citizen_id(sex=Sex.FEMALE, birth_year=2015, serial=9),
    }, format="json")
    assert response.status_code == 400
    assert "4th digit" in response.json()["citizen_id"][0]
    assert home.members.count() == 2


def test_officer_changes_a_member_and_the_head_name_follows(api, world, home):
    head = home.members.get(relation=Relation.HEAD)
    client = api(world.commune_officer)
    response = client.patch(reverse("api:member-detail", args=[head.pk]),
                            {"full_name": "Nguyễn Văn  Ân", "household": 999}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Nguyễn Văn Ân"
    assert response.json()["household"] == home.pk, "a member stays in its household"
    home.refresh_from_db()
    assert home.head_name == "Nguyễn Văn Ân"
    assert _codes(client, q="nguyen van an") == {home.code}


def test_a_second_head_is_refused(api, world, home):
    daughter = home.members.get(relation=Relation.CHILD)
    response = api(world.commune_officer).patch(reverse("api:member-detail", args=[daughter.pk]),
                                                {"relation": "head"}, format="json")
    assert response.status_code == 400
    assert "already has a head" in str(response.json())
    daughter.refresh_from_db()
    assert daughter.relation == Relation.CHILD


def test_officer_removes_a_member_but_not_the_head(api, world, home):
    client = api(world.commune_officer)
    head = home.members.get(relation=Relation.HEAD)
    daughter = home.members.get(relation=Relation.CHILD)
    refused = client.delete(reverse("api:member-detail", args=[head.pk]))
    assert refused.status_code == 400
    assert "head of household cannot be removed" in refused.json()["non_field_errors"][0]
    assert client.delete(reverse("api:member-detail", args=[daughter.pk])).status_code == 204
    assert list(home.members.all()) == [head]


def test_member_list_filters_by_household(api, world, home):
    other = HouseholdFactory(commune=world.commune)
    client = api(world.commune_officer)
    rows = client.get(reverse("api:member-list"), {"household": home.pk}).json()["results"]
    assert [row["full_name"] for row in rows] == ["Nguyễn Văn An", "Nguyễn Thị Bình"]
    assert client.get(reverse("api:member-list")).json()["count"] == 3
    assert other.pk not in {row["household"] for row in rows}


# -- documentation -----------------------------------------------------------------------------------


def test_schema_documents_households_members_and_the_page_filters(api, world):
    schema = yaml.safe_load(api(world.commune_officer).get(reverse("api-schema")).content)
    paths = schema["paths"]
    assert {"/api/v1/households/", "/api/v1/households/{id}/", "/api/v1/households/{id}/statuses/",
            "/api/v1/members/", "/api/v1/members/{id}/"} <= set(paths)
    filters = {p["name"] for p in paths["/api/v1/households/"]["get"]["parameters"]}
    assert {"q", "unit", "hamlet", "category", "year", "policy_type", "has_disability", "has_pupil"} <= filters
    assert "delete" not in paths["/api/v1/households/{id}/"]
    assert set(paths["/api/v1/households/{id}/statuses/"]) >= {"get", "post"}
    create = paths["/api/v1/households/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "members" in schema["components"]["schemas"][create.rsplit("/", 1)[1]]["properties"]


def test_schema_generates_without_warnings(db):
    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("year, expected", [("2024", 2024), ("1999", THIS_YEAR), ("", THIS_YEAR), ("abc", THIS_YEAR)])
def test_categories_year_is_one_rule_for_the_filter_the_list_page_the_api_and_the_export(year, expected):
    from django.http import QueryDict

    from households.filters import categories_year

    assert categories_year(QueryDict(f"year={year}")) == expected


def test_list_page_counts_and_api_rows_read_categories_in_the_same_year(api, client, world, home):
    HouseholdStatusFactory(household=home, year=2024, category="near_poor")
    HouseholdStatusFactory(household=home, year=THIS_YEAR, category="difficult")
    client.force_login(world.commune_officer)
    for params, category in (({"year": 2024}, "near_poor"), ({}, "difficult")):
        page = client.get(reverse("households:list"), params)
        counts = {name: number for name, _label, number in page.context["counts"]}
        assert counts[category] == 1 and sum(counts.values()) == 1
        assert _list(api(world.commune_officer), **params)[0]["categories"] == [category]

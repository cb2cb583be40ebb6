"""Likely duplicates when registering: shown in full within scope, anonymised outside it."""

import pytest
from django.urls import reverse

from households.choices import Relation, Sex
from households.models import Household
from households.selectors import PersonToCheck, likely_duplicates

from ..factories import CommuneOfficerFactory, ProvincialOfficerFactory
from .factories import HouseholdFactory, MemberFactory, valid_citizen_id


def _person_in(commune, **fields):
    defaults = dict(full_name="Nguyễn Văn Trùng", birth_year=1980, sex=Sex.MALE, relation=Relation.SPOUSE)
    return MemberFactory(household=HouseholdFactory(commune=commune), **{**defaults, **fields})


def test_same_folded_name_and_birth_year_in_scope_names_the_household(world):
    existing = _person_in(world.commune)
    hits = likely_duplicates(user=world.commune_officer, commune=world.commune,
                             people=[PersonToCheck(full_name="nguyen van TRUNG", birth_year=1980)])
    assert [hit.member for hit in hits] == [existing]


def _district_contact(world):
    world.district_member.first_name, world.district_member.last_name = "Minh", "Trương Văn"
    world.district_member.phone = "0277 3860 111"
    world.district_member.save()
    return world.district_member


def test_match_in_sibling_commune_says_only_that_it_exists_and_whom_to_ask_in_the_district(world):
    _person_in(world.sibling_commune)
    sibling_officer = CommuneOfficerFactory(unit=world.sibling_commune, first_name="Lan", last_name="Phạm Thị",
                                            phone="0909000111")
    district_contact = _district_contact(world)
    hits = likely_duplicates(user=world.commune_officer, commune=world.commune,
                             people=[PersonToCheck(full_name="nguyen van trung", birth_year=1980)])
    assert len(hits) == 1
    [hit] = hits
    assert (hit.member, hit.commune) == (None, None)
    assert hit.entered == "nguyen van trung"
    assert hit.ask == world.district
    assert [(c.name, c.phone) for c in hit.contacts] == [(district_contact.get_full_name(), "0277 3860 111")]
    assert sibling_officer.get_full_name() not in [c.name for c in hit.contacts]


def test_citizen_id_registered_in_another_province_is_not_looked_up(world):
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1960, serial=91)
    _person_in(world.other_province_commune, full_name="Tên Khác", birth_year=1960, citizen_id=citizen_id)
    _person_in(world.other_district_commune, full_name="Tên Khác Nữa", birth_year=1960,
               citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1960, serial=92))
    people = [PersonToCheck(full_name="Ai Đó", birth_year=1961, citizen_id=citizen_id, is_head=True),
              PersonToCheck(full_name="Ai Khác", birth_year=1962,
                            citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1960, serial=92))]
    assert likely_duplicates(user=world.commune_officer, commune=world.commune, people=people) == []


def test_live_check_of_an_id_of_another_province_answers_nothing_about_it(client, world):
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1980, serial=93)
    _person_in(world.other_province_commune, full_name="Tên Khác", citizen_id=citizen_id)
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:duplicates"),
                           {**_registration_of_duplicate(), "members-0-citizen_id": citizen_id},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="duplicates"' not in response.content.decode()


def test_registration_of_an_id_registered_in_another_province_says_only_ask_your_district(client, world, english):
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1980, serial=94)
    existing = _person_in(world.other_province_commune, full_name="Tên Khác", citizen_id=citizen_id)
    CommuneOfficerFactory(unit=world.other_province_commune, first_name="Lan", last_name="Phạm Thị",
                          phone="0909000111")
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:create"),
                           {**_registration_of_duplicate(), "members-0-citizen_id": citizen_id})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This citizen ID is already registered; the Front committee of your district (or province) can " \
           "tell you where." in body
    for private in (world.other_province_commune.name, world.other_province.name, existing.household.code,
                    "Phạm Thị Lan", "0909000111", existing.full_name):
        assert private not in body


def test_adding_a_member_with_an_id_registered_elsewhere_says_no_more(world, english):
    from django.core.exceptions import ValidationError

    from households.services import MemberData, member_add

    citizen_id = valid_citizen_id(sex=Sex.FEMALE, birth_year=1990, serial=95)
    existing = _person_in(world.other_province_commune, full_name="Tên Khác", sex=Sex.FEMALE, birth_year=1990,
                          citizen_id=citizen_id)
    household = HouseholdFactory(commune=world.commune)
    with pytest.raises(ValidationError) as refused:
        member_add(actor=world.commune_officer, household=household, data=MemberData(
            full_name="Lê Thị Mai", birth_year=1990, sex=Sex.FEMALE, relation=Relation.CHILD, citizen_id=citizen_id))
    [message] = refused.value.message_dict["citizen_id"]
    assert message.startswith("This citizen ID is already registered;")
    assert world.other_province_commune.name not in message and existing.household.code not in message


def test_different_birth_year_or_other_district_is_not_a_match(world):
    _person_in(world.commune, birth_year=1981)
    _person_in(world.other_district_commune)
    assert likely_duplicates(user=world.commune_officer, commune=world.commune,
                             people=[PersonToCheck(full_name="Nguyễn Văn Trùng", birth_year=1980)]) == []


def test_same_head_citizen_id_is_a_match(world, english):
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1960, serial=77)
    _person_in(world.commune, full_name="Tên Khác", birth_year=1960, citizen_id=citizen_id)
    hits = likely_duplicates(user=world.commune_officer, commune=world.commune,
                             people=[PersonToCheck(full_name="Ai Đó", birth_year=1961, citizen_id=citizen_id,
                                                   is_head=True)])
    assert len(hits) == 1 and hits[0].reason == "same citizen ID"


def _registration_of_duplicate() -> dict:
    return {
        "hamlet": "Ấp 2", "consent_purpose": "Hỗ trợ", "consent_date": "2025-05-01",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
        "members-0-full_name": "Nguyen Van Trung", "members-0-relation": Relation.HEAD,
        "members-0-sex": Sex.MALE, "members-0-birth_year": "1980", "members-0-ethnicity": "01",
    }


@pytest.mark.parametrize("where", ["commune", "sibling_commune"])
def test_registration_stops_at_a_likely_duplicate_until_the_officer_confirms(client, world, where):
    existing = _person_in(getattr(world, where))
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:create"), _registration_of_duplicate())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Likely duplicates" in body
    assert not Household.objects.filter(commune=world.commune).exclude(pk=existing.household_id).exists()
    if where == "sibling_commune":
        assert "Nguyen Van Trung: a likely duplicate is registered elsewhere (same name and year of birth)." in body
        assert "Ask the Front committee of Huyện Mỏ Cày Bắc" in body
        assert "Xã Phú Mỹ" not in body
        assert existing.full_name not in body
        assert existing.household.code not in body
        assert existing.citizen_id not in body
    else:
        assert existing.household.code in body

    confirmed = client.post(reverse("households:create"), {**_registration_of_duplicate(), "duplicates_checked": "1"})
    assert confirmed.status_code == 302
    assert Household.objects.filter(commune=world.commune, head_name="Nguyen Van Trung").exists()


def test_live_duplicate_check_out_of_scope_hides_the_person(client, world):
    existing = _person_in(world.sibling_commune)
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:duplicates"), _registration_of_duplicate(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Huyện Mỏ Cày Bắc" in body
    assert "Xã Phú Mỹ" not in body
    assert existing.full_name not in body
    assert str(existing.birth_year) not in body
    assert existing.household.code not in body


def test_live_duplicate_check_is_for_commune_officers(client, world):
    client.force_login(world.provincial_officer)
    assert client.post(reverse("households:duplicates"), _registration_of_duplicate()).status_code == 403


def test_commune_of_the_current_units_looks_in_its_province_only(world):
    """Post-2025 communes have no district: the check looks in their province, never beyond."""
    from ..factories import CommuneFactory, ProvinceFactory

    province = ProvinceFactory(era="current", code="86")
    here = CommuneFactory(era="current", parent=province, district=None, province=province, code="29000")
    neighbour = CommuneFactory(era="current", parent=province, district=None, province=province, code="29002")
    elsewhere_province = ProvinceFactory(era="current", code="87")
    elsewhere = CommuneFactory(era="current", parent=elsewhere_province, district=None,
                               province=elsewhere_province, code="29001")
    officer = CommuneOfficerFactory(unit=here)
    provincial = ProvincialOfficerFactory(unit=province, first_name="Hà", last_name="Đỗ Thu", phone="0270 111 222")
    CommuneOfficerFactory(unit=neighbour, first_name="Lan", last_name="Phạm Thị", phone="0909000111")
    near = _person_in(here)
    _person_in(neighbour)
    _person_in(elsewhere)
    hits = likely_duplicates(user=officer, commune=here,
                             people=[PersonToCheck(full_name="Nguyễn Văn Trùng", birth_year=1980)])
    assert [hit.member for hit in hits] == [near, None]
    assert hits[1].ask == province
    assert [(c.name, c.phone) for c in hits[1].contacts] == [(provincial.get_full_name(), "0270 111 222")]


def _api_registration_of_duplicate(world, **extra) -> dict:
    return {
        "commune": world.commune.pk, "hamlet": "Ấp 2", "consent_purpose": "Hỗ trợ", "consent_date": "2025-05-01",
        "members": [{"full_name": "Nguyen Van Trung", "relation": Relation.HEAD, "sex": Sex.MALE,
                     "birth_year": 1980}],
        **extra,
    }


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("where", ["commune", "sibling_commune"])
def test_api_registration_stops_at_a_likely_duplicate_as_the_page_does(world, where):
    existing = _person_in(getattr(world, where))
    sibling_officer = CommuneOfficerFactory(unit=world.sibling_commune, first_name="Lan", last_name="Phạm Thị",
                                            phone="0909000111")
    district_contact = _district_contact(world)
    client = _api(world.commune_officer)
    response = client.post(reverse("api:household-list"), _api_registration_of_duplicate(world), format="json")

    assert response.status_code == 409, response.content
    body = response.json()
    assert "duplicates_checked" in body["detail"]
    [hit] = body["duplicates"]
    assert hit["reason"] == "same name and year of birth"
    assert not Household.objects.filter(commune=world.commune).exclude(pk=existing.household_id).exists()
    if where == "sibling_commune":
        # Out of scope: as on the page, only that a match exists and whom to ask in the district.
        assert (hit["member"], hit["commune"]) == (None, None)
        assert hit["entered"] == "Nguyen Van Trung"
        assert hit["ask"]["id"] == world.district.pk
        assert [(c["name"], c["phone"]) for c in hit["contacts"]] == [(district_contact.get_full_name(),
                                                                       "0277 3860 111")]
        for private in (existing.full_name, existing.household.code, world.sibling_commune.name,
                        sibling_officer.get_full_name(), "0909000111"):
            assert private not in response.content.decode()
    else:
        assert hit["commune"]["id"] == existing.household.commune_id
        assert hit["member"]["household_code"] == existing.household.code

    confirmed = client.post(reverse("api:household-list"),
                            _api_registration_of_duplicate(world, duplicates_checked=True), format="json")
    assert confirmed.status_code == 201, confirmed.content
    assert Household.objects.filter(commune=world.commune, head_name="Nguyen Van Trung").exists()


def test_api_registration_without_a_likely_duplicate_is_saved_at_once(world):
    response = _api(world.commune_officer).post(reverse("api:household-list"),
                                                _api_registration_of_duplicate(world), format="json")
    assert response.status_code == 201, response.content


def test_api_tells_an_outsider_no_duplicates_before_refusing(world):
    _person_in(world.commune)
    response = _api(world.district_member).post(reverse("api:household-list"),
                                                _api_registration_of_duplicate(world), format="json")
    assert response.status_code == 403
    assert "duplicates" not in response.json()

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.choices import Relation, Sex
from households.models import Household, HouseholdStatus, Member
from households.services import (
    HouseholdData,
    MemberData,
    StatusData,
    household_register,
    member_add,
    member_remove,
    status_record,
)

from .factories import HouseholdFactory, valid_citizen_id

# The messages checked here are read outside a request: in their English source.
pytestmark = pytest.mark.usefixtures("english")


def _data(**overrides):
    members = overrides.pop("members", None) or [
        MemberData(full_name="Nguyễn Văn An", birth_year=1970, sex=Sex.MALE, relation=Relation.HEAD,
                   citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=1)),
        MemberData(full_name="Lê Thị Bình", birth_year=1975, sex=Sex.FEMALE, relation=Relation.SPOUSE),
    ]
    return HouseholdData(hamlet="Ấp 1", consent_date=datetime.date(2025, 5, 1), consent_purpose="Hỗ trợ",
                         members=members, **overrides)


def test_commune_officer_registers_household_with_generated_code_and_head(world):
    household = household_register(actor=world.commune_officer, commune=world.commune, data=_data(
        statuses=[StatusData(2025, "poor", "12/QĐ-UBND", datetime.date(2025, 1, 5))], policy_types=["war_invalid"]))
    assert household.code == "28915-0001"
    assert household.head_name == "Nguyễn Văn An"
    assert household.members.count() == 2
    assert household.members.get(relation=Relation.HEAD).full_name_folded == "nguyen van an"
    assert list(household.statuses.values_list("category", flat=True)) == ["poor"]
    second = household_register(actor=world.commune_officer, commune=world.commune, data=_data(members=[
        MemberData(full_name="Phạm Văn Cường", birth_year=1960, sex=Sex.MALE, relation=Relation.HEAD)]))
    assert second.code == "28915-0002"


@pytest.mark.parametrize("viewer", ["district_member", "provincial_officer", "administrator"])
def test_only_the_communes_officer_registers_households(world, viewer):
    with pytest.raises(PermissionDenied):
        household_register(actor=getattr(world, viewer), commune=world.commune, data=_data())
    assert not Household.objects.exists()


def test_officer_cannot_register_in_sibling_commune(world):
    with pytest.raises(PermissionDenied):
        household_register(actor=world.commune_officer, commune=world.sibling_commune, data=_data())


def test_household_without_exactly_one_head_is_refused_and_nothing_saved(world):
    members = [MemberData(full_name="A", birth_year=1970, sex=Sex.MALE, relation=Relation.SPOUSE)]
    with pytest.raises(ValidationError, match="exactly one head"):
        household_register(actor=world.commune_officer, commune=world.commune, data=_data(members=members))
    assert not Household.objects.exists()


def test_invalid_member_rolls_back_the_whole_household(world):
    members = [
        MemberData(full_name="Nguyễn Văn An", birth_year=1970, sex=Sex.MALE, relation=Relation.HEAD),
        MemberData(full_name="Con", birth_year=2005, sex=Sex.MALE, relation=Relation.CHILD, citizen_id="083099000001"),
    ]
    with pytest.raises(ValidationError) as raised:
        household_register(actor=world.commune_officer, commune=world.commune, data=_data(members=members))
    assert "4th digit" in str(raised.value)
    assert not Household.objects.exists()
    assert not Member.objects.exists()


def test_citizen_id_is_unique_across_communes(world):
    other = HouseholdFactory(commune=world.other_province_commune)
    taken = other.members.get().citizen_id
    household = HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)
    with pytest.raises(ValidationError, match="already registered"):
        member_add(actor=world.commune_officer, household=household, data=MemberData(
            full_name="X", birth_year=1985, sex=Sex.MALE, relation=Relation.CHILD, citizen_id=taken))


def test_head_cannot_be_removed(world):
    household = HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)
    with pytest.raises(ValidationError):
        member_remove(actor=world.commune_officer, member=household.members.get())


def test_new_poverty_category_replaces_the_years_other_one(world):
    household = HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)
    for category in ("poor", "difficult", "near_poor"):
        status_record(actor=world.commune_officer, household=household, year=2025, category=category,
                      decision_number="1/QĐ", decision_date=datetime.date(2025, 1, 1))
    assert sorted(HouseholdStatus.objects.values_list("category", flat=True)) == ["difficult", "near_poor"]


def test_history_names_the_actor_even_without_a_request(world):
    household = household_register(actor=world.commune_officer, commune=world.commune, data=_data())
    member = household.members.get(relation=Relation.SPOUSE)
    member_remove(actor=world.commune_officer, member=member)
    assert household.history.get().history_user == world.commune_officer
    assert {record.history_user for record in Member.history.all()} == {world.commune_officer}
    assert Member.history.filter(history_type="-").get().full_name == "Lê Thị Bình"

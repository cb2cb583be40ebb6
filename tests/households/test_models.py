"""One-row rules: the citizen ID's structure, birth year against date, one head, constraints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from households.choices import Relation, Sex
from households.models import Member
from households.validators import citizen_id_mismatch

from .factories import HouseholdFactory, MemberFactory

# The messages checked here are read outside a request: in their English source.
pytestmark = pytest.mark.usefixtures("english")


def _member(**fields):
    defaults = dict(full_name="Nguyễn Văn An", birth_year=1985, sex=Sex.MALE, relation=Relation.CHILD,
                    full_name_folded="nguyen van an")
    return Member(household=HouseholdFactory(), **{**defaults, **fields})


@pytest.mark.parametrize(("citizen_id", "message"), [
    ("08308500123", "exactly 12 digits"),
    ("0830850012345", "exactly 12 digits"),
    ("08308500123A", "exactly 12 digits"),
    ("003085001234", "003 is not one"),  # 03 is not a province code
    ("099085001234", "099 is not one"),
])
def test_citizen_id_format_is_checked(db, citizen_id, message):
    with pytest.raises(ValidationError, match=message):
        _member(citizen_id=citizen_id).full_clean()


@pytest.mark.parametrize(("citizen_id", "sex", "year", "problem"), [
    ("083085001234", Sex.MALE, 1985, None),
    ("083185001234", Sex.FEMALE, 1985, None),
    ("083205001234", Sex.MALE, 2005, None),
    ("083305001234", Sex.FEMALE, 2005, None),
    ("083185001234", Sex.MALE, 1985, "4th digit of the citizen ID should be 0"),
    ("083085001234", Sex.FEMALE, 1985, "should be 1"),
    ("083005001234", Sex.MALE, 2005, "should be 2"),
    ("083086001234", Sex.MALE, 1985, "Digits 5 and 6"),
    ("001099001234", Sex.MALE, 1999, None),
])
def test_fourth_digit_agrees_with_sex_and_century(citizen_id, sex, year, problem):
    mismatch = citizen_id_mismatch(citizen_id=citizen_id, sex=sex, birth_year=year)
    if problem is None:
        assert mismatch is None
    else:
        assert problem in mismatch


def test_member_with_mismatched_id_fails_full_clean_on_that_field(db):
    with pytest.raises(ValidationError) as raised:
        _member(citizen_id="083185001234", sex=Sex.MALE, birth_year=1985).full_clean()
    assert "citizen_id" in raised.value.message_dict


def test_birth_year_must_be_the_year_of_the_birth_date(db):
    with pytest.raises(ValidationError) as raised:
        _member(birth_date=datetime.date(1986, 3, 1), birth_year=1985, citizen_id="").full_clean()
    assert "birth_year" in raised.value.message_dict


def test_citizen_id_unique_in_the_database_across_communes(db):
    first = MemberFactory()
    with pytest.raises(IntegrityError):
        MemberFactory(citizen_id=first.citizen_id)


def test_members_without_citizen_id_do_not_clash(db):
    MemberFactory(citizen_id="")
    MemberFactory(citizen_id="")
    assert Member.objects.filter(citizen_id="").count() == 2


def test_a_household_has_at_most_one_head_in_the_database(db):
    household = HouseholdFactory()
    with pytest.raises(IntegrityError):
        MemberFactory(household=household, relation=Relation.HEAD)


def test_administrator_edits_poverty_standards_but_not_households_in_the_admin(client, world):
    from django.urls import NoReverseMatch, reverse

    client.force_login(world.administrator)
    page = client.get(reverse("admin:households_povertystandard_changelist"))
    assert "07/2021/NĐ-CP" in page.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("admin:households_household_changelist")


def test_dates_in_the_future_are_refused(db):
    import time_machine

    with time_machine.travel(datetime.date(2025, 6, 1)):
        with pytest.raises(ValidationError) as raised:
            _member(birth_date=datetime.date(2025, 6, 2), birth_year=2025, citizen_id="").full_clean()
        assert "birth_date" in raised.value.message_dict
        with pytest.raises(ValidationError) as raised:
            _member(birth_year=2026, citizen_id="").full_clean()
        assert "birth_year" in raised.value.message_dict
        household = HouseholdFactory()
        household.consent_date = datetime.date(2025, 6, 2)
        with pytest.raises(ValidationError) as raised:
            household.full_clean()
        assert "consent_date" in raised.value.message_dict

"""Searching by citizen ID tells no one more of a number than they are shown.

The probe: a provincial officer sees ``********3697``; before the fix ``?q=53697`` narrowed the
list to the household and one more digit per request recovered the whole number. Whoever sees
an ID masked may search by its last four digits (what they see), nothing more; whoever sees it
in full (the household's commune officer, its district's committee) searches by any part of it.
"""

import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from households.choices import Relation, Sex

from .factories import HouseholdFactory, MemberFactory, valid_citizen_id

CITIZEN_ID = valid_citizen_id(sex=Sex.FEMALE, birth_year=1985, serial=453697)


@pytest.fixture
def target(world):
    """The household whose head's ID the probe recovers, and a neighbour that must never match."""
    household = HouseholdFactory(commune=world.commune, head_name="Lê Thị Hoa", head=False)
    MemberFactory(household=household, full_name="Lê Thị Hoa", relation=Relation.HEAD, sex=Sex.FEMALE,
                  birth_year=1985, citizen_id=CITIZEN_ID)
    HouseholdFactory(commune=world.commune, head_name="Trần Văn Bé")
    return household


def _found_by_page(client, household, q) -> bool:
    body = client.get(reverse("households:list"), {"q": q}).content.decode()
    return household.code in body


def _found_by_api(user, household, q) -> bool:
    api = APIClient()
    api.force_login(user)
    response = api.get(reverse("api:household-list"), {"q": q})
    assert response.status_code == 200
    return household.pk in [row["id"] for row in response.json()["results"]]


def _found_by_exports(client, household, q) -> bool:
    xlsx = client.get(reverse("households:export-xlsx"), {"q": q})
    codes_in_xlsx = {row[0] for row in load_workbook(BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True)}
    text = client.get(reverse("households:export-csv"), {"q": q}).content.decode("utf-8-sig")
    rows = list(csv.reader(StringIO(text)))
    in_csv = any(household.code in row for row in rows)
    assert (household.code in codes_in_xlsx) == in_csv
    return in_csv


def _recovered_digit_by_digit(found) -> str:
    """The probe: start from the four digits shown, prepend one digit at a time while the
    search still finds the household."""
    known = CITIZEN_ID[-4:]
    while len(known) < 12:
        for digit in "0123456789":
            if found(digit + known):
                known = digit + known
                break
        else:
            break
    return known


@pytest.mark.parametrize("viewer", ["provincial_officer", "administrator"])
def test_masked_id_cannot_be_recovered_digit_by_digit_on_the_list_page(client, world, target, viewer):
    client.force_login(getattr(world, viewer))
    assert _found_by_page(client, target, CITIZEN_ID[-4:])  # what they see, they may search by
    assert _recovered_digit_by_digit(lambda q: _found_by_page(client, target, q)) == CITIZEN_ID[-4:]
    assert not _found_by_page(client, target, CITIZEN_ID)  # nor confirm a whole number guessed


def test_masked_id_cannot_be_recovered_digit_by_digit_through_the_api(world, target):
    user = world.provincial_officer
    assert _found_by_api(user, target, CITIZEN_ID[-4:])
    assert not _found_by_api(user, target, CITIZEN_ID[-5:])
    assert not _found_by_api(user, target, CITIZEN_ID)


def test_masked_id_cannot_be_recovered_digit_by_digit_through_the_exports(client, world, target):
    client.force_login(world.provincial_officer)
    assert _found_by_exports(client, target, CITIZEN_ID[-4:])
    assert not _found_by_exports(client, target, CITIZEN_ID[-5:])
    assert not _found_by_exports(client, target, CITIZEN_ID)


@pytest.mark.parametrize("viewer", ["commune_officer", "district_member"])
def test_those_who_see_the_id_in_full_search_by_any_part_of_it(client, world, target, viewer):
    client.force_login(getattr(world, viewer))
    assert _found_by_page(client, target, CITIZEN_ID[-5:])
    assert _found_by_page(client, target, CITIZEN_ID)
    assert _found_by_api(getattr(world, viewer), target, CITIZEN_ID[-7:])
    assert _found_by_exports(client, target, CITIZEN_ID[-6:])

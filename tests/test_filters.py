"""The limits the FilterSets share (frontwelfare.filters): what the schema says is refused, is."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from .households.factories import HouseholdFactory, MemberFactory


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_login(world.district_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(("route", "params", "refused"), [
    ("api:household-list", {"has_pupil": "yes"}, "has_pupil"),
    ("api:household-list", {"has_disability": "maybe"}, "has_disability"),
    ("api:household-list", {"year": 2101}, "year"),
    ("api:household-list", {"year": 1999}, "year"),
    ("api:housing-programme-list", {"running": "2"}, "running"),
    ("api:housing-programme-list", {"year": 2101}, "year"),
    ("api:housing-case-list", {"overdue": "no"}, "overdue"),
    ("api:housing-case-list", {"household": "1.5"}, "household"),
    ("api:unit-list", {"parent": "1.5"}, "parent"),
    ("api:household-list", {"page": ""}, "page"),
    ("api:member-list", {"page": ""}, "page"),
    ("api:housing-case-list", {"page": ""}, "page"),
])
def test_a_value_the_schema_excludes_is_refused_naming_the_filter(api, route, params, refused):
    response = api.get(reverse(route), params)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [refused]


def test_yes_and_no_still_filter(api, world):
    pupil = HouseholdFactory(commune=world.commune, head_name="Trần Văn Học")
    MemberFactory(household=pupil, school_level="lower_secondary")
    HouseholdFactory(commune=world.commune, head_name="Lê Văn Không")

    def heads(value):
        response = api.get(reverse("api:household-list"), {"has_pupil": value})
        return {row["head_name"] for row in response.json()["results"]}

    assert heads("true") == heads("1") == {"Trần Văn Học"}
    assert heads("false") == {"Lê Văn Không"}
    assert heads("") == {"Trần Văn Học", "Lê Văn Không"}

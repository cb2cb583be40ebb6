"""The member organisations' API (/api/v1/donations/organisations/, …/memberships/, /activities/):
the pages' scope, FilterSets and services as JSON. A refused write answers 400 (by field), 403 or
404 and writes nothing. Scope on every route for every role is also walked by tests/test_scope.py."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from donations.choices import MemberOrganisation
from donations.support import services
from donations.support.choices import ActivityKind
from donations.support.models import Activity, Membership, Organisation

from ..factories import CommuneOfficerFactory
from ..households.factories import HouseholdFactory
from .factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def api():
    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@pytest.fixture
def red_cross(world):
    organisation = services.organisation_create(actor=world.commune_officer, kind=MemberOrganisation.RED_CROSS,
                                                name="Hội Chữ thập đỏ thị trấn")
    services.membership_record(actor=world.commune_officer, organisation=organisation, year=2024, members=310)
    return organisation


def test_the_list_shows_the_organisations_in_scope_with_their_latest_members(api, world, red_cross):
    OrganisationFactory(unit=world.other_district)
    body = api(world.district_member).get(reverse("api:donations-organisation-list")).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["name"], row["unit"]["id"], row["latest_year"], row["latest_members"]) == (
        "Hội Chữ thập đỏ thị trấn", world.commune.pk, 2024, 310)
    by_kind = api(world.district_member).get(reverse("api:donations-organisation-list"), {"kind": "farmers"})
    assert by_kind.json()["count"] == 0


def test_an_officer_records_an_organisation_and_its_members(api, world):
    client = api(world.commune_officer)
    created = client.post(reverse("api:donations-organisation-list"),
                          {"kind": "farmers", "name": "Hội Nông dân thị trấn"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert Organisation.objects.get(pk=pk).unit == world.commune
    url = reverse("api:donations-organisation-memberships", args=[pk])
    assert client.post(url, {"year": 2024, "members": 150}, format="json").status_code == 201
    assert client.post(url, {"year": 2024, "members": 155}, format="json").json() == {"year": 2024, "members": 155}
    assert client.get(url).json() == [{"year": 2024, "members": 155}]


def test_members_as_text_or_below_zero_are_refused(api, world, red_cross):
    url = reverse("api:donations-organisation-memberships", args=[red_cross.pk])
    client = api(world.commune_officer)
    assert client.post(url, {"year": 2025, "members": "12"}, format="json").json() == {
        "members": ["Give a whole number, as a JSON integer without quotes or decimals."]}
    assert client.post(url, {"year": 2025, "members": -1}, format="json").status_code == 400
    assert not Membership.objects.filter(year=2025).exists()


def test_the_units_above_read_and_do_not_write(api, world, red_cross):
    client = api(world.district_member)
    detail = reverse("api:donations-organisation-detail", args=[red_cross.pk])
    assert client.get(detail).status_code == 200
    assert client.patch(detail, {"name": "Đổi tên"}, format="json").status_code == 403
    url = reverse("api:donations-organisation-memberships", args=[red_cross.pk])
    assert client.post(url, {"year": 2024, "members": 1}, format="json").status_code == 403
    assert Membership.objects.get(year=2024).members == 310


def test_an_outsider_gets_404(api, world, red_cross):
    client = api(CommuneOfficerFactory(unit=world.sibling_commune))
    assert client.get(reverse("api:donations-organisation-detail", args=[red_cross.pk])).status_code == 404
    assert client.get(reverse("api:donations-organisation-memberships", args=[red_cross.pk])).status_code == 404


def test_an_activity_is_recorded_with_households_of_the_unit(api, world, red_cross):
    household = HouseholdFactory(commune=world.commune)
    response = api(world.commune_officer).post(reverse("api:donations-activity-list"), {
        "organisation": red_cross.pk, "kind": "medical_examination", "name": "Khám bệnh miễn phí",
        "starts_on": "2025-06-01", "ends_on": "2025-06-02", "occurrences": 2, "people_served": 160,
        "households": [household.pk], "value": 45_000_000, "funders": "Bệnh viện tỉnh"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"]["id"], body["organisation"]["id"], body["households"], body["value"]) == (
        world.commune.pk, red_cross.pk, [household.pk], 45_000_000)


@pytest.mark.parametrize(("fields", "field"), [
    ({"value": -1}, "value"), ({"value": 1.5}, "value"), ({"value": "100"}, "value"),
    ({"ends_on": "2025-05-01"}, "ends_on"), ({"occurrences": 0}, "occurrences"), ({"kind": "picnic"}, "kind"),
])
def test_bad_activities_are_refused_by_field(api, world, fields, field):
    data = {"kind": "legal_aid", "name": "Trợ giúp pháp lý", "starts_on": "2025-06-01", **fields}
    response = api(world.commune_officer).post(reverse("api:donations-activity-list"), data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Activity.objects.exists()


def test_a_household_outside_the_unit_is_refused(api, world):
    data = {"kind": "legal_aid", "name": "Trợ giúp", "starts_on": "2025-06-01", "people_served": 3,
            "households": [HouseholdFactory(commune=world.sibling_commune).pk]}
    response = api(world.commune_officer).post(reverse("api:donations-activity-list"), data, format="json")
    assert response.status_code == 400 and "households" in response.json()
    district = api(world.district_member).post(reverse("api:donations-activity-list"), {
        **data, "households": [HouseholdFactory(commune=world.other_district_commune).pk]}, format="json")
    assert district.status_code == 400
    assert not Activity.objects.exists()


def test_activities_filter_by_kind_and_period(api, world):
    ActivityFactory(unit=world.commune, kind=ActivityKind.HEART_SURGERY, starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2024, 12, 31))
    ActivityFactory(unit=world.commune, kind=ActivityKind.LEGAL_AID, starts_on=datetime.date(2025, 3, 1))
    ActivityFactory(unit=world.sibling_commune, kind=ActivityKind.LEGAL_AID, starts_on=datetime.date(2025, 3, 1))
    client = api(world.commune_officer)
    url = reverse("api:donations-activity-list")
    assert client.get(url).json()["count"] == 2
    assert [row["kind"] for row in client.get(url, {"happened_from": "2024-07-01", "happened_to": "2024-08-01"})
            .json()["results"]] == ["heart_surgery"]
    assert client.get(url, {"kind": "legal_aid"}).json()["count"] == 1


def test_an_activity_is_corrected_by_patch_and_not_by_the_district(api, world):
    activity = ActivityFactory(unit=world.commune)
    detail = reverse("api:donations-activity-detail", args=[activity.pk])
    assert api(world.district_member).patch(detail, {"value": 1}, format="json").status_code == 403
    response = api(world.commune_officer).patch(detail, {"value": 0, "people_served": 7}, format="json")
    assert response.status_code == 200 and (response.json()["value"], response.json()["people_served"]) == (0, 7)


def test_the_lists_are_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    organisation = OrganisationFactory(unit=world.commune)
    for _number in range(25):
        ActivityFactory(unit=world.commune, organisation=organisation).households.add(
            HouseholdFactory(commune=world.commune))
        OrganisationFactory(unit=world.commune)
    client = api(world.district_member)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("api:donations-activity-list")).json()["count"] == 25
    with django_assert_max_num_queries(10):
        assert client.get(reverse("api:donations-organisation-list")).json()["count"] == 26


def test_the_schema_documents_the_routes(api, world):
    paths = api(world.commune_officer).get("/api/schema/?format=json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/donations/organisations/{id}/memberships/"])
    assert {"get", "post"} <= set(paths["/api/v1/donations/activities/"])
    assert {"get", "put", "patch"} <= set(paths["/api/v1/donations/organisations/{id}/"])

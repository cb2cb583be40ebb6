"""The member organisations' pages under /support/: the list with counts by kind and each
organisation's latest members, its page with the members by year and its activities, the forms,
the change history; the activities' list with its totals, filters, form and page. What they show,
what they write through donations.support.services, what they refuse (a message, nothing written)."""

import datetime

import pytest
from django.urls import reverse

from donations.choices import MemberOrganisation
from donations.support import services
from donations.support.choices import ActivityKind
from donations.support.models import Activity, Membership, Organisation

from ..factories import CommuneOfficerFactory
from ..households.factories import HouseholdFactory
from ..scope_harness import element_texts
from .factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def en(client):
    """Pages in English, so that tests read the source strings (Vietnamese is the default)."""
    client.cookies.load({"django_language": "en"})
    return client


def _get(client, user, name, *args, data=None, status=200):
    client.force_login(user)
    response = client.get(reverse(name, args=args), data or {})
    assert response.status_code == status, response.status_code
    return response.content.decode()


def _post(client, user, name, *args, data):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


@pytest.fixture
def red_cross(world):
    organisation = services.organisation_create(actor=world.commune_officer, kind=MemberOrganisation.RED_CROSS,
                                                name="Hội Chữ thập đỏ thị trấn")
    for year, members in ((2023, 280), (2024, 310)):
        services.membership_record(actor=world.commune_officer, organisation=organisation, year=year,
                                   members=members)
    return organisation


# -- organisations -----------------------------------------------------------------------------------


def test_the_list_counts_organisations_by_kind_with_their_latest_members(en, world, red_cross):
    union = services.organisation_create(actor=world.district_member, kind=MemberOrganisation.WOMENS_UNION,
                                         name="Hội Liên hiệp Phụ nữ huyện")
    services.membership_record(actor=world.district_member, organisation=union, year=2022, members=4200)
    OrganisationFactory(unit=world.other_district, name="Hội Chữ thập đỏ huyện Châu Thành")
    body = _get(en, world.district_member, "support:organisation-list")
    rows = element_texts(body, "tr", data_testid="organisation-row")
    assert rows == ["Hội Chữ thập đỏ thị trấn Red Cross Society Thị trấn Phước Mỹ Trung 310 (2024)",
                    "Hội Liên hiệp Phụ nữ huyện Women's Union Huyện Mỏ Cày Bắc 4.200 (2022)"]
    assert element_texts(body, "tr", data_testid="counts-total") == ["Total 2 4.510"]
    assert element_texts(body, "tr", data_kind="red_cross") == ["Red Cross Society 1 310"]


def test_the_list_filters_by_kind_and_unit(en, world, red_cross):
    services.organisation_create(actor=world.district_member, kind=MemberOrganisation.FARMERS,
                                 name="Hội Nông dân huyện")
    body = _get(en, world.district_member, "support:organisation-list", data={"kind": "farmers"})
    assert [row.split(" Farmers")[0] for row in element_texts(body, "tr", data_testid="organisation-row")] == [
        "Hội Nông dân huyện"]
    body = _get(en, world.district_member, "support:organisation-list", data={"unit": world.commune.pk})
    assert len(element_texts(body, "tr", data_testid="organisation-row")) == 1
    assert "Hội Chữ thập đỏ thị trấn" in body


def test_the_list_is_a_fixed_number_of_queries(en, world, django_assert_max_num_queries):
    for number in range(30):
        organisation = OrganisationFactory(unit=world.commune, name=f"Chi hội {number}")
        Membership.objects.create(organisation=organisation, year=2024, members=number)
    en.force_login(world.commune_officer)
    with django_assert_max_num_queries(14):
        response = en.get(reverse("support:organisation-list"))
    assert response.content.decode().count('data-testid="organisation-row"') == 30


def test_an_officer_creates_an_organisation_from_the_form(en, world):
    response = _post(en, world.commune_officer, "support:organisation-create",
                     data={"kind": "youth_union", "name": "Đoàn Thanh niên thị trấn", "note": ""})
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:organisation-detail",
                                                                   args=[organisation.pk])
    assert (organisation.unit, organisation.kind) == (world.commune, "youth_union")


def test_a_name_taken_is_refused_on_the_form(en, world, red_cross):
    response = _post(en, world.commune_officer, "support:organisation-create",
                     data={"kind": "red_cross", "name": "Hội Chữ thập đỏ thị trấn"})
    assert response.status_code == 400
    assert "This unit already has an organisation of this name." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_the_administrator_may_not_open_the_form(en, world):
    _get(en, world.administrator, "support:organisation-create", status=403)


def test_the_district_sees_a_communes_organisation_without_changing_it(en, world, red_cross):
    body = _get(en, world.district_member, "support:organisation-detail", red_cross.pk)
    assert 'data-testid="edit-organisation"' not in body and 'data-testid="membership-form"' not in body
    _get(en, world.district_member, "support:organisation-update", red_cross.pk, status=403)
    response = _post(en, world.district_member, "support:membership-record", red_cross.pk,
                     data={"year": 2024, "members": 1})
    assert response.status_code == 403
    assert Membership.objects.get(year=2024).members == 310


def test_an_officer_of_the_neighbouring_commune_gets_404(en, world, red_cross):
    neighbour = CommuneOfficerFactory(unit=world.sibling_commune)
    for name in ("support:organisation-detail", "support:organisation-update", "support:organisation-history"):
        _get(en, neighbour, name, red_cross.pk, status=404)


def test_the_organisations_page_shows_members_by_year_and_records_a_year(en, world, red_cross):
    body = _get(en, world.commune_officer, "support:organisation-detail", red_cross.pk)
    assert element_texts(body, "tr", data_testid="membership-row") == ["2024 310", "2023 280"]
    response = _post(en, world.commune_officer, "support:membership-record", red_cross.pk,
                     data={"year": "2024", "members": "325"})
    assert response.status_code == 302
    response = _post(en, world.commune_officer, "support:membership-record", red_cross.pk,
                     data={"year": "2025", "members": "-4"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert dict(red_cross.memberships.values_list("year", "members")) == {2023: 280, 2024: 325}


def test_the_organisations_page_lists_its_activities_with_totals(en, world, red_cross):
    services.activity_record(actor=world.commune_officer, organisation=red_cross,
                             kind=ActivityKind.MEDICAL_EXAMINATION, name="Khám bệnh miễn phí ấp 3", starts_on=DAY,
                             people_served=150, value=45_000_000)
    services.activity_record(actor=world.commune_officer, kind=ActivityKind.CONSULTATION,
                             name="Hội nghị phản biện", starts_on=DAY)
    body = _get(en, world.commune_officer, "support:organisation-detail", red_cross.pk)
    assert [text.split(" Free")[0] for text in element_texts(body, "tr", data_testid="activity-row")] == [
        "Khám bệnh miễn phí ấp 3"]
    assert element_texts(body, data_testid="total-value") == ["45.000.000 ₫"]
    assert element_texts(body, data_testid="total-people") == ["150"]


def test_the_history_shows_the_organisations_changes_and_its_members(en, world, red_cross):
    body = _get(en, world.district_member, "support:organisation-history", red_cross.pk)
    assert "Members in 2024" in body and "310" in body


# -- activities --------------------------------------------------------------------------------------


def _activity_form(**fields):
    return {"kind": "legal_aid", "name": "Trợ giúp pháp lý lưu động", "starts_on": "01/06/2025", "ends_on": "",
            "occurrences": "2", "people_served": "35", "value": "3.500.000", "households": "", "funders": "",
            "note": "", "organisation": "", **fields}


def test_an_officer_records_an_activity_naming_households_by_code(en, world, red_cross):
    first, second = HouseholdFactory.create_batch(2, commune=world.commune)
    response = _post(en, world.commune_officer, "support:activity-create",
                     data=_activity_form(organisation=red_cross.pk, households=f"{first.code}, {second.code.lower()}"))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:activity-detail", args=[activity.pk])
    assert (activity.unit, activity.organisation, activity.value, activity.occurrences) == (
        world.commune, red_cross, 3_500_000, 2)
    body = _get(en, world.commune_officer, "support:activity-detail", activity.pk)
    assert len(element_texts(body, "li", data_testid="served-household")) == 2
    assert element_texts(body, data_testid="activity-value") == ["3.500.000 ₫"]


def test_an_unknown_or_outside_household_code_is_named_and_nothing_is_written(en, world):
    outsider = HouseholdFactory(commune=world.sibling_commune)
    response = _post(en, world.commune_officer, "support:activity-create",
                     data=_activity_form(households=f"{outsider.code} KHONG-CO"))
    assert response.status_code == 400
    assert (f"No household of code {outsider.code}, KHONG-CO in the activity&#x27;s unit."
            in response.content.decode())
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"ends_on": "31/05/2025"}, "The last day is on or after the first."),
    ({"value": "1.500,5"}, "Enter a whole number of dong, for example 60.000.000."),
    ({"value": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"occurrences": "0"}, "Ensure this value is greater than or equal to 1."),
])
def test_bad_input_on_the_activity_form_is_refused_with_a_message(en, world, fields, message):
    response = _post(en, world.commune_officer, "support:activity-create", data=_activity_form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_the_form_offers_the_units_own_organisations_only(en, world, red_cross):
    OrganisationFactory(unit=world.sibling_commune, name="Hội Chữ thập đỏ xã Phú Mỹ")
    body = _get(en, world.commune_officer, "support:activity-create")
    assert "Hội Chữ thập đỏ thị trấn" in body and "Phú Mỹ" not in body


def test_an_officer_corrects_an_activity_and_the_district_may_not(en, world):
    activity = ActivityFactory(unit=world.commune, people_served=10)
    _get(en, world.district_member, "support:activity-update", activity.pk, status=403)
    response = _post(en, world.commune_officer, "support:activity-update", activity.pk,
                     data=_activity_form(kind=activity.kind, name=activity.name, people_served="12", value="0"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.people_served, activity.value, activity.occurrences) == (12, 0, 2)
    body = _get(en, world.commune_officer, "support:activity-history", activity.pk)
    assert "people served" in body and "changed" in body


def test_the_activity_list_totals_what_is_filtered(en, world, red_cross):
    ActivityFactory(unit=world.commune, organisation=red_cross, kind=ActivityKind.MEDICAL_EXAMINATION,
                    starts_on=datetime.date(2024, 3, 1), occurrences=4, people_served=400, value=100_000_000)
    ActivityFactory(unit=world.district, kind=ActivityKind.HEART_SURGERY, starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2024, 12, 31), occurrences=12, people_served=12, value=900_000_000)
    ActivityFactory(unit=world.commune, kind=ActivityKind.LEGAL_AID, starts_on=datetime.date(2025, 2, 1),
                    occurrences=7, people_served=70, value=0)
    ActivityFactory(unit=world.other_district, kind=ActivityKind.HEART_SURGERY, occurrences=99, value=10**9)
    body = _get(en, world.district_member, "support:activity-list")
    assert element_texts(body, data_testid="total-occurrences") == ["23"]
    assert element_texts(body, data_testid="total-value") == ["1.000.000.000 ₫"]
    in_2024 = _get(en, world.district_member, "support:activity-list",
                   data={"happened_from": "01/06/2024", "happened_to": "31/12/2024"})
    assert element_texts(in_2024, data_testid="total-occurrences") == ["12"], "the period overlaps the surgeries'"
    of_red_cross = _get(en, world.district_member, "support:activity-list", data={"organisation": red_cross.pk})
    assert element_texts(of_red_cross, data_testid="total-people") == ["400"]
    of_kind = _get(en, world.district_member, "support:activity-list", data={"kind": "legal_aid"})
    assert element_texts(of_kind, data_testid="total-activities") == ["1"]
    of_commune = _get(en, world.district_member, "support:activity-list", data={"unit": world.commune.pk})
    assert element_texts(of_commune, data_testid="total-occurrences") == ["11"]


def test_the_activity_list_is_a_fixed_number_of_queries(en, world, red_cross, django_assert_max_num_queries):
    for number in range(30):
        ActivityFactory(unit=world.commune, organisation=red_cross if number % 2 else None)
    en.force_login(world.district_member)
    with django_assert_max_num_queries(14):
        response = en.get(reverse("support:activity-list"))
    assert response.content.decode().count('data-testid="activity-row"') == 30

"""Member organisations, their members by year and their activities: donations.support.services.

Kept by the officers of their own unit; the units above see them and do not change them; an
outsider's reads as missing. Bad input is refused with a message on its field and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from donations.choices import MemberOrganisation
from donations.permissions import can_keep_organisations
from donations.support import services
from donations.support.choices import ActivityKind
from donations.support.models import Activity, Membership, Organisation
from donations.support.selectors import activity_totals, organisation_counts, organisation_history

from ..households.factories import HouseholdFactory
from .factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
DAY = datetime.date(2025, 6, 1)


def _organisation(world, **fields):
    values = {"kind": MemberOrganisation.RED_CROSS, "name": "Hội Chữ thập đỏ thị trấn Phước Mỹ Trung", **fields}
    return services.organisation_create(actor=world.commune_officer, **values)


def _activity(world, **fields):
    values = {"kind": ActivityKind.MEDICAL_EXAMINATION, "name": "Khám bệnh, cấp thuốc miễn phí", "starts_on": DAY,
              "people_served": 150, "value": 45_000_000, **fields}
    return services.activity_record(actor=world.commune_officer, **values)


# -- organisations -----------------------------------------------------------------------------------


def test_an_officer_creates_an_organisation_of_their_own_unit_with_its_history(world):
    organisation = _organisation(world, name="  Hội Chữ thập đỏ thị trấn  ")
    assert (organisation.unit, organisation.name, organisation.created_by) == (
        world.commune, "Hội Chữ thập đỏ thị trấn", world.commune_officer)
    entry = organisation_history(organisation=organisation)[0]
    assert entry.who == (world.commune_officer.get_full_name() or world.commune_officer.username)
    assert "Hội Chữ thập đỏ thị trấn" in [change.new for change in entry.changes]


def test_the_same_name_twice_in_a_unit_is_refused_on_the_name(world):
    _organisation(world)
    with pytest.raises(ValidationError) as refused:
        _organisation(world, name="hội chữ thập đỏ thị trấn phước mỹ trung", kind=MemberOrganisation.FARMERS)
    assert refused.value.message_dict == {"name": ["This unit already has an organisation of this name."]}
    assert Organisation.objects.count() == 1


def test_the_same_name_in_another_unit_is_another_organisation(world):
    _organisation(world)
    other = services.organisation_create(actor=world.district_member, kind=MemberOrganisation.RED_CROSS,
                                         name="Hội Chữ thập đỏ thị trấn Phước Mỹ Trung")
    assert other.unit == world.district


def test_an_unknown_kind_or_empty_name_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        _organisation(world, kind="guild", name="  ")
    assert set(refused.value.message_dict) == {"kind", "name"}
    assert not Organisation.objects.exists()


def test_the_administrator_keeps_no_organisation(world):
    assert not can_keep_organisations(world.administrator)
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=world.administrator, kind=MemberOrganisation.RED_CROSS, name="Hội")


def test_the_district_sees_a_communes_organisation_and_may_not_change_it(world):
    organisation = _organisation(world)
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=world.district_member, organisation=organisation, name="Đổi tên")
    assert Organisation.objects.get().name == "Hội Chữ thập đỏ thị trấn Phước Mỹ Trung"


def test_an_outsiders_organisation_reads_as_missing(world):
    organisation = OrganisationFactory(unit=world.sibling_commune)
    with pytest.raises(Organisation.DoesNotExist):
        services.organisation_update(actor=world.commune_officer, organisation=organisation, name="Đổi tên")


def test_an_officer_corrects_their_organisation(world):
    organisation = _organisation(world)
    services.organisation_update(actor=world.commune_officer, organisation=organisation,
                                 kind=MemberOrganisation.WOMENS_UNION, name="Hội Liên hiệp Phụ nữ thị trấn")
    organisation.refresh_from_db()
    assert (organisation.kind, organisation.name) == (MemberOrganisation.WOMENS_UNION, "Hội Liên hiệp Phụ nữ thị trấn")
    assert len(organisation_history(organisation=organisation)) == 2


# -- members by year ---------------------------------------------------------------------------------


def test_recording_a_year_again_corrects_it(world):
    organisation = _organisation(world)
    services.membership_record(actor=world.commune_officer, organisation=organisation, year=2024, members=310)
    services.membership_record(actor=world.commune_officer, organisation=organisation, year=2025, members=320)
    corrected = services.membership_record(actor=world.commune_officer, organisation=organisation, year=2024,
                                           members=315)
    assert dict(Membership.objects.values_list("year", "members")) == {2024: 315, 2025: 320}
    assert corrected.members == 315
    subjects = [entry.subject for entry in organisation_history(organisation=organisation)]
    assert subjects.count("Members in 2024") == 2


@pytest.mark.parametrize(("year", "members", "field"), [
    (1929, 10, "year"), (timezone.localdate().year + 1, 10, "year"), ("2024", 10, "year"),
    (2024, -1, "members"), (2024, 12.5, "members"), (2024, True, "members"),
])
def test_a_year_or_number_of_members_out_of_bounds_is_refused(world, year, members, field):
    organisation = _organisation(world)
    with pytest.raises(ValidationError) as refused:
        services.membership_record(actor=world.commune_officer, organisation=organisation, year=year,
                                   members=members)
    assert list(refused.value.message_dict) == [field]
    assert not Membership.objects.exists()


def test_the_units_above_do_not_record_a_communes_members(world):
    organisation = _organisation(world)
    with pytest.raises(PermissionDenied):
        services.membership_record(actor=world.provincial_officer, organisation=organisation, year=2024, members=1)
    assert not Membership.objects.exists()


def test_counts_add_each_organisations_latest_year(world):
    red_cross = _organisation(world)
    union = _organisation(world, kind=MemberOrganisation.WOMENS_UNION, name="Hội Phụ nữ")
    _organisation(world, kind=MemberOrganisation.WOMENS_UNION, name="Chi hội Phụ nữ ấp 1")  # no members yet
    for organisation, year, members in ((red_cross, 2023, 100), (red_cross, 2024, 120), (union, 2022, 400)):
        services.membership_record(actor=world.commune_officer, organisation=organisation, year=year,
                                   members=members)
    rows, total = organisation_counts(Organisation.objects.all())
    assert [(row.kind, row.organisations, row.members) for row in rows] == [
        ("red_cross", 1, 120), ("womens_union", 2, 400)]
    assert (total.organisations, total.members) == (3, 520)


# -- activities --------------------------------------------------------------------------------------


def test_an_activity_of_the_officers_unit_with_households_of_the_registry(world):
    households = HouseholdFactory.create_batch(2, commune=world.commune)
    organisation = _organisation(world)
    activity = _activity(world, organisation=organisation, households=households, ends_on=datetime.date(2025, 6, 3),
                         occurrences=3, funders="Bệnh viện Đa khoa tỉnh")
    assert (activity.unit, activity.organisation, activity.occurrences) == (world.commune, organisation, 3)
    assert set(activity.households.all()) == set(households)
    totals = activity_totals(Activity.objects.all())
    assert (totals.activities, totals.occurrences, totals.people_served, totals.value, totals.households) == (
        1, 3, 150, 45_000_000, 2)


def test_a_district_activity_may_serve_households_of_its_communes(world):
    household = HouseholdFactory(commune=world.sibling_commune)
    activity = services.activity_record(actor=world.district_member, kind=ActivityKind.LEGAL_AID,
                                        name="Trợ giúp pháp lý lưu động", starts_on=DAY, people_served=40,
                                        households=[household])
    assert activity.unit == world.district and list(activity.households.all()) == [household]


def test_a_household_outside_the_unit_is_refused_and_nothing_is_written(world):
    outsider = HouseholdFactory(commune=world.sibling_commune)
    with pytest.raises(ValidationError) as refused:
        _activity(world, households=[HouseholdFactory(commune=world.commune), outsider])
    assert list(refused.value.message_dict) == ["households"]
    assert not Activity.objects.exists()


def test_an_organisation_of_another_unit_is_refused(world):
    communes_red_cross = OrganisationFactory(unit=world.commune)  # seen by the district, not its own
    with pytest.raises(ValidationError) as refused:
        services.activity_record(actor=world.district_member, kind=ActivityKind.LEGAL_AID, name="Trợ giúp",
                                 starts_on=DAY, organisation=communes_red_cross)
    assert refused.value.message_dict == {"organisation": ["Choose an organisation of the activity's own unit."]}


def test_an_outsiders_organisation_reads_as_missing_for_an_activity(world):
    with pytest.raises(Organisation.DoesNotExist):
        _activity(world, organisation=OrganisationFactory(unit=world.sibling_commune))
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"ends_on": datetime.date(2025, 5, 31)}, "ends_on"),
    ({"value": -1}, "value"),
    ({"value": 1_000.5}, "value"),
    ({"value": "1000"}, "value"),
    ({"occurrences": 0}, "occurrences"),
    ({"people_served": -3}, "people_served"),
    ({"kind": "picnic"}, "kind"),
    ({"name": ""}, "name"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        _activity(world, **fields)
    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_fewer_people_than_named_households_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        _activity(world, people_served=1, households=HouseholdFactory.create_batch(2, commune=world.commune))
    assert refused.value.message_dict == {
        "people_served": ["The people served cannot be fewer than the households of the registry served (2)."]}


def test_an_activity_is_corrected_by_its_units_officer_and_not_by_the_units_above(world):
    activity = _activity(world, households=[HouseholdFactory(commune=world.commune)])
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=world.district_member, activity=activity, people_served=1)
    services.activity_update(actor=world.commune_officer, activity=activity, people_served=200, value=50_000_000,
                             households=[])
    activity.refresh_from_db()
    assert (activity.people_served, activity.value, activity.households.count()) == (200, 50_000_000, 0)


def test_a_correction_keeps_the_households_unless_given(world):
    activity = _activity(world, households=HouseholdFactory.create_batch(2, commune=world.commune))
    with pytest.raises(ValidationError):
        services.activity_update(actor=world.commune_officer, activity=activity, people_served=1)
    activity.refresh_from_db()
    assert (activity.people_served, activity.households.count()) == (150, 2)


def test_an_outsiders_activity_reads_as_missing(world):
    activity = ActivityFactory(unit=world.sibling_commune)
    with pytest.raises(Activity.DoesNotExist):
        services.activity_update(actor=world.commune_officer, activity=activity, value=1)


def test_writes_cost_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    organisation = _organisation(world)
    households = HouseholdFactory.create_batch(20, commune=world.commune)
    with django_assert_max_num_queries(12):
        services.membership_record(actor=world.commune_officer, organisation=organisation, year=2024, members=9)
    # The same whatever the number of households: they are read and linked in one query each.
    with django_assert_max_num_queries(16):
        _activity(world, organisation=organisation, households=households)
    activity = Activity.objects.get()
    with django_assert_max_num_queries(18):
        services.activity_update(actor=world.commune_officer, activity=activity, households=households[:5])

"""The scope rules of frontwelfare.accounts.scope, each asked as a filter and for a row in hand,
for every role, with the nearest outsider of each."""

import pytest
from django.db import transaction

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import (
    covers,
    covers_q,
    locked_in_scope,
    owned_q,
    scope_q,
    unit_in_scope,
    unit_within,
    within_q,
)
from frontwelfare.areas.choices import Era
from frontwelfare.areas.models import AdministrativeUnit
from households.models import Household

from ..factories import CommuneFactory, CommuneOfficerFactory, ProvinceFactory, ProvincialOfficerFactory
from ..households.factories import HouseholdFactory
from ..housing.factories import ProgrammeFactory

ROLES = [Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER]


def _communes(world):
    return [world.commune, world.sibling_commune, world.other_district_commune, world.other_province_commune]


@pytest.mark.parametrize("role", ROLES)
def test_scope_q_and_unit_in_scope_agree_on_every_commune(world, role):
    user = world.viewer(role)
    households = {commune.pk: HouseholdFactory(commune=commune) for commune in _communes(world)}
    listed = set(Household.objects.filter(scope_q(user, "commune")).values_list("commune_id", flat=True))
    assert world.commune.pk in listed
    assert world.outside_commune(role).pk not in listed
    for commune in _communes(world):
        assert unit_in_scope(user, commune) == (commune.pk in listed), commune
    assert set(households) >= listed


def test_administrator_sees_every_commune_and_an_inactive_user_none(world):
    for commune in _communes(world):
        HouseholdFactory(commune=commune)
    assert Household.objects.filter(scope_q(world.administrator, "commune")).count() == 4
    world.commune_officer.is_active = False
    assert not Household.objects.filter(scope_q(world.commune_officer, "commune")).exists()
    assert not unit_in_scope(world.commune_officer, world.commune)


def test_within_q_reads_the_units_own_level(world):
    units = AdministrativeUnit.objects.filter
    assert set(units(within_q(world.district, ""))) == {world.district, world.commune, world.sibling_commune}
    assert set(units(within_q(world.commune, ""))) == {world.commune}
    assert world.other_province_commune not in set(units(within_q(world.province, "")))
    assert world.other_district_commune in set(units(within_q(world.province, "")))


def test_within_q_follows_a_path_to_the_commune(world):
    inside = HouseholdFactory(commune=world.sibling_commune)
    outside = HouseholdFactory(commune=world.other_district_commune)
    rows = set(Household.objects.filter(within_q(world.district, "commune")))
    assert inside in rows and outside not in rows
    assert Household.objects.filter(within_q(None, "commune")).count() == 2


def test_unit_within_agrees_with_within_q(world):
    every_unit = list(AdministrativeUnit.objects.all())
    for ancestor in every_unit:
        listed = set(AdministrativeUnit.objects.filter(within_q(ancestor, "")))
        for unit in every_unit:
            assert unit_within(unit, ancestor) == (unit in listed), (unit, ancestor)


def test_within_keeps_its_callers(world):
    assert set(AdministrativeUnit.objects.below(world.district)) == {world.commune, world.sibling_commune}


@pytest.fixture
def owned(world):
    """A record owned at every level: the province, both districts, two communes, the other province."""
    return {
        "province": ProgrammeFactory(unit=world.province),
        "district": ProgrammeFactory(unit=world.district),
        "other_district": ProgrammeFactory(unit=world.other_district),
        "commune": ProgrammeFactory(unit=world.commune),
        "sibling_commune": ProgrammeFactory(unit=world.sibling_commune),
        "other_province": ProgrammeFactory(unit=world.other_province),
    }


@pytest.mark.parametrize("role, seen", [
    (Role.COMMUNE_OFFICER, {"province", "district", "commune"}),
    (Role.DISTRICT_MEMBER, {"province", "district", "commune", "sibling_commune"}),
    (Role.PROVINCIAL_OFFICER, {"province", "district", "other_district", "commune", "sibling_commune"}),
    (Role.ADMINISTRATOR, {"province", "district", "other_district", "commune", "sibling_commune", "other_province"}),
])
def test_owned_q_shows_records_of_the_users_unit_the_units_above_and_the_units_within(world, owned, role, seen):
    visible = set(type(owned["province"]).objects.filter(owned_q(world.viewer(role), "unit")))
    assert visible == {owned[name] for name in seen}


def test_owned_q_shows_nothing_to_an_anonymous_user(world, owned):
    from django.contrib.auth.models import AnonymousUser

    assert not type(owned["province"]).objects.filter(owned_q(AnonymousUser(), "unit")).exists()


def test_covers_q_and_covers_keep_the_owner_and_the_units_above(world, owned):
    model = type(owned["province"])
    covering = set(model.objects.filter(covers_q(world.commune, "unit")))
    assert covering == {owned["province"], owned["district"], owned["commune"]}
    for programme in model.objects.select_related("unit"):
        assert covers(programme.unit, world.commune) == (programme in covering)
        assert covers(programme.unit_id, world.commune) == (programme in covering)
    assert set(model.objects.covering(world.district)) == {owned["province"], owned["district"]}
    assert not covers(world.district, world.other_district_commune)
    assert not covers(None, world.commune)


def test_a_units_reports_count_the_programmes_above_it_and_within_it_but_not_beside_it(world, owned):
    model = type(owned["province"])
    counted = {owned["province"], owned["district"], owned["commune"], owned["sibling_commune"]}
    assert set(model.objects.counted_in(world.district)) == counted
    assert owned["commune"].is_counted_in(world.district)
    assert not owned["other_district"].is_counted_in(world.district)
    assert not owned["other_province"].is_counted_in(world.district)


def test_locked_in_scope_returns_the_row_in_scope(world):
    household = HouseholdFactory(commune=world.commune)
    with transaction.atomic():
        locked = locked_in_scope(Household.objects.select_related("commune"), actor=world.commune_officer,
                                 pk=household.pk)
    assert locked == household


def test_locked_in_scope_refuses_a_row_out_of_scope_or_gone_as_missing(world):
    outside = HouseholdFactory(commune=world.sibling_commune)
    with transaction.atomic(), pytest.raises(Household.DoesNotExist):
        locked_in_scope(Household.objects, actor=world.commune_officer, pk=outside.pk)
    with transaction.atomic(), pytest.raises(Household.DoesNotExist):
        locked_in_scope(Household.objects, actor=world.commune_officer, pk=outside.pk + 1000)


def test_locked_in_scope_takes_a_row_lock(world, django_assert_num_queries):
    household = HouseholdFactory(commune=world.commune)
    with transaction.atomic(), django_assert_num_queries(1) as captured:
        locked_in_scope(Household.objects, actor=world.commune_officer, pk=household.pk)
    assert "FOR UPDATE" in captured.captured_queries[0]["sql"]


def test_commune_officer_of_another_commune_does_not_see_the_commune_record(world, owned):
    stranger = CommuneOfficerFactory(unit=world.other_district_commune)
    visible = set(type(owned["province"]).objects.filter(owned_q(stranger, "unit")))
    assert visible == {owned["province"], owned["other_district"]}


# -- across the 2025 reform ------------------------------------------------------------------------


@pytest.fixture
def vinh_long(world):
    """The current Vĩnh Long: former Bến Tre (the world's province) went whole into it; Lâm Đồng did not."""
    current = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Vĩnh Long", code="86")
    AdministrativeUnit.objects.filter(province=world.province).update(current_province=current)
    return current


def test_a_current_province_officer_sees_the_records_of_the_former_units_that_became_the_province(world, vinh_long):
    officer = ProvincialOfficerFactory(unit=vinh_long)
    current_commune = CommuneFactory(era=Era.CURRENT, parent=vinh_long, district=None, province=vinh_long)
    households = {commune.pk: HouseholdFactory(commune=commune) for commune in [*_communes(world), current_commune]}
    listed = set(Household.objects.filter(scope_q(officer, "commune")).values_list("commune_id", flat=True))
    assert listed == {world.commune.pk, world.sibling_commune.pk, world.other_district_commune.pk, current_commune.pk}
    for commune in [*_communes(world), current_commune]:
        commune.refresh_from_db()
        assert unit_in_scope(officer, commune) == (commune.pk in listed), commune
        assert unit_within(commune, vinh_long) == (commune.pk in listed), commune
    assert set(Household.objects.filter(within_q(vinh_long, "commune"))) == {households[pk] for pk in listed}
    # A fund or programme owned by the former province or one of its districts is the current province's.
    programme = ProgrammeFactory(unit=world.district)
    outside = ProgrammeFactory(unit=world.other_province)
    visible = set(type(programme).objects.filter(owned_q(officer, "unit")))
    assert programme in visible and outside not in visible
    # The former province's own officer keeps their former province.
    assert not unit_in_scope(world.provincial_officer, current_commune)
    assert unit_in_scope(world.provincial_officer, world.commune)


def test_a_current_province_officer_sees_a_former_communes_case_but_its_district_still_approves_it(world, vinh_long):
    from housing.permissions import is_approver_of

    officer = ProvincialOfficerFactory(unit=vinh_long)
    world.commune.refresh_from_db()
    assert unit_in_scope(officer, world.commune)
    assert not is_approver_of(officer, world.commune)
    assert is_approver_of(world.district_member, world.commune)

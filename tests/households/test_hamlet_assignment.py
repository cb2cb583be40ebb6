"""The province assigns a split former commune's hamlets (and their households) to the current
communes it was divided into: households.services.hamlets_assign and its page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontwelfare.areas.choices import Era
from households.models import HamletAssignment, Household
from households.services import hamlets_assign, household_register, household_update

from ..factories import (
    AdministratorFactory,
    CommuneFactory,
    CommuneOfficerFactory,
    DistrictMemberFactory,
    ProvinceFactory,
    ProvincialOfficerFactory,
)
from .factories import HouseholdFactory
from .test_services import _data as household_data  # hamlet "Ấp 1"


@pytest.fixture
def split(world):
    """Phú Mỹ (former, of Bến Tre) divided between two communes of the current Vĩnh Long; its households in
    three hamlets; the current Vĩnh Long's officer; a current commune of another province."""
    vinh_long = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Vĩnh Long", code="86")
    east, west = (CommuneFactory(era=Era.CURRENT, parent=vinh_long, district=None, province=vinh_long, name=name)
                  for name in ("Xã Phú Mỹ Đông", "Xã Phú Mỹ Tây"))
    former = world.sibling_commune
    former.successors.set([east, west])
    world.province.current_province = vinh_long
    world.province.save(update_fields=["current_province"])
    former.current_province = vinh_long
    former.save(update_fields=["current_province"])
    households = {hamlet: [HouseholdFactory(commune=former, hamlet=hamlet) for _ in range(2)]
                  for hamlet in ("Ấp 1", "Ấp 2", "Ấp 3")}
    lam_dong = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Lâm Đồng", code="68")
    elsewhere = CommuneFactory(era=Era.CURRENT, parent=lam_dong, district=None, province=lam_dong)
    return {"former": former, "east": east, "west": west, "households": households, "elsewhere": elsewhere,
            "officer": ProvincialOfficerFactory(unit=vinh_long), "other_province": lam_dong}


def _assigned(split, hamlet):
    return set(Household.objects.filter(commune=split["former"], hamlet=hamlet)
               .values_list("assigned_commune_id", flat=True))


def test_assigning_hamlets_moves_their_households_and_records_who_and_when(split, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        made = hamlets_assign(actor=split["officer"], former_commune=split["former"],
                              assignments={"Ấp 1": split["east"], "Ấp 2": split["west"]})
    assert len(made) == 2
    assert _assigned(split, "Ấp 1") == {split["east"].pk}
    assert _assigned(split, "Ấp 2") == {split["west"].pk}
    assert _assigned(split, "Ấp 3") == {None}
    assignment = HamletAssignment.objects.get(former_commune=split["former"], hamlet="Ấp 1")
    assert assignment.assigned_by == split["officer"] and assignment.assigned_at is not None
    assert assignment.history.count() == 1
    # History is never rewritten: the households keep their commune.
    assert Household.objects.filter(commune=split["former"]).count() == 6


def test_assigning_a_hamlet_again_moves_it_and_keeps_the_history(split):
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["west"]})
    assert _assigned(split, "Ấp 1") == {split["west"].pk}
    assignment = HamletAssignment.objects.get(former_commune=split["former"], hamlet="Ấp 1")
    assert list(assignment.history.values_list("current_commune_id", flat=True)) == [
        split["west"].pk, split["east"].pk]


def test_a_commune_it_was_not_divided_into_is_refused_and_nothing_is_assigned(split, english):
    with pytest.raises(ValidationError, match="is not one of the communes"):
        hamlets_assign(actor=split["officer"], former_commune=split["former"],
                       assignments={"Ấp 1": split["east"], "Ấp 2": split["elsewhere"]})
    assert not HamletAssignment.objects.exists()
    assert _assigned(split, "Ấp 1") == {None}


def test_a_commune_that_was_not_split_is_refused(split, world, english):
    world.commune.current_commune = split["east"]
    world.commune.current_province = split["east"].province
    world.commune.save()
    with pytest.raises(ValidationError, match="was not split"):
        hamlets_assign(actor=split["officer"], former_commune=world.commune, assignments={"Ấp 1": split["east"]})
    assert not HamletAssignment.objects.exists()


@pytest.mark.parametrize("who", ["other_province", "district", "commune"])
def test_only_the_province_of_the_former_commune_assigns_its_hamlets(split, world, who):
    actor = {"other_province": lambda: ProvincialOfficerFactory(unit=split["other_province"]),
             "district": lambda: DistrictMemberFactory(unit=world.district),
             "commune": lambda: CommuneOfficerFactory(unit=split["former"])}[who]()
    with pytest.raises(PermissionDenied):
        hamlets_assign(actor=actor, former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    assert not HamletAssignment.objects.exists()
    assert _assigned(split, "Ấp 1") == {None}


def test_the_administrator_may_assign(split):
    hamlets_assign(actor=AdministratorFactory(), former_commune=split["former"], assignments={"Ấp 3": split["east"]})
    assert _assigned(split, "Ấp 3") == {split["east"].pk}


def test_a_household_registered_or_moved_into_an_assigned_hamlet_is_assigned_too(split):
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    officer = CommuneOfficerFactory(unit=split["former"])
    registered = household_register(actor=officer, commune=split["former"], data=household_data())
    assert registered.assigned_commune == split["east"]
    moved = household_update(actor=officer, household=split["households"]["Ấp 3"][0], hamlet="Ấp 1")
    assert Household.objects.get(pk=moved.pk).assigned_commune == split["east"]
    away = household_update(actor=officer, household=split["households"]["Ấp 1"][0], hamlet="Ấp 2")
    assert Household.objects.get(pk=away.pk).assigned_commune is None


def test_the_page_lists_the_split_communes_hamlets_and_saves_them_in_one_submit(client, split,
                                                                              django_assert_max_num_queries):
    client.force_login(split["officer"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("households:split-communes")).content.decode()
    assert split["former"].name in page
    assert all(hamlet in page for hamlet in ("Ấp 1", "Ấp 2", "Ấp 3"))
    assert "Xã Phú Mỹ Đông" in page and "Xã Phú Mỹ Tây" in page
    url = reverse("households:split-commune", args=[split["former"].pk])
    response = client.post(url, {"hamlet_0": split["east"].pk, "hamlet_1": split["west"].pk, "hamlet_2": ""})
    assert response.status_code == 302
    assert _assigned(split, "Ấp 1") == {split["east"].pk}
    assert _assigned(split, "Ấp 2") == {split["west"].pk}
    assert _assigned(split, "Ấp 3") == {None}
    shown = client.get(url).content.decode()
    assert split["officer"].get_full_name() in shown


def test_the_page_refuses_a_commune_it_was_not_divided_into_with_a_message(client, split):
    client.force_login(split["officer"])
    url = reverse("households:split-commune", args=[split["former"].pk])
    response = client.post(url, {"hamlet_0": split["elsewhere"].pk})
    assert response.status_code == 400
    assert not HamletAssignment.objects.exists()


def test_another_provinces_officer_gets_404_for_the_split_commune(client, split):
    client.force_login(ProvincialOfficerFactory(unit=split["other_province"]))
    url = reverse("households:split-commune", args=[split["former"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"hamlet_0": split["east"].pk}).status_code == 404
    assert split["former"].name not in client.get(reverse("households:split-communes")).content.decode()
    assert not HamletAssignment.objects.exists()


def test_the_households_list_leads_a_provincial_officer_not_a_commune_officer_to_the_split_communes(client, world):
    link = 'data-testid="split-communes"'
    client.force_login(world.provincial_officer)
    assert link in client.get(reverse("households:list")).content.decode()
    client.force_login(world.commune_officer)
    assert link not in client.get(reverse("households:list")).content.decode()

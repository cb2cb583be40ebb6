"""The province assigns a split former commune's hamlets (and their households) to the current
communes it was divided into: households.services.hamlets_assign and its page."""

import re
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from frontwelfare.areas.choices import Era
from households.forms import hamlet_field_name
from households.models import HamletAssignment, Household
from households.permissions import may_assign_hamlets
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
    response = client.post(url, {hamlet_field_name("Ấp 1"): split["east"].pk,
                                 hamlet_field_name("Ấp 2"): split["west"].pk, hamlet_field_name("Ấp 3"): ""})
    assert response.status_code == 302
    assert _assigned(split, "Ấp 1") == {split["east"].pk}
    assert _assigned(split, "Ấp 2") == {split["west"].pk}
    assert _assigned(split, "Ấp 3") == {None}
    shown = client.get(url).content.decode()
    assert split["officer"].get_full_name() in shown


def test_the_page_refuses_a_commune_it_was_not_divided_into_with_a_message(client, split):
    client.force_login(split["officer"])
    url = reverse("households:split-commune", args=[split["former"].pk])
    response = client.post(url, {hamlet_field_name("Ấp 1"): split["elsewhere"].pk})
    assert response.status_code == 400
    assert not HamletAssignment.objects.exists()


def test_another_provinces_officer_gets_404_for_the_split_commune(client, split):
    client.force_login(ProvincialOfficerFactory(unit=split["other_province"]))
    url = reverse("households:split-commune", args=[split["former"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {hamlet_field_name("Ấp 1"): split["east"].pk}).status_code == 404
    assert split["former"].name not in client.get(reverse("households:split-communes")).content.decode()
    assert not HamletAssignment.objects.exists()


def test_the_households_list_leads_a_provincial_officer_not_a_commune_officer_to_the_split_communes(client, world):
    link = 'data-testid="split-communes"'
    client.force_login(world.provincial_officer)
    assert link in client.get(reverse("households:list")).content.decode()
    client.force_login(world.commune_officer)
    assert link not in client.get(reverse("households:list")).content.decode()


# -- the reviewer's findings (issue 16) --------------------------------------------------------------


def _shown_selects(client, url) -> list[str]:
    """The names of the hamlets' selects on the page, in the order shown."""
    return re.findall(r'<select name="(hamlet_[^"]+)"', client.get(url).content.decode())


def test_a_hamlet_appearing_between_showing_and_saving_the_page_does_not_shift_the_others(client, split):
    client.force_login(split["officer"])
    url = reverse("households:split-commune", args=[split["former"].pk])
    first, second, third = _shown_selects(client, url)  # Ấp 1, Ấp 2, Ấp 3
    HouseholdFactory(commune=split["former"], hamlet="Ấp 0")  # registered meanwhile; sorts first
    response = client.post(url, {first: split["east"].pk, second: split["west"].pk, third: ""})
    assert response.status_code == 302
    assert _assigned(split, "Ấp 1") == {split["east"].pk}
    assert _assigned(split, "Ấp 2") == {split["west"].pk}
    assert _assigned(split, "Ấp 0") == {None} and _assigned(split, "Ấp 3") == {None}


def test_a_hamlet_emptied_between_showing_and_saving_the_page_is_refused_and_nothing_is_saved(client, split,
                                                                                            english):
    client.force_login(split["officer"])
    url = reverse("households:split-commune", args=[split["former"].pk])
    first, second, _third = _shown_selects(client, url)
    Household.objects.filter(commune=split["former"], hamlet="Ấp 1").update(hamlet="Ấp 3")  # moved meanwhile
    page = client.post(url, {first: split["east"].pk, f"{first}_name": "Ấp 1", second: split["west"].pk})
    assert page.status_code == 400
    assert "Ấp 1: không còn là ấp của" in page.content.decode()
    assert not HamletAssignment.objects.exists()
    assert _assigned(split, "Ấp 2") == {None}


def test_saving_an_assignment_again_repairs_a_household_that_drifted_from_its_hamlet(split):
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    drifted = split["households"]["Ấp 1"][0]
    Household.objects.filter(pk=drifted.pk).update(assigned_commune=None)
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    assert _assigned(split, "Ấp 1") == {split["east"].pk}


def test_a_household_moved_into_a_hamlet_while_it_is_assigned_is_assigned_with_it(transactional_db, split):
    """The officer moves a household into Ấp 1 while the province saves Ấp 1's assignment: the
    assignment waits for the move (the split commune's row) and then updates it with its hamlet."""
    officer = CommuneOfficerFactory(unit=split["former"])
    household = split["households"]["Ấp 3"][0]
    moved, errors = threading.Event(), []

    def move_it():
        try:
            with transaction.atomic():
                household_update(actor=officer, household=household, hamlet="Ấp 1")
                moved.set()
                time.sleep(1.0)  # the province saves the assignment now
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    commune_officer = threading.Thread(target=move_it)
    commune_officer.start()
    assert moved.wait(5)
    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    commune_officer.join()
    assert not errors
    assert Household.objects.get(pk=household.pk).assigned_commune == split["east"]


def test_a_former_commune_mapped_to_nothing_is_not_split_and_is_not_offered_for_assignment(client, split, world,
                                                                                         english):
    unmapped = world.commune  # no successor in the official data, no current commune
    unmapped.current_province = split["east"].province
    unmapped.save(update_fields=["current_province"])
    HouseholdFactory(commune=unmapped, hamlet="Ấp 9")
    assert not unmapped.is_split and split["former"].is_split
    with pytest.raises(ValidationError, match="was not split"):
        hamlets_assign(actor=split["officer"], former_commune=unmapped, assignments={"Ấp 9": split["east"]})
    client.force_login(split["officer"])
    page = client.get(reverse("households:split-communes")).content.decode()
    assert split["former"].name in page and unmapped.name not in page
    assert client.get(reverse("households:split-commune", args=[unmapped.pk])).status_code == 404


def test_a_commune_no_longer_split_when_the_units_are_loaded_again_takes_back_its_assigned_households(split):
    from frontwelfare.areas.services import units_map_to_current

    hamlets_assign(actor=split["officer"], former_commune=split["former"], assignments={"Ấp 1": split["east"]})
    split["former"].successors.set([split["east"]])  # a corrected mapping: it went whole into one commune
    units_map_to_current()
    split["former"].refresh_from_db()
    assert split["former"].current_commune == split["east"]
    assert _assigned(split, "Ấp 1") == {None}  # counted through its commune only, not twice
    assert HamletAssignment.objects.filter(former_commune=split["former"]).exists()  # the record stays


def test_the_link_the_page_and_the_service_follow_one_assigner_rule(client, split, world):
    link = 'data-testid="split-communes"'
    for user, allowed in ((AdministratorFactory(), True), (split["officer"], True),
                          (world.district_member, False), (world.commune_officer, False)):
        assert may_assign_hamlets(user) is allowed
        client.force_login(user)
        listed = client.get(reverse("households:list"))
        assert listed.context["may_assign_hamlets"] is allowed
        assert (link in listed.content.decode()) is allowed
        assert (client.get(reverse("households:split-communes")).status_code == 200) is allowed

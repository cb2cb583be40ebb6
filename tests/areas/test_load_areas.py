"""The real GSO data set, loaded by the real command."""

import pytest
from django.core.management import call_command

from frontwelfare.areas.choices import DivisionType, Era, Level
from frontwelfare.areas.models import AdministrativeUnit


@pytest.fixture
def loaded(db):
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _count(era, level):
    return AdministrativeUnit.objects.filter(era=era, level=level).count()


def test_load_areas_loads_every_unit_of_both_eras(loaded):
    assert _count(Era.LEGACY, Level.PROVINCE) == 63
    assert _count(Era.LEGACY, Level.DISTRICT) == 696
    assert _count(Era.LEGACY, Level.COMMUNE) == 10051
    assert _count(Era.CURRENT, Level.PROVINCE) == 34
    assert _count(Era.CURRENT, Level.COMMUNE) == 3321
    assert _count(Era.CURRENT, Level.DISTRICT) == 0


def test_load_areas_twice_changes_nothing(loaded):
    before = list(AdministrativeUnit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id"))
    links = AdministrativeUnit.successors.through.objects.count()
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = list(AdministrativeUnit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id"))
    assert after == before
    assert AdministrativeUnit.successors.through.objects.count() == links


def test_mo_cay_bac_is_found_with_its_province_and_communes(loaded):
    district = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="838")
    assert district.name == "Huyện Mỏ Cày Bắc"
    assert district.division_type == DivisionType.RURAL_DISTRICT
    assert district.parent.name == "Tỉnh Bến Tre"
    assert district.parent.code == "83"
    communes = AdministrativeUnit.objects.below(district)
    assert communes.count() == 13
    assert set(communes.values_list("level", flat=True)) == {Level.COMMUNE}
    town = communes.get(code="28915")
    assert town.name == "Thị trấn Phước Mỹ Trung"
    assert town.division_type == DivisionType.TOWNSHIP
    assert (town.district_id, town.province_id) == (district.pk, district.parent_id)


def test_chau_thanh_and_lam_dong_of_the_source_documents_are_there(loaded):
    assert AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code="831").name == "Huyện Châu Thành"
    lam_dong = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="68")
    assert lam_dong.name == "Tỉnh Lâm Đồng"
    assert lam_dong.name_folded == "tinh lam dong"


def test_every_unit_under_a_province_is_one_filter_away(loaded):
    ben_tre = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="83")
    under = AdministrativeUnit.objects.below(ben_tre)
    assert under.filter(level=Level.DISTRICT).count() == 9
    # Every commune's parent is a district of the same province.
    assert not under.filter(level=Level.COMMUNE).exclude(parent__province=ben_tre).exists()


def test_legacy_units_point_at_the_current_units_they_became(loaded):
    town = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code="28915")
    assert list(town.successors.values_list("era", "code", "name")) == [
        (Era.CURRENT, "28915", "Xã Phước Mỹ Trung")
    ]
    new_commune = town.successors.get()
    assert set(new_commune.predecessors.values_list("code", flat=True)) == {"28889", "28909", "28912", "28915"}
    ben_tre = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="83")
    assert list(ben_tre.successors.values_list("name", flat=True)) == ["Tỉnh Vĩnh Long"]


def _unit(era, level, code):
    return AdministrativeUnit.objects.get(era=era, level=level, code=code)


def test_former_units_point_at_the_current_province_they_lie_in_now(loaded):
    vinh_long = _unit(Era.CURRENT, Level.PROVINCE, "86")
    assert vinh_long.current_province_id == vinh_long.pk
    for code in ("83", "84", "86"):  # Bến Tre, Trà Vinh, Vĩnh Long went whole into Vĩnh Long
        assert _unit(Era.LEGACY, Level.PROVINCE, code).current_province_id == vinh_long.pk
    assert _unit(Era.LEGACY, Level.DISTRICT, "838").current_province_id == vinh_long.pk
    # Tiền Giang: the package also lists it among Tây Ninh's sources, but all its communes went to Đồng Tháp.
    assert _unit(Era.LEGACY, Level.PROVINCE, "82").current_province.code == "82"
    assert not AdministrativeUnit.objects.filter(current_province__isnull=True).exists()
    assert not AdministrativeUnit.objects.exclude(current_province__era=Era.CURRENT).exists()


def test_a_former_commune_points_at_its_one_successor_and_a_split_one_at_none(loaded):
    town = _unit(Era.LEGACY, Level.COMMUNE, "28915")
    assert town.current_commune == town.successors.get()
    assert not town.is_split
    current = town.current_commune
    assert current.current_commune_id == current.pk
    split = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, current_commune__isnull=True)
    assert split.count() == 440 + 28  # split between several, and the few the data maps to nothing
    assert all(unit.successors.count() != 1 for unit in split[:50])
    assert split.first().is_split


def test_the_mapping_is_rebuilt_from_the_successors_already_loaded(loaded):
    from frontwelfare.areas.services import units_map_to_current

    AdministrativeUnit.objects.update(current_province=None, current_commune=None)
    assert units_map_to_current() == AdministrativeUnit.objects.count()
    assert units_map_to_current() == 0
    assert _unit(Era.LEGACY, Level.PROVINCE, "83").current_province.code == "86"


def test_a_former_province_split_between_current_provinces_fails_the_load(loaded):
    from frontwelfare.areas.services import MappingError, units_map_to_current

    ben_tre_commune = _unit(Era.LEGACY, Level.COMMUNE, "28915")
    ben_tre_commune.successors.add(_unit(Era.CURRENT, Level.COMMUNE, AdministrativeUnit.objects.filter(
        era=Era.CURRENT, level=Level.COMMUNE).exclude(province__code="86").values_list("code", flat=True)[0]))
    with pytest.raises(MappingError, match="several current provinces"):
        units_map_to_current()

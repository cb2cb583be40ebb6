"""Loading the official administrative units from the `vietnam-provinces` package."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from vietnam_provinces import Province as CurrentProvince
from vietnam_provinces import Ward as CurrentWard
from vietnam_provinces import legacy

from frontwelfare.text import fold_diacritics

from .choices import CODE_WIDTH, DivisionType, Era, Level
from .models import AdministrativeUnit
from .signals import communes_no_longer_split

# The package's own type names (its enums' values) → ours.
_DIVISION_TYPES = {
    "tỉnh": DivisionType.PROVINCE,
    "thành phố trung ương": DivisionType.CENTRAL_CITY,
    "huyện": DivisionType.RURAL_DISTRICT,
    "quận": DivisionType.URBAN_DISTRICT,
    "thành phố": DivisionType.PROVINCIAL_CITY,
    "thị xã": DivisionType.TOWN,
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "thị trấn": DivisionType.TOWNSHIP,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class AreasLoadResult:
    units: int
    successions: int


def _code(level: Level, number) -> str:
    return str(int(number)).zfill(CODE_WIDTH[level])


def _unit(era: Era, level: Level, source) -> AdministrativeUnit:
    return AdministrativeUnit(
        era=era,
        level=level,
        code=_code(level, source.code),
        name=source.name,
        name_folded=fold_diacritics(source.name),
        division_type=_DIVISION_TYPES[str(source.division_type.value)],
    )


def _upsert(units: list[AdministrativeUnit]) -> dict[str, int]:
    """Insert or refresh one level of one era; return its ids by code."""
    AdministrativeUnit.objects.bulk_create(
        units,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["era", "level", "code"],
        update_fields=["name", "name_folded", "division_type", "parent", "province", "district"],
    )
    era, level = units[0].era, units[0].level
    return dict(AdministrativeUnit.objects.filter(era=era, level=level).values_list("code", "id"))


def _load_legacy() -> None:
    provinces = _upsert([_unit(Era.LEGACY, Level.PROVINCE, p) for p in legacy.Province.iter_all()])
    districts = []
    for source in legacy.District.iter_all():
        unit = _unit(Era.LEGACY, Level.DISTRICT, source)
        unit.parent_id = unit.province_id = provinces[_code(Level.PROVINCE, source.province_code)]
        districts.append(unit)
    district_ids = _upsert(districts)
    province_of_district = {d.code: d.province_id for d in districts}
    communes = []
    for source in legacy.Ward.iter_all():
        unit = _unit(Era.LEGACY, Level.COMMUNE, source)
        district_code = _code(Level.DISTRICT, source.district_code)
        unit.parent_id = unit.district_id = district_ids[district_code]
        unit.province_id = province_of_district[district_code]
        communes.append(unit)
    _upsert(communes)


def _load_current() -> None:
    provinces = _upsert([_unit(Era.CURRENT, Level.PROVINCE, p) for p in CurrentProvince.iter_all()])
    communes = []
    for source in CurrentWard.iter_all():
        unit = _unit(Era.CURRENT, Level.COMMUNE, source)
        unit.parent_id = unit.province_id = provinces[_code(Level.PROVINCE, source.province_code)]
        communes.append(unit)
    _upsert(communes)


def _point_provinces_and_districts_at_themselves() -> None:
    AdministrativeUnit.objects.filter(level=Level.PROVINCE).exclude(province_id=F("id")).update(
        province_id=F("id")
    )
    AdministrativeUnit.objects.filter(level=Level.DISTRICT).exclude(district_id=F("id")).update(
        district_id=F("id")
    )


def _load_successions() -> int:
    """Link each pre-2025 province and commune to the current unit(s) it became part of.

    A commune split between several new communes has several successors.
    """
    ids = {
        (era, level, code): pk
        for era, level, code, pk in AdministrativeUnit.objects.values_list("era", "level", "code", "id")
    }
    links = set()
    for level, current_units in ((Level.PROVINCE, CurrentProvince.iter_all()),
                                 (Level.COMMUNE, CurrentWard.iter_all())):
        for current in current_units:
            current_id = ids[(Era.CURRENT, level, _code(level, current.code))]
            for old in current.get_legacy_sources():
                links.add((ids[(Era.LEGACY, level, _code(level, old.code))], current_id))
    through = AdministrativeUnit.successors.through
    through.objects.bulk_create(
        [through(from_administrativeunit_id=old, to_administrativeunit_id=new) for old, new in links],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return len(links)


class MappingError(Exception):
    """The legacy→current mapping breaks a rule the scope and the reports rely on."""


def _one(ids: set[int], what: str) -> int | None:
    if len(ids) > 1:
        raise MappingError(f"{what} went into several current provinces: {sorted(ids)}")
    return next(iter(ids), None)


def units_map_to_current(unit_model=AdministrativeUnit) -> int:
    """Fill `current_province` and `current_commune` of every unit from the successors already
    loaded; return how many rows changed. Idempotent. Takes the model so that the data migration can
    pass its historical one.

    A current unit is its own current commune and its province is its current province. A former
    commune's current province is its successors' (one: raise `MappingError` if several), its current
    commune its successor when it has exactly one (none for a commune split between several). A former
    province's current province is the one its communes went into: every former province went whole
    into one current province, which is checked here (the package's province-level list is not used
    alone because it names Tiền Giang among Tây Ninh's sources too, while all its communes went to Đồng
    Tháp; the province-level link must still agree). Districts and former communes the data maps to
    nothing follow their province. A former commune that gets a current commune again is announced
    (signals.communes_no_longer_split), so that what was assigned by hamlet follows it whole.
    """
    units = {u.pk: u for u in unit_model.objects.only(
        "pk", "era", "level", "province_id", "current_province_id", "current_commune_id")}
    successors: dict[int, set[int]] = {}
    for old, new in unit_model.successors.through.objects.values_list(
            "from_administrativeunit_id", "to_administrativeunit_id"):
        successors.setdefault(old, set()).add(new)
    wanted: dict[int, tuple[int | None, int | None]] = {}
    province_of: dict[int, set[int]] = {}
    for unit in units.values():
        if unit.era == Era.CURRENT:
            wanted[unit.pk] = (unit.province_id, unit.pk if unit.level == Level.COMMUNE else None)
        elif unit.level == Level.COMMUNE and unit.pk in successors:
            new = successors[unit.pk]
            current_province = _one({units[pk].province_id for pk in new}, f"Former commune {unit.pk}")
            province_of.setdefault(unit.province_id, set()).add(current_province)
            wanted[unit.pk] = (current_province, next(iter(new)) if len(new) == 1 else None)
    for unit in units.values():
        if unit.era == Era.LEGACY and unit.level == Level.PROVINCE:
            by_communes = province_of.get(unit.pk) or {pk for pk in successors.get(unit.pk, ())}
            current = _one(by_communes, f"Former province {unit.pk}")
            if current is not None and unit.pk in successors and current not in successors[unit.pk]:
                raise MappingError(f"Former province {unit.pk}: its communes went to {current}, "
                                   f"not to its successors {sorted(successors[unit.pk])}")
            wanted[unit.pk] = (current, None)
    for unit in units.values():
        if unit.pk not in wanted:  # a district, or a former commune the data maps to nothing
            wanted[unit.pk] = (wanted.get(unit.province_id, (None, None))[0], None)
    changed = [unit for unit in units.values()
               if (unit.current_province_id, unit.current_commune_id) != wanted[unit.pk]]
    # A former commune that had no current commune and now has one (the only ones whose households a
    # domain may have assigned by hamlet).
    no_longer_split = [unit.pk for unit in changed if unit.era == Era.LEGACY and unit.level == Level.COMMUNE
                       and unit.current_commune_id is None and wanted[unit.pk][1] is not None]
    for unit in changed:
        unit.current_province_id, unit.current_commune_id = wanted[unit.pk]
    unit_model.objects.bulk_update(changed, ["current_province", "current_commune"], batch_size=2000)
    # The data migration passes its historical model, run before any domain had records to assign:
    # only the live model's mapping is announced.
    if no_longer_split and unit_model is AdministrativeUnit:
        communes_no_longer_split.send(sender=AdministrativeUnit, communes=no_longer_split)
    return len(changed)


@transaction.atomic
def areas_load() -> AreasLoadResult:
    """Load or refresh every unit of both eras and the mapping between them. Idempotent:
    a second run updates names and types in place and adds nothing."""
    _load_legacy()
    _load_current()
    _point_provinces_and_districts_at_themselves()
    successions = _load_successions()
    units_map_to_current()
    return AreasLoadResult(units=AdministrativeUnit.objects.count(), successions=successions)

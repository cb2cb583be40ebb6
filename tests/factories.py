"""factory_boy factories shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory, Password

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import DivisionType, Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.text import fold_diacritics

TEST_PASSWORD = "correct horse battery staple"


class _UnitFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        skip_postgeneration_save = True

    era = Era.LEGACY
    name_folded = factory.LazyAttribute(lambda unit: fold_diacritics(unit.name))

    @factory.post_generation
    def map_to_current(unit, create, extracted, **kwargs):
        """A current unit lies in its own province now (and a current commune is its own current
        commune), as `units_map_to_current` sets it; a former unit maps to nothing unless a test says."""
        if unit.era != Era.CURRENT:
            return
        unit.current_province_id = unit.pk if unit.level == Level.PROVINCE else unit.province_id
        unit.current_commune_id = unit.pk if unit.level == Level.COMMUNE else None
        if create:
            unit.save(update_fields=["current_province", "current_commune"])


def _points_at_itself(field: str):
    """A province row is its own province, a district row its own district: the scope
    filter is then one column for every level."""

    @factory.post_generation
    def hook(unit, create, extracted, **kwargs):
        setattr(unit, field, unit)
        if create:
            unit.save(update_fields=[field])

    return hook


class ProvinceFactory(_UnitFactory):
    level = Level.PROVINCE
    division_type = DivisionType.PROVINCE
    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    point_at_itself = _points_at_itself("province")


class DistrictFactory(_UnitFactory):
    level = Level.DISTRICT
    division_type = DivisionType.RURAL_DISTRICT
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}")
    parent = factory.SubFactory(ProvinceFactory)
    province = factory.SelfAttribute("parent")
    point_at_itself = _points_at_itself("district")


class CommuneFactory(_UnitFactory):
    level = Level.COMMUNE
    division_type = DivisionType.COMMUNE
    code = factory.Sequence(lambda n: f"{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    parent = factory.SubFactory(DistrictFactory)
    district = factory.SelfAttribute("parent")
    province = factory.SelfAttribute("parent.province")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    password = Password(TEST_PASSWORD)
    role = Role.COMMUNE_OFFICER
    unit = factory.SubFactory(CommuneFactory)


class CommuneOfficerFactory(UserFactory):
    role = Role.COMMUNE_OFFICER
    unit = factory.SubFactory(CommuneFactory)


class DistrictMemberFactory(UserFactory):
    role = Role.DISTRICT_MEMBER
    unit = factory.SubFactory(DistrictFactory)


class ProvincialOfficerFactory(UserFactory):
    role = Role.PROVINCIAL_OFFICER
    unit = factory.SubFactory(ProvinceFactory)


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    unit = None
    is_staff = True
    is_superuser = True

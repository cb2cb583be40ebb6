from dataclasses import dataclass

import pytest

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.areas.models import AdministrativeUnit

from .factories import (
    AdministratorFactory,
    CommuneFactory,
    CommuneOfficerFactory,
    DistrictFactory,
    DistrictMemberFactory,
    ProvinceFactory,
    ProvincialOfficerFactory,
)


@dataclass
class World:
    """Two provinces, three districts, four communes, and a user of every role in the first.

    Each viewer has an "outside" commune that is as close as it can be while still out of
    their scope: the sibling commune for the commune officer, a commune of the other
    district of the same province for the district member, a commune of the other
    province for the provincial officer.
    """

    province: AdministrativeUnit
    district: AdministrativeUnit
    commune: AdministrativeUnit
    sibling_commune: AdministrativeUnit
    other_district: AdministrativeUnit
    other_district_commune: AdministrativeUnit
    other_province: AdministrativeUnit
    other_province_commune: AdministrativeUnit
    commune_officer: User
    district_member: User
    provincial_officer: User
    administrator: User

    def viewer(self, role: str) -> User:
        return {
            Role.COMMUNE_OFFICER: self.commune_officer,
            Role.DISTRICT_MEMBER: self.district_member,
            Role.PROVINCIAL_OFFICER: self.provincial_officer,
            Role.ADMINISTRATOR: self.administrator,
        }[role]

    def outside_commune(self, role: str) -> AdministrativeUnit:
        """The nearest commune that ``role``'s viewer must not see."""
        return {
            Role.COMMUNE_OFFICER: self.sibling_commune,
            Role.DISTRICT_MEMBER: self.other_district_commune,
            Role.PROVINCIAL_OFFICER: self.other_province_commune,
        }[role]


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Tỉnh Bến Tre", code="83")
    district = DistrictFactory(parent=province, name="Huyện Mỏ Cày Bắc", code="838")
    commune = CommuneFactory(parent=district, name="Thị trấn Phước Mỹ Trung", code="28915")
    sibling = CommuneFactory(parent=district, name="Xã Phú Mỹ", code="28889")
    other_district = DistrictFactory(parent=province, name="Huyện Châu Thành", code="831")
    other_district_commune = CommuneFactory(parent=other_district, name="Xã Tân Thạch", code="28756")
    other_province = ProvinceFactory(name="Tỉnh Lâm Đồng", code="68")
    other_province_district = DistrictFactory(parent=other_province, name="Huyện Đơn Dương", code="679")
    other_province_commune = CommuneFactory(parent=other_province_district, name="Xã Lạc Xuân", code="24976")
    return World(
        province=province,
        district=district,
        commune=commune,
        sibling_commune=sibling,
        other_district=other_district,
        other_district_commune=other_district_commune,
        other_province=other_province,
        other_province_commune=other_province_commune,
        commune_officer=CommuneOfficerFactory(username="officer", unit=commune),
        district_member=DistrictMemberFactory(username="member", unit=district),
        provincial_officer=ProvincialOfficerFactory(username="provincial", unit=province),
        administrator=AdministratorFactory(username="admin"),
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    """Axes and sessions keep state in Redis: each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads (imports, case photos) go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english():
    """Messages in their English source, for tests that read a service's or model's message
    without going through a request (which would pick the language itself)."""
    from django.utils import translation

    with translation.override("en"):
        yield

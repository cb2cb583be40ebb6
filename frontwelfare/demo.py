"""The demo data set of the quick start: the units of the source documents and one user per role.

The source documents (shared/seeds) were written before the July 2025 reform, so the demo
uses the pre-2025 units: Bến Tre province with its districts Mỏ Cày Bắc and Châu Thành,
and Lâm Đồng province. Later apps add their records here.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.services import user_create
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit

# Printed by `make run` and written in the README; never load the demo into production.
DEMO_PASSWORD = "FrontWelfare-2025"  # noqa: S105


class AreasMissing(Exception):
    """The administrative units are not loaded yet (`manage.py load_areas`)."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    level: Level | None
    unit_code: str | None
    full_name: str


DEMO_USERS = [
    DemoUser("demo.admin", Role.ADMINISTRATOR, None, None, "Quản trị Hệ thống"),
    DemoUser("demo.tinh", Role.PROVINCIAL_OFFICER, Level.PROVINCE, "83", "Trần Thị Hồng"),
    DemoUser("demo.huyen", Role.DISTRICT_MEMBER, Level.DISTRICT, "838", "Lê Văn Phúc"),
    DemoUser("demo.xa", Role.COMMUNE_OFFICER, Level.COMMUNE, "28915", "Nguyễn Văn An"),
    DemoUser("demo.xa2", Role.COMMUNE_OFFICER, Level.COMMUNE, "28889", "Phạm Thị Lan"),
    DemoUser("demo.chauthanh", Role.DISTRICT_MEMBER, Level.DISTRICT, "831", "Võ Minh Tâm"),
    DemoUser("demo.lamdong", Role.PROVINCIAL_OFFICER, Level.PROVINCE, "68", "K'Brừm Thị Hoa"),
]


def _legacy_unit(level: Level, code: str) -> AdministrativeUnit:
    try:
        return AdministrativeUnit.objects.get(era=Era.LEGACY, level=level, code=code)
    except ObjectDoesNotExist as exc:
        raise AreasMissing from exc


@transaction.atomic
def demo_load() -> list[tuple[DemoUser, AdministrativeUnit | None, bool]]:
    """Create the demo users that do not exist yet. Returns (user, unit, created) per demo user."""
    rows = []
    for demo in DEMO_USERS:
        unit = _legacy_unit(demo.level, demo.unit_code) if demo.level else None
        created = False
        if not User.objects.filter(username=demo.username).exists():
            last_name, _, first_name = demo.full_name.rpartition(" ")
            user_create(actor=None, username=demo.username, password=DEMO_PASSWORD, role=demo.role,
                        unit=unit, first_name=first_name, last_name=last_name)
            created = True
        rows.append((demo, unit, created))
    # Each domain app adds its records, entered by the demo users above. The funds come before the
    # houses: starting a house's construction pays its Fund-for-the-Poor part (the housing link).
    from donations.demo import demo_donations_load
    from donations.support.demo import demo_support_load
    from donations.support.organisation_demo import load_member_organisations
    from households.demo import demo_households_load
    from housing.demo import demo_housing_load

    demo_households_load()
    demo_donations_load()
    demo_housing_load()
    load_member_organisations()
    demo_support_load()  # the batches draw on the funds' money, to the households of both demos
    from models_registry.demo import demo_models_load

    demo_models_load()  # after the funds: the awards' money comes out of the district's fund
    _demo_document_settings()
    return rows


# How Mỏ Cày Bắc's standing committee signs its reports (illustrative name): printed on its PDFs and
# Word files (frontwelfare.reports.documents).
DEMO_DOCUMENT_SETTINGS = {
    "signer": "Nguyễn Văn Bình", "signer_title": "Phó Chủ tịch", "symbol": "BC-MTTQ",
    "recipients": "Ban Thường trực UBMTTQ Việt Nam tỉnh Bến Tre;\nThường trực Huyện ủy Mỏ Cày Bắc;\n"
                  "Ủy ban nhân dân huyện Mỏ Cày Bắc;\nCác tổ chức thành viên;",
}


def _demo_document_settings() -> None:
    from frontwelfare.reports.models import DocumentSettings
    from frontwelfare.reports.services import document_settings_save

    member = User.objects.get(username="demo.huyen")
    if not DocumentSettings.objects.filter(unit=member.unit).exists():
        document_settings_save(actor=member, unit=member.unit, **DEMO_DOCUMENT_SETTINGS)

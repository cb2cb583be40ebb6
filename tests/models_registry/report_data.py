"""The typical models of 2025 the report tests count (tests/models_registry/test_reports.py), entered
through the services, each step on the day it happened:

Mỏ Cày Bắc district:
- Thị trấn Phước Mỹ Trung: WELLS (social security) registered 10/03, inspected 12/06, recognised
  05/09; BINS (environment) registered on 20/03 but entered in May (the round reopened to type it in);
  WELLS visited on 10/11 by 25 people of Phú Mỹ and written about on 20/11.
- Xã Phú Mỹ: PIGGY (economy) registered 10/03 and submitted; a draft (DRAFT_NAME); REPLICA, a
  replica of WELLS registered 01/10.
- Xã Tân Thành Bình: nothing.
Châu Thành district (another district): Xã Tân Thạch's OUTSIDER (economy) recognised like WELLS, and
OUTSIDER_REPLICA, a replica of WELLS registered 15/10.
"""

import datetime
from dataclasses import dataclass

import time_machine

from models_registry import services
from models_registry.choices import Field, ModelState

from ..factories import CommuneFactory, CommuneOfficerFactory, DistrictMemberFactory
from .factories import YEAR, model_data, model_in_state

WELLS, BINS, PIGGY, DRAFT_NAME = "Đào giếng nước sạch", "Thùng rác công cộng", "Heo đất tiết kiệm", "Bò giống"
REPLICA, OUTSIDER, OUTSIDER_REPLICA = "Giếng nước Phú Mỹ", "Sân phơi xi măng", "Giếng nước Tân Thạch"
COMMUNE, SIBLING, EMPTY = "Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ", "Xã Tân Thành Bình"
TODAY = datetime.date(2025, 12, 15)


def _on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False)


@dataclass
class ModelsData:
    wells: object
    bins: object
    piggy: object
    replica: object
    outsider: object
    outsider_replica: object
    empty_commune: object


def _registered(officer, approver, day: datetime.date, **fields):
    """A model typed in on ``day`` after the deadline (the round reopened for it), registered that day
    or on ``registered_on``."""
    registered_on = fields.pop("registered_on", day)
    with _on(day):
        services.round_reopen(actor=approver, round_=services.round_of(commune=officer.unit, year=YEAR, actor=officer),
                              commune=officer.unit, until=day + datetime.timedelta(days=10), reason="Nhập bổ sung")
        model = services.model_create(actor=officer, year=YEAR, **model_data(**fields))
        return services.model_advance(actor=officer, model=model, step="register", happened_on=registered_on)


def build_models(world) -> ModelsData:
    member = world.district_member
    empty = CommuneFactory(parent=world.district, name=EMPTY, code="28900")
    sibling_officer = CommuneOfficerFactory(unit=world.sibling_commune)
    outsider_member = DistrictMemberFactory(unit=world.other_district)
    outsider_officer = CommuneOfficerFactory(unit=world.other_district_commune)
    with _on(TODAY):
        wells = model_in_state(ModelState.RECOGNISED, officer=world.commune_officer, approver=member, name=WELLS,
                               field=Field.SOCIAL_SECURITY)
        piggy = model_in_state(ModelState.SUBMITTED, officer=sibling_officer, approver=member, name=PIGGY,
                               field=Field.ECONOMY)
        outsider = model_in_state(ModelState.RECOGNISED, officer=outsider_officer, approver=outsider_member,
                                  name=OUTSIDER, field=Field.ECONOMY)
    bins = _registered(world.commune_officer, member, datetime.date(2025, 5, 12), name=BINS, field=Field.ENVIRONMENT,
                       registered_on=datetime.date(2025, 3, 20))
    with _on(datetime.date(2025, 6, 1)):
        services.model_create(actor=sibling_officer, year=YEAR, **model_data(name=DRAFT_NAME, field=Field.ECONOMY))
    replica = _registered(sibling_officer, member, datetime.date(2025, 10, 1), name=REPLICA, replicates=wells)
    outsider_replica = _registered(outsider_officer, outsider_member, datetime.date(2025, 10, 15),
                                   name=OUTSIDER_REPLICA, replicates=wells)
    with _on(TODAY):
        services.study_visit_record(actor=member, model=wells, visited_on=datetime.date(2025, 11, 10), people=25,
                                    visiting_unit=world.sibling_commune)
        services.media_record(actor=world.commune_officer, model=wells, outlet="Báo Đồng Khởi",
                              title="Giếng nước sạch cho hộ nghèo", published_on=datetime.date(2025, 11, 20))
    return ModelsData(wells=wells, bins=bins, piggy=piggy, replica=replica, outsider=outsider,
                      outsider_replica=outsider_replica, empty_commune=empty)

"""Demo support for the quick start, after the funds demo (donations.demo), in Mỏ Cày Bắc district:

- Tet 2026 gifts (Quà Tết Bính Ngọ 2026, 500.000 đồng) from the district's Fund for the Poor to the
  poor and near-poor households of 2025 of Thị trấn Phước Mỹ Trung: a district batch, chosen by
  the households' filters, handed out by the commune on 10/02/2026 (a few households not found,
  some to a representative) and closed, which posts the delivered lines to the district's fund.
- Scholarships for the school year 2025-2026 (1.000.000 đồng per pupil) from the district's fund
  to the pupils of the same households, with their school and grade, handed out on 15/01/2026.
- Red Cross free examination days in the district, recorded as activities of the district's Red
  Cross (the organisation is shared with the member-organisations demo: get_or_create), one
  naming the commune's households it examined.

Everything goes through donations.support.services as the officers would enter it (the activities
through the model, checked, until their services exist). Deterministic and idempotent: nothing is
added once the district's Tet batch exists. The names and figures are illustrative.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from households.choices import Category, SchoolLevel
from households.filters import HouseholdFilterSet
from households.models import Household

from ..choices import Earmark, FundKind, MemberOrganisation
from ..demo import COMMUNE_OFFICERS, DISTRICT_CODE, DISTRICT_MEMBER
from ..models import Fund
from . import services
from .choices import ActivityKind, Delivery
from .models import Activity, Batch, Organisation, SupportKind

COMMUNE_CODE = "28915"  # Thị trấn Phước Mỹ Trung
TET = {"occasion": "Quà Tết Bính Ngọ 2026", "happened_on": datetime.date(2026, 2, 10), "value": 500_000,
       "earmark": Earmark.TET_GIFTS, "note": "Quà Tết của Ủy ban MTTQ huyện cho hộ nghèo, cận nghèo."}
SCHOLARSHIPS = {"occasion": "Học bổng năm học 2025-2026", "happened_on": datetime.date(2026, 1, 15),
                "value": 1_000_000, "earmark": Earmark.NONE,
                "note": "Học bổng cho học sinh thuộc hộ nghèo, cận nghèo."}
CATEGORIES_YEAR = "2025"
SCHOOLS = {
    SchoolLevel.PRIMARY: "Trường Tiểu học Phước Mỹ Trung",
    SchoolLevel.LOWER_SECONDARY: "Trường THCS Phước Mỹ Trung",
    SchoolLevel.UPPER_SECONDARY: "Trường THPT Phước Mỹ Trung",
}
RED_CROSS = "Hội Chữ thập đỏ huyện Mỏ Cày Bắc"


@dataclass(frozen=True)
class ExamDay:
    commune: str
    day: datetime.date
    people: int
    value: int
    funders: str
    names_households: bool = False


EXAM_DAYS = [
    ExamDay("28915", datetime.date(2025, 6, 14), 320, 48_000_000, "Bệnh viện Đa khoa tỉnh Bến Tre",
            names_households=True),
    ExamDay("28889", datetime.date(2025, 9, 20), 250, 37_500_000, "Hội Chữ thập đỏ tỉnh Bến Tre"),
    ExamDay("28915", datetime.date(2026, 3, 21), 280, 42_000_000, "Công ty Dược phẩm Bến Tre"),
]


def demo_support_load() -> int:
    """Load the demo batches and examination days; returns how many recipient lines were added (0
    when they are there already, or the funds demo, its units or users are not)."""
    district = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, code=DISTRICT_CODE).first()
    member = User.objects.filter(username=DISTRICT_MEMBER).first()
    officer = User.objects.filter(username=COMMUNE_OFFICERS[COMMUNE_CODE]).first()
    fund = Fund.objects.filter(unit=district, kind=FundKind.FOR_THE_POOR).first() if district else None
    if fund is None or member is None or officer is None or \
            Batch.objects.filter(unit=district, occasion=TET["occasion"]).exists():
        return 0
    with transaction.atomic():
        lines = _tet(member, officer, fund) + _scholarships(member, officer, fund)
        _examinations(district, member)
    return lines


def _poor_and_near_poor(member):
    """The commune's poor and near-poor households of 2025, through the households' filters."""
    class Request:
        user = member

    chosen = Household.objects.none()
    for category in (Category.POOR, Category.NEAR_POOR):
        filterset = HouseholdFilterSet(data={"unit": officer_commune(member).pk, "category": category,
                                             "year": CATEGORIES_YEAR},
                                       queryset=Household.objects.visible_to(member), request=Request())
        chosen = chosen | filterset.qs
    return chosen


def officer_commune(member) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(district=member.unit, code=COMMUNE_CODE)


def _tet(member, officer, fund) -> int:
    batch = services.batch_create(actor=member, kind=SupportKind.objects.get(unit=None, code="tet_gifts"),
                                  fund=fund, **TET)
    added = services.batch_add_by_filter(actor=member, batch=batch, households=_poor_and_near_poor(member))
    services.batch_confirm(actor=member, batch=batch)
    for number, line in enumerate(batch.recipients.select_related("household").order_by("household__code")):
        delivery, representative = Delivery.DELIVERED, ""
        if number % 12 == 5:
            delivery = Delivery.NOT_FOUND  # moved away to work in Ho Chi Minh City
        elif number % 9 == 2:
            delivery, representative = Delivery.REPRESENTATIVE, "Người nhà nhận thay"
        services.delivery_record(actor=officer, recipient=line, delivery=delivery, representative=representative,
                                 delivered_on=TET["happened_on"] if delivery != Delivery.NOT_FOUND else None)
    services.batch_close(actor=member, batch=batch)
    return added


def _scholarships(member, officer, fund) -> int:
    batch = services.batch_create(actor=member, kind=SupportKind.objects.get(unit=None, code="scholarship"),
                                  fund=fund, **SCHOLARSHIPS)
    added = 0
    for level in SCHOOLS:
        added += services.batch_add_by_filter(actor=member, batch=batch, households=_poor_and_near_poor(member),
                                              school_level=level)
    services.batch_confirm(actor=member, batch=batch)
    for line in batch.recipients.select_related("pupil").order_by("pupil__birth_year", "pk"):
        # A child starts grade 1 in the year it turns six.
        grade = max(1, min(12, 2025 - line.pupil.birth_year - 5))
        services.recipient_details_update(actor=member, recipient=line, school=SCHOOLS[line.pupil.school_level],
                                          grade=str(grade), school_year="2025-2026")
        services.delivery_record(actor=officer, recipient=line, delivery=Delivery.DELIVERED,
                                 delivered_on=SCHOLARSHIPS["happened_on"])
    services.batch_close(actor=member, batch=batch)
    return added


def _examinations(district, member) -> None:
    """The district Red Cross's free examination days (shared with the organisations demo)."""
    red_cross, _created = Organisation.objects.get_or_create(
        unit=district, name=RED_CROSS, defaults={"kind": MemberOrganisation.RED_CROSS, "created_by": member})
    for exam in EXAM_DAYS:
        commune = AdministrativeUnit.objects.get(district=district, code=exam.commune)
        activity = Activity(unit=commune, organisation=red_cross, kind=ActivityKind.MEDICAL_EXAMINATION,
                            name=f"Khám bệnh, cấp thuốc miễn phí tại {commune.name}", starts_on=exam.day,
                            people_served=exam.people, value=exam.value, funders=exam.funders, recorded_by=member)
        activity.full_clean()
        activity.save()
        if exam.names_households:
            activity.households.set(_poor_and_near_poor(member).order_by("code")[:15])

"""Demo households for the quick start: a registry for the two demo communes of Mỏ Cày Bắc,
entered through the services by their demo officers (so the pages show history too).

Statuses: 2024 and 2025 as in the sources, then each year up to the current one (so the dashboard,
which opens on the current year, shows figures). Deterministic: the same names, IDs and statuses on
every machine in a given year. Idempotent: a commune that already has households is left alone.
"""

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.models import User

from .choices import Category, Disability, Indicator, PolicyType, Relation, SchoolLevel, Sex
from .models import Household, HouseholdStatus, Member
from .services import (
    HouseholdData,
    MemberData,
    StatusData,
    assessment_confirm,
    assessment_record,
    household_next_code,
    household_register,
    member_normalise,
)
from .tallies import registry_changed

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương"]
MIDDLE = {Sex.MALE: ["Văn", "Minh", "Hữu", "Thanh", "Quốc"], Sex.FEMALE: ["Thị", "Ngọc", "Thu", "Kim", "Mỹ"]}
GIVEN = {
    Sex.MALE: ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Lộc", "Phúc", "Sơn", "Tâm", "Thành", "Vinh"],
    Sex.FEMALE: ["Anh", "Bích", "Cúc", "Dung", "Hạnh", "Hoa", "Lan", "Mai", "Ngân", "Nhung", "Thảo", "Trinh", "Yến"],
}
HAMLETS = {
    "28915": ["Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4"],
    "28889": ["Ấp Phú Hưng", "Ấp Phú Lợi", "Ấp Phú Thạnh", "Ấp Phú Khương"],
}
DEMO_OFFICERS = {"28915": "demo.xa", "28889": "demo.xa2"}
HOUSEHOLDS_PER_COMMUNE = 36
# The sources' statuses stop at 2025; the years after it, up to the current one, are made up so
# that the dashboard, which opens on the current year, has figures on a first look.
SOURCES_LAST_YEAR = 2025


def demo_households_load() -> int:
    """Register the demo households; returns how many were created."""
    created = 0
    for commune_code, username in DEMO_OFFICERS.items():
        officer = User.objects.select_related("unit").filter(username=username).first()
        if officer is None or Household.objects.filter(commune=officer.unit).exists():
            continue
        rng = random.Random(int(commune_code))  # noqa: S311 - demo data, not secrets
        for number in range(HOUSEHOLDS_PER_COMMUNE):
            _register_one(rng, officer, commune_code, number)
            created += 1
    return created


def _name(rng, sex, surname=None) -> str:
    return f"{surname or rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _citizen_id(rng, sex, birth_year) -> str:
    century_sex = (birth_year // 100 - 19) * 2 + (1 if sex == Sex.FEMALE else 0)
    return f"083{century_sex}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"


def _members(rng) -> list[MemberData]:
    head_sex = rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE])
    head_year = rng.randrange(1945, 1990)
    surname = rng.choice(SURNAMES)
    members = [MemberData(full_name=_name(rng, head_sex, surname), birth_year=head_year, sex=head_sex,
                          relation=Relation.HEAD, citizen_id=_citizen_id(rng, head_sex, head_year),
                          disability=Disability.MILD if rng.random() < 0.12 else "")]
    if rng.random() < 0.8:
        spouse_sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
        year = head_year + rng.randrange(-4, 5)
        members.append(MemberData(full_name=_name(rng, spouse_sex), birth_year=year, sex=spouse_sex,
                                  relation=Relation.SPOUSE, citizen_id=_citizen_id(rng, spouse_sex, year)))
    for _ in range(rng.randrange(0, 4)):
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        year = min(head_year + rng.randrange(20, 40), 2022)
        pupil = 2007 <= year <= 2019
        school = SchoolLevel.PRIMARY if year >= 2014 else SchoolLevel.LOWER_SECONDARY if year >= 2011 else \
            SchoolLevel.UPPER_SECONDARY
        members.append(MemberData(
            full_name=_name(rng, sex, surname), birth_year=year, sex=sex, relation=Relation.CHILD,
            citizen_id=_citizen_id(rng, sex, year) if year <= 2010 else "",
            school_level=school if pupil else "", disability=Disability.SEVERE if rng.random() < 0.05 else "",
        ))
    return members


def _statuses(rng, number: int) -> list[StatusData]:
    roll = rng.random()
    decision = {2024: ("112/QĐ-UBND", datetime.date(2024, 1, 8)), 2025: ("09/QĐ-UBND", datetime.date(2025, 1, 6))}
    path = (
        [Category.POOR, Category.POOR] if roll < 0.2 else
        [Category.POOR, Category.ESCAPED_POVERTY] if roll < 0.3 else
        [Category.NEAR_POOR, Category.NEAR_POOR] if roll < 0.5 else
        [Category.NEAR_POOR, Category.ESCAPED_POVERTY] if roll < 0.55 else
        [None, None]
    )
    statuses = [StatusData(year, category, *decision[year]) for year, category in zip((2024, 2025), path, strict=True)
                if category]
    if rng.random() < 0.15:
        statuses.append(StatusData(2025, Category.DIFFICULT, *decision[2025]))
    return statuses + _after_the_sources(path[-1], number)


def _after_the_sources(category: str | None, number: int) -> list[StatusData]:
    """Each year after 2025 up to the current one: a poor household stays poor or, one in five,
    becomes near-poor; a near-poor one stays or, one in four, escapes poverty. Decided early in
    January (by today, on the first days of a year), without drawing on the demo's random numbers,
    so the households themselves stay the same whatever the year."""
    today = timezone.localdate()
    statuses = []
    for year in range(SOURCES_LAST_YEAR + 1, today.year + 1):
        if category == Category.POOR and (number + year) % 5 == 0:
            category = Category.NEAR_POOR
        elif category == Category.NEAR_POOR and (number + year) % 4 == 0:
            category = Category.ESCAPED_POVERTY
        elif category not in (Category.POOR, Category.NEAR_POOR):
            break
        statuses.append(StatusData(year, category, f"{year % 100:02d}/QĐ-UBND", min(datetime.date(year, 1, 6), today)))
    return statuses


def demo_household_in_need(rng, officer, *, hamlet: str) -> Household:
    """A poor or near-poor household of ``officer``'s commune, for other apps' demo records
    (a house to build, a gift): deterministic for a seeded ``rng``."""
    decision = ("09/QĐ-UBND", datetime.date(2025, 1, 6))
    category = Category.POOR if rng.random() < 0.6 else Category.NEAR_POOR
    return household_register(actor=officer, commune=officer.unit, data=HouseholdData(
        hamlet=hamlet, address=f"Số {rng.randrange(1, 300)}",
        consent_date=datetime.date(2024, 10, rng.randrange(1, 29)),
        consent_purpose="Quản lý, hỗ trợ an sinh xã hội của Mặt trận Tổ quốc", members=_members(rng),
        statuses=[StatusData(2025, category, *decision), *_after_the_sources(category, 0)],
    ))


def _register_one(rng, officer, commune_code: str, number: int) -> None:
    policy_types = [rng.choice(PolicyType.values)] if rng.random() < 0.15 else []
    household = household_register(actor=officer, commune=officer.unit, data=HouseholdData(
        hamlet=rng.choice(HAMLETS[commune_code]), address=f"Số {rng.randrange(1, 300)}",
        phone=f"09{rng.randrange(10_000_000, 99_999_999)}", consent_date=datetime.date(2025, 3, rng.randrange(1, 29)),
        consent_purpose="Quản lý, hỗ trợ an sinh xã hội của Mặt trận Tổ quốc",
        members=_members(rng), policy_types=policy_types, statuses=_statuses(rng, number),
    ))
    if number % 6 == 0:
        lacking = rng.sample(list(Indicator.values), rng.randrange(0, 5))
        assessment = assessment_record(actor=officer, household=household, assessed_on=datetime.date(2025, 9, 15),
                                       monthly_income_per_person=rng.randrange(900, 2400) * 1000,
                                       deprivations=lacking)
        if number % 12 == 0:
            assessment_confirm(actor=officer, assessment=assessment, classification=assessment.proposed)


def demo_households_bulk_create(*, officer, count: int, rng, first_serial: int) -> list[Household]:
    """``count`` poor or near-poor households of ``officer``'s commune, each with its head, for
    large demo and benchmark sets where registering one by one through the services would take
    minutes. Written in bulk with their history rows (authored by ``officer``); the citizen IDs
    use the serials from ``first_serial`` on, which the caller keeps apart from other sets."""
    commune = officer.unit
    codes = household_next_code(commune=commune, count=count)
    heads = []
    for number in range(count):
        sex = Sex.MALE if rng.random() < 0.6 else Sex.FEMALE
        year = rng.randrange(1945, 1990)
        heads.append(Member(full_name=_name(rng, sex), birth_year=year, sex=sex, relation=Relation.HEAD,
                            citizen_id=_citizen_id_serial(sex, year, first_serial + number)))
    households = bulk_create_with_history([
        Household(commune=commune, code=code, hamlet=f"Ấp {rng.randrange(1, 9)}", head_name=head.full_name,
                  consent_purpose="Quản lý, hỗ trợ an sinh xã hội của Mặt trận Tổ quốc",
                  consent_date=datetime.date(2024, 10, 1), consent_recorded_by=officer)
        for code, head in zip(codes, heads, strict=True)
    ], Household, default_user=officer)
    for household, head in zip(households, heads, strict=True):
        head.household = household
        member_normalise(head)
    bulk_create_with_history(heads, Member, default_user=officer)
    statuses = []
    for number, household in enumerate(households):
        category = Category.POOR if rng.random() < 0.6 else Category.NEAR_POOR
        statuses += [
            HouseholdStatus(household=household, recorded_by=officer, year=status.year, category=status.category,
                            decision_number=status.decision_number, decision_date=status.decision_date)
            for status in [StatusData(2025, category, "09/QĐ-UBND", datetime.date(2025, 1, 6)),
                           *_after_the_sources(category, number)]
        ]
    bulk_create_with_history(statuses, HouseholdStatus, default_user=officer)
    registry_changed(households=[household.pk for household in households], communes=[commune.pk],
                     statuses_of=[commune.pk])
    return households


def _citizen_id_serial(sex, birth_year, serial: int) -> str:
    century_sex = (birth_year // 100 - 19) * 2 + (1 if sex == Sex.FEMALE else 0)
    return f"083{century_sex}{birth_year % 100:02d}{serial % 1_000_000:06d}"

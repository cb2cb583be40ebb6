"""Factories of the household registry. They write rows directly (no services), for setting
up tests fast; tests of the rules go through the services. Like the services, they derive the
registry's summaries and tallies (households.tallies) after each row they write."""

import datetime

import factory
from factory.django import DjangoModelFactory

from frontwelfare.text import fold_diacritics
from households.choices import Relation, Sex
from households.models import (
    Household,
    HouseholdImport,
    HouseholdPolicy,
    HouseholdStatus,
    Member,
    PovertyAssessment,
    PovertyStandard,
)
from households.tallies import registry_changed

from ..factories import CommuneFactory, CommuneOfficerFactory


def valid_citizen_id(*, sex: str, birth_year: int, serial: int, province_code: str = "083") -> str:
    """A citizen ID that passes every check for a person of ``sex`` born in ``birth_year``."""
    century_sex = (birth_year // 100 - 19) * 2 + (1 if sex == Sex.FEMALE else 0)
    return f"{province_code}{century_sex}{birth_year % 100:02d}{serial % 1_000_000:06d}"


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"H-{n:05d}")
    hamlet = "Ấp Phước Hậu"
    address = "12 đường Lê Lợi"
    consent_purpose = "Quản lý hỗ trợ an sinh xã hội"
    consent_date = datetime.date(2025, 3, 1)
    consent_recorded_by = factory.SubFactory(CommuneOfficerFactory, unit=factory.SelfAttribute("..commune"))
    head_name = factory.Sequence(lambda n: f"Nguyễn Văn Chủ Hộ {n:05d}")

    @factory.post_generation
    def head(household, create, extracted, **kwargs):
        """Every household gets its head as a member unless ``head=False``."""
        if extracted is False or not create:
            return
        MemberFactory(household=household, full_name=household.head_name, relation=Relation.HEAD, **kwargs)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            registry_changed(households=[instance.pk], communes=[instance.commune_id])


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory, head=False)
    full_name = factory.Sequence(lambda n: f"Trần Thị Thành Viên {n:05d}")
    full_name_folded = factory.LazyAttribute(lambda member: fold_diacritics(member.full_name))
    birth_year = 1985
    sex = Sex.MALE
    relation = Relation.CHILD
    citizen_id = factory.LazyAttributeSequence(
        lambda member, n: valid_citizen_id(sex=member.sex, birth_year=member.birth_year, serial=n)
    )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            registry_changed(households=[instance.household_id], communes=[instance.household.commune_id])


class HouseholdStatusFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdStatus

    household = factory.SubFactory(HouseholdFactory)
    year = 2025
    category = "poor"
    decision_number = factory.Sequence(lambda n: f"{n:05d}/QĐ-UBND")
    decision_date = datetime.date(2025, 1, 10)
    recorded_by = factory.SelfAttribute("household.consent_recorded_by")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            registry_changed(statuses_of=[instance.household.commune_id])


class HouseholdPolicyFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdPolicy

    household = factory.SubFactory(HouseholdFactory)
    policy_type = "martyr_family"


class PovertyAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = PovertyAssessment

    household = factory.SubFactory(HouseholdFactory)
    standard = factory.LazyFunction(lambda: PovertyStandard.objects.get(legal_basis="07/2021/NĐ-CP"))
    assessed_on = datetime.date(2025, 6, 1)
    area_kind = "rural"
    monthly_income_per_person = factory.Sequence(lambda n: 1_000_000 + n)
    deprivations = ["nutrition", "latrine", "housing_quality"]
    proposed = "poor"
    assessed_by = factory.SelfAttribute("household.consent_recorded_by")


class HouseholdImportFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdImport

    commune = factory.SubFactory(CommuneFactory)
    uploaded_by = factory.SubFactory(CommuneOfficerFactory, unit=factory.SelfAttribute("..commune"))
    original_name = factory.Sequence(lambda n: f"ho-gia-dinh-{n:05d}.xlsx")
    status = "invalid"
    row_count = 1
    errors = factory.LazyFunction(lambda: [{"row": 2, "column": "Họ và tên", "message": "Thiếu họ và tên."}])

"""Factories of the housing app. They write rows directly (no services), to set up tests fast;
tests of the rules go through housing.services."""

import datetime
from io import BytesIO

import factory
from factory.django import DjangoModelFactory
from PIL import Image

from housing.choices import CaseState, ProgrammeKind, WorkKind
from housing.models import CaseAttachment, HousingCase, Programme, ProgrammeTarget

from ..factories import DistrictFactory, DistrictMemberFactory
from ..households.factories import HouseholdFactory


def tiny_image(image_format: str) -> bytes:
    """A real 4 by 3 pixel image in ``image_format`` (JPEG, PNG, WEBP): a few hundred bytes."""
    output = BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(output, format=image_format)
    return output.getvalue()


TINY_PNG = tiny_image("PNG")


def tiny_pdf() -> bytes:
    """A real one-page PDF (a blank page as a scanner would make it): about a kilobyte."""
    output = BytesIO()
    Image.new("RGB", (60, 80), "white").save(output, format="PDF")
    return output.getvalue()


TINY_PDF = tiny_pdf()


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Chương trình nhà ở {n:04d}")
    kind = ProgrammeKind.TEMPORARY_HOUSES
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = datetime.date(2025, 3, 13)
    decision_issuer = "Ủy ban nhân dân tỉnh Bến Tre"
    unit = factory.SubFactory(DistrictFactory)
    start_date = datetime.date(2025, 3, 13)
    deadline = datetime.date(2025, 9, 30)
    new_build_support = 60_000_000
    repair_support = 30_000_000
    created_by = factory.SubFactory(DistrictMemberFactory, unit=factory.SelfAttribute("..unit"))


class ProgrammeTargetFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeTarget

    programme = factory.SubFactory(ProgrammeFactory)
    new_builds = 2
    repairs = 1


class HousingCaseFactory(DjangoModelFactory):
    """A proposed new house, fully funded by the programme and the family."""

    class Meta:
        model = HousingCase

    household = factory.SubFactory(HouseholdFactory)
    commune = factory.SelfAttribute("household.commune")
    programme = factory.SubFactory(ProgrammeFactory, unit=factory.SelfAttribute("..commune.district"))
    work_kind = WorkKind.NEW_BUILD
    state = CaseState.PROPOSED
    current_condition = "Nhà tạm vách lá, mái dột"
    estimated_cost = 80_000_000
    state_budget = 40_000_000
    fund_for_the_poor = 20_000_000
    family_amount = 20_000_000
    proposed_by = factory.SelfAttribute("household.consent_recorded_by")


class CaseAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = CaseAttachment

    case = factory.SubFactory(HousingCaseFactory)
    kind = "photo_before"
    file = factory.django.FileField(filename="anh.png", data=TINY_PNG)
    original_name = factory.Sequence(lambda n: f"anh-truoc-{n:04d}.png")
    content_type = "image/png"
    size = len(TINY_PNG)
    uploaded_by = factory.SelfAttribute("case.proposed_by")


# The dates each state has recorded by the time a case reaches it, in workflow order.
STATE_DATES = {
    "survey_date": (datetime.date(2025, 4, 1), ("surveyed", "approved", "rejected", "construction_started",
                                                "completed", "handed_over")),
    "start_date": (datetime.date(2025, 5, 1), ("construction_started", "completed", "handed_over")),
    "completion_date": (datetime.date(2025, 7, 1), ("completed", "handed_over")),
    "handover_date": (datetime.date(2025, 7, 15), ("handed_over",)),
}


def case_in_state(state: str, **kwargs) -> HousingCase:
    """A case that has reached ``state`` with the fields its earlier steps recorded."""
    fields = {name: day for name, (day, states) in STATE_DATES.items() if state in states}
    if state in ("completed", "handed_over"):
        fields["final_cost"] = 78_500_000
    if "survey_date" in fields:
        fields["survey_findings"] = "Nhà vách lá, mái dột nhiều chỗ"
    return HousingCaseFactory(state=state, **{**fields, **kwargs})

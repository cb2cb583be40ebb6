"""The poverty proposal from the standard in force, on its boundaries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from households.choices import AreaKind, Classification
from households.models import PovertyStandard
from households.services import (
    area_kind_of,
    assessment_confirm,
    assessment_record,
    poverty_classify,
    poverty_standard_in_force,
)

from .factories import HouseholdFactory

# The messages checked here are read outside a request: in their English source.
pytestmark = pytest.mark.usefixtures("english")

THREE = ["nutrition", "latrine", "housing_quality"]


@pytest.fixture
def decree_07(db):
    return PovertyStandard.objects.get(legal_basis="07/2021/NĐ-CP")


def test_decree_07_ships_as_data(decree_07):
    assert decree_07.rural_income_line == 1_500_000
    assert decree_07.urban_income_line == 2_000_000
    assert decree_07.poor_min_deprivations == 3
    assert len(decree_07.indicators) == 12
    assert poverty_standard_in_force(on=datetime.date(2023, 6, 1)) == decree_07


@pytest.mark.parametrize(("area", "income", "lacking", "expected"), [
    (AreaKind.RURAL, 1_500_000, 3, Classification.POOR),
    (AreaKind.RURAL, 1_500_000, 2, Classification.NEAR_POOR),
    (AreaKind.RURAL, 1_500_001, 12, Classification.NEITHER),
    (AreaKind.RURAL, 0, 0, Classification.NEAR_POOR),
    (AreaKind.URBAN, 2_000_000, 3, Classification.POOR),
    (AreaKind.URBAN, 2_000_000, 2, Classification.NEAR_POOR),
    (AreaKind.URBAN, 2_000_001, 3, Classification.NEITHER),
    (AreaKind.URBAN, 1_800_000, 5, Classification.POOR),
])
def test_proposal_on_the_boundaries(decree_07, area, income, lacking, expected):
    assert poverty_classify(standard=decree_07, area_kind=area, monthly_income_per_person=income,
                            deprivation_count=lacking) == expected


def test_a_later_standard_takes_over_from_its_start_date(decree_07):
    decree_07.valid_until = datetime.date(2025, 12, 31)
    decree_07.save()
    later = PovertyStandard.objects.create(
        name="Chuẩn nghèo 2026-2030", legal_basis="(thử)", valid_from=datetime.date(2026, 1, 1),
        rural_income_line=2_000_000, urban_income_line=2_500_000, poor_min_deprivations=3,
        indicators=decree_07.indicators,
    )
    assert poverty_standard_in_force(on=datetime.date(2025, 12, 31)) == decree_07
    assert poverty_standard_in_force(on=datetime.date(2026, 1, 1)) == later
    assert poverty_classify(standard=later, area_kind=AreaKind.RURAL, monthly_income_per_person=1_800_000,
                            deprivation_count=0) == Classification.NEAR_POOR


def test_no_standard_in_force_is_a_clear_error(decree_07):
    with pytest.raises(ValidationError, match="No poverty standard"):
        poverty_standard_in_force(on=datetime.date(2021, 6, 1))


def test_townships_and_wards_are_urban_communes_rural(world):
    assert area_kind_of(world.commune) == AreaKind.RURAL
    world.commune.division_type = "thi_tran"
    assert area_kind_of(world.commune) == AreaKind.URBAN


def test_assessment_keeps_proposal_and_confirmation_apart(world, decree_07):
    household = HouseholdFactory(commune=world.commune)
    assessment = assessment_record(actor=world.commune_officer, household=household,
                                   assessed_on=datetime.date(2025, 6, 1), monthly_income_per_person=1_400_000,
                                   deprivations=THREE)
    assert assessment.proposed == Classification.POOR
    assert assessment.standard == decree_07
    assert assessment.area_kind == AreaKind.RURAL
    assessment_confirm(actor=world.commune_officer, assessment=assessment, classification=Classification.NEAR_POOR)
    assessment.refresh_from_db()
    assert (assessment.proposed, assessment.confirmed) == (Classification.POOR, Classification.NEAR_POOR)
    assert assessment.confirmed_by == world.commune_officer


def test_indicator_outside_the_standard_is_refused(world, decree_07):
    household = HouseholdFactory(commune=world.commune)
    with pytest.raises(ValidationError, match="not part of the standard"):
        assessment_record(actor=world.commune_officer, household=household, assessed_on=datetime.date(2025, 6, 1),
                          monthly_income_per_person=1_000_000, deprivations=["flying_carpet"])


def test_a_change_to_the_standard_is_recorded_with_who_and_what(client, world, decree_07):
    """The standard decides who is poor: changing its income line through the admin leaves a
    history row naming the administrator, with the old value kept, and the admin shows it."""
    from django.urls import reverse

    client.force_login(world.administrator)
    url = reverse("admin:households_povertystandard_change", args=[decree_07.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["indicators"] = form["indicators"].value()
    data.update(rural_income_line=1_600_000, valid_until="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    latest, before = decree_07.history.order_by("-history_id")[:2]
    assert (latest.history_type, latest.history_user, latest.rural_income_line) == ("~", world.administrator,
                                                                                   1_600_000)
    assert before.rural_income_line == 1_500_000
    page = client.get(reverse("admin:households_povertystandard_history", args=[decree_07.pk]))
    assert "1600000" in page.content.decode().replace(".", "").replace(",", "")

"""The annual review: this year's poverty status for many households under one decision."""

from django.urls import reverse

from households.models import HouseholdStatus

from .factories import HouseholdFactory, HouseholdStatusFactory


def test_officer_records_the_years_statuses_under_one_decision(client, world):
    was_poor = HouseholdStatusFactory(household__commune=world.commune, year=2024, category="poor").household
    was_near = HouseholdStatusFactory(household__commune=world.commune, year=2024, category="near_poor").household
    unchanged = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    page = client.get(reverse("households:review"), {"year": "2025"})
    rows = {row["household"].pk: row for row in page.context["rows"]}
    assert rows[was_poor.pk]["last_year"].category == "poor"

    response = client.post(f"{reverse('households:review')}?year=2025", {
        "decision_number": "45/QĐ-UBND", "decision_date": "2025-01-05",
        f"category_{was_poor.pk}": "escaped_poverty", f"was_{was_poor.pk}": "",
        f"category_{was_near.pk}": "near_poor", f"was_{was_near.pk}": "",
        f"category_{unchanged.pk}": "", f"was_{unchanged.pk}": "",
    })
    assert response.status_code == 302
    statuses = {(s.household_id, s.category, s.decision_number) for s in HouseholdStatus.objects.filter(year=2025)}
    assert statuses == {(was_poor.pk, "escaped_poverty", "45/QĐ-UBND"), (was_near.pk, "near_poor", "45/QĐ-UBND")}


def test_review_without_decision_number_changes_nothing(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    response = client.post(f"{reverse('households:review')}?year=2025", {
        "decision_number": "", "decision_date": "2025-01-05", f"category_{household.pk}": "poor"})
    assert response.status_code == 400
    assert not HouseholdStatus.objects.exists()


def test_review_of_another_communes_household_is_404_and_changes_nothing(client, world):
    mine = HouseholdFactory(commune=world.commune)
    theirs = HouseholdFactory(commune=world.sibling_commune)
    client.force_login(world.commune_officer)
    response = client.post(f"{reverse('households:review')}?year=2025", {
        "decision_number": "1/QĐ", "decision_date": "2025-01-05",
        f"category_{mine.pk}": "poor", f"category_{theirs.pk}": "poor"})
    assert response.status_code == 404
    assert not HouseholdStatus.objects.exists()


def test_review_page_lists_only_the_officers_commune(client, world):
    mine = HouseholdFactory(commune=world.commune)
    theirs = HouseholdFactory(commune=world.sibling_commune)
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:review")).content.decode()
    assert mine.code in body
    assert theirs.code not in body


def test_district_member_cannot_use_the_review(client, world):
    client.force_login(world.district_member)
    assert client.get(reverse("households:review")).status_code == 403

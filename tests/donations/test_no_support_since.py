"""The household list's filter "no support since…" (HouseholdFilterSet.no_support_since): a household
helped on or after the day by any source — a batch's line delivered, a fund's payment not reversed, a
house handed over — is left out; one helped only before, or not at all, is kept. The same filter on
the page and the API, in one query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from donations import services as donation_services
from donations.choices import Earmark, Purpose
from donations.support import services
from households.filters import HouseholdFilterSet
from households.models import Household

from ..housing.factories import case_in_state
from .factories import fund_of, receipt_into
from .support_factories import batch_with, poor_household


def _not_helped(user, **data) -> set[int]:
    class Request:
        pass

    Request.user = user
    filterset = HouseholdFilterSet(data={"no_support_since": "2025-01-01", **data},
                                   queryset=Household.objects.visible_to(user), request=Request())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def _given(world, household, day, *, delivery="delivered"):
    officer = world.commune_officer
    batch = batch_with(world.commune, [household], actor=officer, occasion=f"Quà {day}")
    services.batch_confirm(actor=officer, batch=batch)
    line = batch.recipients.get()
    services.delivery_record(actor=officer, recipient=line, delivery=delivery,
                             delivered_on=day if delivery == "delivered" else None)
    return batch


def _paid(world, household, day):
    fund = fund_of(world.commune)
    receipt_into(fund, amount=1_000_000, actor=world.commune_officer, happened_on=datetime.date(2024, 1, 2))
    return donation_services.disbursement_record(
        actor=world.commune_officer, fund=fund, amount=1_000_000, happened_on=day, earmark=Earmark.NONE,
        purpose=Purpose.LIVELIHOOD, household=household, description="Vốn sinh kế")


def test_a_household_helped_by_a_batch_since_the_day_is_left_out(world):
    helped, helped_before, pending, nobody = (poor_household(world.commune) for _ in range(4))
    _given(world, helped, datetime.date(2025, 2, 1))
    _given(world, helped_before, datetime.date(2024, 12, 31))
    _given(world, pending, datetime.date(2025, 2, 1), delivery="not_found")
    assert _not_helped(world.commune_officer) == {helped_before.pk, pending.pk, nobody.pk}


def test_a_fund_payment_since_the_day_counts_unless_reversed(world):
    paid, reversed_, nobody = (poor_household(world.commune) for _ in range(3))
    _paid(world, paid, datetime.date(2025, 3, 1))
    payment = _paid(world, reversed_, datetime.date(2025, 3, 1))
    donation_services.posting_reverse(actor=world.district_member, posting=payment,
                                      reason="Ghi nhầm hộ", happened_on=datetime.date(2025, 3, 2))
    assert _not_helped(world.commune_officer) == {reversed_.pk, nobody.pk}


def test_a_house_handed_over_since_the_day_counts(world):
    housed = poor_household(world.commune)
    case_in_state("handed_over", household=housed, commune=world.commune)  # handed over on 15/07/2025
    nobody = poor_household(world.commune)
    assert _not_helped(world.commune_officer) == {nobody.pk}
    assert _not_helped(world.commune_officer, no_support_since="2025-07-16") == {housed.pk, nobody.pk}


def test_with_category_and_year_it_finds_the_poor_helped_by_nobody(world):
    poor_forgotten = poor_household(world.commune, year=2025)
    poor_household(world.commune, year=2025, category="near_poor")
    poor_helped = poor_household(world.commune, year=2025)
    _given(world, poor_helped, datetime.date(2026, 2, 10))
    assert _not_helped(world.commune_officer, category="poor", year="2025") == {poor_forgotten.pk}


def test_the_filter_reads_one_query_however_many_sources(world, django_assert_num_queries):
    for _ in range(3):
        _given(world, poor_household(world.commune), datetime.date(2025, 2, 1))
    poor_household(world.commune)
    with django_assert_num_queries(1) as captured:
        _not_helped(world.commune_officer)
    assert captured.captured_queries[0]["sql"].count("NOT (EXISTS") + \
        captured.captured_queries[0]["sql"].count("NOT EXISTS") >= 3


def test_the_list_page_and_the_api_apply_it(client, world):
    forgotten = poor_household(world.commune, head_name="Lê Văn Quên")
    helped = poor_household(world.commune, head_name="Phạm Văn Được")
    _given(world, helped, datetime.date(2025, 2, 1))
    client.force_login(world.commune_officer)
    page = client.get(reverse("households:list"), {"no_support_since": "01/01/2025"}).content.decode()
    assert "Lê Văn Quên" in page and "Phạm Văn Được" not in page
    listed = client.get(reverse("api:household-list"), {"no_support_since": "2025-01-01"}).json()["results"]
    assert [row["id"] for row in listed] == [forgotten.pk]


def test_a_day_that_is_no_date_is_refused_by_the_api(client, world):
    client.force_login(world.commune_officer)
    response = client.get(reverse("api:household-list"), {"no_support_since": "hôm qua"})
    assert response.status_code == 400
    assert "no_support_since" in response.json()


@pytest.fixture(autouse=True)
def _db(db):
    return db


def test_the_exports_description_prints_the_day_as_dates_print(world):
    from frontwelfare.filters import applied_filters

    class Request:
        user = world.commune_officer

    filterset = HouseholdFilterSet(data={"no_support_since": "2025-01-01"}, queryset=Household.objects.all(),
                                   request=Request())
    with translation.override("en"):
        assert ("No support since", "01/01/2025") in applied_filters(filterset)

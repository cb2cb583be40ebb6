"""Payments to a household out of a fund on its page's support timeline (donations.timeline): the
day each happened, the fund, the purpose and the amount; a reversed payment marked, and its reversal
shown as such, taking the amount back."""

import html
import re

import pytest
from django.urls import reverse

from donations import services
from donations.choices import Earmark, Purpose
from donations.timeline import donations_timeline_entries

from ..factories import CommuneOfficerFactory
from .ledger_data import COMMUNE_FUND, DISTRICT_FUND, build_ledger, day


@pytest.fixture
def ledger(world):
    return build_ledger(world)


def _received(client, user, household) -> list[str]:
    """The entries of the household page's "Support received" list, as text, in English."""
    client.force_login(user)
    client.cookies.load({"django_language": "en"})
    response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200
    found = re.search(r'data-testid="support-received".*?</ul>', response.content.decode(), re.S)
    if found is None:
        return []
    items = re.findall(r"<li.*?</li>", found.group(0), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def test_the_household_page_lists_each_payment_with_its_day_fund_purpose_and_amount(client, world, ledger):
    entries = _received(client, world.commune_officer, ledger.household)
    assert entries == [
        # Newest first: the reversal, then the payment it reverses, then the Tet gifts.
        f"10/05/2025 Reversal: {COMMUNE_FUND} · Livelihood support · -5.000.000 ₫ "
        "Reverses the payment of 02/05/2025. Reason: Ghi nhầm hộ",
        f"02/05/2025 {COMMUNE_FUND} · Livelihood support · 5.000.000 ₫ Reversed on 10/05/2025. "
        "Money of: 1 other donor.",
        # The district's donors, whose money the district passed down: counted, not named, for the commune.
        f"01/05/2025 {COMMUNE_FUND} · Tet and occasion gifts · 12.000.000 ₫ Money of: 2 other donors.",
    ]


def test_a_household_paid_nothing_shows_no_payment(client, world, ledger):
    assert not any(COMMUNE_FUND in entry for entry in _received(client, world.commune_officer, ledger.neighbour))


def test_the_commune_sees_the_district_funds_payments_to_its_household(client, world, ledger):
    services.disbursement_record(actor=world.district_member, fund=ledger.district_fund, amount=2_000_000,
                                 happened_on=day("2025-08-15"), earmark=Earmark.HOUSING, purpose=Purpose.HOUSING,
                                 household=ledger.household, description="Sửa mái nhà")
    gift = services.Payment(amount=1_000_000, purpose=Purpose.TET_GIFTS, household=ledger.household)
    services.decision_record(actor=world.district_member, fund=ledger.district_fund, number="15/QĐ-MTTQ",
                             decided_on=day("2025-09-01"), signer="Nguyễn Văn Ba", payments=[gift])
    entries = _received(client, world.commune_officer, ledger.household)
    assert entries[:2] == [
        f"01/09/2025 {DISTRICT_FUND} · Tet and occasion gifts · 1.000.000 ₫ Decision 15/QĐ-MTTQ. "
        "Money of: 1 other donor.",
        f"15/08/2025 {DISTRICT_FUND} · Houses for the poor · 2.000.000 ₫ Sửa mái nhà Money of: 1 other donor."]


def test_the_district_sees_whose_money_reached_the_household_oldest_receipts_first(client, world, ledger):
    entries = _received(client, world.district_member, ledger.household)
    # The commune's 30.000.000 ₫ came down from the district: the 2024 receipt's 10.000.000 ₫ first,
    # then 20.000.000 ₫ of the business's; the Tet gifts drew on them in that order.
    tet_gifts = next(entry for entry in entries if "Tet and occasion gifts" in entry)
    assert tet_gifts.endswith("(10.000.000 ₫), Công ty TNHH Minh Phát (2.000.000 ₫).")
    assert "Money of: " in tet_gifts


def test_the_source_gives_nothing_of_a_household_outside_the_viewers_scope(world, ledger):
    neighbour_officer = CommuneOfficerFactory(unit=world.sibling_commune)
    assert list(donations_timeline_entries(households=[ledger.household], user=neighbour_officer)) == []
    assert len(list(donations_timeline_entries(households=[ledger.household], user=world.district_member))) == 3


def test_the_timeline_source_is_three_queries_for_a_page_of_households(world, ledger, django_assert_num_queries):
    # The payments, the receipts they drew on, and which of their donors the viewer may name.
    with django_assert_num_queries(3):
        list(donations_timeline_entries(households=[ledger.household, ledger.neighbour], user=world.commune_officer))

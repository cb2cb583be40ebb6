"""The funds API (/api/v1/donations/): the pages' scope, FilterSets and services, as JSON. Every write
goes through donations.services: a refused one answers 400 (by field), 403 or 404 and writes nothing.
Scope on every route for every role is also walked by tests/test_scope.py."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from donations import services
from donations.choices import DonorKind, Earmark, PaymentMethod, PostingKind, Purpose
from donations.models import Campaign, Donor, Pledge, Posting, PostingLine, Receipt, ReceiptSeries, SpendingDecision
from donations.selectors import earmark_balances, fund_balance

from ..households.factories import HouseholdFactory
from .factories import DAY, DonorFactory, FundFactory, campaign_for, fund_of, receipt_into

EARMARKS_EMPTY = {earmark: 0 for earmark in Earmark.values}
WHOLE_DONG = "Give the amount as a whole number of đồng: a JSON integer, without quotes or decimals."


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in English (the msgids)."""

    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@pytest.fixture
def fund(world):
    return fund_of(world.commune)


@pytest.fixture
def district_fund(world):
    return fund_of(world.district)


@pytest.fixture
def donor(world):
    return DonorFactory(unit=world.commune, name="Công ty TNHH Minh Phát", tax_code="1300123456",
                        created_by=world.commune_officer)


def _url(name, *args):
    return reverse(f"api:donations-{name}", args=args)


def _ledger_rows() -> tuple[int, int, int, int]:
    return (Posting.objects.count(), PostingLine.objects.count(), Receipt.objects.count(),
            SpendingDecision.objects.count())


def _receive(world, fund, amount, *, earmark=Earmark.NONE, **fields):
    officer = world.commune_officer if fund.unit == world.commune else world.district_member
    return receipt_into(fund, actor=officer, amount=amount, earmark=earmark, **fields)


# -- funds ----------------------------------------------------------------------------------------------


def test_fund_list_shows_each_funds_balance_summed_from_its_lines_within_the_callers_units(api, world, fund,
                                                                                          district_fund):
    _receive(world, fund, 30_000_000)
    _receive(world, fund, 5_000_000, earmark=Earmark.HOUSING)
    _receive(world, district_fund, 20_000_000)
    sibling_fund = fund_of(world.sibling_commune)

    rows = api(world.commune_officer).get(_url("fund-list")).json()
    assert rows["count"] == 1
    assert rows["results"] == [{"id": fund.pk, "name": fund.name, "kind": "for_the_poor", "balance": 35_000_000,
                                "unit": {"id": world.commune.pk, "code": "28915", "name": world.commune.name}}]

    rows = api(world.district_member).get(_url("fund-list")).json()["results"]
    assert {row["id"]: row["balance"] for row in rows} == {district_fund.pk: 20_000_000, fund.pk: 35_000_000,
                                                           sibling_fund.pk: 0}
    rows = api(world.district_member).get(_url("fund-list"), {"unit": world.commune.pk}).json()["results"]
    assert [row["id"] for row in rows] == [fund.pk]


def test_fund_detail_shows_its_balance_per_earmark(api, world, fund):
    _receive(world, fund, 30_000_000)
    _receive(world, fund, 5_000_000, earmark=Earmark.TET_GIFTS)

    body = api(world.district_member).get(_url("fund-detail", fund.pk)).json()

    assert body["balance"] == 35_000_000
    assert body["balance_by_earmark"] == {**EARMARKS_EMPTY, "none": 30_000_000, "tet_gifts": 5_000_000}
    assert body["balance_by_earmark"] == earmark_balances(fund)


def test_a_fund_of_another_commune_or_of_the_district_above_is_not_found(api, world, fund, district_fund):
    client = api(world.commune_officer)
    for other in (fund_of(world.sibling_commune), district_fund):
        assert client.get(_url("fund-detail", other.pk)).status_code == 404
        assert client.get(_url("fund-entries", other.pk)).status_code == 404


def test_fund_entries_list_its_lines_newest_first_with_the_document_behind_each(api, world, fund):
    household = HouseholdFactory(commune=world.commune, head_name="Trần Văn Bảy")
    first = _receive(world, fund, 30_000_000, happened_on=datetime.date(2025, 10, 18))
    decision = services.decision_record(
        actor=world.commune_officer, fund=fund, number="7/QĐ-MTTQ", decided_on=datetime.date(2025, 11, 2),
        signer="Lê Thị Hoa", payments=[services.Payment(amount=12_000_000, purpose=Purpose.HOUSING,
                                                        household=household)])
    client = api(world.commune_officer)

    rows = client.get(_url("fund-entries", fund.pk)).json()["results"]

    assert [(row["amount"], row["posting"]["kind"]) for row in rows] == [(-12_000_000, "disbursement"),
                                                                          (30_000_000, "receipt")]
    paid, received = rows
    assert paid["decision"] == {"id": decision.pk, "number": "7/QĐ-MTTQ"} and paid["receipt"] is None
    assert (paid["purpose"], paid["household"]) == ("housing", {"id": household.pk, "code": household.code,
                                                                "head_name": "Trần Văn Bảy"})
    assert received["receipt"] == {"id": first.pk, "number": "PT-2025-000001",
                                   "donor": {"id": first.donor_id, "name": first.donor.name, "kind": "business"}}
    assert received["posting"]["happened_on"] == "2025-10-18"

    only_in = client.get(_url("fund-entries", fund.pk), {"kind": "receipt"}).json()
    assert [row["amount"] for row in only_in["results"]] == [30_000_000]
    assert client.get(_url("fund-entries", fund.pk), {"happened_from": "2025-11-01"}).json()["count"] == 1
    refused = client.get(_url("fund-entries", fund.pk), {"earmark": "gold"})
    assert refused.status_code == 400 and "earmark" in refused.json()


# -- donors -----------------------------------------------------------------------------------------------


def test_an_officer_records_a_donor_of_their_own_unit(api, world):
    response = api(world.commune_officer).post(_url("donor-list"), {
        "kind": "member_organisation", "member_organisation": "womens_union", "name": "Hội Liên hiệp Phụ nữ xã",
        "phone": "0275 3861 234"}, format="json")

    assert response.status_code == 201, response.content
    donor = Donor.objects.get()
    assert (donor.unit, donor.created_by, donor.member_organisation) == (world.commune, world.commune_officer,
                                                                         "womens_union")
    assert response.json()["unit"]["id"] == world.commune.pk


def test_a_donor_refused_by_the_service_answers_400_by_field_and_saves_nothing(api, world):
    client = api(world.commune_officer)
    response = client.post(_url("donor-list"), {"kind": "member_organisation", "name": "Hội Nông dân"},
                           format="json")
    assert response.status_code == 400
    assert response.json() == {"member_organisation": ["Choose which member organisation gives."]}
    assert client.post(_url("donor-list"), {"kind": "business", "name": ""}, format="json").status_code == 400
    assert not Donor.objects.exists()


def test_likely_duplicate_donors_answer_409_naming_only_those_in_scope_and_nothing_is_saved(api, world, donor):
    hidden = DonorFactory(unit=world.sibling_commune, name="Cửa hàng Bảy Hiền", phone="0913000111")
    client = api(world.commune_officer)

    response = client.post(_url("donor-list"), {"kind": "business", "name": "cong ty tnhh minh phat"},
                           format="json")

    assert response.status_code == 409
    assert [row["id"] for row in response.json()["duplicates"]] == [donor.pk]
    assert Donor.objects.count() == 2
    # The sibling commune's donor with the same phone is neither shown nor hinted at.
    response = client.post(_url("donor-list"), {"kind": "business", "name": "Bảy Hiền", "phone": "0913000111"},
                           format="json")
    assert response.status_code == 201
    assert hidden.name not in response.content.decode()
    # Checked: saved.
    response = client.post(_url("donor-list"), {"kind": "business", "name": "Công ty TNHH Minh Phát",
                                                "duplicates_checked": True}, format="json")
    assert response.status_code == 201
    assert Donor.objects.filter(name="Công ty TNHH Minh Phát").count() == 2


def test_a_donor_is_changed_by_its_units_officers_only(api, world, donor):
    refused = api(world.district_member).patch(_url("donor-detail", donor.pk), {"phone": "0909"}, format="json")
    assert refused.status_code == 403
    assert Donor.objects.get(pk=donor.pk).phone == ""

    response = api(world.commune_officer).patch(_url("donor-detail", donor.pk), {"phone": "0909123456",
                                                                                "anonymous": True}, format="json")
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["anonymous"]) == ("0909123456", True)
    assert Donor.objects.get(pk=donor.pk).anonymous


def test_donor_list_searches_names_without_diacritics(api, world, donor):
    DonorFactory(unit=world.commune, name="Ngân hàng Nông nghiệp")
    rows = api(world.commune_officer).get(_url("donor-list"), {"q": "minh phat"}).json()["results"]
    assert [row["id"] for row in rows] == [donor.pk]


# -- campaigns and pledges --------------------------------------------------------------------------------


def test_campaign_detail_shows_pledged_received_and_spent_by_purpose(api, world, fund, donor):
    campaign = campaign_for(fund, actor=world.commune_officer, target=100_000_000)
    pledge = services.pledge_record(actor=world.commune_officer, campaign=campaign, donor=donor,
                                    amount=60_000_000, pledged_on=DAY)
    _receive(world, fund, 40_000_000, donor=donor, campaign=campaign, pledge=pledge)
    services.decision_record(actor=world.commune_officer, fund=fund, number="3/QĐ", decided_on=DAY, signer="Lê Hoa",
                             payments=[services.Payment(amount=15_000_000, purpose=Purpose.TET_GIFTS,
                                                        description="Quà Tết 30 hộ")])

    body = api(world.district_member).get(_url("campaign-detail", campaign.pk)).json()

    assert (body["name"], body["fund"]) == (campaign.name, {"id": fund.pk, "name": fund.name})
    assert body["progress"] == {"target": 100_000_000, "pledged": 60_000_000, "received": 40_000_000,
                                "received_share": 40, "spent": 15_000_000, "left": 25_000_000,
                                "spent_by_purpose": {**{purpose: 0 for purpose in Purpose.values},
                                                     "tet_gifts": 15_000_000}}
    pledge_body = api(world.commune_officer).get(_url("pledge-detail", pledge.pk)).json()
    assert (pledge_body["amount"], pledge_body["outstanding"]) == (60_000_000, 20_000_000)


def test_a_district_campaign_is_seen_below_without_naming_the_district_fund(api, world, district_fund):
    campaign = campaign_for(district_fund, actor=world.district_member)
    body = api(world.commune_officer).get(_url("campaign-detail", campaign.pk)).json()
    assert body["fund"] is None
    assert district_fund.name not in str(body)


def test_campaigns_are_created_and_changed_through_the_service(api, world, fund):
    client = api(world.commune_officer)
    body = {"kind": "month_for_the_poor", "name": "Tháng cao điểm 2025", "code": " vnn2025 ", "fund": fund.pk,
            "starts_on": "2025-10-17", "ends_on": "2025-11-18", "target": 500_000_000}

    response = client.post(_url("campaign-list"), body, format="json")
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get()
    assert (campaign.code, campaign.unit, response.json()["progress"]["target"]) == ("VNN2025", world.commune,
                                                                                    500_000_000)

    again = client.post(_url("campaign-list"), {**body, "name": "Lần hai"}, format="json")
    assert again.status_code == 400 and "code" in again.json()
    backwards = client.post(_url("campaign-list"), {**body, "code": "TET26", "ends_on": "2025-10-01"},
                            format="json")
    assert backwards.status_code == 400
    assert backwards.json() == {"non_field_errors": ["A campaign ends on or after the day it starts."]}
    assert Campaign.objects.count() == 1

    assert api(world.district_member).patch(_url("campaign-detail", campaign.pk), {"target": 1},
                                            format="json").status_code == 403
    changed = client.patch(_url("campaign-detail", campaign.pk), {"target": 600_000_000}, format="json")
    assert changed.status_code == 200 and changed.json()["target"] == 600_000_000


def test_a_district_member_may_not_run_a_campaign_on_a_communes_fund(api, world, fund):
    response = api(world.district_member).post(_url("campaign-list"), {
        "kind": "tet", "name": "Tết 2026", "code": "TET2026", "fund": fund.pk, "starts_on": "2026-01-01",
        "ends_on": "2026-02-10"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the Front officers of the fund's own unit record its money."
    assert not Campaign.objects.exists()


def test_a_pledge_is_recorded_for_a_campaign_and_a_donor_in_scope(api, world, fund, donor):
    campaign = campaign_for(fund, actor=world.commune_officer)
    client = api(world.commune_officer)
    body = {"campaign": campaign.pk, "donor": donor.pk, "amount": 50_000_000, "pledged_on": "2025-10-17"}

    response = client.post(_url("pledge-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["outstanding"] == 50_000_000

    outsider = DonorFactory(unit=world.sibling_commune)
    refused = client.post(_url("pledge-list"), {**body, "donor": outsider.pk}, format="json")
    assert refused.status_code == 400 and "donor" in refused.json()
    assert Pledge.objects.count() == 1


@pytest.mark.parametrize("amount", ["50000000", 1.5, 50_000_000.0, True, None, 0, -5, 10**13])
def test_an_amount_that_is_not_a_json_integer_of_dong_is_refused_and_nothing_is_written(api, world, fund, donor,
                                                                                         amount):
    campaign = campaign_for(fund, actor=world.commune_officer)
    client = api(world.commune_officer)

    for name, body in (
        ("pledge-list", {"campaign": campaign.pk, "donor": donor.pk, "pledged_on": "2025-10-17"}),
        ("receipt-list", {"fund": fund.pk, "donor": donor.pk, "happened_on": "2025-10-20"}),
    ):
        response = client.post(_url(name), {**body, "amount": amount}, format="json")
        assert response.status_code == 400, name
        assert list(response.json()) == ["amount"]
    if isinstance(amount, str | float) or amount is True:
        assert response.json()["amount"] == [WHOLE_DONG]
    assert not Pledge.objects.exists()
    assert _ledger_rows() == (0, 0, 0, 0)


# -- receipts -------------------------------------------------------------------------------------------------


def test_a_receipt_is_recorded_numbered_and_shown_with_its_amount_in_words(api, world, fund, donor):
    response = api(world.commune_officer).post(_url("receipt-list"), {
        "fund": fund.pk, "donor": donor.pk, "amount": 30_000_000, "happened_on": "2025-10-20",
        "method": "bank_transfer", "bank_reference": "FT25293001", "earmark": "housing", "attached_documents": 1,
        "soft_credits": [{"name": "Nguyễn Văn An", "amount": 500_000}, {"name": "Lê Thị Bích"}],
    }, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["amount"], body["amount_in_words"]) == ("PT-2025-000001", 30_000_000,
                                                                         "Ba mươi triệu đồng")
    assert body["soft_credits"] == [{"name": "Nguyễn Văn An", "amount": 500_000},
                                    {"name": "Lê Thị Bích", "amount": None}]
    assert body["trail"] == {"spent": [], "spent_elsewhere": [], "held_elsewhere": 0,
                             "held": [{"fund": {"id": fund.pk, "name": fund.name}, "earmark": "housing",
                                       "amount": 30_000_000}]}
    assert earmark_balances(fund)[Earmark.HOUSING] == 30_000_000


def test_a_refused_receipt_writes_nothing_and_uses_no_number(api, world, fund, donor):
    client = api(world.commune_officer)
    body = {"fund": fund.pk, "donor": donor.pk, "amount": 1_000_000, "happened_on": "2025-10-20"}

    no_reference = client.post(_url("receipt-list"), {**body, "method": "bank_transfer"}, format="json")
    assert no_reference.status_code == 400
    assert no_reference.json() == {"bank_reference": ["Enter the bank's reference of the transfer."]}
    in_kind = client.post(_url("receipt-list"), {**body, "method": "in_kind"}, format="json")
    assert list(in_kind.json()) == ["in_kind_description"]
    outsider = client.post(_url("receipt-list"), {**body, "donor": DonorFactory(unit=world.sibling_commune).pk},
                           format="json")
    assert outsider.status_code == 400 and list(outsider.json()) == ["donor"]
    assert _ledger_rows() == (0, 0, 0, 0)

    made = client.post(_url("receipt-list"), body, format="json").json()
    assert made["number"] == "PT-2025-000001"
    assert ReceiptSeries.objects.get(fund=fund, year=2025).last == 1


def test_only_the_funds_own_officers_record_its_receipts(api, world, fund, donor):
    body = {"fund": fund.pk, "donor": donor.pk, "amount": 1_000_000, "happened_on": "2025-10-20"}
    response = api(world.district_member).post(_url("receipt-list"), body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the Front officers of the fund's own unit record its money."
    assert api(world.administrator).post(_url("receipt-list"), body, format="json").status_code == 403
    assert _ledger_rows() == (0, 0, 0, 0)


def test_a_receipt_sent_twice_with_one_idempotency_key_is_recorded_once(api, world, fund, donor):
    client = api(world.commune_officer)
    body = {"fund": fund.pk, "donor": donor.pk, "amount": 2_000_000, "happened_on": "2025-10-20"}

    first = client.post(_url("receipt-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="phieu-thu-1")
    again = client.post(_url("receipt-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="phieu-thu-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Receipt.objects.count() == 1 and fund_balance(fund) == 2_000_000


def test_a_receipts_trail_names_what_the_caller_sees_and_only_counts_the_rest(api, world, fund, district_fund):
    """A commune's receipt, part of it sent up to the district, which pays a household of the
    sibling commune and a bridge; the commune pays one of its own households."""
    own = HouseholdFactory(commune=world.commune, head_name="Trần Văn Bảy")
    sibling = HouseholdFactory(commune=world.sibling_commune, head_name="Phạm Thị Mười")
    receipt = _receive(world, fund, 30_000_000)
    services.transfer_record(actor=world.commune_officer, source=fund, destination=district_fund,
                             amount=20_000_000, happened_on=DAY)
    services.decision_record(actor=world.district_member, fund=district_fund, number="9/QĐ-MTTQ", decided_on=DAY,
                             signer="Võ Văn Tám", payments=[
                                 services.Payment(amount=12_000_000, purpose=Purpose.HOUSING, household=sibling),
                                 services.Payment(amount=3_000_000, purpose=Purpose.COMMUNITY_WORK,
                                                  description="Cầu Bà Lợi, ấp 3")])
    services.decision_record(actor=world.commune_officer, fund=fund, number="4/QĐ-MTTQ", decided_on=DAY,
                             signer="Lê Thị Hoa", payments=[
                                 services.Payment(amount=5_000_000, purpose=Purpose.HOUSING, household=own)])

    response = api(world.commune_officer).get(_url("receipt-detail", receipt.pk))
    trail = response.json()["trail"]

    assert trail["spent"] == [{"purpose": "housing", "amount": 5_000_000, "case": None,
                               "fund": {"id": fund.pk, "name": fund.name}, "description": "",
                               "household": {"id": own.pk, "code": own.code, "head_name": "Trần Văn Bảy"}}]
    assert trail["spent_elsewhere"] == [{"purpose": "community_work", "households": 0, "amount": 3_000_000},
                                        {"purpose": "housing", "households": 1, "amount": 12_000_000}]
    assert trail["held"] == [{"fund": {"id": fund.pk, "name": fund.name}, "earmark": "none", "amount": 5_000_000}]
    assert trail["held_elsewhere"] == 5_000_000
    text = response.content.decode()
    assert sibling.code not in text and "Phạm Thị Mười" not in text and district_fund.name not in text

    named = api(world.district_member).get(_url("receipt-detail", receipt.pk)).json()["trail"]
    assert {row["household"]["id"] for row in named["spent"] if row["household"]} == {own.pk, sibling.pk}
    assert (named["spent_elsewhere"], named["held_elsewhere"]) == ([], 0)


# -- decisions ----------------------------------------------------------------------------------------------


def test_a_decision_pays_households_works_and_another_fund_in_one_posting(api, world, fund):
    _receive(world, fund, 50_000_000)
    household = HouseholdFactory(commune=world.commune)
    district_fund = fund_of(world.district)
    _receive(world, district_fund, 10_000_000)
    client = api(world.commune_officer)

    response = client.post(_url("decision-list"), {
        "fund": fund.pk, "number": "12/QĐ-MTTQ", "decided_on": "2025-11-05", "signer": "Lê Thị Hoa",
        "payments": [
            {"amount": 20_000_000, "purpose": "housing", "household": household.pk},
            {"amount": 4_000_000, "purpose": "community_work", "description": "Giếng nước ấp Phước Hậu"},
            {"amount": 6_000_000, "purpose": "other", "destination": district_fund.pk},
        ]}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["total"], body["payments_not_shown"]) == ("12/QĐ-MTTQ", 30_000_000, 1)
    assert body["payments"] == [
        {"amount": 20_000_000, "purpose": "housing", "description": "", "destination": None, "case": None,
         "household": {"id": household.pk, "code": household.code, "head_name": household.head_name}},
        {"amount": 4_000_000, "purpose": "community_work", "description": "Giếng nước ấp Phước Hậu",
         "destination": None, "case": None, "household": None},
    ]
    assert (fund_balance(fund), fund_balance(district_fund)) == (20_000_000, 16_000_000)
    # The district sees the payment into its fund.
    seen = api(world.district_member).get(_url("decision-detail", body["id"])).json()
    assert seen["payments_not_shown"] == 0
    assert seen["payments"][2]["destination"] == {"id": district_fund.pk, "name": district_fund.name}
    listed = client.get(_url("decision-list")).json()["results"]
    assert [(row["number"], row["total"]) for row in listed] == [("12/QĐ-MTTQ", 30_000_000)]


def test_a_decision_the_fund_cannot_pay_is_refused_whole_naming_the_balance(api, world, fund):
    _receive(world, fund, 10_000_000)
    household = HouseholdFactory(commune=world.commune)
    before = _ledger_rows()
    client = api(world.commune_officer)
    body = {"fund": fund.pk, "number": "13/QĐ-MTTQ", "decided_on": "2025-11-05", "signer": "Lê Thị Hoa",
            "payments": [{"amount": 6_000_000, "purpose": "housing", "household": household.pk},
                         {"amount": 6_000_000, "purpose": "tet_gifts", "description": "Quà Tết"}]}

    response = client.post(_url("decision-list"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"amount": [
        f"{fund.name} holds 10.000.000 ₫ for “Unrestricted”: it cannot pay out 12.000.000 ₫."]}

    sibling = HouseholdFactory(commune=world.sibling_commune)
    outside = client.post(_url("decision-list"), {**body, "payments": [
        {"amount": 1_000, "purpose": "housing", "household": sibling.pk}]}, format="json")
    assert outside.status_code == 400 and "payments" in outside.json()
    unnamed = client.post(_url("decision-list"), {**body, "payments": [{"amount": 1_000, "purpose": "other"}]},
                          format="json")
    assert list(unnamed.json()) == ["description"]
    assert _ledger_rows() == before


# -- transfers and reversals ----------------------------------------------------------------------------------


def test_a_transfer_down_is_seen_by_the_commune_without_the_district_funds_line(api, world, fund, district_fund):
    _receive(world, district_fund, 50_000_000, earmark=Earmark.HOUSING)

    response = api(world.district_member).post(_url("transfer-list"), {
        "source": district_fund.pk, "destination": fund.pk, "amount": 20_000_000, "happened_on": "2025-10-25",
        "earmark": "housing", "description": "Điều tiết đợt 1"}, format="json")

    assert response.status_code == 201, response.content
    assert [line["amount"] for line in response.json()["lines"]] == [-20_000_000, 20_000_000]
    assert earmark_balances(fund)[Earmark.HOUSING] == 20_000_000
    (row,) = api(world.commune_officer).get(_url("transfer-list")).json()["results"]
    assert (row["description"], row["lines_not_shown"]) == ("Điều tiết đợt 1", 1)
    assert [(line["fund"]["id"], line["amount"]) for line in row["lines"]] == [(fund.pk, 20_000_000)]


def test_a_commune_sends_money_up_but_not_beside_and_not_more_than_it_holds(api, world, fund, district_fund):
    _receive(world, fund, 5_000_000)
    client = api(world.commune_officer)
    body = {"source": fund.pk, "destination": district_fund.pk, "amount": 3_000_000, "happened_on": "2025-10-25"}
    before = _ledger_rows()

    beside = client.post(_url("transfer-list"), {**body, "destination": fund_of(world.sibling_commune).pk},
                         format="json")
    assert beside.status_code == 400 and list(beside.json()) == ["destination"]
    too_much = client.post(_url("transfer-list"), {**body, "amount": 5_000_001}, format="json")
    assert too_much.status_code == 400 and list(too_much.json()) == ["amount"]
    not_own = client.post(_url("transfer-list"), {**body, "source": district_fund.pk, "destination": fund.pk},
                          format="json")
    assert not_own.status_code == 400 and list(not_own.json()) == ["source"]
    assert _ledger_rows() == before

    up = client.post(_url("transfer-list"), body, format="json")
    assert up.status_code == 201
    assert (fund_balance(fund), fund_balance(district_fund)) == (2_000_000, 3_000_000)


def test_the_district_reverses_a_communes_receipt_which_stays_marked(api, world, fund):
    receipt = _receive(world, fund, 2_000_000)
    url = _url("posting-reverse", receipt.posting_id)
    body = {"reason": "Nhập trùng phiếu", "happened_on": "2025-10-21"}

    refused = api(world.commune_officer).post(url, body, format="json")
    assert refused.status_code == 403
    client = api(world.district_member)
    assert client.post(url, {**body, "reason": " "}, format="json").json() == {
        "reason": ["Say why the posting is reversed."]}
    assert not Posting.objects.filter(kind=PostingKind.REVERSAL).exists()

    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    reversal = response.json()
    assert (reversal["kind"], reversal["reverses"], reversal["reason"]) == ("reversal", receipt.posting_id,
                                                                            "Nhập trùng phiếu")
    assert fund_balance(fund) == 0
    shown = api(world.commune_officer).get(_url("receipt-detail", receipt.pk)).json()
    assert shown["reversed_by"] == reversal["id"]
    assert client.get(_url("posting-detail", receipt.posting_id)).json()["reversed_by"] == reversal["id"]
    again = client.post(url, body, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["This posting has already been reversed."]}


def test_posting_list_filters_by_kind_and_fund(api, world, fund, district_fund):
    _receive(world, fund, 5_000_000)
    _receive(world, district_fund, 5_000_000)
    services.transfer_record(actor=world.district_member, source=district_fund, destination=fund,
                             amount=1_000_000, happened_on=DAY)
    client = api(world.district_member)

    assert client.get(_url("posting-list")).json()["count"] == 3
    assert client.get(_url("posting-list"), {"kind": "transfer"}).json()["count"] == 1
    assert client.get(_url("posting-list"), {"fund": fund.pk}).json()["count"] == 2
    assert client.get(_url("posting-list"), {"kind": "gift"}).status_code == 400


# -- query ceilings -------------------------------------------------------------------------------------------


def _fill(world, count):
    """``count`` of each record in the commune: receipts (with a campaign and a pledge), decisions
    paying a household, transfers down from the district, donors, funds."""
    fund, district_fund = fund_of(world.commune), fund_of(world.district)
    campaign = campaign_for(fund, actor=world.commune_officer)
    for _ in range(count):
        donor = DonorFactory(unit=world.commune)
        pledge = services.pledge_record(actor=world.commune_officer, campaign=campaign, donor=donor,
                                        amount=9_000_000, pledged_on=DAY)
        _receive(world, fund, 9_000_000, donor=donor, campaign=campaign, pledge=pledge,
                 soft_credits=[("Nguyễn Văn An", None)])
        services.decision_record(actor=world.commune_officer, fund=fund, number=f"{Posting.objects.count()}/QĐ",
                                 decided_on=DAY,
                                 signer="Lê Hoa", payments=[services.Payment(
                                     amount=1_000_000, purpose=Purpose.HOUSING,
                                     household=HouseholdFactory(commune=world.commune))])
        _receive(world, district_fund, 1_000_000)
        services.transfer_record(actor=world.district_member, source=district_fund, destination=fund,
                                 amount=1_000_000, happened_on=DAY)
        FundFactory(unit=world.commune)
        campaign_for(fund, actor=world.commune_officer)


LISTS = ["fund-list", "donor-list", "campaign-list", "pledge-list", "receipt-list", "decision-list",
         "transfer-list", "posting-list"]


@pytest.mark.parametrize("name", LISTS)
def test_each_list_reads_a_fixed_number_of_queries_whatever_its_length(api, world, name,
                                                                       django_assert_max_num_queries):
    client = api(world.district_member)
    _fill(world, 2)
    # Up to 4 for the session (read, user, and its save when it notes the activity) and the
    # caller's unit, then the count, the page, and the page's posting lines (with what the caller
    # sees of them) or the funds' balances.
    with django_assert_max_num_queries(8):
        few = client.get(_url(name)).json()["count"]
    _fill(world, 8)
    with django_assert_max_num_queries(8):
        many = client.get(_url(name)).json()["count"]
    assert many > few


def test_fund_entries_and_details_read_a_fixed_number_of_queries(api, world, fund, django_assert_max_num_queries):
    client = api(world.district_member)
    _fill(world, 10)
    receipt = Receipt.objects.filter(fund=fund).order_by("pk").first()  # the oldest: spent first
    decision = SpendingDecision.objects.first()
    # As above, then: the fund, the count and the page of lines; the fund and its balances; the
    # receipt with its soft credits and the trail (its spending, its holdings, the funds and
    # households the caller sees); the decision and its lines; the campaign and its progress.
    with django_assert_max_num_queries(7):
        assert client.get(_url("fund-entries", fund.pk)).json()["count"] == 30
    with django_assert_max_num_queries(6):
        assert client.get(_url("fund-detail", fund.pk)).json()["balance"] == fund_balance(fund)
    with django_assert_max_num_queries(10):
        assert client.get(_url("receipt-detail", receipt.pk)).json()["trail"]["spent"]
    with django_assert_max_num_queries(6):
        assert len(client.get(_url("decision-detail", decision.pk)).json()["payments"]) == 1
    with django_assert_max_num_queries(8):
        assert client.get(_url("campaign-detail", Campaign.objects.first().pk)).json()["progress"]["pledged"]


def test_donor_kind_choices_in_the_schema_are_the_models(api, world):
    schema = api(world.commune_officer).get(reverse("api-schema"), {"format": "json"}).json()
    assert set(schema["components"]["schemas"]["DonorKindEnum"]["enum"]) == set(DonorKind.values)
    assert set(schema["components"]["schemas"]["PaymentMethodEnum"]["enum"]) == set(PaymentMethod.values)
    assert {"/api/v1/donations/funds/{id}/entries/", "/api/v1/donations/postings/{id}/reverse/",
            "/api/v1/donations/transfers/", "/api/v1/donations/receipts/{id}/"} <= set(schema["paths"])


def test_a_commune_sees_its_part_of_a_district_decision_but_not_whom_the_district_paid_elsewhere(api, world, fund,
                                                                                                district_fund):
    """A district's decision paying into the commune's fund is among the commune's postings; its
    payment to a recipient named in words (a person, in another commune) is the district's
    business: counted, not shown, like its lines on funds and households outside the commune."""
    _receive(world, district_fund, 50_000_000)
    payments = [services.Payment(amount=10_000_000, purpose=Purpose.OTHER, destination=fund),
                services.Payment(amount=3_000_000, purpose=Purpose.LIVELIHOOD,
                                 description="Ông Nguyễn Văn Bảy, ấp 3 xã Phú Mỹ")]
    decision = services.decision_record(actor=world.district_member, fund=district_fund, number="7/QĐ-MTTQ",
                                        decided_on=DAY, signer="Trần Văn Hai", payments=payments)

    response = api(world.commune_officer).get(_url("posting-detail", decision.posting_id))

    assert response.status_code == 200
    body = response.json()
    assert [(line["fund"], line["amount"]) for line in body["lines"]] == [({"id": fund.pk, "name": fund.name},
                                                                           10_000_000)]
    assert body["lines_not_shown"] == 3
    assert "Nguyễn Văn Bảy" not in response.content.decode()
    # The district sees all of its decision.
    district = api(world.district_member).get(_url("posting-detail", decision.posting_id)).json()
    assert len(district["lines"]) == 4 and district["lines_not_shown"] == 0

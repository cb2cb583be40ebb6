"""Donors, campaigns, pledges, receipts and spending decisions (donations.services), and the trail
of every đồng from receipt to household and back (donations.selectors)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from donations import selectors, services
from donations.choices import CampaignKind, DonorKind, Earmark, MemberOrganisation, PaymentMethod, Purpose
from donations.models import Donor, Pledge, Posting, Receipt, SpendingDecision

from ..factories import UserFactory
from ..households.factories import HouseholdFactory
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 10, 20)


@pytest.fixture
def commune_fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn Phước Mỹ Trung")


@pytest.fixture
def district_fund(world):
    return FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")


@pytest.fixture
def campaign(world, district_fund):
    return services.campaign_create(
        actor=world.district_member, kind="month_for_the_poor", name="Tháng cao điểm Vì người nghèo 2025",
        code="vnn2025", starts_on=datetime.date(2025, 10, 17), ends_on=datetime.date(2025, 11, 18),
        target=500_000_000, fund=district_fund)


def _receive(officer, fund, amount, *, donor=None, day=DAY, **fields) -> Receipt:
    return services.receipt_record(actor=officer, fund=fund, amount=amount, happened_on=day,
                                   donor=donor or DonorFactory(unit=fund.unit), **fields)


# -- donors -----------------------------------------------------------------------------------------


def test_a_donor_is_kept_by_the_officers_unit_and_seen_by_the_units_above(world):
    donor = services.donor_create(actor=world.commune_officer, kind=DonorKind.MEMBER_ORGANISATION,
                                  member_organisation=MemberOrganisation.RED_CROSS, name="Hội Chữ thập đỏ thị trấn")
    assert (donor.unit, donor.name_folded) == (world.commune, "hoi chu thap do thi tran")
    assert Donor.objects.visible_to(world.district_member).filter(pk=donor.pk).exists()
    assert not Donor.objects.visible_to(UserFactory(unit=world.sibling_commune)).filter(pk=donor.pk).exists()
    with pytest.raises(PermissionDenied):
        services.donor_create(actor=world.administrator, kind=DonorKind.INDIVIDUAL, name="Trần Thị Lan")


def test_a_member_organisation_donor_names_which_one_and_no_other_kind_does(world):
    with pytest.raises(ValidationError) as refused:
        services.donor_create(actor=world.commune_officer, kind=DonorKind.MEMBER_ORGANISATION, name="Hội")
    assert "member_organisation" in refused.value.message_dict
    donor = services.donor_create(actor=world.commune_officer, kind=DonorKind.BUSINESS, name="Công ty Minh Phát",
                                  member_organisation=MemberOrganisation.FARMERS)
    assert donor.member_organisation == ""


def test_likely_duplicate_donors_match_name_without_diacritics_tax_code_or_phone_within_scope_only(world):
    same_name = DonorFactory(unit=world.commune, name="Công ty TNHH Minh Phát")
    same_tax = DonorFactory(unit=world.commune, name="Minh Phat Co.", tax_code="1300123456")
    outside = DonorFactory(unit=world.sibling_commune, name="Công ty TNHH Minh Phát", tax_code="1300123456")
    DonorFactory(unit=world.commune, name="Doanh nghiệp khác")

    found = set(selectors.likely_duplicate_donors(world.commune_officer, name="cong ty tnhh minh phat",
                                                  tax_code="1300123456"))
    assert found == {same_name, same_tax}
    assert outside in set(selectors.likely_duplicate_donors(world.district_member, name="Công ty TNHH Minh Phát"))


def test_a_donor_is_changed_only_by_its_own_unit(world):
    donor = DonorFactory(unit=world.commune, name="Bà Lê Thị Hoa")
    with pytest.raises(PermissionDenied):
        services.donor_update(actor=world.district_member, donor=donor, anonymous=True)
    with pytest.raises(Donor.DoesNotExist):
        services.donor_update(actor=UserFactory(unit=world.sibling_commune), donor=donor, anonymous=True)
    services.donor_update(actor=world.commune_officer, donor=donor, anonymous=True, name="Bà Lê Thị Hoà")
    donor.refresh_from_db()
    assert (donor.anonymous, donor.name_folded) == (True, "ba le thi hoa")
    assert donor.history.count() == 2


# -- campaigns and pledges ------------------------------------------------------------------------


def test_a_campaign_belongs_to_its_funds_unit_and_its_code_is_kept_in_capitals(world, campaign, district_fund):
    assert (campaign.unit, campaign.code) == (world.district, "VNN2025")
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=world.commune_officer, kind="tet", name="Tết", code="TET",
                                 starts_on=DAY, ends_on=DAY, fund=district_fund)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.campaign_create(actor=world.district_member, kind="tet", name="Tết 2026", code="TET26",
                                 starts_on=DAY, ends_on=DAY - datetime.timedelta(days=1), fund=district_fund)
    assert refused.value.messages == ["A campaign ends on or after the day it starts."]


def test_pledges_are_not_money_and_receipts_settle_them_in_part_or_whole(world, campaign, district_fund):
    donor = DonorFactory(unit=world.district, name="Ngân hàng Agribank chi nhánh Mỏ Cày Bắc")
    pledge = services.pledge_record(actor=world.district_member, campaign=campaign, donor=donor,
                                    amount=100_000_000, pledged_on=datetime.date(2025, 10, 17))
    assert selectors.campaign_progress(campaign).pledged == 100_000_000
    assert selectors.campaign_progress(campaign).received == 0
    assert selectors.fund_balance(district_fund) == 0

    _receive(world.district_member, district_fund, 60_000_000, donor=donor, campaign=campaign, pledge=pledge)
    assert services.pledge_outstanding(pledge) == 40_000_000
    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        _receive(world.district_member, district_fund, 50_000_000, donor=donor, campaign=campaign, pledge=pledge)
    assert refused.value.message_dict["pledge"] == [
        "Khoản cam kết còn 40.000.000 ₫ chưa nộp: phiếu thu này lớn hơn."]
    with pytest.raises(ValidationError):  # another donor's pledge
        _receive(world.district_member, district_fund, 1_000, campaign=campaign, pledge=pledge)
    progress = selectors.campaign_progress(campaign)
    assert (progress.target, progress.pledged, progress.received, progress.received_share) == (
        500_000_000, 100_000_000, 60_000_000, 12)


def test_a_pledge_is_made_by_an_officer_for_a_campaign_and_donor_they_see(world, campaign):
    outsider_donor = DonorFactory(unit=world.other_district)
    with pytest.raises(Donor.DoesNotExist):
        services.pledge_record(actor=world.district_member, campaign=campaign, donor=outsider_donor, amount=1,
                               pledged_on=DAY)
    with pytest.raises(ValidationError):
        services.pledge_record(actor=world.district_member, campaign=campaign,
                               donor=DonorFactory(unit=world.district), amount=0, pledged_on=DAY)
    assert not Pledge.objects.exists()


# -- receipts ---------------------------------------------------------------------------------------------


def test_receipts_are_numbered_per_fund_and_year_without_gaps_even_after_a_refused_one(world, commune_fund,
                                                                                      district_fund):
    officer = world.commune_officer
    first = _receive(officer, commune_fund, 1_000)
    with pytest.raises(ValidationError):
        _receive(officer, commune_fund, 2_000, method=PaymentMethod.BANK_TRANSFER)  # no bank reference
    second = _receive(officer, commune_fund, 3_000)
    next_year = _receive(officer, commune_fund, 4_000, day=datetime.date(2026, 1, 2))
    other_fund = _receive(world.district_member, district_fund, 5_000)
    assert [first.number, second.number, next_year.number, other_fund.number] == [
        "PT-2025-000001", "PT-2025-000002", "PT-2026-000001", "PT-2025-000001"]


def test_a_bank_reference_is_recorded_once_per_fund(world, commune_fund):
    _receive(world.commune_officer, commune_fund, 1_000_000, method=PaymentMethod.BANK_TRANSFER,
             bank_reference="FT25290123456")
    with pytest.raises(ValidationError) as refused:
        _receive(world.commune_officer, commune_fund, 1_000_000, method=PaymentMethod.BANK_TRANSFER,
                 bank_reference=" FT25290123456 ")
    assert "bank_reference" in refused.value.message_dict
    assert Receipt.objects.count() == Posting.objects.count() == 1


def test_goods_in_kind_are_described_and_valued_in_dong(world, commune_fund):
    with pytest.raises(ValidationError) as refused:
        _receive(world.commune_officer, commune_fund, 5_000_000, method=PaymentMethod.IN_KIND)
    assert "in_kind_description" in refused.value.message_dict
    receipt = _receive(world.commune_officer, commune_fund, 5_000_000, method=PaymentMethod.IN_KIND,
                       in_kind_description="100 bao gạo 10 kg")
    assert selectors.fund_balance(commune_fund) == receipt.amount


def test_an_agencys_receipt_lists_its_staff_as_soft_credits(world, commune_fund):
    agency = DonorFactory(unit=world.commune, kind=DonorKind.AGENCY, name="UBND thị trấn Phước Mỹ Trung")
    receipt = _receive(world.commune_officer, commune_fund, 3_000_000, donor=agency,
                       soft_credits=[("Nguyễn Văn An", 1_000_000), ("Trần Thị Bình", None), (" ", 5)])
    assert list(receipt.soft_credits.values_list("name", "amount")) == [("Nguyễn Văn An", 1_000_000),
                                                                       ("Trần Thị Bình", None)]
    assert receipt.donor == agency  # the hard credit


def test_a_campaign_is_collected_for_by_funds_of_its_unit_and_below_only(world, campaign):
    other_fund = FundFactory(unit=world.other_district_commune)
    officer = UserFactory(unit=world.other_district_commune)
    with pytest.raises(Exception) as refused:
        _receive(officer, other_fund, 1_000, campaign=campaign)
    assert refused.type in (ValidationError, type(campaign).DoesNotExist)
    commune_fund = FundFactory(unit=world.commune)
    _receive(world.commune_officer, commune_fund, 1_000, campaign=campaign)
    assert selectors.campaign_progress(campaign).received == 1_000


@pytest.mark.django_db(transaction=True)
def test_fifty_clerks_recording_receipts_at_once_get_every_number_once_without_gaps(world):
    fund = FundFactory(unit=world.commune)
    donor = DonorFactory(unit=world.commune)
    clerks, each = 50, 4
    start = threading.Barrier(clerks)
    errors = []

    def record():
        try:
            start.wait()
            for _ in range(each):
                services.receipt_record(actor=world.commune_officer, fund=fund, donor=donor, amount=10_000,
                                        happened_on=DAY)
        except Exception as error:  # any failure fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Receipt.objects.filter(fund=fund).values_list("sequence", flat=True)) == list(
        range(1, clerks * each + 1))
    assert selectors.fund_balance(fund) == clerks * each * 10_000


# -- spending decisions and the trail of every đồng --------------------------------------------------------


def test_a_decision_pays_households_of_its_unit_and_works_and_is_refused_whole_when_money_is_short(
        world, commune_fund):
    _receive(world.commune_officer, commune_fund, 10_000_000, earmark=Earmark.TET_GIFTS)
    household = HouseholdFactory(commune=world.commune)
    outsider = HouseholdFactory(commune=world.sibling_commune)
    payments = [services.Payment(amount=500_000, purpose=Purpose.TET_GIFTS, household=household)]

    with pytest.raises(ValidationError) as refused:
        services.decision_record(actor=world.commune_officer, fund=commune_fund, number="12/QĐ-MTTQ",
                                 decided_on=DAY, signer="Nguyễn Văn Tư", earmark=Earmark.TET_GIFTS,
                                 payments=[*payments, services.Payment(amount=500_000, purpose=Purpose.TET_GIFTS,
                                                                       household=outsider)])
    assert "household" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.commune_officer, fund=commune_fund, number="12/QĐ-MTTQ",
                                 decided_on=DAY, signer="Nguyễn Văn Tư", earmark=Earmark.TET_GIFTS,
                                 payments=[*payments, services.Payment(amount=9_600_000, purpose=Purpose.OTHER,
                                                                       description="Cầu ấp Phước Hậu")])
    assert not SpendingDecision.objects.exists() and Posting.objects.count() == 1

    decision = services.decision_record(
        actor=world.commune_officer, fund=commune_fund, number="12/QĐ-MTTQ", decided_on=DAY,
        signer="Nguyễn Văn Tư", earmark=Earmark.TET_GIFTS,
        payments=[*payments, services.Payment(amount=9_000_000, purpose=Purpose.COMMUNITY_WORK,
                                              description="Cầu ấp Phước Hậu")])
    assert selectors.earmark_balances(commune_fund)[Earmark.TET_GIFTS] == 500_000
    assert decision.posting.lines.filter(household=household, purpose=Purpose.TET_GIFTS).count() == 2
    with pytest.raises(ValidationError) as refused:
        services.decision_record(actor=world.commune_officer, fund=commune_fund, number="12/QĐ-MTTQ",
                                 decided_on=DAY, signer="Nguyễn Văn Tư", payments=payments)
    assert "number" in refused.value.message_dict


def test_payments_draw_on_the_oldest_receipts_of_their_earmark_first(world, commune_fund):
    officer = world.commune_officer
    old = _receive(officer, commune_fund, 3_000_000, day=datetime.date(2025, 10, 1))
    new = _receive(officer, commune_fund, 5_000_000, day=datetime.date(2025, 10, 10))
    housing = _receive(officer, commune_fund, 40_000_000, earmark=Earmark.HOUSING)
    household = HouseholdFactory(commune=world.commune)

    services.disbursement_record(actor=officer, fund=commune_fund, amount=4_000_000, happened_on=DAY,
                                 purpose=Purpose.LIVELIHOOD, household=household)

    spent_old, held_old = selectors.receipt_trail(old)
    spent_new, held_new = selectors.receipt_trail(new)
    assert [(spent.household_id, spent.amount) for spent in spent_old] == [(household.pk, 3_000_000)]
    assert held_old == {}
    assert [(spent.purpose, spent.amount) for spent in spent_new] == [(Purpose.LIVELIHOOD, 1_000_000)]
    assert held_new == {(commune_fund.pk, Earmark.NONE): 4_000_000}
    assert selectors.receipt_trail(housing) == ([], {(commune_fund.pk, Earmark.HOUSING): 40_000_000})
    assert [(receipt, amount) for receipt, amount in selectors.household_sources(household)] == [
        (old, 3_000_000), (new, 1_000_000)]


def test_a_transfer_carries_its_receipts_to_the_fund_below_and_a_reversal_gives_them_back(world, commune_fund,
                                                                                          district_fund, campaign):
    receipt = _receive(world.district_member, district_fund, 20_000_000, campaign=campaign)
    services.transfer_record(actor=world.district_member, source=district_fund, destination=commune_fund,
                             amount=15_000_000, happened_on=DAY)
    household = HouseholdFactory(commune=world.commune)
    paid = services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=6_000_000,
                                        happened_on=DAY, purpose=Purpose.HOUSING, household=household)

    spent, held = selectors.receipt_trail(receipt)
    assert [(item.household_id, item.fund_id, item.amount) for item in spent] == [
        (household.pk, commune_fund.pk, 6_000_000)]
    assert held == {(district_fund.pk, Earmark.NONE): 5_000_000, (commune_fund.pk, Earmark.NONE): 9_000_000}
    assert selectors.campaign_progress(campaign).spent_by_purpose == {Purpose.HOUSING: 6_000_000}
    assert selectors.campaign_progress(campaign).left == 14_000_000

    services.posting_reverse(actor=world.district_member, posting=paid, reason="Trả nhầm hộ", happened_on=DAY)
    assert selectors.receipt_trail(receipt)[0] == []
    assert selectors.household_sources(household) == []
    assert selectors.campaign_progress(campaign).spent == 0


def test_a_reversed_receipt_is_not_counted_as_received_nor_settles_its_pledge(world, district_fund, campaign):
    donor = DonorFactory(unit=world.district)
    pledge = services.pledge_record(actor=world.district_member, campaign=campaign, donor=donor,
                                    amount=10_000_000, pledged_on=DAY)
    receipt = _receive(world.district_member, district_fund, 10_000_000, donor=donor, campaign=campaign,
                       pledge=pledge)
    services.posting_reverse(actor=world.provincial_officer, posting=receipt.posting, reason="Ghi trùng",
                             happened_on=DAY)
    assert selectors.campaign_progress(campaign).received == 0
    assert services.pledge_outstanding(pledge) == 10_000_000
    assert Receipt.objects.get(pk=receipt.pk).posting.reversed_by is not None  # the receipt stays, marked


def test_a_reversed_receipts_bank_reference_may_be_recorded_again(world, commune_fund):
    wrong = _receive(world.commune_officer, commune_fund, 1_000_000, method=PaymentMethod.BANK_TRANSFER,
                     bank_reference="FT25290999999")
    services.posting_reverse(actor=world.district_member, posting=wrong.posting, reason="Sai số tiền",
                             happened_on=DAY)
    right = _receive(world.commune_officer, commune_fund, 1_500_000, method=PaymentMethod.BANK_TRANSFER,
                     bank_reference="FT25290999999")
    assert list(selectors.receipts_of_bank_references(commune_fund, ["FT25290999999"])) == [right]
    assert selectors.fund_balance(commune_fund) == 1_500_000


@pytest.mark.django_db(transaction=True)
def test_ten_clerks_recording_the_same_bank_transfer_at_once_record_it_once(world):
    fund = FundFactory(unit=world.commune)
    donor = DonorFactory(unit=world.commune)
    clerks = 10
    start = threading.Barrier(clerks)
    outcomes, errors = [], []

    def record():
        try:
            start.wait()
            services.receipt_record(actor=world.commune_officer, fund=fund, donor=donor, amount=200_000,
                                    happened_on=DAY, method=PaymentMethod.BANK_TRANSFER,
                                    bank_reference="FT25291000001")
            outcomes.append("recorded")
        except ValidationError as refused:
            outcomes.append(next(iter(refused.message_dict)))
        except Exception as error:  # anything but the refusal fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["bank_reference"] * (clerks - 1) + ["recorded"]
    assert selectors.fund_balance(fund) == 200_000


def test_text_too_long_or_an_unknown_earmark_is_refused_with_a_message_and_writes_nothing(world, commune_fund):
    _receive(world.commune_officer, commune_fund, 5_000_000)
    postings = Posting.objects.count()
    with pytest.raises(ValidationError) as refused:
        _receive(world.commune_officer, commune_fund, 1_000, note="x" * 501)
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _receive(world.commune_officer, commune_fund, 1_000, earmark="bridges")
    assert "earmark" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.decision_record(actor=world.commune_officer, fund=commune_fund, number="1/QĐ" + "9" * 80,
                                 decided_on=DAY, signer="Nguyễn Văn Tư", payments=[
                                     services.Payment(amount=1_000, purpose=Purpose.OTHER, description="Cầu")])
    assert "number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=1_000,
                                     happened_on=DAY, earmark="bridges")
    assert "earmark" in refused.value.message_dict
    assert Posting.objects.count() == postings and not SpendingDecision.objects.exists()
def test_a_receipt_settling_a_pledge_counts_for_the_pledge_s_campaign_though_none_was_chosen(world, district_fund,
                                                                                            campaign):
    """Settled pledges and money received are the campaign's two figures: a receipt that settles a
    pledge of the campaign is money received for it, whether or not the clerk chose the campaign."""
    donor = DonorFactory(unit=world.district)
    pledge = services.pledge_record(actor=world.district_member, campaign=campaign, donor=donor,
                                    amount=10_000_000, pledged_on=DAY)
    receipt = _receive(world.district_member, district_fund, 4_000_000, donor=donor, pledge=pledge)
    assert receipt.campaign == campaign
    assert services.pledge_outstanding(pledge) == 6_000_000
    assert selectors.campaign_progress(campaign).received == 4_000_000


def test_a_receipt_cannot_settle_a_pledge_the_officer_does_not_see(world, commune_fund, campaign):
    donor = DonorFactory(unit=world.commune)
    pledge = services.pledge_record(actor=world.district_member, campaign=campaign, donor=donor,
                                    amount=10_000_000, pledged_on=DAY)  # kept by the district
    with pytest.raises(Pledge.DoesNotExist):
        _receive(world.commune_officer, commune_fund, 4_000_000, donor=donor, campaign=campaign, pledge=pledge)
    assert not Receipt.objects.exists()


def test_money_given_to_an_earmarked_campaign_keeps_the_campaign_s_earmark(world, district_fund):
    """A disaster appeal's money is for disaster relief: a receipt for it left unrestricted takes
    the appeal's earmark (as the bank statement import does), and one for another earmark is
    refused, nothing written."""
    appeal = services.campaign_create(
        actor=world.district_member, kind=CampaignKind.DISASTER, name="Ủng hộ đồng bào bị bão số 3",
        code="BAO3", starts_on=DAY, ends_on=DAY, fund=district_fund, earmark=Earmark.DISASTER_RELIEF)
    receipt = _receive(world.district_member, district_fund, 3_000_000, campaign=appeal)
    assert receipt.earmark == Earmark.DISASTER_RELIEF
    assert selectors.earmark_balances(district_fund)[Earmark.DISASTER_RELIEF] == 3_000_000
    assert selectors.earmark_balances(district_fund)[Earmark.NONE] == 0

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _receive(world.district_member, district_fund, 1_000_000, campaign=appeal, earmark=Earmark.HOUSING)
    assert refused.value.message_dict["earmark"] == [
        "Money given to this campaign is for “Disaster relief”: the receipt keeps that earmark."]
    assert Receipt.objects.count() == 1

"""The funds' ledger (donations.services): postings that sum to zero, balances summed from their
lines, no earmark below zero, corrections only by reversal, and rows nobody can change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import translation

from donations import services
from donations.choices import Earmark, Party, PostingKind
from donations.models import Fund, LedgerChangeRefused, Posting, PostingLine
from donations.selectors import earmark_balances, fund_balance

from ..factories import CommuneFactory, ProvincialOfficerFactory, UserFactory
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 10, 20)


@pytest.fixture
def commune_fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo xã Thạnh Ngãi")


@pytest.fixture
def district_fund(world):
    return FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")


def _receive(world, fund, amount, earmark=Earmark.NONE):
    officer = world.commune_officer if fund.unit == world.commune else world.district_member
    return services.receipt_record(actor=officer, fund=fund, amount=amount, happened_on=DAY, earmark=earmark,
                                   donor=DonorFactory(unit=fund.unit)).posting


def test_receipts_disbursements_and_transfers_leave_balances_summed_from_their_lines(world, commune_fund,
                                                                                  district_fund):
    _receive(world, district_fund, 50_000_000)
    _receive(world, district_fund, 30_000_000, Earmark.HOUSING)
    services.transfer_record(actor=world.district_member, source=district_fund, destination=commune_fund,
                             amount=40_000_000, happened_on=DAY)
    services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=15_000_000,
                                 happened_on=DAY, recipient="Hộ ông Nguyễn Văn Nam")

    assert fund_balance(district_fund) == 40_000_000
    assert earmark_balances(district_fund)[Earmark.HOUSING] == 30_000_000
    assert earmark_balances(commune_fund) == {"none": 25_000_000, "housing": 0, "scholarships": 0,
                                              "tet_gifts": 0, "disaster_relief": 0}
    for posting in Posting.objects.all():
        assert sum(line.amount for line in posting.lines.all()) == 0
    assert sum(PostingLine.objects.values_list("amount", flat=True)) == 0


def test_paying_more_than_an_earmark_holds_is_refused_naming_the_balance_and_writes_nothing(world, commune_fund):
    _receive(world, commune_fund, 30_000_000)
    _receive(world, commune_fund, 5_000_000, Earmark.TET_GIFTS)
    postings = Posting.objects.count()

    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=6_000_000,
                                     happened_on=DAY, earmark=Earmark.TET_GIFTS)
    assert refused.value.message_dict["amount"] == [
        "Quỹ Vì người nghèo xã Thạnh Ngãi giữ 5.000.000 ₫ cho “Quà Tết”: không thể chi 6.000.000 ₫."]
    assert Posting.objects.count() == postings
    # Unrestricted money does not pay for an earmark, and the other way round.
    with pytest.raises(ValidationError):
        services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=30_000_001,
                                     happened_on=DAY)
    services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=5_000_000,
                                 happened_on=DAY, earmark=Earmark.TET_GIFTS)
    assert earmark_balances(commune_fund)[Earmark.TET_GIFTS] == 0


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100"])
def test_an_amount_that_is_not_a_positive_whole_number_of_dong_is_refused(world, commune_fund, amount):
    with pytest.raises(ValidationError) as refused:
        services.receipt_record(actor=world.commune_officer, fund=commune_fund, amount=amount, happened_on=DAY,
                                donor=DonorFactory(unit=world.commune))
    assert "amount" in refused.value.message_dict
    assert not Posting.objects.exists()


def test_only_the_officers_of_the_funds_unit_move_its_money(world, commune_fund, district_fund):
    for outsider in (world.district_member, world.provincial_officer, world.administrator,
                     UserFactory(unit=world.sibling_commune)):
        with pytest.raises(PermissionDenied):
            services.receipt_record(actor=outsider, fund=commune_fund, amount=1_000, happened_on=DAY,
                                    donor=DonorFactory(unit=world.commune))
    with pytest.raises(PermissionDenied):
        services.transfer_record(actor=world.commune_officer, source=district_fund, destination=commune_fund,
                                 amount=1, happened_on=DAY)
    assert not Posting.objects.exists()


def test_funds_are_seen_by_their_unit_and_the_units_above_not_below_or_beside(world, commune_fund, district_fund):
    sibling_fund = FundFactory(unit=world.sibling_commune)
    assert set(Fund.objects.visible_to(world.commune_officer)) == {commune_fund}
    assert set(Fund.objects.visible_to(world.district_member)) == {commune_fund, district_fund, sibling_fund}
    assert set(Fund.objects.visible_to(world.provincial_officer)) == {commune_fund, district_fund, sibling_fund}
    assert not Fund.objects.visible_to(UserFactory(unit=world.other_district_commune)).exists()


def test_money_moves_only_between_a_fund_and_one_above_or_below_it(world, commune_fund, district_fund):
    sibling_fund = FundFactory(unit=world.sibling_commune)
    _receive(world, commune_fund, 1_000_000)
    with pytest.raises(ValidationError) as refused:
        services.transfer_record(actor=world.commune_officer, source=commune_fund, destination=sibling_fund,
                                 amount=1_000, happened_on=DAY)
    assert "destination" in refused.value.message_dict
    # Up: a commune sends its collections to the district.
    services.transfer_record(actor=world.commune_officer, source=commune_fund, destination=district_fund,
                             amount=400_000, happened_on=DAY)
    assert (fund_balance(commune_fund), fund_balance(district_fund)) == (600_000, 400_000)


def test_a_posting_is_corrected_by_a_reversal_from_the_level_above_which_names_it_and_says_why(world,
                                                                                             commune_fund):
    receipt = _receive(world, commune_fund, 2_000_000)
    with pytest.raises(PermissionDenied):  # not the commune itself
        services.posting_reverse(actor=world.commune_officer, posting=receipt, reason="Nhập sai", happened_on=DAY)
    with pytest.raises(ValidationError):
        services.posting_reverse(actor=world.district_member, posting=receipt, reason=" ", happened_on=DAY)

    reversal = services.posting_reverse(actor=world.district_member, posting=receipt, reason="Nhập trùng phiếu",
                                        happened_on=DAY)

    assert (reversal.kind, reversal.reverses, reversal.reason) == (PostingKind.REVERSAL, receipt, "Nhập trùng phiếu")
    assert Posting.objects.get(pk=receipt.pk).reversed_by == reversal  # the reversed posting stays, marked
    assert fund_balance(commune_fund) == 0
    assert sorted(reversal.lines.values_list("party", "amount")) == [(Party.DONOR, 2_000_000),
                                                                     (Party.FUND, -2_000_000)]
    with pytest.raises(ValidationError):
        services.posting_reverse(actor=world.district_member, posting=receipt, reason="Lần nữa", happened_on=DAY)
    with pytest.raises(ValidationError):
        services.posting_reverse(actor=world.district_member, posting=reversal, reason="Hoàn tác", happened_on=DAY)


def test_the_level_above_is_the_one_that_approves_a_communes_houses_and_a_districts_province(world,
                                                                                             district_fund):
    # A commune of the post-2025 units has no district: its province corrects its postings.
    commune = CommuneFactory(parent=world.province, district=None, era="current")
    officer = UserFactory(unit=commune)
    fund = FundFactory(unit=commune)
    receipt = services.receipt_record(actor=officer, fund=fund, amount=500_000, happened_on=DAY,
                                      donor=DonorFactory(unit=commune)).posting
    for refused in (officer, world.district_member, ProvincialOfficerFactory(unit=world.other_province)):
        with pytest.raises(PermissionDenied):
            services.posting_reverse(actor=refused, posting=receipt, reason="Sai", happened_on=DAY)
    services.posting_reverse(actor=world.provincial_officer, posting=receipt, reason="Sai", happened_on=DAY)

    # A district's postings: its province's officers, not the district itself.
    district_receipt = _receive(world, district_fund, 700_000)
    with pytest.raises(PermissionDenied):
        services.posting_reverse(actor=world.district_member, posting=district_receipt, reason="Sai",
                                 happened_on=DAY)
    services.posting_reverse(actor=world.provincial_officer, posting=district_receipt, reason="Sai",
                             happened_on=DAY)
    assert (fund_balance(fund), fund_balance(district_fund)) == (0, 0)


def test_a_receipt_whose_money_was_spent_cannot_be_reversed(world, commune_fund):
    receipt = _receive(world, commune_fund, 1_000_000)
    services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=600_000, happened_on=DAY)
    with pytest.raises(ValidationError) as refused:
        services.posting_reverse(actor=world.district_member, posting=receipt, reason="Sai", happened_on=DAY)
    assert "400.000 ₫" in refused.value.message_dict["amount"][0]
    assert fund_balance(commune_fund) == 400_000


def test_the_model_layer_refuses_to_change_or_delete_a_ledger_row(world, commune_fund):
    posting = _receive(world, commune_fund, 1_000)
    line = posting.lines.first()
    line.amount = 2_000
    for attempt in (line.save, line.delete, posting.save, posting.delete,
                    lambda: PostingLine.objects.filter(pk=line.pk).update(amount=5),
                    lambda: PostingLine.objects.filter(pk=line.pk).delete(),
                    lambda: Posting.objects.all().delete()):
        with pytest.raises(LedgerChangeRefused):
            attempt()
    assert PostingLine.objects.get(pk=line.pk).amount == 1_000


@pytest.mark.parametrize("statement", [
    "UPDATE donations_postingline SET amount = amount + 1",
    "DELETE FROM donations_postingline",
    "UPDATE donations_posting SET description = 'sửa'",
    "DELETE FROM donations_posting",
    "UPDATE donations_receipt SET amount = 1",
    "DELETE FROM donations_trace",
])
def test_postgresql_refuses_sql_that_changes_or_deletes_ledger_rows(world, commune_fund, statement):
    posting = _receive(world, commune_fund, 1_000)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert posting.lines.get(party=Party.FUND).amount == 1_000

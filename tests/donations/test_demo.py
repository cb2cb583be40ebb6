"""The quick start's funds demo: Mỏ Cày Bắc's Funds for the Poor and its Month for the Poor 2025, a
ledger that balances, the campaign's figures, and this year's houses paid through the housing link."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Sum
from django.test import override_settings

from donations.choices import DonorKind, Earmark, FundKind, Party, PostingKind, Purpose
from donations.demo import PLEDGES
from donations.models import Campaign, Donor, Fund, Pledge, Posting, PostingLine, Receipt, SpendingDecision, Trace
from donations.selectors import campaign_progress, earmark_balances
from donations.services import pledge_outstanding
from donations.support.models import Recipient
from frontwelfare.accounts.models import User
from frontwelfare.demo import demo_load
from housing import services as housing_services
from housing.choices import CaseState, ProgrammeKind, Transition
from housing.models import HousingCase
from models_registry.models import Award


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real units and the whole demo, loaded once for this module in a transaction rolled back
    after it (each test runs in a savepoint inside it); its files go to a temporary folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), \
            transaction.atomic():
        call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
        demo_load()
        yield Fund.objects.get(unit__code="838", kind=FundKind.FOR_THE_POOR)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_district_and_each_of_its_communes_keep_a_fund_for_the_poor(demo):
    assert demo.name == "Quỹ Vì người nghèo huyện Mỏ Cày Bắc"
    communes = Fund.objects.filter(unit__district=demo.unit, unit__level="commune", kind=FundKind.FOR_THE_POOR)
    assert communes.count() == 13
    assert set(communes.filter(unit__code__in=["28915", "28889"]).values_list("name", flat=True)) == {
        "Quỹ Vì người nghèo thị trấn Phước Mỹ Trung", "Quỹ Vì người nghèo xã Phú Mỹ"}


@pytest.mark.django_db
def test_the_ledger_balances_every_posting_fund_and_earmark_and_its_traces(demo):
    assert not PostingLine.objects.values("posting").annotate(total=Sum("amount")).exclude(total=0).exists()
    assert PostingLine.objects.aggregate(total=Sum("amount"))["total"] == 0
    lines = {(row["fund"], row["earmark"]): row["total"] for row in PostingLine.objects.filter(party=Party.FUND)
             .values("fund", "earmark").annotate(total=Sum("amount"))}
    traces = {(row["fund"], row["earmark"]): row["total"] for row in Trace.objects.values("fund", "earmark")
              .annotate(total=Sum("amount"))}
    assert lines == traces
    assert min(lines.values()) >= 0
    # Every fund line is traced whole, to receipts.
    assert not PostingLine.objects.filter(party=Party.FUND).annotate(traced=Sum("traces__amount")) \
        .exclude(traced=F("amount")).exists()
    # Less the district's batches of support (donations.support.demo): its scholarships from
    # unrestricted money, its Tet gifts from the Tet-gift money; and the typical models' money awards
    # (models_registry.demo), from unrestricted money.
    batches = _support_batches_paid()
    awards = _model_awards_paid()
    assert awards == 5 * 2_000_000
    assert earmark_balances(demo) == {"none": 99_700_000 - batches["scholarship"] - awards, "housing": 120_000_000,
                                      "tet_gifts": 63_500_000 - batches["tet_gifts"], "scholarships": 0,
                                      "disaster_relief": 0}


@pytest.mark.django_db
def test_the_campaign_shows_its_target_pledges_money_received_and_spent_by_purpose(demo):
    campaign = Campaign.objects.get(code="VNN2025MCB")
    progress = campaign_progress(campaign)
    tet_gifts = PostingLine.objects.filter(party=Party.RECIPIENT, purpose=Purpose.TET_GIFTS).count()

    assert (campaign.name, campaign.unit, campaign.fund) == ("Tháng cao điểm Vì người nghèo 2025", demo.unit, demo)
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2025, 10, 17), datetime.date(2025, 11, 18))
    assert (progress.target, progress.pledged, progress.received) == (2_000_000_000, 1_400_000_000, 1_144_700_000)
    assert progress.received_share == 57
    assert tet_gifts > 20
    scholarships = 60_000_000 + _support_batches_paid()["scholarship"]  # the decision's, and the batch's
    awards = _model_awards_paid()  # the typical models' money awards, drawn on the campaign's receipts too
    assert progress.spent_by_purpose == {Purpose.HOUSING: 285_000_000, Purpose.COMMUNITY_WORK: 150_000_000,
                                         Purpose.SCHOLARSHIPS: scholarships, Purpose.TET_GIFTS: 500_000 * tet_gifts,
                                         Purpose.TYPICAL_MODELS: awards}
    assert progress.left == 1_144_700_000 - 435_000_000 - scholarships - 500_000 * tet_gifts - awards


def _model_awards_paid() -> int:
    """What the typical models' demo paid in money awards out of the district's fund."""
    return Award.objects.filter(fund__isnull=False).aggregate(total=Sum("amount"))["total"] or 0


def _support_batches_paid() -> dict[str, int]:
    """{kind code: what the demo's batches of support paid}."""
    paid = {"scholarship": 0, "tet_gifts": 0}
    for code, total in Recipient.objects.filter(line__isnull=False).values_list("batch__kind__code").annotate(
            total=Sum("value")):
        paid[code] = total
    return paid


@pytest.mark.django_db
def test_pledges_run_ahead_of_money_some_settled_in_part_or_not_at_all(demo):
    outstanding = {pledge.donor.name: pledge_outstanding(pledge) for pledge in Pledge.objects.select_related("donor")}

    assert sum(PLEDGES.values()) == 1_400_000_000
    assert outstanding["Công ty TNHH Thủy sản Nhuận Phú"] == 500_000_000
    assert outstanding["Công ty Cổ phần Vật liệu xây dựng Phước Mỹ"] == 100_000_000
    assert outstanding["Hội Liên hiệp Phụ nữ huyện Mỏ Cày Bắc"] == 15_000_000
    assert outstanding["Công ty TNHH Chế biến Dừa Thành Vinh"] == 0


@pytest.mark.django_db
def test_donors_of_every_kind_some_anonymous_and_agencies_with_soft_credits(demo):
    kinds = Counter(Donor.objects.values_list("kind", flat=True))
    assert {DonorKind.BUSINESS, DonorKind.ORGANISATION, DonorKind.MEMBER_ORGANISATION, DonorKind.AGENCY,
            DonorKind.INDIVIDUAL} <= set(kinds)
    assert Donor.objects.filter(anonymous=True).count() == 3
    for receipt in Receipt.objects.filter(donor__kind=DonorKind.AGENCY):
        assert receipt.soft_credits.count() >= 4
    transfers = Receipt.objects.filter(method="bank_transfer")
    assert transfers.count() == 9 and not transfers.filter(bank_reference="").exists()
    # Housing and Tet-gift money given for that purpose.
    assert set(Receipt.objects.values_list("earmark", flat=True)) == {Earmark.NONE, Earmark.HOUSING,
                                                                     Earmark.TET_GIFTS}


@pytest.mark.django_db
def test_receipts_are_numbered_per_fund_without_gaps_and_the_duplicate_is_reversed(demo):
    for fund_id in Receipt.objects.values_list("fund", flat=True).distinct():
        numbers = list(Receipt.objects.filter(fund=fund_id).order_by("sequence").values_list("sequence", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    reversal = Posting.objects.get(kind=PostingKind.REVERSAL)
    assert reversal.recorded_by.username == "demo.huyen"
    assert reversal.reverses.receipt.donor.name == "Huỳnh Thị Lan"
    assert Receipt.objects.filter(donor__name="Huỳnh Thị Lan").count() == 2


@pytest.mark.django_db
def test_this_years_started_houses_were_paid_through_the_housing_link_from_their_communes_fund(demo):
    started = HousingCase.objects.filter(programme__kind=ProgrammeKind.GREAT_SOLIDARITY, start_date__isnull=False)
    assert started.count() == 11
    for case in started.select_related("commune"):
        line = PostingLine.objects.select_related("posting", "fund").get(case=case, party=Party.FUND)
        assert (line.amount, line.fund.unit_id, line.purpose) == (-case.fund_for_the_poor, case.commune_id,
                                                                  Purpose.HOUSING)
        assert line.posting.happened_on == case.start_date
        assert line.posting.recorded_by.unit_id == case.commune_id
    # Nothing for the houses of the earlier programmes, built before the demo's campaign.
    assert not PostingLine.objects.filter(case__programme__kind=ProgrammeKind.MILITARY_CIVILIAN_TET).exists()


@pytest.mark.django_db
def test_an_approved_house_of_the_demo_can_start_and_is_paid(demo):
    case = HousingCase.objects.get(programme__kind=ProgrammeKind.GREAT_SOLIDARITY, state=CaseState.APPROVED,
                                   commune__code="28906")
    officer = User.objects.get(unit=case.commune, role="commune_officer")

    housing_services.case_advance(actor=officer, case=case, step=Transition.START,
                                  start_date=case.survey_date + datetime.timedelta(days=20))

    fund = Fund.objects.get(unit=case.commune)
    assert earmark_balances(fund)[Earmark.HOUSING] == 0
    assert PostingLine.objects.get(case=case, party=Party.FUND).amount == -30_000_000


@pytest.mark.django_db
def test_tet_gifts_are_decisions_of_the_demo_communes_paying_each_household(demo):
    decisions = SpendingDecision.objects.filter(earmark=Earmark.TET_GIFTS).select_related("fund__unit")
    assert {decision.fund.unit.code for decision in decisions} == {"28915", "28889"}
    for decision in decisions:
        paid = decision.posting.lines.filter(party=Party.RECIPIENT)
        assert paid.count() > 5
        assert set(paid.values_list("amount", flat=True)) == {500_000}
        assert paid.values("household").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
        assert not paid.exclude(household__commune=decision.fund.unit).exists()


@pytest.mark.django_db
def test_loading_the_demo_again_adds_nothing(demo):
    counts = (Fund.objects.count(), Posting.objects.count(), Donor.objects.count(), Pledge.objects.count())

    demo_load()

    assert (Fund.objects.count(), Posting.objects.count(), Donor.objects.count(), Pledge.objects.count()) == counts

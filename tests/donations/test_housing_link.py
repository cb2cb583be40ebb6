"""The housing link: when a house case with a Fund-for-the-Poor part in its plan starts construction,
that part is paid out of a Fund for the Poor (the commune's, or the programme's unit's), in the
step's transaction; a fund that cannot cover it refuses the step; the case page lists the payment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from donations import services
from donations.choices import Earmark, Party, PostingKind, Purpose
from donations.models import Posting, PostingLine, Trace
from donations.selectors import earmark_balances, fund_balance
from housing import services as housing_services
from housing.choices import CaseState, Transition
from housing.models import CaseTransition

from ..households.factories import HouseholdFactory
from ..housing.factories import ProgrammeFactory, case_in_state
from .factories import DonorFactory, FundFactory

START = datetime.date(2025, 5, 2)
GIVEN = datetime.date(2025, 4, 20)


@pytest.fixture
def programme(world):
    return ProgrammeFactory(unit=world.district, created_by=world.district_member, name="Nhà Đại đoàn kết 2025")


@pytest.fixture
def commune_fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn Phước Mỹ Trung")


@pytest.fixture
def district_fund(world):
    return FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")


def _receive(world, fund, amount, earmark=Earmark.NONE):
    officer = world.commune_officer if fund.unit == world.commune else world.district_member
    return services.receipt_record(actor=officer, fund=fund, amount=amount, happened_on=GIVEN, earmark=earmark,
                                   donor=DonorFactory(unit=fund.unit))


def _approved(world, programme, **plan):
    """An approved new house in the officer's commune; its plan has 20,000,000 ₫ from the Fund
    for the Poor unless ``plan`` says otherwise."""
    return case_in_state(CaseState.APPROVED, programme=programme, household=HouseholdFactory(commune=world.commune),
                         **plan)


def _start(world, case):
    return housing_services.case_advance(actor=world.commune_officer, case=case, step=Transition.START,
                                         start_date=START)


def test_starting_construction_pays_the_fund_part_from_the_communes_fund(world, programme, commune_fund,
                                                                         district_fund):
    receipt = _receive(world, commune_fund, 50_000_000)
    _receive(world, commune_fund, 10_000_000, Earmark.HOUSING)  # too little for the 20,000,000 alone
    _receive(world, district_fund, 90_000_000)
    case = _approved(world, programme)

    _start(world, case)

    case.refresh_from_db()
    assert case.state == CaseState.CONSTRUCTION_STARTED
    assert fund_balance(commune_fund) == 40_000_000
    assert earmark_balances(commune_fund)[Earmark.NONE] == 30_000_000  # unrestricted money paid it
    assert fund_balance(district_fund) == 90_000_000
    posting = Posting.objects.get(kind=PostingKind.DISBURSEMENT)
    assert (posting.unit, posting.happened_on, posting.recorded_by) == (world.commune, START, world.commune_officer)
    paid = posting.lines.get(party=Party.FUND)
    assert (paid.fund, paid.earmark, paid.amount) == (commune_fund, Earmark.NONE, -20_000_000)
    for line in posting.lines.all():
        assert (line.household, line.case, line.purpose) == (case.household, case, Purpose.HOUSING)
    assert sum(posting.lines.values_list("amount", flat=True)) == 0
    # The money is traced to the receipt it came from.
    assert list(Trace.objects.filter(line=paid).values_list("source", "amount")) == [
        (receipt.posting_id, -20_000_000)]


def test_housing_earmarked_money_pays_first_when_it_covers_the_part(world, programme, commune_fund):
    _receive(world, commune_fund, 50_000_000)
    _receive(world, commune_fund, 25_000_000, Earmark.HOUSING)

    _start(world, _approved(world, programme))

    assert earmark_balances(commune_fund)[Earmark.HOUSING] == 5_000_000
    assert earmark_balances(commune_fund)[Earmark.NONE] == 50_000_000


def test_a_fund_that_cannot_cover_the_part_refuses_the_step_naming_its_balances(world, programme, commune_fund):
    _receive(world, commune_fund, 15_000_000)
    _receive(world, commune_fund, 12_000_000, Earmark.HOUSING)  # 27,000,000 in all, but neither alone
    case = _approved(world, programme)
    steps = CaseTransition.objects.count()

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _start(world, case)

    assert refused.value.messages == [
        "Construction cannot start yet: Quỹ Vì người nghèo thị trấn Phước Mỹ Trung pays the Fund-for-the-Poor "
        "part of this house, 20.000.000 ₫, and holds 12.000.000 ₫ for housing and 15.000.000 ₫ unrestricted; "
        "neither covers it alone. Start construction once the fund holds the money (a transfer from the level "
        "above, or a receipt)."]
    case.refresh_from_db()
    assert (case.state, case.start_date) == (CaseState.APPROVED, None)
    assert CaseTransition.objects.count() == steps
    assert not Posting.objects.filter(kind=PostingKind.DISBURSEMENT).exists()
    assert fund_balance(commune_fund) == 27_000_000


def test_a_plan_without_a_fund_part_pays_nothing(world, programme, commune_fund):
    _receive(world, commune_fund, 50_000_000)
    case = _approved(world, programme, state_budget=60_000_000, fund_for_the_poor=0, family_amount=20_000_000)

    _start(world, case)

    case.refresh_from_db()
    assert case.state == CaseState.CONSTRUCTION_STARTED
    assert not PostingLine.objects.filter(case=case).exists()
    assert fund_balance(commune_fund) == 50_000_000


def test_without_a_commune_fund_the_programmes_unit_pays_on_the_approvals_authority(world, programme,
                                                                                    district_fund):
    _receive(world, district_fund, 30_000_000, Earmark.HOUSING)
    case = _approved(world, programme)

    _start(world, case)

    posting = Posting.objects.get(kind=PostingKind.DISBURSEMENT)
    # The district's posting (reversed by the level above it), recorded by the commune officer who
    # started construction.
    assert (posting.unit, posting.recorded_by) == (world.district, world.commune_officer)
    assert earmark_balances(district_fund)[Earmark.HOUSING] == 10_000_000
    assert posting.lines.get(party=Party.FUND).case == case


def test_without_any_fund_kept_here_the_house_starts_and_nothing_is_posted(world, programme):
    case = _approved(world, programme)

    _start(world, case)

    case.refresh_from_db()
    assert case.state == CaseState.CONSTRUCTION_STARTED
    assert not Posting.objects.exists()


def test_what_a_decision_already_paid_for_the_case_is_not_paid_twice(world, programme, commune_fund):
    _receive(world, commune_fund, 50_000_000)
    case = _approved(world, programme)
    services.decision_record(actor=world.commune_officer, fund=commune_fund, number="05/QĐ-MTTQ",
                             decided_on=GIVEN, signer="Nguyễn Văn An", payments=[services.Payment(
                                 amount=8_000_000, purpose=Purpose.HOUSING, household=case.household, case=case)])

    _start(world, case)

    paid = PostingLine.objects.filter(case=case, party=Party.FUND).order_by("pk")
    assert list(paid.values_list("amount", flat=True)) == [-8_000_000, -12_000_000]
    assert fund_balance(commune_fund) == 30_000_000


def test_the_case_page_lists_the_payment_and_a_refusal_shows_on_the_step_form(client, world, programme,
                                                                              commune_fund):
    _receive(world, commune_fund, 15_000_000)
    case = _approved(world, programme)
    client.force_login(world.commune_officer)
    client.cookies.load({"django_language": "en"})
    step = reverse("housing:case-step", args=[case.pk, Transition.START])

    refused = client.post(step, {"start_date": "2025-05-02", "note": ""})
    assert refused.status_code == 400
    assert "Construction cannot start yet" in refused.content.decode()
    assert "holds 0 ₫ for housing and 15.000.000 ₫ unrestricted" in refused.content.decode()

    _receive(world, commune_fund, 20_000_000, Earmark.HOUSING)
    assert client.post(step, {"start_date": "2025-05-02", "note": ""}).status_code == 302
    body = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()
    payments = body[body.index('data-testid="case-payments"'):]
    payments = payments[:payments.index("</table>")]
    assert "Paid from funds" in body
    assert payments.count('data-testid="case-payment"') == 1
    assert "02/05/2025" in payments
    assert "Quỹ Vì người nghèo thị trấn Phước Mỹ Trung" in payments
    assert "20.000.000 ₫" in payments


def test_a_reversed_payment_stays_listed_on_the_case_page_marked(client, world, programme, commune_fund):
    _receive(world, commune_fund, 30_000_000)
    case = _approved(world, programme)
    _start(world, case)
    services.posting_reverse(actor=world.district_member, posting=Posting.objects.get(kind=PostingKind.DISBURSEMENT),
                             reason="Nhập nhầm quỹ", happened_on=START)
    client.force_login(world.district_member)
    client.cookies.load({"django_language": "en"})

    body = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()

    assert body.count('data-testid="case-payment"') == 1
    assert "<s>20.000.000 ₫</s>" in body and "Reversed" in body
    assert fund_balance(commune_fund) == 30_000_000


def test_the_api_answers_a_refused_start_with_400_and_the_message(world, programme, commune_fund):
    case = _approved(world, programme)
    api = APIClient()
    api.force_login(world.commune_officer)
    api.cookies["django_language"] = "en"

    response = api.post(reverse("api:housing-case-start", args=[case.pk]), {"start_date": "2025-05-02"},
                        format="json")

    assert response.status_code == 400
    assert "Construction cannot start yet" in str(response.json())
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED


def test_starting_construction_with_a_payment_has_a_query_ceiling(world, programme, commune_fund,
                                                                  django_assert_max_num_queries):
    for _ in range(5):
        _receive(world, commune_fund, 10_000_000)
    case = _approved(world, programme)

    # The step's own (see tests/housing/test_write_queries.py), the fund looked up and locked, what
    # was paid for the case and what the fund holds read, the household, and the posting (the fund
    # locked again, its balance checked, the posting, its lines, the receipts drawn on, the traces),
    # whatever the number of receipts drawn on.
    with django_assert_max_num_queries(24):
        _start(world, case)
    assert list(PostingLine.objects.filter(case=case, party=Party.FUND).values_list("amount", flat=True)) == [
        -20_000_000]


def test_a_decision_cannot_name_a_house_case_for_another_household(world, programme, commune_fund):
    """What a fund paid for a case is deducted when its construction starts: a payment naming a
    case must pay that case's household, or the case's part would be short of what was counted as
    paid for it."""
    _receive(world, commune_fund, 50_000_000)
    case = _approved(world, programme)
    neighbour = HouseholdFactory(commune=world.commune)

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.decision_record(actor=world.commune_officer, fund=commune_fund, number="06/QĐ-MTTQ",
                                 decided_on=START, signer="Nguyễn Văn Ba", payments=[services.Payment(
                                     amount=8_000_000, purpose=Purpose.HOUSING, household=neighbour, case=case)])

    assert refused.value.message_dict == {"case": ["A payment for a house case pays the case's household."]}
    assert not PostingLine.objects.filter(case=case).exists()
    assert fund_balance(commune_fund) == 50_000_000

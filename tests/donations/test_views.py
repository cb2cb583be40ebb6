"""The money pages: funds (list with balances, a new fund, a fund's balance per earmark and its
entries), receipts, spending decisions, transfers and reversals — what they show, what they write
through donations.services, and what they refuse (with a message, writing nothing)."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from donations import services
from donations.choices import Earmark, FundKind, PostingKind, Purpose
from donations.models import Fund, Posting, PostingLine, Receipt, SpendingDecision
from donations.selectors import fund_balance

from ..factories import AdministratorFactory, CommuneFactory, CommuneOfficerFactory
from ..households.factories import HouseholdFactory
from ..scope_harness import element_texts
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 10, 20)


@pytest.fixture
def en(client):
    """Pages in English, so that tests read the source strings (Vietnamese is the default)."""
    client.cookies.load({"django_language": "en"})
    return client


@pytest.fixture
def commune_fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo TT Phước Mỹ Trung")


@pytest.fixture
def district_fund(world):
    return FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")


def _officer(world, fund):
    return {world.commune: world.commune_officer, world.district: world.district_member,
            world.province: world.provincial_officer}[fund.unit]


def _receive(world, fund, amount, *, earmark=Earmark.NONE, donor=None, on=DAY):
    return services.receipt_record(actor=_officer(world, fund), fund=fund, amount=amount, happened_on=on,
                                   earmark=earmark, donor=donor or DonorFactory(unit=fund.unit))


def _page(client, user, name, *args, data=None):
    client.force_login(user)
    response = client.get(reverse(name, args=args), data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _texts(body: str, testid: str) -> list[str]:
    """The text of each element marked ``data-testid=testid``, spaces collapsed."""
    return element_texts(body, data_testid=testid)


# -- funds ------------------------------------------------------------------------------------------


def test_fund_list_shows_each_visible_fund_with_its_balance(en, world, commune_fund, district_fund):
    _receive(world, commune_fund, 30_000_000)
    _receive(world, district_fund, 5_000_000)
    FundFactory(unit=world.sibling_commune, name="Quỹ xã Phú Mỹ")

    body = _page(en, world.district_member, "donations:fund-list")
    rows = _texts(body, "fund-row")
    assert any("TT Phước Mỹ Trung" in row and "30.000.000 ₫" in row for row in rows)
    assert any("huyện Mỏ Cày Bắc" in row and "5.000.000 ₫" in row for row in rows)

    officer_body = _page(en, world.commune_officer, "donations:fund-list")
    assert "TT Phước Mỹ Trung" in officer_body
    assert "huyện Mỏ Cày Bắc" not in officer_body and "Quỹ xã Phú Mỹ" not in officer_body


def test_fund_list_reads_balances_in_one_query_whatever_the_number_of_funds(
        client, world, django_assert_max_num_queries):
    for number in range(20):
        fund = FundFactory(unit=CommuneFactory(parent=world.district), name=f"Quỹ số {number:02d}")
        services.receipt_record(actor=CommuneOfficerFactory(unit=fund.unit), fund=fund,
                                donor=DonorFactory(unit=fund.unit), amount=1_000_000 + number, happened_on=DAY)
    client.force_login(world.district_member)

    with django_assert_max_num_queries(8):
        body = client.get(reverse("donations:fund-list")).content.decode()
    assert body.count('data-testid="fund-row"') == 20
    assert "1.000.019 ₫" in body


def test_commune_officer_creates_the_fund_for_the_poor_once(en, world):
    en.force_login(world.commune_officer)
    url = reverse("donations:fund-create")
    response = en.post(url, {"kind": FundKind.FOR_THE_POOR, "name": "Quỹ Vì người nghèo thị trấn"})
    fund = Fund.objects.get()
    assert response.url == reverse("donations:fund-detail", args=[fund.pk])
    assert (fund.unit, fund.kind) == (world.commune, FundKind.FOR_THE_POOR)

    again = en.post(url, {"kind": FundKind.FOR_THE_POOR, "name": "Quỹ thứ hai"})
    assert again.status_code == 400
    assert "already has its Fund for the Poor" in again.content.decode()
    assert Fund.objects.count() == 1

    relief = en.post(url, {"kind": FundKind.RELIEF, "name": "Quỹ cứu trợ thị trấn"})
    assert relief.status_code == 302
    assert Fund.objects.filter(unit=world.commune, kind=FundKind.RELIEF).exists()


def test_fund_with_no_name_is_refused_and_the_administrator_creates_none(en, world):
    en.force_login(world.district_member)
    response = en.post(reverse("donations:fund-create"), {"kind": FundKind.RELIEF, "name": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    en.force_login(AdministratorFactory())
    assert en.get(reverse("donations:fund-create")).status_code == 403
    assert not Fund.objects.exists()


def test_fund_page_shows_balance_per_earmark_entries_and_the_managers_actions(
        en, world, commune_fund, district_fund):
    donor = DonorFactory(unit=world.commune, name="Công ty TNHH Thành Đạt")
    receipt = _receive(world, commune_fund, 30_000_000, donor=donor)
    _receive(world, commune_fund, 5_000_000, earmark=Earmark.TET_GIFTS)
    household = HouseholdFactory(commune=world.commune, head_name="Lê Thị Hoa")
    services.decision_record(actor=world.commune_officer, fund=commune_fund, number="7/QĐ-MTTQ", decided_on=DAY,
                             signer="Trần Văn Bảy", earmark=Earmark.TET_GIFTS, payments=[services.Payment(
                                 amount=2_000_000, purpose=Purpose.TET_GIFTS, household=household)])
    services.transfer_record(actor=world.commune_officer, source=commune_fund, destination=district_fund,
                             amount=10_000_000, happened_on=DAY, description="Nộp lên huyện đợt 1")

    body = _page(en, world.commune_officer, "donations:fund-detail", commune_fund.pk)
    assert _texts(body, "fund-balance") == ["23.000.000 ₫"]
    earmarks = _texts(body, "earmark-balances")[0]
    assert "Unrestricted 20.000.000 ₫" in earmarks and "Tet gifts 3.000.000 ₫" in earmarks
    entries = _texts(body, "entry")
    assert len(entries) == 4
    assert any(receipt.number in entry and "Công ty TNHH Thành Đạt" in entry and "+30.000.000 ₫" in entry
               for entry in entries)
    assert any("7/QĐ-MTTQ" in entry and "Lê Thị Hoa" in entry and "-2.000.000 ₫" in entry for entry in entries)
    assert any("to Quỹ Vì người nghèo huyện Mỏ Cày Bắc" in entry and "-10.000.000 ₫" in entry
               for entry in entries)
    for action in ("record-receipt", "record-decision", "record-transfer"):
        assert f'data-testid="{action}"' in body

    seen_above = _page(en, world.district_member, "donations:fund-detail", commune_fund.pk)
    assert "23.000.000 ₫" in seen_above
    assert 'data-testid="fund-actions"' not in seen_above


def test_fund_page_filters_entries_and_reads_one_page_of_them(en, world, commune_fund,
                                                              django_assert_max_num_queries):
    for day in range(1, 61):
        _receive(world, commune_fund, 1_000 * day, on=datetime.date(2025, 3, 1) + datetime.timedelta(days=day))
    services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=500, happened_on=DAY,
                                 recipient="Cầu Ấp 3")
    en.force_login(world.district_member)
    url = reverse("donations:fund-detail", args=[commune_fund.pk])

    with django_assert_max_num_queries(12):
        body = en.get(url).content.decode()
    assert body.count('data-testid="entry"') == 50
    assert "Page 1 of 2" in body
    second = en.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="entry"') == 11

    disbursements = en.get(url, {"kind": PostingKind.DISBURSEMENT}).content.decode()
    assert disbursements.count('data-testid="entry"') == 1
    assert "Cầu Ấp 3" in disbursements
    early = en.get(url, {"happened_to": "05/03/2025"}).content.decode()
    assert early.count('data-testid="entry"') == 4  # 2, 3, 4 and 5 March


def test_fund_outside_the_viewers_scope_answers_404(client, world):
    sibling_fund = FundFactory(unit=world.sibling_commune)
    client.force_login(world.commune_officer)
    for name in ("donations:fund-detail", "donations:receipt-create", "donations:decision-create",
                 "donations:transfer-create"):
        assert client.get(reverse(name, args=[sibling_fund.pk])).status_code == 404, name


# -- receipts ---------------------------------------------------------------------------------------


def _receipt_form(donor, **overrides):
    return {"happened_on": "20/10/2025", "donor": donor.pk, "amount": "30.000.000", "method": "cash",
            "earmark": "none", "campaign": "", "pledge": "", "attached_documents": "1",
            "note": "Ủng hộ Quỹ Vì người nghèo", "soft_credits": "", **overrides}


def test_officer_records_a_receipt_and_is_sent_to_it(en, world, commune_fund):
    donor = DonorFactory(unit=world.commune, name="Hội Phụ nữ thị trấn")
    en.force_login(world.commune_officer)
    response = en.post(reverse("donations:receipt-create", args=[commune_fund.pk]), _receipt_form(
        donor, soft_credits="Nguyễn Thị Lan; 200.000\nTrần Văn Tư"))

    receipt = Receipt.objects.get()
    assert response.url == reverse("donations:receipt-detail", args=[receipt.pk])
    assert (receipt.number, receipt.amount, receipt.donor, receipt.happened_on) == (
        "PT-2025-000001", 30_000_000, donor, DAY)
    assert [(credit.name, credit.amount) for credit in receipt.soft_credits.order_by("pk")] == [
        ("Nguyễn Thị Lan", 200_000), ("Trần Văn Tư", None)]
    assert fund_balance(commune_fund) == 30_000_000

    body = en.get(response.url).content.decode()
    assert "PT-2025-000001" in body
    assert _texts(body, "receipt-amount") == ["30.000.000 ₫"]
    assert "Hội Phụ nữ thị trấn" in _texts(body, "receipt-donor")[0]
    assert "Nguyễn Thị Lan" in body


@pytest.mark.parametrize(("overrides", "message"), [
    ({"amount": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"amount": "ba triệu"}, "Enter a whole number of dong"),
    ({"amount": "30.000.000,5"}, "Enter a whole number of dong"),
    ({"method": "bank_transfer"}, "Enter the bank's reference of the transfer."),
    ({"method": "in_kind"}, "Describe the goods given"),
    ({"happened_on": "31/02/2025"}, "Enter a date that exists"),
    ({"soft_credits": "Nguyễn Thị Lan; hai trăm"}, "Line 1: the amount after the semicolon"),
])
def test_bad_receipt_is_refused_with_a_message_and_writes_nothing(en, world, commune_fund, overrides, message):
    en.force_login(world.commune_officer)
    response = en.post(reverse("donations:receipt-create", args=[commune_fund.pk]),
                       _receipt_form(DonorFactory(unit=world.commune), **overrides))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Receipt.objects.exists() and not Posting.objects.exists()


def test_receipt_form_offers_only_donors_and_campaigns_in_scope(en, world, commune_fund):
    DonorFactory(unit=world.commune, name="Công ty Ánh Dương")
    DonorFactory(unit=world.sibling_commune, name="Công ty Bên Cạnh")
    body = _page(en, world.commune_officer, "donations:receipt-create", commune_fund.pk)
    assert "Công ty Ánh Dương" in body and "Công ty Bên Cạnh" not in body

    response = en.post(reverse("donations:receipt-create", args=[commune_fund.pk]),
                       _receipt_form(DonorFactory(unit=world.sibling_commune)))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Receipt.objects.exists()


def test_a_reader_above_may_not_record_a_receipt(client, world, commune_fund):
    client.force_login(world.district_member)
    url = reverse("donations:receipt-create", args=[commune_fund.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _receipt_form(DonorFactory(unit=world.district))).status_code == 403
    assert not Receipt.objects.exists()


def test_receipt_trail_names_the_households_the_viewer_sees_and_counts_the_others(
        en, world, commune_fund, district_fund):
    """A commune's collections sent up to the district, which pays a household of another
    commune: the commune officer reads "1 other household", the district member its name."""
    receipt = _receive(world, commune_fund, 10_000_000)
    own = HouseholdFactory(commune=world.commune, head_name="Phạm Văn Mười")
    services.decision_record(actor=world.commune_officer, fund=commune_fund, number="1/QĐ", decided_on=DAY,
                             signer="Trần Văn Bảy", payments=[services.Payment(
                                 amount=1_000_000, purpose=Purpose.TET_GIFTS, household=own)])
    services.transfer_record(actor=world.commune_officer, source=commune_fund, destination=district_fund,
                             amount=6_000_000, happened_on=DAY)
    elsewhere = HouseholdFactory(commune=world.sibling_commune, head_name="Võ Thị Xa")
    services.decision_record(actor=world.district_member, fund=district_fund, number="2/QĐ", decided_on=DAY,
                             signer="Lê Văn Huyện", payments=[services.Payment(
                                 amount=4_000_000, purpose=Purpose.HOUSING, household=elsewhere)])

    body = _page(en, world.commune_officer, "donations:receipt-detail", receipt.pk)
    trail = " ".join(_texts(body, "trail-row"))
    assert "Phạm Văn Mười" in trail and "1.000.000 ₫" in trail
    assert "Võ Thị Xa" not in body
    assert _texts(body, "trail-hidden") == ["1 other household 4.000.000 ₫"]
    held = _texts(body, "trail-held")[0]
    assert "TT Phước Mỹ Trung" in held and "3.000.000 ₫" in held and "2.000.000 ₫" in held

    above = _page(en, world.district_member, "donations:receipt-detail", receipt.pk)
    assert "Võ Thị Xa" in above and 'data-testid="trail-hidden"' not in above


def test_receipt_list_filters_and_has_a_query_ceiling(client, world, commune_fund, django_assert_max_num_queries):
    for number in range(30):
        _receive(world, commune_fund, 100_000 + number, donor=DonorFactory(unit=world.commune,
                                                                           name=f"Nhà hảo tâm {number:02d}"))
    client.force_login(world.district_member)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("donations:receipt-list")).content.decode()
    assert len(re.findall(r'href="/funds/receipts/\d+/"', body)) == 30
    found = client.get(reverse("donations:receipt-list"), {"q": "PT-2025-000007"}).content.decode()
    assert len(re.findall(r'href="/funds/receipts/\d+/"', found)) == 1
    assert "Nhà hảo tâm 06" in found


# -- decisions ----------------------------------------------------------------------------------------


def _decision_form(*lines, number="15/QĐ-MTTQ", earmark="none"):
    data = {"number": number, "decided_on": "20/10/2025", "signer": "Trần Văn Bảy", "earmark": earmark,
            "lines-TOTAL_FORMS": str(len(lines) + 1), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "100"}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{name}": value for name, value in line.items()})
    return data


def test_officer_records_a_decision_of_several_lines(en, world, commune_fund, district_fund):
    _receive(world, commune_fund, 50_000_000)
    household = HouseholdFactory(commune=world.commune, head_name="Đỗ Văn Khánh")
    en.force_login(world.commune_officer)
    response = en.post(reverse("donations:decision-create", args=[commune_fund.pk]), _decision_form(
        {"amount": "3.000.000", "purpose": "tet_gifts", "household": household.code},
        {"amount": "20.000.000", "purpose": "community_work", "description": "Cầu bê tông Ấp 2, xã Phước Mỹ Trung"},
        {"amount": "5.000.000", "destination": str(district_fund.pk)},
    ))

    decision = SpendingDecision.objects.get()
    assert response.url == reverse("donations:decision-detail", args=[decision.pk])
    assert fund_balance(commune_fund) == 22_000_000
    assert fund_balance(district_fund) == 5_000_000
    assert PostingLine.objects.get(household=household, fund__isnull=True).amount == 3_000_000

    body = en.get(response.url).content.decode()
    assert "15/QĐ-MTTQ" in body and "Trần Văn Bảy" in body
    lines = _texts(body, "payment-line")
    assert any("Đỗ Văn Khánh" in line and "Tet and occasion gifts" in line and "3.000.000 ₫" in line
               for line in lines)
    assert any("Cầu bê tông Ấp 2" in line and "Community works" in line for line in lines)
    assert any("Into fund Quỹ Vì người nghèo huyện Mỏ Cày Bắc" in line for line in lines)
    assert _texts(body, "decision-total") == ["28.000.000 ₫"]


def test_overdraft_is_refused_naming_the_balance_and_nothing_is_written(en, world, commune_fund):
    _receive(world, commune_fund, 1_000_000)
    en.force_login(world.commune_officer)
    response = en.post(reverse("donations:decision-create", args=[commune_fund.pk]), _decision_form(
        {"amount": "2.000.000", "purpose": "other", "description": "Hộ khó khăn"}))
    assert response.status_code == 400
    assert "holds 1.000.000 ₫ for “Unrestricted”: it cannot pay out 2.000.000 ₫" in response.content.decode()
    assert not SpendingDecision.objects.exists()
    assert Posting.objects.count() == 1


@pytest.mark.parametrize(("line", "message"), [
    ({"amount": "0", "purpose": "other", "description": "Giếng nước"}, "greater than or equal to 1"),
    ({"amount": "mười", "purpose": "other", "description": "Giếng nước"}, "Enter a whole number of dong"),
    ({"amount": "1.000", "purpose": "", "description": "Giếng nước"}, "Choose what the money is spent on."),
    ({"amount": "", "purpose": "other", "description": "Giếng nước"}, "Enter the amount of this line."),
    ({"amount": "1.000", "purpose": "other"}, "Say who or what is paid"),
    ({"amount": "1.000", "purpose": "other", "household": "KHONG-CO"}, "No household of code KHONG-CO"),
])
def test_bad_decision_line_is_refused_with_a_message_and_writes_nothing(en, world, commune_fund, line, message):
    _receive(world, commune_fund, 1_000_000)
    en.force_login(world.commune_officer)
    response = en.post(reverse("donations:decision-create", args=[commune_fund.pk]), _decision_form(line))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SpendingDecision.objects.exists()


def test_decision_without_lines_or_for_a_household_elsewhere_is_refused(en, world, commune_fund):
    _receive(world, commune_fund, 1_000_000)
    elsewhere = HouseholdFactory(commune=world.sibling_commune, head_name="Hồ Văn Xa")
    en.force_login(world.commune_officer)
    url = reverse("donations:decision-create", args=[commune_fund.pk])
    empty = en.post(url, _decision_form())
    assert empty.status_code == 400 and "A decision pays at least one line." in empty.content.decode()
    other = en.post(url, _decision_form({"amount": "1.000", "purpose": "other", "household": elsewhere.code}))
    assert other.status_code == 400
    assert "Hồ Văn Xa" not in other.content.decode()
    assert not SpendingDecision.objects.exists()


def test_decision_form_suggests_the_units_households_and_finds_them(en, world, commune_fund):
    own = HouseholdFactory(commune=world.commune, head_name="Nguyễn Thị Gần")
    HouseholdFactory(commune=world.sibling_commune, head_name="Nguyễn Thị Xa")
    body = _page(en, world.commune_officer, "donations:decision-create", commune_fund.pk)
    assert f'<option value="{own.code}">Nguyễn Thị Gần' in body and "Nguyễn Thị Xa" not in body
    assert body.count('data-testid="payment-line-form"') == 3

    found = en.get(reverse("donations:decision-create", args=[commune_fund.pk]), {"find": "nguyen thi"},
                   HTTP_HX_REQUEST="true").content.decode()
    assert own.code in found and "Nguyễn Thị Xa" not in found

    row = en.get(reverse("donations:decision-create", args=[commune_fund.pk]),
                 {"add_line": "1", "lines-TOTAL_FORMS": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="lines-3-amount"' in row
    assert 'id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in row and 'value="4"' in row


def test_decision_list_and_page_have_query_ceilings(client, world, commune_fund, django_assert_max_num_queries):
    _receive(world, commune_fund, 100_000_000)
    for number in range(25):
        services.decision_record(
            actor=world.commune_officer, fund=commune_fund, number=f"{number}/QĐ", decided_on=DAY, signer="Bảy",
            payments=[services.Payment(amount=1_000 * (number + 1), purpose=Purpose.TET_GIFTS,
                                       household=HouseholdFactory(commune=world.commune)),
                      services.Payment(amount=500, purpose=Purpose.OTHER, description="Giếng nước")])
    client.force_login(world.district_member)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("donations:decision-list")).content.decode()
    assert len(re.findall(r'href="/funds/decisions/\d+/"', body)) == 25
    assert "25.500 ₫" in body  # the 25th decision: 25.000 + 500

    decision = SpendingDecision.objects.get(number="3/QĐ")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("donations:decision-detail", args=[decision.pk])).content.decode()
    assert page.count('data-testid="payment-line"') == 2


# -- transfers and reversals -----------------------------------------------------------------------------


def test_district_member_passes_money_down_and_an_overdraft_is_refused(en, world, commune_fund, district_fund):
    _receive(world, district_fund, 50_000_000)
    en.force_login(world.district_member)
    url = reverse("donations:transfer-create", args=[district_fund.pk])
    body = en.get(url).content.decode()
    assert commune_fund.name in body and "50.000.000 ₫" in body

    too_much = en.post(url, {"destination": commune_fund.pk, "amount": "60.000.000", "happened_on": "20/10/2025",
                             "earmark": "none"})
    assert too_much.status_code == 400
    assert "holds 50.000.000 ₫" in too_much.content.decode()
    assert Posting.objects.filter(kind=PostingKind.TRANSFER).count() == 0

    done = en.post(url, {"destination": commune_fund.pk, "amount": "20.000.000", "happened_on": "20/10/2025",
                         "earmark": "none", "description": "Phân bổ đợt 1"})
    assert done.url == reverse("donations:fund-detail", args=[district_fund.pk])
    assert (fund_balance(district_fund), fund_balance(commune_fund)) == (30_000_000, 20_000_000)


def test_district_member_reverses_a_communes_receipt_which_stays_marked(en, world, commune_fund):
    receipt = _receive(world, commune_fund, 7_000_000)
    officer_view = _page(en, world.commune_officer, "donations:receipt-detail", receipt.pk)
    assert 'data-testid="reverse-link"' not in officer_view
    assert en.get(reverse("donations:posting-reverse", args=[receipt.posting_id])).status_code == 403

    member_view = _page(en, world.district_member, "donations:receipt-detail", receipt.pk)
    assert 'data-testid="reverse-link"' in member_view
    url = reverse("donations:posting-reverse", args=[receipt.posting_id])
    assert receipt.number in en.get(url).content.decode()
    refused = en.post(url, {"reason": "", "happened_on": "21/10/2025"})
    assert refused.status_code == 400 and not Posting.objects.filter(reverses=receipt.posting).exists()

    response = en.post(url, {"reason": "Nhập trùng phiếu thu", "happened_on": "21/10/2025"})
    assert response.url == reverse("donations:receipt-detail", args=[receipt.pk])
    assert fund_balance(commune_fund) == 0
    assert Receipt.objects.filter(pk=receipt.pk).exists()

    for user in (world.commune_officer, world.district_member):
        body = _page(en, user, "donations:receipt-detail", receipt.pk)
        note = _texts(body, "reversed")
        assert note == ["Reversed"]
        assert f"by {world.district_member.get_full_name()} on 21/10/2025: Nhập trùng phiếu thu" in " ".join(
            element_texts(body, "div"))
        assert 'data-testid="reverse-link"' not in body
    fund_page = _page(en, world.commune_officer, "donations:fund-detail", commune_fund.pk)
    assert fund_page.count('data-testid="reversed"') == 1  # the receipt's line; its reversal is the other entry
    assert any(f"Correction of {receipt.number} : Nhập trùng phiếu thu" in entry and "-7.000.000 ₫" in entry
               for entry in _texts(fund_page, "entry"))


def test_top_menu_leads_to_the_funds(en, world):
    body = _page(en, world.commune_officer, "home")
    assert f'href="{reverse("donations:fund-list")}" data-testid="nav-funds"' in body


def test_filters_typed_wrong_are_answered_without_an_error(client, world, commune_fund):
    _receive(world, commune_fund, 5_000)
    client.force_login(world.district_member)
    fund_page = client.get(reverse("donations:fund-detail", args=[commune_fund.pk]),
                           {"happened_from": "hôm qua", "kind": "zzz", "page": "x"})
    assert fund_page.status_code == 200
    assert fund_page.content.decode().count('data-testid="entry"') == 1
    for name, data in (("donations:receipt-list", {"happened_from": "31/02/2025", "fund": "abc"}),
                       ("donations:decision-list", {"year": "abc"}), ("donations:fund-list", {"unit": "abc"})):
        assert client.get(reverse(name), data).status_code == 200, name

"""The public disclosure pages (donations.views.public): open without signing in, the money of a
unit's funds and of a campaign, searchable by receipt number or bank reference, and nothing of
the people helped (Law 91/2025/QH15)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from donations import services
from donations.choices import CampaignKind, DonorKind, MemberOrganisation, PaymentMethod, Purpose
from donations.disclosure import SMALL_COUNT, protected_counts, small_count
from donations.services import Payment
from frontwelfare.areas.choices import Era

from ..factories import CommuneFactory, CommuneOfficerFactory, ProvinceFactory
from ..households.factories import HouseholdFactory, MemberFactory
from ..scope_harness import element_texts, figure
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 10, 20)
LATER = datetime.date(2025, 11, 20)
# A work's description written with a family's name in it: it must not be published either.
NAMED_WORK = "Sửa nhà bà Võ Thị Riêng Tư, ấp Phước Hậu"


def english(client):
    client.cookies.load({"django_language": "en"})
    return client


def _households(commune, count, prefix):
    """``count`` households of ``commune``, each with a head and one more member, and an address
    of its own."""
    households = []
    for index in range(count):
        household = HouseholdFactory(commune=commune, head_name=f"{prefix} Chủ Hộ Số {index}",
                                     address=f"{index + 40} đường {prefix}")
        MemberFactory(household=household, full_name=f"{prefix} Con Số {index}")
        households.append(household)
    return households


@pytest.fixture
def ledger(world):
    """The Fund for the Poor of the district and of two of its communes, a campaign of the
    district's, donors of every kind (one anonymous), receipts, a transfer down, and payments to
    three households of the commune and six of its sibling (whose officer records them)."""
    sibling_officer = CommuneOfficerFactory(unit=world.sibling_commune)
    district_fund = FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")
    commune_fund = FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn Phước Mỹ Trung")
    sibling_fund = FundFactory(unit=world.sibling_commune, name="Quỹ Vì người nghèo xã Phú Mỹ")
    campaign = services.campaign_create(
        actor=world.district_member, kind=CampaignKind.MONTH_FOR_THE_POOR, name="Tháng cao điểm Vì người nghèo 2025",
        code="VNN2025", starts_on=datetime.date(2025, 10, 17), ends_on=datetime.date(2025, 11, 18),
        target=500_000_000, fund=district_fund)

    business = DonorFactory(unit=world.district, kind=DonorKind.BUSINESS, name="Công ty TNHH Dừa Xanh Bến Tre")
    red_cross = DonorFactory(unit=world.district, kind=DonorKind.MEMBER_ORGANISATION,
                             member_organisation=MemberOrganisation.RED_CROSS, name="Hội Chữ thập đỏ huyện")
    named = DonorFactory(unit=world.district, kind=DonorKind.INDIVIDUAL, name="Lê Văn Hảo Tâm",
                         phone="0912345678", address="7 ấp Tân Hưng")
    anonymous = DonorFactory(unit=world.district, kind=DonorKind.INDIVIDUAL, name="Phạm Thị Kín Đáo",
                             anonymous=True, phone="0987654321")
    services.pledge_record(actor=world.district_member, campaign=campaign, donor=business, amount=300_000_000,
                           pledged_on=DAY)
    by_bank = services.receipt_record(actor=world.district_member, fund=district_fund, donor=business,
                                      amount=200_000_000, happened_on=DAY, campaign=campaign,
                                      method=PaymentMethod.BANK_TRANSFER, bank_reference="FT25293000111")
    services.receipt_record(actor=world.district_member, fund=district_fund, donor=red_cross, amount=30_000_000,
                            happened_on=DAY, campaign=campaign)
    services.receipt_record(actor=world.district_member, fund=district_fund, donor=named, amount=5_000_000,
                            happened_on=DAY, campaign=campaign)
    services.receipt_record(actor=world.district_member, fund=district_fund, donor=anonymous, amount=7_000_000,
                            happened_on=DAY, campaign=campaign, note="Bà Kín Đáo gửi tại trụ sở")
    mistaken = services.receipt_record(actor=world.district_member, fund=district_fund, donor=named, amount=1_000,
                                       happened_on=DAY, campaign=campaign)
    services.posting_reverse(actor=world.provincial_officer, posting=mistaken.posting, reason="Ghi nhầm",
                             happened_on=DAY)
    commune_donor = DonorFactory(unit=world.commune, kind=DonorKind.INDIVIDUAL, name="Đỗ Văn Xã Viên")
    own = services.receipt_record(actor=world.commune_officer, fund=commune_fund, donor=commune_donor,
                                  amount=4_000_000, happened_on=DAY, method=PaymentMethod.BANK_TRANSFER,
                                  bank_reference="FT25293999999")

    services.transfer_record(actor=world.district_member, source=district_fund, destination=commune_fund,
                             amount=60_000_000, happened_on=DAY)
    services.transfer_record(actor=world.district_member, source=district_fund, destination=sibling_fund,
                             amount=90_000_000, happened_on=DAY)
    helped = _households(world.commune, 3, "Nguyễn Thị")
    sibling_helped = _households(world.sibling_commune, 6, "Huỳnh Văn")
    services.decision_record(actor=world.commune_officer, fund=commune_fund, number="05/QĐ-MTTQ", decided_on=LATER,
                             signer="Trần Văn Chủ Tịch", payments=[
                                 *(Payment(amount=10_000_000, purpose=Purpose.HOUSING, household=household,
                                           description=f"Hỗ trợ {household.head_name}") for household in helped),
                                 Payment(amount=2_000_000, purpose=Purpose.COMMUNITY_WORK, description=NAMED_WORK),
                             ])
    services.decision_record(actor=sibling_officer, fund=sibling_fund, number="07/QĐ-MTTQ", decided_on=LATER,
                             signer="Lê Văn Chủ Tịch", payments=[
                                 Payment(amount=1_500_000, purpose=Purpose.TET_GIFTS, household=household)
                                 for household in sibling_helped])
    return {"campaign": campaign, "helped": helped + sibling_helped, "by_bank": by_bank, "own": own,
            "anonymous": anonymous, "named": named, "mistaken": mistaken, "district_fund": district_fund}


def _main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), flags=re.S).group(0)


def _personal_data(households) -> list[str]:
    """Everything of the households that would identify someone."""
    found = []
    for household in households:
        found += [household.code, household.address, household.head_name]
        for member in household.members.all():
            found += [member.full_name, member.citizen_id]
    return found


def _pages(client, world, ledger):
    """Every public page the ledger shows on, and a search that finds a receipt."""
    urls = [reverse("disclosure:unit", args=[unit.pk])
            for unit in (world.province, world.district, world.commune, world.sibling_commune)]
    urls += [reverse("disclosure:campaign", args=["VNN2025"]),
             reverse("disclosure:unit-receipts", args=[world.district.pk]) + "?q=FT25293000111",
             reverse("disclosure:campaign-receipts", args=["VNN2025"]) + "?q=" + ledger["by_bank"].number]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_no_page_publishes_anything_of_the_households_helped(client, world, ledger):
    personal = _personal_data(ledger["helped"])
    assert len(personal) == 9 * 7  # code, address, and the head and one more member: name and ID each
    for language in ("vi", "en"):
        client.cookies.load({"django_language": language})
        for url, html in _pages(client, world, ledger).items():
            for text in personal:
                assert text not in html, f"{url} publishes {text!r}"
            # Nor the descriptions written on the payments, nor anything of the anonymous donor.
            assert "Riêng Tư" not in html and "Hỗ trợ" not in html, url
            assert "Kín Đáo" not in html and "0987654321" not in html, url
            # The donors' phones and addresses are not published either.
            assert "0912345678" not in html and "7 ấp Tân Hưng" not in html, url


def test_district_page_shows_its_money_by_donor_by_purpose_and_by_commune(client, world, ledger):
    html = english(client).get(reverse("disclosure:unit", args=[world.district.pk])).content.decode()

    assert element_texts(html, data_testid="received") == ["246.000.000 ₫"]  # the commune's 4 million too
    assert element_texts(html, data_testid="spent") == ["41.000.000 ₫"]
    assert element_texts(html, data_testid="balance") == ["205.000.000 ₫"]
    assert element_texts(html, data_testid="households") == ["9"]
    donors = element_texts(html, "tr", data_testid="donor-row")
    assert donors == [
        "1 Công ty TNHH Dừa Xanh Bến Tre Business 1 200.000.000 ₫",
        "2 Hội Chữ thập đỏ huyện Member organisation of the Front 1 30.000.000 ₫",
        "3 An anonymous donor Individual 1 7.000.000 ₫",
        "4 Lê Văn Hảo Tâm Individual 1 5.000.000 ₫",  # the reversed receipt is not counted
        "5 Đỗ Văn Xã Viên Individual 1 4.000.000 ₫",
    ]
    assert element_texts(html, "table", data_testid="purposes-table") == [
        "Purpose Amount Houses for the poor 30.000.000 ₫ Tet and occasion gifts 9.000.000 ₫ "
        "Community works 2.000.000 ₫ Total 41.000.000 ₫"]
    # The unit's own funds, then the communes by code; the commune's 3 households are "< 5", and so
    # that they cannot be worked out as 9 less 6, its sibling's 6 are "≥ 5".
    assert element_texts(html, "tr", data_testid="unit-row") == [
        "Huyện Mỏ Cày Bắc (its own funds) 242.000.000 ₫ 0 ₫ 0 92.000.000 ₫",
        "Xã Phú Mỹ 0 ₫ 9.000.000 ₫ ≥ 5 81.000.000 ₫",
        "Thị trấn Phước Mỹ Trung 4.000.000 ₫ 32.000.000 ₫ < 5 32.000.000 ₫",
    ]
    assert element_texts(html, data_testid="total-households") == ["9"]
    assert "Tháng cao điểm Vì người nghèo 2025" in element_texts(html, "table", data_testid="campaigns-table")[0]


def test_province_page_counts_each_commune_under_its_district(client, world, ledger):
    html = english(client).get(reverse("disclosure:unit", args=[world.province.pk])).content.decode()

    assert element_texts(html, "tr", data_testid="unit-row") == [
        "Tỉnh Bến Tre (its own funds) 0 ₫ 0 ₫ 0 0 ₫",
        "Huyện Châu Thành 0 ₫ 0 ₫ 0 0 ₫",
        "Huyện Mỏ Cày Bắc 246.000.000 ₫ 41.000.000 ₫ 9 205.000.000 ₫",
    ]
    assert element_texts(html, data_testid="balance") == ["205.000.000 ₫"]
    assert len(element_texts(html, "tr", data_testid="donor-row")) == 5


def test_province_after_the_2025_reform_counts_its_communes_directly(client, world):
    province = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Vĩnh Long", code="86")
    commune = CommuneFactory(era=Era.CURRENT, parent=province, district=None, province=province,
                             name="Xã Mỏ Cày", code="29100")
    officer = CommuneOfficerFactory(unit=commune)
    fund = FundFactory(unit=commune, name="Quỹ Vì người nghèo xã Mỏ Cày")
    services.receipt_record(actor=officer, fund=fund, amount=8_000_000, happened_on=DAY,
                            donor=DonorFactory(unit=commune, name="Hợp tác xã Dừa Mỏ Cày"))
    household = HouseholdFactory(commune=commune)
    services.decision_record(actor=officer, fund=fund, number="01/QĐ-MTTQ", decided_on=LATER, signer="Chủ tịch",
                             payments=[Payment(amount=3_000_000, purpose=Purpose.TET_GIFTS, household=household)])

    html = english(client).get(reverse("disclosure:unit", args=[province.pk])).content.decode()
    assert element_texts(html, "tr", data_testid="unit-row") == [
        "Tỉnh Vĩnh Long (its own funds) 0 ₫ 0 ₫ 0 0 ₫",
        "Xã Mỏ Cày 8.000.000 ₫ 3.000.000 ₫ < 5 5.000.000 ₫",
    ]
    assert element_texts(html, data_testid="households") == ["< 5"]
    assert household.head_name not in html and household.code not in html


def test_commune_page_shows_a_count_of_households_under_5_as_under_5(client, world, ledger):
    html = english(client).get(reverse("disclosure:unit", args=[world.commune.pk])).content.decode()

    assert element_texts(html, data_testid="households") == ["< 5"]
    assert element_texts(html, data_testid="received") == ["4.000.000 ₫"]
    assert element_texts(html, data_testid="spent") == ["32.000.000 ₫"]
    assert element_texts(html, data_testid="balance") == ["32.000.000 ₫"]
    # The 60 million passed down by the district.
    assert "60.000.000 ₫" in element_texts(html, data_testid="moved")[0]
    assert element_texts(html, "tr", data_testid="donor-row") == ["1 Đỗ Văn Xã Viên Individual 1 4.000.000 ₫"]
    assert not element_texts(html, "table", data_testid="units-table")


def test_campaign_page_shows_target_pledged_received_spent_and_its_donors(client, world, ledger):
    html = english(client).get(reverse("disclosure:campaign", args=["vnn2025"])).content.decode()

    assert element_texts(html, data_testid="disclosure-title") == ["Tháng cao điểm Vì người nghèo 2025"]
    assert element_texts(html, data_testid="target") == ["500.000.000 ₫"]
    assert element_texts(html, data_testid="pledged") == ["300.000.000 ₫"]
    assert element_texts(html, data_testid="received") == ["242.000.000 ₫"]
    # The campaign's money passed down to the communes and spent there: traced.
    assert element_texts(html, data_testid="spent") == ["41.000.000 ₫"]
    assert element_texts(html, data_testid="left") == ["201.000.000 ₫"]
    assert element_texts(html, data_testid="households") == ["9"]
    assert element_texts(html, "tr", data_testid="unit-row") == [
        "Xã Phú Mỹ 9.000.000 ₫ ≥ 5", "Thị trấn Phước Mỹ Trung 32.000.000 ₫ < 5"]
    assert [row.split(" ₫")[0] for row in element_texts(html, "tr", data_testid="donor-row")] == [
        "1 Công ty TNHH Dừa Xanh Bến Tre Business 1 200.000.000",
        "2 Hội Chữ thập đỏ huyện Member organisation of the Front 1 30.000.000",
        "3 An anonymous donor Individual 1 7.000.000",
        "4 Lê Văn Hảo Tâm Individual 1 5.000.000",
    ]


def test_anonymous_donor_is_published_as_such_in_vietnamese_too(client, world, ledger):
    client.cookies.load({"django_language": "vi"})
    html = client.get(reverse("disclosure:campaign", args=["VNN2025"])).content.decode()
    with translation.override("vi"):
        expected = gettext("An anonymous donor")
    assert re.findall(r'data-anonymous="true">([^<]*)<', html) == [expected]


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (12, "12")])
def test_a_count_of_households_under_5_is_published_as_under_5(count, shown):
    assert small_count(count) == shown


def test_a_single_hidden_count_hides_the_smallest_other_so_it_cannot_be_worked_out_from_the_total():
    assert protected_counts({"a": 3, "b": 6, "c": 40, "d": 0}, 49) == (
        {"a": "< 5", "b": f"≥ {SMALL_COUNT}", "c": "40", "d": "0"}, "49")
    # Two hidden ones: only their sum can be worked out.
    assert protected_counts({"a": 3, "b": 2, "c": 40}, 45) == ({"a": "< 5", "b": "< 5", "c": "40"}, "45")
    assert protected_counts({"a": 3}, 3) == ({"a": "< 5"}, "< 5")


def test_search_finds_a_receipt_by_its_number_and_by_its_bank_reference(client, world, ledger):
    by_bank, own = ledger["by_bank"], ledger["own"]
    english(client)
    found = client.get(reverse("disclosure:unit-receipts", args=[world.district.pk]), {"q": "FT25293000111"})
    html = found.content.decode()
    assert found.status_code == 200
    assert element_texts(html, data_testid="found-amount") == ["200.000.000 ₫ · Bank transfer"]
    assert by_bank.number in html and "20/10/2025" in html
    assert "Quỹ Vì người nghèo huyện Mỏ Cày Bắc" in html and "Tháng cao điểm Vì người nghèo 2025" in html
    # Where its money went: passed down and spent by purpose, and what the district still holds of it.
    assert element_texts(html, "table", data_testid="found-purposes") == [
        "Houses for the poor 30.000.000 ₫ Tet and occasion gifts 9.000.000 ₫ Community works 2.000.000 ₫"]
    assert "Quỹ Vì người nghèo huyện Mỏ Cày Bắc 50.000.000 ₫" in element_texts(
        html, "table", data_testid="found-held")[0]
    assert "Dừa Xanh" not in html  # the donor is not named: whoever has the number sees the receipt

    # By number, whatever its case, from the commune's page (a receipt of its own fund).
    html = client.get(reverse("disclosure:unit-receipts", args=[world.commune.pk]),
                      {"q": f"  {own.number.lower()} "}).content.decode()
    assert element_texts(html, data_testid="found-amount") == ["4.000.000 ₫ · Bank transfer"]
    # A number is unique per fund and year: the district's page finds each of its funds' receipt 1.
    html = client.get(reverse("disclosure:unit-receipts", args=[world.district.pk]),
                      {"q": "PT-2025-000001"}).content.decode()
    assert sorted(element_texts(html, data_testid="found-amount")) == ["200.000.000 ₫ · Bank transfer",
                                                                        "4.000.000 ₫ · Bank transfer"]


def test_search_says_a_cancelled_receipt_is_cancelled(client, world, ledger):
    html = english(client).get(reverse("disclosure:campaign-receipts", args=["VNN2025"]),
                               {"q": ledger["mistaken"].number}).content.decode()
    assert element_texts(html, data_testid="reversed") == ["Cancelled"]
    assert element_texts(html, data_testid="found-amount") == ["1.000 ₫ · Cash"]


@pytest.mark.parametrize("typed", ["FT2529300011", "FT25293000111X", "PT-2025-00000", "PT-2025", "%", "FT%"])
def test_search_answers_only_an_exact_number_or_reference(client, world, ledger, typed):
    response = english(client).get(reverse("disclosure:unit-receipts", args=[world.district.pk]), {"q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert not element_texts(html, data_testid="found-receipt")
    assert "No receipt numbered" in element_texts(html, data_testid="not-found")[0]


def test_search_finds_nothing_outside_the_page_it_is_made_from(client, world, ledger):
    english(client)
    for url, typed in [
        # The district's receipt, searched from the commune's page, by reference and by number
        # (the commune has a receipt 1 of its own, not a receipt 2).
        (reverse("disclosure:unit-receipts", args=[world.commune.pk]), "FT25293000111"),
        (reverse("disclosure:unit-receipts", args=[world.commune.pk]), "PT-2025-000002"),
        # The commune's own receipt, which is not the campaign's, from the campaign's page.
        (reverse("disclosure:campaign-receipts", args=["VNN2025"]), "FT25293999999"),
        # Another district's page.
        (reverse("disclosure:unit-receipts", args=[world.other_district.pk]), "FT25293000111"),
    ]:
        html = client.get(url, {"q": typed}).content.decode()
        assert element_texts(html, data_testid="not-found"), (url, typed)
        assert not element_texts(html, data_testid="found-receipt"), (url, typed)


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the number of your receipt or the bank reference of your transfer."),
    ("   ", "Enter the number of your receipt or the bank reference of your transfer."),
    ("F" * 65, "A receipt number or a bank reference has at most 64 characters."),
])
def test_bad_input_in_the_search_is_answered_with_a_message(client, world, ledger, typed, message):
    response = english(client).get(reverse("disclosure:unit-receipts", args=[world.district.pk]), {"q": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not element_texts(html, data_testid="search-results")


def test_search_page_without_a_search_shows_only_the_form(client, world, ledger):
    response = english(client).get(reverse("disclosure:campaign-receipts", args=["VNN2025"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and not element_texts(html, data_testid="search-results")
    assert "Enter the number" not in html


def test_unknown_unit_or_campaign_answers_404(client, world, ledger):
    assert client.get(reverse("disclosure:unit", args=[world.province.pk + 10_000])).status_code == 404
    assert client.get(reverse("disclosure:campaign", args=["KHONGCO"])).status_code == 404
    assert client.get(reverse("disclosure:campaign", args=["X" * 300])).status_code == 404
    assert client.get(reverse("disclosure:campaign-receipts", args=["KHONGCO"]), {"q": "x"}).status_code == 404
    assert client.get(reverse("disclosure:unit-receipts", args=[world.province.pk + 10_000])).status_code == 404


def test_a_page_is_read_in_a_few_grouped_queries_and_then_served_from_the_cache(
        client, world, ledger, django_assert_max_num_queries, django_assert_num_queries):
    url = reverse("disclosure:unit", args=[world.province.pk])
    with django_assert_max_num_queries(12):
        first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert _main(first) == _main(second)  # the rest holds the visitor's CSRF token
    # Its page 2 (past the last page: the last) and the other language are made once more each.
    with django_assert_max_num_queries(2):
        client.get(url, {"page": "999"})
    english(client)
    with django_assert_max_num_queries(2):
        english_page = client.get(url).content.decode()
    assert "Public disclosure of the funds" in english_page
    campaign = reverse("disclosure:campaign", args=["VNN2025"])
    with django_assert_max_num_queries(9):
        client.get(campaign)
    with django_assert_num_queries(0):
        client.get(campaign)


def test_more_rows_cost_no_more_queries(client, world, ledger, django_assert_max_num_queries):
    """The ceiling does not grow with the ledger: more donors, units and households, same queries."""
    url = reverse("disclosure:unit", args=[world.district.pk])
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    fund = ledger["district_fund"]
    for index in range(5):
        services.receipt_record(actor=world.district_member, fund=fund, amount=1_000_000 + index, happened_on=DAY,
                                donor=DonorFactory(unit=world.district, kind=DonorKind.INDIVIDUAL))
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_public_pages_are_open_to_visitors_and_signed_in_users_alike(client, world, ledger):
    url = reverse("disclosure:unit", args=[world.district.pk])
    visitor = client.get(url)
    client.force_login(world.commune_officer)  # a commune officer sees the district's public page
    officer = client.get(url)
    assert visitor.status_code == officer.status_code == 200
    # The same published figures, whoever asks.
    received = figure(data_testid="received")
    assert received(visitor.content.decode()) == received(officer.content.decode()) > 0


def test_donors_are_listed_a_page_at_a_time_and_any_page_asked_for_is_one_that_exists(client, world, ledger,
                                                                                   monkeypatch):
    monkeypatch.setattr("donations.disclosure.DONORS_PER_PAGE", 2)
    url = reverse("disclosure:unit", args=[world.district.pk])
    english(client)

    def names(page):
        html = client.get(url, {"page": page}).content.decode()
        return [row.split(" ", 1)[1].split(" Business")[0].split(" Individual")[0].split(" Member")[0]
                for row in element_texts(html, "tr", data_testid="donor-row")]

    assert names("1") == ["Công ty TNHH Dừa Xanh Bến Tre", "Hội Chữ thập đỏ huyện"]
    assert names("2") == ["An anonymous donor", "Lê Văn Hảo Tâm"]
    assert names("3") == names("999") == ["Đỗ Văn Xã Viên"]
    assert names("abc") == names("-4") == names("1")
    html = client.get(url, {"page": "2"}).content.decode()
    assert "Page 2 of 3" in html
    assert element_texts(html, "tr", data_testid="donor-row")[0].startswith("3 ")

"""The pages of donors, campaigns and pledges: what each shows, the likely duplicates shown before
a donor is saved (those the officer may see, never another unit's), what they refuse and write
nothing for, the outsider's 404, and their query ceilings."""

import datetime
import re

import pytest
from django.urls import reverse

from donations import services
from donations.choices import DonorKind, Purpose
from donations.models import Campaign, Donor, Pledge
from donations.permissions import can_manage_fund, funds_managed_by
from donations.selectors import campaigns_with_totals, pledges_with_outstanding

from .factories import CampaignFactory, DonorFactory, FundFactory, PledgeFactory

DAY = datetime.date(2025, 10, 20)


@pytest.fixture
def en_client(client):
    """The test client, with pages in English (the source of the messages checked)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def district_fund(world):
    return FundFactory(unit=world.district, name="Quỹ Vì người nghèo huyện Mỏ Cày Bắc")


@pytest.fixture
def campaign(world, district_fund):
    return CampaignFactory(unit=world.district, fund=district_fund, name="Tháng cao điểm Vì người nghèo 2025",
                           code="VNN2025", target=2_000_000_000)


def _page(client, user, name, *args, data=None) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args), data or {})
    assert response.status_code == 200
    return response.content.decode()


def _receive(world, fund, donor, amount, **values):
    actor = world.district_member if fund.unit == world.district else world.commune_officer
    return services.receipt_record(actor=actor, fund=fund, donor=donor, amount=amount, happened_on=DAY, **values)


def _reverse(world, receipt):
    """A district fund's receipt corrected by the province, the level above."""
    return services.posting_reverse(actor=world.provincial_officer, posting=receipt.posting,
                                    reason="Nhập nhầm số tiền", happened_on=DAY)


def _rows(body: str, testid: str) -> list[str]:
    """The text of each row of the table ``testid`` (tags dropped, spaces squeezed)."""
    table = body.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split())
            for row in re.findall(r"<tr data-testid=\"[a-z-]+-row\"[^>]*>(.*?)</tr>", table, flags=re.S)]


def _donor_form(**values) -> dict:
    return {"kind": DonorKind.BUSINESS, "member_organisation": "", "name": "Công ty TNHH Thành Đạt",
            "tax_code": "1300123456", "phone": "0275 3822 111", "address": "Phường 1, thành phố Bến Tre",
            "note": "", **values}


def _campaign_form(fund, **values) -> dict:
    return {"name": "Tết vì người nghèo 2026", "kind": "tet", "code": "tet2026", "starts_on": "01/12/2025",
            "ends_on": "31/01/2026", "target": "500.000.000", "fund": fund.pk, "earmark": "tet_gifts",
            "description": "", **values}


# -- donors: creating, and the likely duplicates --------------------------------------------------------


def test_commune_officer_records_a_donor_of_their_commune(client, world):
    client.force_login(world.commune_officer)
    response = client.post(reverse("donations:donor-create"), _donor_form(anonymous="on"))

    donor = Donor.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("donations:donor-detail", args=[donor.pk])
    assert (donor.unit, donor.created_by, donor.name, donor.tax_code, donor.anonymous) == (
        world.commune, world.commune_officer, "Công ty TNHH Thành Đạt", "1300123456", True)


def test_member_organisation_is_asked_for_its_kind_only(en_client, world):
    en_client.force_login(world.commune_officer)
    refused = en_client.post(reverse("donations:donor-create"), _donor_form(
        kind=DonorKind.MEMBER_ORGANISATION, name="Hội Chữ thập đỏ xã", tax_code="", phone=""))
    assert refused.status_code == 400
    assert "Choose which member organisation gives." in refused.content.decode()
    assert not Donor.objects.exists()

    # A choice left over from another kind is dropped, not refused.
    en_client.post(reverse("donations:donor-create"), _donor_form(member_organisation="red_cross"))
    en_client.post(reverse("donations:donor-create"), _donor_form(
        kind=DonorKind.MEMBER_ORGANISATION, member_organisation="womens_union", name="Hội Liên hiệp Phụ nữ xã",
        tax_code="", phone=""))
    assert sorted(Donor.objects.values_list("kind", "member_organisation")) == [
        ("business", ""), ("member_organisation", "womens_union")]


def test_a_likely_duplicate_is_shown_before_saving_and_the_officer_confirms(en_client, world):
    existing = DonorFactory(unit=world.commune, name="Công ty TNHH Thành Đạt", tax_code="", phone="")
    en_client.force_login(world.commune_officer)

    asked = en_client.post(reverse("donations:donor-create"), _donor_form(name="cong ty tnhh THANH DAT"))
    body = asked.content.decode()
    assert asked.status_code == 200
    assert 'data-testid="duplicates"' in body
    assert reverse("donations:donor-detail", args=[existing.pk]) in body
    assert 'name="duplicates_checked"' in body
    assert Donor.objects.count() == 1

    confirmed = en_client.post(reverse("donations:donor-create"),
                             _donor_form(name="cong ty tnhh THANH DAT", duplicates_checked="1"))
    assert confirmed.status_code == 302
    assert Donor.objects.count() == 2


@pytest.mark.parametrize("same", [{"tax_code": "1300123456"}, {"phone": "0275 3822 111"}])
def test_the_same_tax_code_or_phone_under_another_name_is_a_likely_duplicate(client, world, same):
    existing = DonorFactory(unit=world.commune, name="Doanh nghiệp tư nhân Hòa Bình", **same)
    client.force_login(world.commune_officer)
    body = client.post(reverse("donations:donor-create"), _donor_form()).content.decode()
    assert reverse("donations:donor-detail", args=[existing.pk]) in body
    assert not Donor.objects.filter(name="Công ty TNHH Thành Đạt").exists()


def test_another_communes_donor_is_never_shown_and_does_not_stop_the_saving(client, world):
    outsider = DonorFactory(unit=world.sibling_commune, name="Công ty TNHH Thành Đạt", tax_code="1300123456")
    client.force_login(world.commune_officer)

    checked = client.post(reverse("donations:donor-duplicates"), {"name": "Công ty TNHH Thành Đạt",
                                                                  "tax_code": "1300123456"})
    assert checked.status_code == 200
    assert 'data-testid="duplicates"' not in checked.content.decode()
    response = client.post(reverse("donations:donor-create"), _donor_form())
    assert response.status_code == 302
    assert Donor.objects.filter(unit=world.commune, name="Công ty TNHH Thành Đạt").exists()
    # The district sees both communes' donors: to it, they are likely duplicates.
    client.force_login(world.district_member)
    seen = client.post(reverse("donations:donor-duplicates"), {"name": "Cong ty TNHH Thanh Dat"}).content.decode()
    assert reverse("donations:donor-detail", args=[outsider.pk]) in seen
    assert seen.count("<li>") == 2


def test_the_check_as_the_name_is_typed_leaves_out_the_donor_being_edited(client, world):
    donor = DonorFactory(unit=world.commune, name="Bà Nguyễn Thị Hoa")
    namesake = DonorFactory(unit=world.commune, name="Ba Nguyen Thi Hoa")
    client.force_login(world.commune_officer)
    body = client.post(reverse("donations:donor-duplicates"), {"name": "BÀ NGUYỄN THỊ HOA",
                                                               "editing": str(donor.pk)}).content.decode()
    assert reverse("donations:donor-detail", args=[namesake.pk]) in body
    assert reverse("donations:donor-detail", args=[donor.pk]) not in body


def test_administrator_keeps_no_donors_and_is_refused_the_form_and_the_check(client, world):
    client.force_login(world.administrator)
    assert client.post(reverse("donations:donor-duplicates"), {"name": "Hoa"}).status_code == 403
    assert client.get(reverse("donations:donor-create")).status_code == 403


# -- donors: editing, the list, the page, the history ----------------------------------------------------------


def test_the_donors_unit_edits_it_and_the_units_above_do_not(client, world):
    donor = DonorFactory(unit=world.commune, name="Ông Trần Văn Bảy")
    client.force_login(world.district_member)
    assert client.get(reverse("donations:donor-update", args=[donor.pk])).status_code == 403
    assert client.post(reverse("donations:donor-update", args=[donor.pk]),
                       _donor_form(name="Ông Trần Văn Tám")).status_code == 403

    client.force_login(world.commune_officer)
    response = client.post(reverse("donations:donor-update", args=[donor.pk]),
                           _donor_form(name="Ông Trần Văn Bảy", kind="individual", tax_code="", phone="0909111222"))
    assert response.status_code == 302
    donor.refresh_from_db()
    assert (donor.kind, donor.phone) == ("individual", "0909111222")


def test_renaming_a_donor_to_a_likely_duplicate_asks_first(client, world):
    donor = DonorFactory(unit=world.commune, name="Ông Trần Văn Bảy")
    other = DonorFactory(unit=world.commune, name="Ông Lê Văn Tám")
    client.force_login(world.commune_officer)
    asked = client.post(reverse("donations:donor-update", args=[donor.pk]),
                        _donor_form(name="Ong Le Van Tam", tax_code="", phone=""))
    assert asked.status_code == 200
    assert reverse("donations:donor-detail", args=[other.pk]) in asked.content.decode()
    donor.refresh_from_db()
    assert donor.name == "Ông Trần Văn Bảy"


def test_donor_list_finds_a_name_without_diacritics_and_marks_anonymous_donors(en_client, world):
    DonorFactory(unit=world.commune, name="Bà Lê Thị Hồng", anonymous=True)
    DonorFactory(unit=world.commune, name="Công ty Cổ phần Sao Mai")
    body = _page(en_client, world.commune_officer, "donations:donor-list", data={"q": "le thi hong"})
    rows = _rows(body, "donor-table")
    assert rows == ["Bà Lê Thị Hồng Not published Business Thị trấn Phước Mỹ Trung"]
    assert "Donors <span class=\"text-secondary fs-6\">(1)</span>" in body
    tabs = body.split('data-testid="donations-tabs"', 1)[1].split("</ul>", 1)[0]
    assert reverse("donations:donor-list") in tabs and reverse("donations:campaign-list") in tabs


def test_donor_page_shows_receipts_marked_when_reversed_pledges_left_to_settle_and_what_stands(
        en_client, world, district_fund, campaign):
    donor = DonorFactory(unit=world.district, name="Công ty Điện lực Bến Tre")
    pledge = services.pledge_record(actor=world.district_member, campaign=campaign, donor=donor,
                                    amount=100_000_000, pledged_on=datetime.date(2025, 10, 17))
    _receive(world, district_fund, donor, 30_000_000, campaign=campaign, pledge=pledge)
    mistaken = _receive(world, district_fund, donor, 50_000_000, campaign=campaign, pledge=pledge)
    _reverse(world, mistaken)
    _receive(world, district_fund, donor, 5_000_000)

    body = _page(en_client, world.district_member, "donations:donor-detail", donor.pk)

    receipts = _rows(body, "receipt-table")
    assert len(receipts) == 3
    assert [row for row in receipts if "Reversed" in row] == [
        f"{mistaken.number} Reversed 20/10/2025 Tháng cao điểm Vì người nghèo 2025 "
        "Quỹ Vì người nghèo huyện Mỏ Cày Bắc 50.000.000 ₫"]
    assert "35.000.000 ₫" in body.split('data-testid="donor-given"', 1)[1].split("</div>", 1)[0]
    assert _rows(body, "pledge-table") == [
        "Tháng cao điểm Vì người nghèo 2025 17/10/2025 100.000.000 ₫ 70.000.000 ₫"]


def test_donor_page_shows_only_the_receipts_of_funds_the_viewer_sees(en_client, world, district_fund):
    donor = DonorFactory(unit=world.commune, name="Bà Phạm Thị Lan")
    commune_fund = FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn")
    _receive(world, commune_fund, donor, 2_000_000)
    _receive(world, district_fund, donor, 7_000_000)

    commune_view = _page(en_client, world.commune_officer, "donations:donor-detail", donor.pk)
    district_view = _page(en_client, world.district_member, "donations:donor-detail", donor.pk)

    assert len(_rows(commune_view, "receipt-table")) == 1
    assert "Quỹ Vì người nghèo huyện" not in commune_view
    assert "2.000.000 ₫" in commune_view.split('data-testid="donor-given"', 1)[1].split("</div>", 1)[0]
    assert "9.000.000 ₫" in district_view.split('data-testid="donor-given"', 1)[1].split("</div>", 1)[0]


def test_donor_history_shows_who_changed_what(en_client, world):
    client = en_client
    client.force_login(world.commune_officer)
    client.post(reverse("donations:donor-create"), _donor_form(name="Cty Thành Đạt"))
    donor = Donor.objects.get()
    client.post(reverse("donations:donor-update", args=[donor.pk]), _donor_form(name="Công ty TNHH Thành Đạt"))

    body = _page(client, world.commune_officer, "donations:donor-history", donor.pk)
    history = body.split('data-testid="history"', 1)[1]
    assert "Cty Thành Đạt → Công ty TNHH Thành Đạt" in history
    assert "Nguyễn Văn An" in history  # the officer's name


def test_outsider_gets_404_on_a_donors_pages_and_changes_nothing(client, world):
    donor = DonorFactory(unit=world.sibling_commune, name="Ông Võ Văn Kiệt")
    client.force_login(world.commune_officer)
    for name in ("donations:donor-detail", "donations:donor-update", "donations:donor-history"):
        assert client.get(reverse(name, args=[donor.pk])).status_code == 404
    response = client.post(reverse("donations:donor-update", args=[donor.pk]), _donor_form(name="Đổi tên"))
    assert response.status_code == 404
    assert "Ông Võ Văn Kiệt" not in response.content.decode()
    assert Donor.objects.get(pk=donor.pk).name == "Ông Võ Văn Kiệt"


# -- campaigns -----------------------------------------------------------------------------------------


def test_district_member_creates_a_campaign_into_their_fund(client, world, district_fund):
    FundFactory(unit=world.commune, name="Quỹ Vì người nghèo thị trấn")
    client.force_login(world.district_member)
    form = client.get(reverse("donations:campaign-create")).content.decode()
    assert "Quỹ Vì người nghèo huyện Mỏ Cày Bắc" in form
    assert "Quỹ Vì người nghèo thị trấn" not in form

    response = client.post(reverse("donations:campaign-create"), _campaign_form(district_fund))
    campaign = Campaign.objects.get()
    assert response.url == reverse("donations:campaign-detail", args=[campaign.pk])
    assert (campaign.unit, campaign.fund, campaign.code, campaign.target, campaign.ends_on) == (
        world.district, district_fund, "TET2026", 500_000_000, datetime.date(2026, 1, 31))


@pytest.mark.parametrize(("values", "message"), [
    ({"ends_on": "30/11/2025"}, "A campaign ends on or after the day it starts."),
    ({"target": "-5.000.000"}, "Ensure this value is greater than or equal to 0."),
    ({"target": "5.000.000,5"}, "Enter a whole number of dong, for example 60.000.000."),
    ({"code": "vnn2025"}, "Campaign with this Code already exists."),
    ({"starts_on": "31/02/2026"}, "Enter a date that exists, as dd/mm/yyyy: for example 30/06/2025."),
])
def test_bad_campaign_input_is_refused_with_a_clear_message_and_nothing_written(en_client, world, campaign,
                                                                                 values, message):
    en_client.force_login(world.district_member)
    response = en_client.post(reverse("donations:campaign-create"), _campaign_form(campaign.fund, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Campaign.objects.all()) == [campaign]


def test_a_campaign_into_another_units_fund_is_refused(client, world, district_fund):
    commune_fund = FundFactory(unit=world.commune)
    client.force_login(world.district_member)
    response = client.post(reverse("donations:campaign-create"), _campaign_form(commune_fund))
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_a_unit_without_a_fund_is_not_offered_a_new_campaign(client, world, campaign):
    body = _page(client, world.commune_officer, "donations:campaign-list")
    assert 'data-testid="new-campaign"' not in body
    assert client.get(reverse("donations:campaign-create")).status_code == 403
    assert client.post(reverse("donations:campaign-create"), _campaign_form(campaign.fund)).status_code == 403


def test_funds_managed_by_are_exactly_those_can_manage_fund_allows(world):
    funds = [FundFactory(unit=unit) for unit in (world.commune, world.sibling_commune, world.district,
                                                  world.province, world.other_district)]
    for user in (world.commune_officer, world.district_member, world.provincial_officer, world.administrator):
        assert set(funds_managed_by(user)) == {fund for fund in funds if can_manage_fund(user, fund)}


def test_only_the_funds_unit_edits_its_campaign(client, world, campaign):
    client.force_login(world.commune_officer)
    assert client.get(reverse("donations:campaign-update", args=[campaign.pk])).status_code == 403
    client.force_login(world.district_member)
    response = client.post(reverse("donations:campaign-update", args=[campaign.pk]),
                           _campaign_form(campaign.fund, code="VNN2025", name="Tháng cao điểm 2025 (sửa)"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.code, campaign.target) == ("Tháng cao điểm 2025 (sửa)", "VNN2025", 500_000_000)

    body = _page(client, world.district_member, "donations:campaign-history", campaign.pk)
    assert "Tháng cao điểm Vì người nghèo 2025 → Tháng cao điểm 2025 (sửa)" in body


def test_campaign_list_shows_what_each_received_and_pledged(en_client, world, district_fund, campaign):
    CampaignFactory(unit=world.province, name="Tết vì người nghèo tỉnh 2026", starts_on=datetime.date(2026, 1, 1),
                    ends_on=datetime.date(2026, 2, 10))
    donor = DonorFactory(unit=world.district)
    PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=300_000_000)
    _receive(world, district_fund, donor, 120_000_000, campaign=campaign)

    body = _page(en_client, world.commune_officer, "donations:campaign-list", data={"year": "2025"})
    cards = body.split('data-testid="campaign-card"')[1:]
    assert len(cards) == 1
    assert 'data-col="received">120.000.000 ₫' in cards[0]
    assert 'data-col="pledged">300.000.000 ₫' in cards[0]
    assert 'data-fw-width="6"' in cards[0]  # 120 million of 2 billion


def test_campaign_page_shows_pledged_against_received_spent_by_purpose_and_what_is_left(
        en_client, world, district_fund):
    """A province's drive as the sources report one: 1,105 bn pledged, 494 bn received."""
    campaign = CampaignFactory(unit=world.district, fund=district_fund, target=1_200_000_000_000)
    big = DonorFactory(unit=world.district, name="Tập đoàn Xây dựng Miền Tây")
    other = DonorFactory(unit=world.district, name="Ngân hàng Nông nghiệp chi nhánh Bến Tre")
    pledge = PledgeFactory(unit=world.district, campaign=campaign, donor=big, amount=1_000_000_000_000)
    PledgeFactory(unit=world.district, campaign=campaign, donor=other, amount=105_000_000_000)
    _receive(world, district_fund, big, 400_000_000_000, campaign=campaign, pledge=pledge)
    _receive(world, district_fund, other, 94_000_000_000, campaign=campaign)
    services.disbursement_record(actor=world.district_member, fund=district_fund, amount=60_000_000,
                                 happened_on=DAY, purpose=Purpose.HOUSING, recipient="Nhà Đại đoàn kết ấp 3")

    body = _page(en_client, world.district_member, "donations:campaign-detail", campaign.pk)

    def figure(testid):
        return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', body).group(1).strip()

    assert figure("target") == "1.200.000.000.000 ₫"
    assert figure("pledged") == "1.105.000.000.000 ₫"
    assert figure("received") == "494.000.000.000 ₫"
    assert figure("left") == "493.940.000.000 ₫"
    assert 'data-fw-width="41"' in body.split('data-testid="received-bar"', 1)[1].split("</div>", 1)[0]
    assert 'data-fw-width="92"' in body.split('data-testid="pledged-bar"', 1)[1].split("</div>", 1)[0]
    assert "Houses for the poor" in body and figure("spent-total") == "60.000.000 ₫"
    pledges = sorted(_rows(body, "pledge-table"))
    assert pledges[0].startswith("Ngân hàng") and pledges[0].endswith("105.000.000.000 ₫ 105.000.000.000 ₫")
    assert pledges[1].startswith("Tập đoàn") and pledges[1].endswith("1.000.000.000.000 ₫ 600.000.000.000 ₫")
    assert len(_rows(body, "receipt-table")) == 2


def test_campaign_pages_turn_pledges_and_receipts_each_on_its_own(en_client, world, district_fund, campaign):
    donors = [DonorFactory(unit=world.district, name=f"Nhà hảo tâm {number:02d}") for number in range(25)]
    for donor in donors:
        PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=1_000_000)
    _receive(world, district_fund, donors[0], 1_000_000, campaign=campaign)

    body = _page(en_client, world.district_member, "donations:campaign-detail", campaign.pk, data={"pledges": "2"})
    assert len(_rows(body, "pledge-table")) == 5
    assert len(_rows(body, "receipt-table")) == 1
    assert "Page 2 of 2" in body


# -- pledges ---------------------------------------------------------------------------------------------


def test_commune_officer_records_a_pledge_for_the_districts_campaign(client, world, campaign):
    donor = DonorFactory(unit=world.commune, name="Hợp tác xã Dừa Phước Mỹ Trung")
    client.force_login(world.commune_officer)
    page = client.get(reverse("donations:pledge-create", args=[campaign.pk])).content.decode()
    assert "Hợp tác xã Dừa Phước Mỹ Trung" in page

    response = client.post(reverse("donations:pledge-create", args=[campaign.pk]), {
        "donor": donor.pk, "amount": "15.000.000", "pledged_on": "17/10/2025", "note": "Lễ phát động"})
    assert response.url == reverse("donations:campaign-detail", args=[campaign.pk])
    pledge = Pledge.objects.get()
    assert (pledge.unit, pledge.campaign, pledge.donor, pledge.amount, pledge.recorded_by) == (
        world.commune, campaign, donor, 15_000_000, world.commune_officer)


@pytest.mark.parametrize(("values", "message"), [
    ({"amount": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"amount": "-2.000.000"}, "Ensure this value is greater than or equal to 1."),
    ({"pledged_on": ""}, "This field is required."),
])
def test_a_bad_pledge_is_refused_with_a_clear_message_and_nothing_written(en_client, world, campaign, values,
                                                                          message):
    donor = DonorFactory(unit=world.commune)
    en_client.force_login(world.commune_officer)
    response = en_client.post(reverse("donations:pledge-create", args=[campaign.pk]), {
        "donor": donor.pk, "amount": "15.000.000", "pledged_on": "17/10/2025", **values})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_pledge_from_a_donor_outside_scope_is_refused(client, world, campaign):
    outsider = DonorFactory(unit=world.sibling_commune, name="Công ty Xã Bên")
    client.force_login(world.commune_officer)
    assert "Công ty Xã Bên" not in client.get(reverse("donations:pledge-create", args=[campaign.pk])).content.decode()
    response = client.post(reverse("donations:pledge-create", args=[campaign.pk]), {
        "donor": outsider.pk, "amount": "15.000.000", "pledged_on": "17/10/2025"})
    assert response.status_code == 400
    assert not Pledge.objects.exists()


def test_outsider_gets_404_on_a_campaigns_pages_and_records_no_pledge(client, world):
    campaign = CampaignFactory(unit=world.other_district, name="Chiến dịch huyện Châu Thành")
    donor = DonorFactory(unit=world.commune)
    client.force_login(world.commune_officer)
    for name in ("donations:campaign-detail", "donations:campaign-update", "donations:campaign-history",
                 "donations:pledge-create"):
        response = client.get(reverse(name, args=[campaign.pk]))
        assert response.status_code == 404
        assert "Chiến dịch huyện Châu Thành" not in response.content.decode()
    response = client.post(reverse("donations:pledge-create", args=[campaign.pk]), {
        "donor": donor.pk, "amount": "15.000.000", "pledged_on": "17/10/2025"})
    assert response.status_code == 404
    assert not Pledge.objects.exists()


# -- the figures of a page's list read with the list -------------------------------------------------------------


def test_the_lists_figures_agree_with_the_services_and_campaign_progress(world, district_fund, campaign):
    from donations.selectors import campaign_progress

    donor = DonorFactory(unit=world.district)
    pledge = PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=80_000_000)
    PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=20_000_000)
    _receive(world, district_fund, donor, 30_000_000, campaign=campaign, pledge=pledge)
    _reverse(world, _receive(world, district_fund, donor, 10_000_000, campaign=campaign, pledge=pledge))

    for annotated in pledges_with_outstanding(Pledge.objects.all()):
        assert annotated.outstanding == services.pledge_outstanding(annotated)
    listed = campaigns_with_totals(Campaign.objects.filter(pk=campaign.pk)).get()
    progress = campaign_progress(campaign)
    assert (listed.pledged, listed.received) == (progress.pledged, progress.received) == (100_000_000, 30_000_000)


# -- query ceilings -----------------------------------------------------------------------------------------

# Session and user (and the user's unit, for a campaign's scope), then each page's own reads: a list
# its count, its rows and the unit filter's choices; the campaign page the campaign, its progress
# (pledged, received, spent) and a count and a page of each of its lists; the donor page the donor,
# what it gave, and a count and a page of each of its lists.
QUERY_CEILINGS = {"donations:donor-list": 6, "donations:campaign-list": 7, "donations:campaign-detail": 11,
                  "donations:donor-detail": 9}


def _many_donors_and_pledges(world, district_fund, campaign, count):
    for number in range(count):
        donor = DonorFactory(unit=world.district, name=f"Nhà hảo tâm số {number}", tax_code=f"13000{number:05d}")
        pledge = PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=2_000_000)
        _receive(world, district_fund, donor, 1_000_000, campaign=campaign, pledge=pledge)


@pytest.mark.parametrize("name", ["donations:donor-list", "donations:campaign-list"])
def test_lists_take_the_same_queries_for_many_rows(client, world, district_fund, campaign, name,
                                                   django_assert_max_num_queries):
    client.force_login(world.district_member)
    _many_donors_and_pledges(world, district_fund, campaign, 3)
    CampaignFactory(unit=world.district)
    with django_assert_max_num_queries(QUERY_CEILINGS[name]):
        assert client.get(reverse(name)).status_code == 200
    _many_donors_and_pledges(world, district_fund, campaign, 30)
    for _ in range(10):
        CampaignFactory(unit=world.district)
    with django_assert_max_num_queries(QUERY_CEILINGS[name]):
        body = client.get(reverse(name), {"q": "nha hao tam" if "donor" in name else "Tháng"}).content.decode()
    assert body.count('data-testid="donor-row"' if "donor" in name else 'data-testid="campaign-card"') > 10


def test_campaign_page_takes_the_same_queries_for_many_pledges_and_receipts(client, world, district_fund, campaign,
                                                                            django_assert_max_num_queries):
    client.force_login(world.district_member)
    _many_donors_and_pledges(world, district_fund, campaign, 2)
    with django_assert_max_num_queries(QUERY_CEILINGS["donations:campaign-detail"]):
        client.get(reverse("donations:campaign-detail", args=[campaign.pk]))
    _many_donors_and_pledges(world, district_fund, campaign, 30)
    with django_assert_max_num_queries(QUERY_CEILINGS["donations:campaign-detail"]):
        body = client.get(reverse("donations:campaign-detail", args=[campaign.pk])).content.decode()
    assert len(_rows(body, "pledge-table")) == 20 and len(_rows(body, "receipt-table")) == 20


def test_donor_page_takes_the_same_queries_for_many_receipts_and_pledges(client, world, district_fund, campaign,
                                                                         django_assert_max_num_queries):
    donor = DonorFactory(unit=world.district)
    client.force_login(world.district_member)
    for _ in range(25):
        pledge = PledgeFactory(unit=world.district, campaign=campaign, donor=donor, amount=2_000_000)
        _receive(world, district_fund, donor, 1_000_000, campaign=campaign, pledge=pledge)
    with django_assert_max_num_queries(QUERY_CEILINGS["donations:donor-detail"]):
        body = client.get(reverse("donations:donor-detail", args=[donor.pk])).content.decode()
    assert len(_rows(body, "pledge-table")) == 20 and len(_rows(body, "receipt-table")) == 20


# -- a form sent twice (a double tap on a slow connection) makes one record ----------------------------


def test_every_create_form_sent_twice_makes_one_record(client, world, campaign):
    from frontwelfare.submissions import KEY_FIELD

    def twice(user, name, data, *args):
        client.force_login(user)
        return {client.post(reverse(name, args=args), data)["Location"] for _ in range(2)}

    locations = twice(world.commune_officer, "donations:donor-create", {**_donor_form(), KEY_FIELD: "donor-1"})
    donor = Donor.objects.get()
    assert locations == {reverse("donations:donor-detail", args=[donor.pk])}

    locations = twice(world.district_member, "donations:campaign-create",
                      {**_campaign_form(campaign.fund), KEY_FIELD: "campaign-1"})
    created = Campaign.objects.get(code="TET2026")
    assert locations == {reverse("donations:campaign-detail", args=[created.pk])}

    twice(world.commune_officer, "donations:pledge-create", {
        "donor": donor.pk, "amount": "15.000.000", "pledged_on": "17/10/2025", KEY_FIELD: "pledge-1"}, campaign.pk)
    assert Pledge.objects.count() == 1

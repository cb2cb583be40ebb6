"""A ledger for the report, dashboard and timeline tests of the funds, written through the services
as officers write it, with the figures a fund statement of Mỏ Cày Bắc district for 2025 must show.

District fund (Quỹ huyện): 10.000.000 received in 2024 (the opening balance); in 2025, 50.000.000
from a business for the campaign VNN2025 and 20.000.000 from a member organisation for housing;
30.000.000 passed down to the Phước Mỹ Trung fund; 4.000.000 passed to the Phú Mỹ fund and the
transfer reversed; 15.000.000 of the housing money paid for a house.
Phước Mỹ Trung fund: 12.000.000 of Tet gifts to a household; 5.000.000 of livelihood support to it,
reversed; 7.000.000 received on 10/01/2026, after the period.
Phú Mỹ fund: 8.000.000 from an individual.
Tân Thạch fund (another district): 99.000.000 for its own campaign, which no figure of Mỏ Cày Bắc counts.
"""

import datetime
from dataclasses import dataclass

from donations import services
from donations.choices import CampaignKind, DonorKind, Earmark, Purpose
from donations.models import Campaign, Fund

from ..factories import CommuneOfficerFactory
from ..households.factories import HouseholdFactory
from .factories import DonorFactory, FundFactory

DISTRICT_FUND = "Quỹ Vì người nghèo huyện Mỏ Cày Bắc"
COMMUNE_FUND = "Quỹ Vì người nghèo thị trấn Phước Mỹ Trung"
SIBLING_FUND = "Quỹ Vì người nghèo xã Phú Mỹ"
OUTSIDER_FUND = "Quỹ Vì người nghèo xã Tân Thạch"
CAMPAIGN = "Tháng cao điểm vì người nghèo 2025"
OUTSIDER_CAMPAIGN = "Vận động ủng hộ xã Tân Thạch 2025"


@dataclass
class Ledger:
    district_fund: Fund
    commune_fund: Fund
    sibling_fund: Fund
    outsider_fund: Fund
    campaign: Campaign
    outsider_campaign: Campaign
    household: object
    neighbour: object  # another household of the commune, paid nothing


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def build_ledger(world) -> Ledger:
    district, commune = world.district_member, world.commune_officer
    sibling = CommuneOfficerFactory(unit=world.sibling_commune)
    outsider = CommuneOfficerFactory(unit=world.other_district_commune)
    funds = {unit: FundFactory(unit=unit, name=name) for unit, name in (
        (world.district, DISTRICT_FUND), (world.commune, COMMUNE_FUND), (world.sibling_commune, SIBLING_FUND),
        (world.other_district_commune, OUTSIDER_FUND))}
    district_fund, commune_fund = funds[world.district], funds[world.commune]
    sibling_fund, outsider_fund = funds[world.sibling_commune], funds[world.other_district_commune]
    campaign = services.campaign_create(actor=district, kind=CampaignKind.MONTH_FOR_THE_POOR, name=CAMPAIGN,
                                        code="VNN2025", starts_on=day("2025-01-01"), ends_on=day("2025-12-31"),
                                        target=100_000_000, fund=district_fund)
    outsider_campaign = services.campaign_create(
        actor=outsider, kind=CampaignKind.OTHER, name=OUTSIDER_CAMPAIGN, code="TT2025", starts_on=day("2025-01-01"),
        ends_on=day("2025-12-31"), target=200_000_000, fund=outsider_fund)

    business = DonorFactory(unit=world.district, kind=DonorKind.BUSINESS, name="Công ty TNHH Minh Phát")
    services.pledge_record(actor=district, campaign=campaign, donor=business, amount=80_000_000,
                           pledged_on=day("2025-02-20"))
    services.receipt_record(actor=district, fund=district_fund, amount=10_000_000, happened_on=day("2024-12-20"),
                            donor=DonorFactory(unit=world.district, kind=DonorKind.INDIVIDUAL))
    services.receipt_record(actor=district, fund=district_fund, amount=50_000_000, happened_on=day("2025-03-01"),
                            donor=business, campaign=campaign)
    services.receipt_record(actor=district, fund=district_fund, amount=20_000_000, happened_on=day("2025-03-05"),
                            earmark=Earmark.HOUSING, donor=DonorFactory(
                                unit=world.district, kind=DonorKind.MEMBER_ORGANISATION,
                                member_organisation="womens_union", name="Hội Liên hiệp Phụ nữ huyện"))
    services.transfer_record(actor=district, source=district_fund, destination=commune_fund, amount=30_000_000,
                             happened_on=day("2025-04-01"))
    sent_back = services.transfer_record(actor=district, source=district_fund, destination=sibling_fund,
                                         amount=4_000_000, happened_on=day("2025-07-01"))
    services.posting_reverse(actor=world.provincial_officer, posting=sent_back, reason="Chuyển nhầm quỹ",
                             happened_on=day("2025-07-05"))
    services.disbursement_record(actor=district, fund=district_fund, amount=15_000_000, happened_on=day("2025-06-01"),
                                 earmark=Earmark.HOUSING, purpose=Purpose.HOUSING, recipient="Nhà ông Lê Văn Tư")

    household, neighbour = HouseholdFactory(commune=world.commune), HouseholdFactory(commune=world.commune)
    services.disbursement_record(actor=commune, fund=commune_fund, amount=12_000_000, happened_on=day("2025-05-01"),
                                 purpose=Purpose.TET_GIFTS, household=household)
    wrong = services.disbursement_record(actor=commune, fund=commune_fund, amount=5_000_000, household=household,
                                         happened_on=day("2025-05-02"), purpose=Purpose.LIVELIHOOD)
    services.posting_reverse(actor=district, posting=wrong, reason="Ghi nhầm hộ", happened_on=day("2025-05-10"))
    services.receipt_record(actor=commune, fund=commune_fund, amount=7_000_000, happened_on=day("2026-01-10"),
                            donor=DonorFactory(unit=world.commune, kind=DonorKind.INDIVIDUAL))

    services.receipt_record(actor=sibling, fund=sibling_fund, amount=8_000_000, happened_on=day("2025-02-01"),
                            donor=DonorFactory(unit=world.sibling_commune, kind=DonorKind.INDIVIDUAL, anonymous=True))
    services.receipt_record(actor=outsider, fund=outsider_fund, amount=99_000_000, happened_on=day("2025-03-01"),
                            donor=DonorFactory(unit=world.other_district_commune), campaign=outsider_campaign)
    return Ledger(district_fund, commune_fund, sibling_fund, outsider_fund, campaign, outsider_campaign, household,
                  neighbour)

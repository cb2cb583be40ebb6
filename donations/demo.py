"""Demo funds and donations for the quick start: the Fund for the Poor of Mỏ Cày Bắc district
(seed 000) and of each of its communes, and the district's Month for the Poor 2025.

- The campaign "Tháng cao điểm Vì người nghèo 2025", 17/10-18/11/2025 (the peak month of the
  yearly drive, ending on Great National Unity Day), target 2 billion đồng, paid into the
  district's fund. Pledges announced at the opening ceremony on 17/10 (1.4 billion) run ahead of
  the money received, as they do in practice: some are settled whole, some in part, one not at
  all.
- Donors: businesses (two give for houses, one for Tet gifts), the Front's member organisations,
  two agencies collecting from their staff (the people listed as soft credits), individuals, two
  of whom asked not to be published; cash and bank transfers with the bank's reference. The two
  demo communes collect for the campaign too, into their own funds; one of their receipts was
  entered twice and the copy reversed by the district.
- After the campaign the district passes money down (điều tiết): to each commune what its house
  cases of the current year's programme need from the Fund for the Poor (housing.demo, loaded
  after this: starting their construction pays it through the housing link), the Tet-gift money
  to the demo communes, and some unrestricted money to every commune. It pays a rural bridge and
  scholarships by a decision of its own; the demo communes give Tet 2026 gifts to their poor,
  near-poor and struggling households, by a decision with one payment per household.

Everything goes through donations.services as the district member and the commune officers would
enter it, so the ledger is consistent (lines summing to zero, traces to the receipts). Funds are
written directly: no service creates them yet. The sources give no figures for the fund; names
and amounts are illustrative. Deterministic and idempotent: nothing is added once the district's
Fund for the Poor exists.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from households.choices import Category
from households.models import Household

from . import services
from .choices import CampaignKind, DonorKind, Earmark, FundKind, MemberOrganisation, PaymentMethod, Purpose
from .models import Fund, Posting, Receipt

DISTRICT_CODE = "838"  # Huyện Mỏ Cày Bắc, Bến Tre
DISTRICT_MEMBER = "demo.huyen"
# The communes whose officers are demo users: they collect for the campaign and give Tet gifts.
COMMUNE_OFFICERS = {"28915": "demo.xa", "28889": "demo.xa2"}

CAMPAIGN = {
    "kind": CampaignKind.MONTH_FOR_THE_POOR, "name": "Tháng cao điểm Vì người nghèo 2025", "code": "VNN2025MCB",
    "starts_on": datetime.date(2025, 10, 17), "ends_on": datetime.date(2025, 11, 18), "target": 2_000_000_000,
    "description": "Đợt cao điểm “Tháng vì người nghèo” từ 17/10 đến 18/11/2025 (Ngày hội Đại đoàn kết toàn dân "
                   "tộc), trong đợt vận động Quỹ “Vì người nghèo” năm 2025. Dữ liệu minh họa.",
}
OPENING_CEREMONY = datetime.date(2025, 10, 17)
# The district's first allocation round to its communes, after the campaign.
ALLOCATION_DAY = datetime.date(2025, 11, 25)
UNRESTRICTED_PER_COMMUNE = 20_000_000
TET_GIFT = 500_000  # each household's Tet gift
TET_DECISION_DAY = datetime.date(2026, 1, 28)  # before Tết Bính Ngọ, 17/02/2026


@dataclass(frozen=True)
class DemoDonor:
    key: str
    kind: str
    name: str
    member_organisation: str = ""
    tax_code: str = ""
    phone: str = ""
    address: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class DemoReceipt:
    """Money a donor gave; ``settles`` when it settles (part of) the donor's pledge."""

    donor: str
    amount: int
    day: datetime.date
    method: str = PaymentMethod.CASH
    bank_reference: str = ""
    earmark: str = Earmark.NONE
    settles: bool = False
    note: str = ""
    soft_credits: tuple = field(default_factory=tuple)


DISTRICT_DONORS = [
    DemoDonor("thanh_vinh", DonorKind.BUSINESS, "Công ty TNHH Chế biến Dừa Thành Vinh", tax_code="1300598217",
              address="Xã Tân Thành Bình, huyện Mỏ Cày Bắc"),
    DemoDonor("phuoc_my", DonorKind.BUSINESS, "Công ty Cổ phần Vật liệu xây dựng Phước Mỹ", tax_code="1301024785",
              address="Thị trấn Phước Mỹ Trung, huyện Mỏ Cày Bắc"),
    DemoDonor("kim_hoang", DonorKind.BUSINESS, "Doanh nghiệp tư nhân Thương mại Kim Hoàng", tax_code="1300877412"),
    DemoDonor("nhuan_phu", DonorKind.BUSINESS, "Công ty TNHH Thủy sản Nhuận Phú", tax_code="1301156630"),
    DemoDonor("qtd", DonorKind.ORGANISATION, "Quỹ tín dụng nhân dân Hưng Khánh Trung", tax_code="1300241096"),
    DemoDonor("red_cross", DonorKind.MEMBER_ORGANISATION, "Hội Chữ thập đỏ huyện Mỏ Cày Bắc",
              member_organisation=MemberOrganisation.RED_CROSS),
    DemoDonor("women", DonorKind.MEMBER_ORGANISATION, "Hội Liên hiệp Phụ nữ huyện Mỏ Cày Bắc",
              member_organisation=MemberOrganisation.WOMENS_UNION),
    DemoDonor("farmers", DonorKind.MEMBER_ORGANISATION, "Hội Nông dân huyện Mỏ Cày Bắc",
              member_organisation=MemberOrganisation.FARMERS),
    DemoDonor("veterans", DonorKind.MEMBER_ORGANISATION, "Hội Cựu chiến binh huyện Mỏ Cày Bắc",
              member_organisation=MemberOrganisation.VETERANS),
    DemoDonor("youth", DonorKind.MEMBER_ORGANISATION, "Huyện Đoàn Mỏ Cày Bắc",
              member_organisation=MemberOrganisation.YOUTH_UNION),
    DemoDonor("education", DonorKind.AGENCY, "Phòng Giáo dục và Đào tạo huyện Mỏ Cày Bắc"),
    DemoDonor("peoples_committee", DonorKind.AGENCY, "Văn phòng HĐND và UBND huyện Mỏ Cày Bắc"),
    DemoDonor("hieu", DonorKind.INDIVIDUAL, "Trần Văn Hiếu", phone="0913752418", address="Quận 7, TP. Hồ Chí Minh"),
    DemoDonor("my_le", DonorKind.INDIVIDUAL, "Nguyễn Thị Mỹ Lệ", phone="0939104725"),
    DemoDonor("khoa", DonorKind.INDIVIDUAL, "Lê Minh Khoa", phone="0908316254", anonymous=True),
    DemoDonor("anonymous_cash", DonorKind.INDIVIDUAL, "Phan Thị Ngọc Hân", anonymous=True),
]
# Announced at the opening ceremony.
PLEDGES = {"thanh_vinh": 300_000_000, "phuoc_my": 250_000_000, "kim_hoang": 120_000_000, "nhuan_phu": 500_000_000,
           "qtd": 80_000_000, "red_cross": 60_000_000, "women": 40_000_000, "farmers": 50_000_000}
BANK, CASH = PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH
DISTRICT_RECEIPTS = [
    DemoReceipt("kim_hoang", 120_000_000, datetime.date(2025, 10, 17), settles=True,
                note="Trao tại Lễ phát động"),
    DemoReceipt("my_le", 10_000_000, datetime.date(2025, 10, 17), note="Trao tại Lễ phát động"),
    DemoReceipt("red_cross", 60_000_000, datetime.date(2025, 10, 20), settles=True),
    DemoReceipt("thanh_vinh", 200_000_000, datetime.date(2025, 10, 24), BANK, "FT25297418263", Earmark.HOUSING,
                settles=True, note="VNN2025MCB ung ho xay nha Dai doan ket"),
    DemoReceipt("women", 25_000_000, datetime.date(2025, 10, 28), settles=True),
    DemoReceipt("phuoc_my", 150_000_000, datetime.date(2025, 10, 30), BANK, "FT25303620971", Earmark.HOUSING,
                settles=True, note="VNN2025MCB ho tro nha o ho ngheo dot 1"),
    DemoReceipt("hieu", 50_000_000, datetime.date(2025, 11, 1), BANK, "FT25305117354",
                note="VNN2025MCB Tran Van Hieu ung ho"),
    DemoReceipt("farmers", 50_000_000, datetime.date(2025, 11, 3), BANK, "FT25307209836", settles=True),
    DemoReceipt("qtd", 80_000_000, datetime.date(2025, 11, 5), BANK, "FT25309554102", Earmark.TET_GIFTS,
                settles=True, note="VNN2025MCB qua Tet cho ho ngheo"),
    DemoReceipt("veterans", 30_000_000, datetime.date(2025, 11, 6)),
    DemoReceipt("peoples_committee", 38_200_000, datetime.date(2025, 11, 7), BANK, "FT25311840627",
                note="Cán bộ, công chức ủng hộ một ngày lương", soft_credits=(
                    ("Nguyễn Thanh Hùng", 1_800_000), ("Trương Thị Kim Chi", 1_200_000),
                    ("Đặng Văn Tài", 950_000), ("Cán bộ, công chức các phòng, ban khác", None))),
    DemoReceipt("youth", 20_000_000, datetime.date(2025, 11, 10)),
    DemoReceipt("thanh_vinh", 100_000_000, datetime.date(2025, 11, 12), BANK, "FT25316093318", Earmark.HOUSING,
                settles=True, note="VNN2025MCB dot 2"),
    DemoReceipt("education", 46_500_000, datetime.date(2025, 11, 14), note="Cán bộ, giáo viên toàn ngành ủng hộ",
                soft_credits=(("Trường THCS Phú Mỹ (tập thể giáo viên)", 6_300_000),
                              ("Trường Tiểu học Thanh Tân (tập thể giáo viên)", 4_850_000),
                              ("Võ Thị Bích Ngọc", 500_000), ("Huỳnh Minh Trí", 500_000),
                              ("Các trường mầm non, tiểu học, THCS khác", None))),
    DemoReceipt("khoa", 100_000_000, datetime.date(2025, 11, 15), BANK, "FT25319702245",
                note="Nhà hảo tâm đề nghị không công bố tên"),
    DemoReceipt("anonymous_cash", 20_000_000, datetime.date(2025, 11, 17)),
]
# Collected by the two demo communes for the district's campaign, into their own funds.
COMMUNE_DONORS = {
    "28915": [DemoDonor("tu_hai", DonorKind.BUSINESS, "Cửa hàng Vật tư nông nghiệp Tư Hải", phone="0753847120"),
              DemoDonor("sau", DonorKind.INDIVIDUAL, "Phạm Văn Sáu", address="Khu phố 2"),
              DemoDonor("hidden", DonorKind.INDIVIDUAL, "Đỗ Thị Hồng", anonymous=True)],
    "28889": [DemoDonor("htx", DonorKind.ORGANISATION, "Hợp tác xã Dừa Phú Mỹ", tax_code="1300993361"),
              DemoDonor("lan", DonorKind.INDIVIDUAL, "Huỳnh Thị Lan", address="Ấp Phú Lợi")],
}
COMMUNE_RECEIPTS = {
    "28915": [DemoReceipt("tu_hai", 15_000_000, datetime.date(2025, 10, 22)),
              DemoReceipt("sau", 5_000_000, datetime.date(2025, 10, 25)),
              DemoReceipt("hidden", 3_000_000, datetime.date(2025, 11, 8))],
    "28889": [DemoReceipt("htx", 20_000_000, datetime.date(2025, 10, 31), BANK, "FT25304388150",
                          note="VNN2025MCB HTX Dua Phu My"),
              DemoReceipt("lan", 2_000_000, datetime.date(2025, 11, 4))],
}
# A receipt entered twice by the commune, and the copy reversed by the district (the level above).
DUPLICATE = ("28889", "lan")
DISTRICT_DECISION = {"number": "15/QĐ-MTTQ", "decided_on": datetime.date(2025, 12, 5), "signer": "Nguyễn Thanh Hùng",
                     "payments": [(150_000_000, Purpose.COMMUNITY_WORK, "Cầu bê tông ấp Phú Hưng, xã Phú Mỹ"),
                                  (60_000_000, Purpose.SCHOLARSHIPS,
                                   "60 suất học bổng cho học sinh nghèo vượt khó, 1.000.000 đồng/suất")]}
TET_SIGNERS = {"28915": "Trần Thị Thu", "28889": "Võ Văn Lợi"}
TET_CATEGORIES = (Category.POOR, Category.NEAR_POOR, Category.DIFFICULT)


def demo_donations_load() -> int:
    """Load the demo funds and their money; returns how many postings were written (0 when the demo
    is there already or its units and users are not)."""
    district = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, code=DISTRICT_CODE).first()
    member = User.objects.filter(username=DISTRICT_MEMBER).first()
    if district is None or member is None or Fund.objects.filter(unit=district, kind=FundKind.FOR_THE_POOR).exists():
        return 0
    with transaction.atomic():
        return _load(district, member)


def fund_name(unit: AdministrativeUnit) -> str:
    """“Quỹ Vì người nghèo xã Phú Mỹ”: the unit's name with its kind in lower case."""
    return f"Quỹ Vì người nghèo {unit.name[:1].lower()}{unit.name[1:]}"


def _load(district, member) -> int:
    from housing.demo import current_fund_parts

    before = Posting.objects.count()
    communes = list(AdministrativeUnit.objects.filter(district=district, level=Level.COMMUNE).order_by("code"))
    funds = {unit.code: Fund.objects.create(unit=unit, kind=FundKind.FOR_THE_POOR, name=fund_name(unit))
             for unit in (district, *communes)}
    district_fund = funds[DISTRICT_CODE]
    campaign = services.campaign_create(actor=member, fund=district_fund, **CAMPAIGN)
    _collect(member, district_fund, campaign, DISTRICT_DONORS, DISTRICT_RECEIPTS, pledges=PLEDGES)
    officers = {code: User.objects.select_related("unit").filter(username=username).first()
                for code, username in COMMUNE_OFFICERS.items()}
    officers = {code: officer for code, officer in officers.items() if officer is not None}
    for code, officer in officers.items():
        receipts = _collect(officer, funds[code], campaign, COMMUNE_DONORS[code], COMMUNE_RECEIPTS[code])
        if code == DUPLICATE[0]:
            by_donor = {spec.donor: receipt for spec, receipt in zip(COMMUNE_RECEIPTS[code], receipts, strict=True)}
            _entered_twice(officer, member, by_donor[DUPLICATE[1]])
    tet_households = {code: _tet_households(officer.unit) for code, officer in officers.items()}
    _allocate(member, district_fund, funds, current_fund_parts(), tet_households)
    services.decision_record(
        actor=member, fund=district_fund, number=DISTRICT_DECISION["number"],
        decided_on=DISTRICT_DECISION["decided_on"], signer=DISTRICT_DECISION["signer"],
        payments=[services.Payment(amount=amount, purpose=purpose, description=description)
                  for amount, purpose, description in DISTRICT_DECISION["payments"]])
    for code, households in tet_households.items():
        if households:
            services.decision_record(
                actor=officers[code], fund=funds[code], number="03/QĐ-MTTQ", decided_on=TET_DECISION_DAY,
                signer=TET_SIGNERS[code], earmark=Earmark.TET_GIFTS, payments=[
                    services.Payment(amount=TET_GIFT, purpose=Purpose.TET_GIFTS, household=household,
                                     description="Quà Tết Bính Ngọ 2026") for household in households])
    return Posting.objects.count() - before


def _entered_twice(officer, member, receipt: Receipt) -> None:
    """``receipt`` entered a second time by mistake, and the copy reversed by the district three
    days later (the level above a commune corrects its postings)."""
    copy = services.receipt_record(actor=officer, fund=receipt.fund, donor=receipt.donor, amount=receipt.amount,
                                   happened_on=receipt.happened_on, campaign=receipt.campaign, method=receipt.method)
    services.posting_reverse(actor=member, posting=copy.posting, happened_on=receipt.happened_on
                             + datetime.timedelta(days=3), reason=f"Nhập trùng phiếu thu {receipt.number}.")


def _tet_households(commune) -> list[Household]:
    """The households of ``commune`` that were poor, near-poor or in difficult circumstances in
    2025, by code."""
    return list(Household.objects.filter(commune=commune, statuses__year=2025,
                                         statuses__category__in=TET_CATEGORIES)
                .select_related("commune").distinct().order_by("code"))


def _allocate(member, district_fund, funds, housing_parts: dict[str, int], tet_households: dict) -> None:
    """The district's first allocation round: to each commune the Fund-for-the-Poor parts of its
    house cases (housing-earmarked money), the Tet-gift money for its households, and unrestricted
    money."""
    note = "Điều tiết Quỹ Vì người nghèo đợt 1 năm 2025"
    for code, fund in funds.items():
        if code == DISTRICT_CODE:
            continue
        for earmark, amount in ((Earmark.HOUSING, housing_parts.get(code, 0)),
                                (Earmark.TET_GIFTS, TET_GIFT * len(tet_households.get(code, ()))),
                                (Earmark.NONE, UNRESTRICTED_PER_COMMUNE)):
            if amount:
                services.transfer_record(actor=member, source=district_fund, destination=fund, amount=amount,
                                         happened_on=ALLOCATION_DAY, earmark=earmark, description=note)


def _collect(actor, fund, campaign, donors, receipts, *, pledges=None):
    """The donors kept by ``actor``'s unit, their pledges at the opening ceremony, and their
    receipts into ``fund`` for ``campaign``, in order; returns the receipts."""
    kept = {donor.key: services.donor_create(
        actor=actor, kind=donor.kind, member_organisation=donor.member_organisation, name=donor.name,
        tax_code=donor.tax_code, phone=donor.phone, address=donor.address, anonymous=donor.anonymous)
        for donor in donors}
    pledged = {key: services.pledge_record(actor=actor, campaign=campaign, donor=kept[key], amount=amount,
                                           pledged_on=OPENING_CEREMONY, note="Đăng ký tại Lễ phát động")
               for key, amount in (pledges or {}).items()}
    return [services.receipt_record(
        actor=actor, fund=fund, donor=kept[receipt.donor], amount=receipt.amount, happened_on=receipt.day,
        method=receipt.method, earmark=receipt.earmark, bank_reference=receipt.bank_reference, campaign=campaign,
        pledge=pledged[receipt.donor] if receipt.settles else None, note=receipt.note,
        attached_documents=1 if receipt.method == PaymentMethod.CASH else 0, soft_credits=receipt.soft_credits)
        for receipt in receipts]

"""Demo: Lâm Đồng's mass organisations and their work, 2014 to 2024 (seed 003, shared/DOMAIN.md "Figures
from the sources"), in the province's pre-2025 units, so that the member organisations' report for
the province over 2014-01-01..2024-12-31 reproduces the source's totals:

- 672 mass organisations (the province's and each district's associations, and the communes' Red
  Cross, elderly, education-promotion and other associations) with 520,000 members in 2024;
- about 200 consultation meetings (200), over 3,600 legal-aid programmes and cases (3,612);
- the Red Cross: 363 medical examinations with free medicine for 157,087 people, 25.5 billion đồng;
- the education-promotion associations: over 211 billion đồng for poor pupils (211.4 billion);
- the Association for Poor Patients: over 673 billion đồng (673.5 billion) — about 1,400 heart
  surgeries, 21,000 cataract surgeries, 541 corrective surgeries, and its other help.

The source gives ten-year totals only, so each is entered as yearly period records (one per year,
per district where the work is the districts'), the totals split evenly over them; how the value
divides between the surgeries and the association's other help, the members of each organisation,
and the people served by legal aid are illustrative. The source names no people served by the
study funds: none are entered.

Entered as the province's Front office enters a report it received: by its officer (demo.lamdong),
in bulk with their change history, rather than one service call per record as each unit's officer
would (about 700 organisations and 600 activities; the services' rules are those of one record,
which these figures meet). Deterministic and idempotent: nothing is added once the province has an
organisation.
"""

import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit

from ..choices import MemberOrganisation
from .choices import ActivityKind
from .models import Activity, Membership, Organisation

PROVINCE_CODE = "68"  # Tỉnh Lâm Đồng, before the July 2025 reform
OFFICER = "demo.lamdong"
YEARS = range(2014, 2025)
ORGANISATIONS = 672
MEMBERS_2024 = 520_000

CONSULTATIONS = 200
LEGAL_AID = 3_612
EXAMINATIONS, EXAMINED, EXAMINATION_VALUE = 363, 157_087, 25_500_000_000
STUDY_FUND = 211_400_000_000
POOR_PATIENTS_VALUE = 673_500_000_000
HEART, CATARACT, CORRECTIVE = 1_400, 21_000, 541
# Illustrative: what each operation cost, the rest of the association's money going to its other help.
HEART_VALUE, CATARACT_VALUE, CORRECTIVE_VALUE = 140_000_000_000, 105_000_000_000, 10_820_000_000
PEOPLE_PER_LEGAL_AID_CASE = 6

# The associations of the province and of each district, besides the four kinds every level has.
PROVINCE_OTHERS = ("Hội Luật gia", "Hội Người mù", "Hội Nạn nhân chất độc da cam/dioxin",
                   "Hội Cựu thanh niên xung phong", "Hội Đông y", "Hội Làm vườn", "Hội Sinh vật cảnh",
                   "Hội Cựu giáo chức", "Hội Văn học nghệ thuật", "Hội Nhà báo",
                   "Liên hiệp các Hội Khoa học và Kỹ thuật", "Hội Tù yêu nước")
DISTRICT_OTHERS = ("Hội Luật gia", "Hội Cựu thanh niên xung phong", "Hội Nạn nhân chất độc da cam/dioxin",
                   "Hội Người mù", "Hội Đông y", "Hội Cựu giáo chức")
LEVEL_KINDS = {
    MemberOrganisation.RED_CROSS: "Hội Chữ thập đỏ",
    MemberOrganisation.EDUCATION_PROMOTION: "Hội Khuyến học",
    MemberOrganisation.ELDERLY: "Hội Người cao tuổi",
    MemberOrganisation.POOR_PATIENTS: "Hội Bảo trợ bệnh nhân nghèo, người khuyết tật và trẻ mồ côi",
}
# The communes' associations, kind after kind and commune after commune, until the province's 672.
COMMUNE_ASSOCIATIONS = (
    (MemberOrganisation.RED_CROSS, LEVEL_KINDS[MemberOrganisation.RED_CROSS]),
    (MemberOrganisation.ELDERLY, LEVEL_KINDS[MemberOrganisation.ELDERLY]),
    (MemberOrganisation.EDUCATION_PROMOTION, LEVEL_KINDS[MemberOrganisation.EDUCATION_PROMOTION]),
    (MemberOrganisation.OTHER, "Hội Cựu thanh niên xung phong"),
    (MemberOrganisation.OTHER, "Hội Nạn nhân chất độc da cam/dioxin"),
)
# Members weigh by level: a province's association counts its own members, a commune's its chapters'.
MEMBER_WEIGHTS = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 4}


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole shares as even as can be (the first ones one more), summing to it."""
    share, rest = divmod(total, parts)
    return [share + (1 if index < rest else 0) for index in range(parts)]


def load_member_organisations() -> int:
    """Load Lâm Đồng's organisations and their activities; returns how many organisations were added
    (0 when they are there already, or the province or its officer is missing)."""
    province = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.PROVINCE, code=PROVINCE_CODE).first()
    officer = User.objects.filter(username=OFFICER).first()
    if province is None or officer is None or Organisation.objects.filter(unit__province=province).exists():
        return 0
    with transaction.atomic():
        districts = list(AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
        communes = list(AdministrativeUnit.objects.filter(province=province, level=Level.COMMUNE).order_by("code"))
        organisations = _organisations(officer, province, districts, communes)
        _members(officer, organisations)
        _activities(officer, province, districts, {(o.unit_id, o.kind, o.name): o for o in organisations})
    return len(organisations)


def _place(unit) -> str:
    """The unit's name without its level's word: "Huyện Lâm Hà" -> "huyện Lâm Hà" in a name."""
    return unit.name[:1].lower() + unit.name[1:]


def _organisations(officer, province, districts, communes) -> list[Organisation]:
    planned = [(province, kind, f"{name} {_place(province)}") for kind, name in LEVEL_KINDS.items()]
    planned += [(province, MemberOrganisation.OTHER, f"{name} {_place(province)}") for name in PROVINCE_OTHERS]
    for district in districts:
        planned += [(district, kind, f"{name} {_place(district)}") for kind, name in LEVEL_KINDS.items()]
        planned += [(district, MemberOrganisation.OTHER, f"{name} {_place(district)}") for name in DISTRICT_OTHERS]
    for kind, name in COMMUNE_ASSOCIATIONS:
        planned += [(commune, kind, f"{name} {_place(commune)}") for commune in communes]
    records = [Organisation(unit=unit, kind=kind, name=name, created_by=officer) for unit, kind, name in
               planned[:ORGANISATIONS]]
    return bulk_create_with_history(records, Organisation, default_user=officer)


def _members(officer, organisations: list[Organisation]) -> None:
    """2024's members, 520,000 in all, shared by the organisations' weights; and 2019's, a tenth fewer."""
    weights = [MEMBER_WEIGHTS[organisation.unit.level] for organisation in organisations]
    whole = sum(weights)
    counts = [MEMBERS_2024 * weight // whole for weight in weights]
    counts[0] += MEMBERS_2024 - sum(counts)
    memberships = []
    for organisation, members in zip(organisations, counts, strict=True):
        memberships.append(Membership(organisation=organisation, year=2024, members=members))
        memberships.append(Membership(organisation=organisation, year=2019, members=members * 9 // 10))
    bulk_create_with_history(memberships, Membership, default_user=officer)


def _year_records(*, unit, organisation, kind, name, occurrences, people, values, officer) -> list[Activity]:
    """One record per year of ``YEARS``, from shares of the period's totals."""
    return [Activity(unit=unit, organisation=organisation, kind=kind, name=f"{name} năm {year}",
                     starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 12, 31),
                     occurrences=count, people_served=served, value=value, recorded_by=officer,
                     note="Số liệu tổng hợp theo năm (báo Lâm Đồng, 9/2024).")
            for year, count, served, value in zip(YEARS, occurrences, people, values, strict=True)]


def _by_district(total: int, districts) -> list[list[int]]:
    """``total`` shared over the districts, then over the years: [district][year]."""
    return [split(share, len(YEARS)) for share in split(total, len(districts))]


def _activities(officer, province, districts, organisations: dict) -> None:
    def organisation(unit, kind, name):
        return organisations[(unit.pk, kind, f"{name} {_place(unit)}")]

    none = [0] * len(YEARS)
    records = _year_records(unit=province, organisation=None, kind=ActivityKind.CONSULTATION,
                            name="Hội nghị góp ý, phản biện của các hội quần chúng tỉnh",
                            occurrences=split(CONSULTATIONS, len(YEARS)), people=none, values=none, officer=officer)
    poor_patients = organisation(province, MemberOrganisation.POOR_PATIENTS,
                                 LEVEL_KINDS[MemberOrganisation.POOR_PATIENTS])
    for kind, name, operations, value in (
            (ActivityKind.HEART_SURGERY, "Phẫu thuật tim cho trẻ em và bệnh nhân nghèo", HEART, HEART_VALUE),
            (ActivityKind.CATARACT_SURGERY, "Mổ mắt đục thủy tinh thể cho người cao tuổi", CATARACT, CATARACT_VALUE),
            (ActivityKind.CORRECTIVE_SURGERY, "Phẫu thuật chỉnh hình hở môi, hàm ếch, bỏng cho trẻ em", CORRECTIVE,
             CORRECTIVE_VALUE)):
        shares = split(operations, len(YEARS))
        records += _year_records(unit=province, organisation=poor_patients, kind=kind, name=name, occurrences=shares,
                                 people=shares, values=split(value, len(YEARS)), officer=officer)
    other_help = POOR_PATIENTS_VALUE - HEART_VALUE - CATARACT_VALUE - CORRECTIVE_VALUE
    records += _year_records(unit=province, organisation=poor_patients, kind=ActivityKind.OTHER,
                             name="Hỗ trợ bệnh nhân nghèo, người khuyết tật và trẻ mồ côi",
                             occurrences=[1] * len(YEARS), people=none, values=split(other_help, len(YEARS)),
                             officer=officer)
    examinations, examined = _by_district(EXAMINATIONS, districts), _by_district(EXAMINED, districts)
    examination_value = _by_district(EXAMINATION_VALUE, districts)
    legal_aid, study_fund = _by_district(LEGAL_AID, districts), _by_district(STUDY_FUND, districts)
    for index, district in enumerate(districts):
        red_cross = organisation(district, MemberOrganisation.RED_CROSS, LEVEL_KINDS[MemberOrganisation.RED_CROSS])
        records += _year_records(unit=district, organisation=red_cross, kind=ActivityKind.MEDICAL_EXAMINATION,
                                 name="Khám bệnh, tư vấn sức khỏe và cấp thuốc miễn phí",
                                 occurrences=examinations[index], people=examined[index],
                                 values=examination_value[index], officer=officer)
        lawyers = organisation(district, MemberOrganisation.OTHER, "Hội Luật gia")
        records += _year_records(unit=district, organisation=lawyers, kind=ActivityKind.LEGAL_AID,
                                 name="Tư vấn, trợ giúp pháp lý và hòa giải ở cơ sở", occurrences=legal_aid[index],
                                 people=[cases * PEOPLE_PER_LEGAL_AID_CASE for cases in legal_aid[index]],
                                 values=none, officer=officer)
        education = organisation(district, MemberOrganisation.EDUCATION_PROMOTION,
                                 LEVEL_KINDS[MemberOrganisation.EDUCATION_PROMOTION])
        records += _year_records(unit=district, organisation=education, kind=ActivityKind.STUDY_FUND,
                                 name="Quỹ khuyến học hỗ trợ học sinh nghèo, học sinh có hoàn cảnh khó khăn",
                                 occurrences=[1] * len(YEARS), people=none, values=study_fund[index],
                                 officer=officer)
    bulk_create_with_history(records, Activity, default_user=officer)

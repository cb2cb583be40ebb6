"""Demo typical models for the quick start: the 2025 rounds of Mỏ Cày Bắc and Châu Thành districts
(Bến Tre), with the sources' example models.

Each district's communes register their models by the end of the first quarter of 2025 (a commune
of each district registers none: the synthesis shows it), the district plans and makes its
inspections, scores them against the round's criteria, holds its agency meeting in September,
recognises most (one is not recognised, one is proposed for the province's certificate of merit),
issues its numbered notice and awards certificates — Mỏ Cày Bắc's with money from its Fund for the
Poor where the fund holds it. In 2026 two communes register replicas of the recognised "digging
water wells", another district's commune visits it and the provincial paper writes about it.

Today is after those days: the district reopens its round for each commune, with the reason, to enter
the registrations kept on paper (the deadline is judged on the day an entry is made); every step
carries the day it happened. Everything goes through models_registry.services. Deterministic and
idempotent: nothing is added once Mỏ Cày Bắc's 2025 round has models. Names and figures are
illustrative.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from donations.choices import Earmark, FundKind
from donations.models import Fund
from donations.selectors import earmark_balances
from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from housing.demo import demo_officer_of  # the demo officer of each commune, shared with the housing demo

from . import services
from .choices import AwardKind, Decision, Field, SupportKind, Transition
from .models import Round, TypicalModel


@dataclass(frozen=True)
class DemoModel:
    name: str
    field: str
    leader: str
    goals: str
    budget: int
    participants: int
    scores: tuple[int, int, int, int, int]  # against the default criteria: 30, 25, 20, 15, 10
    decision: str = Decision.RECOGNISED


@dataclass(frozen=True)
class DemoDistrict:
    code: str
    member: str
    notice_number: int
    signer: str
    # The models of its communes, in the communes' code order; its last commune registers none.
    models: tuple[tuple[DemoModel, ...], ...]


WELLS = DemoModel("Đào giếng nước sạch", Field.SOCIAL_SECURITY, "Hội Liên hiệp Phụ nữ xã",
                  "Mỗi ấp có giếng nước sạch cho hộ nghèo, cận nghèo", 180_000_000, 240, (28, 24, 19, 14, 9))
DISTRICTS = (
    DemoDistrict("838", "demo.huyen", 15, "Lê Văn Phúc", (
        (WELLS, DemoModel("Ống heo tiết kiệm", Field.ECONOMY, "Chi hội Phụ nữ ấp Phước Hậu",
                          "Hội viên tiết kiệm giúp nhau vốn làm ăn", 45_000_000, 85, (25, 20, 18, 12, 8))),
        (DemoModel("Giọt nước nghĩa tình", Field.SOCIAL_SECURITY, "Đoàn Thanh niên xã",
                   "Nước uống sạch cho các điểm trường", 60_000_000, 60, (27, 22, 18, 13, 9),
                   Decision.PROPOSED_HIGHER),),
        (DemoModel("Nuôi bò sinh sản", Field.ECONOMY, "Hội Nông dân xã", "Giao bò giống xoay vòng cho hộ nghèo",
                   250_000_000, 30, (24, 18, 15, 12, 6)),),
        (DemoModel("Hội viên giúp nhau phát triển kinh tế", Field.ECONOMY, "Hội Cựu chiến binh xã",
                   "Giúp vốn, giống, kỹ thuật cho hội viên khó khăn", 120_000_000, 110, (26, 20, 17, 13, 8)),),
        (DemoModel("Mua thẻ bảo hiểm y tế cho người nghèo", Field.SOCIAL_SECURITY, "Ban Thường trực MTTQ xã",
                   "Mọi người nghèo, cận nghèo có thẻ bảo hiểm y tế", 90_000_000, 150, (15, 10, 10, 8, 4),
                   Decision.NOT_RECOGNISED),),
        (),
    )),
    DemoDistrict("831", "demo.chauthanh", 22, "Võ Minh Tâm", (
        (DemoModel("Sửa chữa nhà cho hộ nghèo", Field.SOCIAL_SECURITY, "Ban Thường trực MTTQ xã",
                   "Sửa 20 căn nhà xuống cấp cho hộ nghèo", 400_000_000, 75, (29, 22, 19, 14, 8)),),
        (DemoModel("Nhà tiêu hợp vệ sinh", Field.ENVIRONMENT, "Hội Liên hiệp Phụ nữ xã",
                   "Xóa nhà tiêu tạm, cầu cá", 150_000_000, 90, (25, 21, 17, 13, 7)),),
        (DemoModel("Xây sân xi măng", Field.ENVIRONMENT, "Hội Nông dân xã", "Sân phơi nông sản cho hộ nghèo",
                   80_000_000, 40, (23, 19, 16, 12, 7)),
         DemoModel("Thùng rác công cộng", Field.ENVIRONMENT, "Đoàn Thanh niên xã", "Thùng rác ở các tuyến đường",
                   30_000_000, 200, (24, 20, 18, 13, 8))),
        (),
    )),
)
YEAR = 2025
DEADLINE_DATES = {"deadline": datetime.date(2025, 3, 31), "mid_year_review_on": datetime.date(2025, 8, 31),
                  "final_report_on": datetime.date(2025, 11, 20)}
DRAFTED_ON = datetime.date(2025, 3, 5)
REGISTERED_ON = datetime.date(2025, 3, 20)
PLANNED_ON = datetime.date(2025, 4, 15)
INSPECTED_ON = datetime.date(2025, 7, 10)
MET_ON = datetime.date(2025, 9, 25)
NOTICE_ON = datetime.date(2025, 10, 10)
AWARDED_ON = datetime.date(2025, 12, 20)  # the year-end review
AWARD_MONEY = 2_000_000
RECIPIENTS = "- Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Bến Tre;\n- Thường trực Huyện ủy, UBND huyện;\n" \
             "- Ban Thường trực MTTQ các xã, thị trấn;\n- Lưu: VT."
READMITTED = "Nhập hồ sơ đăng ký lưu trên giấy vào hệ thống"


def demo_models_load() -> int:
    """Load the demo rounds; returns how many models were registered (0 when they are there already
    or the units and users are not)."""
    first = DISTRICTS[0]
    district = _district(first.code)
    if district is None or User.objects.filter(username=first.member).first() is None or \
            TypicalModel.objects.filter(round__unit=district, round__year=YEAR).exists():
        return 0
    with transaction.atomic():
        registered = sum(_load_district(plan) for plan in DISTRICTS)
        _load_replication()
        return registered


def _district(code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, code=code).first()


def _load_district(plan: DemoDistrict) -> int:
    district, member = _district(plan.code), User.objects.filter(username=plan.member).first()
    if district is None or member is None:
        return 0
    round_ = Round.objects.filter(unit=district, year=YEAR).first() or services.round_create(
        actor=member, unit=district, year=YEAR, **DEADLINE_DATES)
    communes = list(AdministrativeUnit.objects.filter(district=district, level=Level.COMMUNE).order_by("code"))
    made: list[tuple[TypicalModel, DemoModel]] = []
    for commune, models in zip(communes, plan.models, strict=False):
        officer = demo_officer_of(commune)
        if models:
            _reopen(member, round_, commune)
        for demo in models:
            made.append((_register(officer, demo), demo))
    for model, demo in made:
        services.inspection_plan(actor=member, model=model, officers="Ban Phong trào, Ban Dân chủ - Pháp luật",
                                 planned_on=INSPECTED_ON, decided_on=PLANNED_ON)
        scores = dict(zip([c.pk for c in services.current_criteria(round_)], demo.scores, strict=True))
        services.inspection_record(actor=member, model=model, inspected_on=INSPECTED_ON,
                                   officers="Lê Văn Phúc, Trần Minh Khoa", findings=_findings(demo), scores=scores)
    services.meeting_record(actor=member, round_=round_, held_on=MET_ON, chaired_by=plan.signer,
                            participants="Ban Thường trực, các ban chuyên môn Ủy ban MTTQ huyện",
                            models=[model for model, _demo in made])
    for model, demo in made:
        services.meeting_decide(actor=member, model=model, decision=demo.decision,
                                note="Đề nghị Ủy ban MTTQ tỉnh tặng bằng khen" if demo.decision
                                == Decision.PROPOSED_HIGHER else "")
    recognised = [model for model, demo in made if demo.decision != Decision.NOT_RECOGNISED]
    notice = services.notice_issue(actor=member, round_=round_, models=recognised, number=plan.notice_number,
                                   symbol="TB-MTTQ", issued_on=NOTICE_ON, signer=plan.signer,
                                   signer_title="CHỦ TỊCH", recipients=RECIPIENTS)
    _award(member, district, recognised, notice)
    _support(member, district, made[0][0])
    return len(made)


def _reopen(member, round_, commune) -> None:
    services.round_reopen(actor=member, round_=round_, commune=commune,
                          until=timezone.localdate() + datetime.timedelta(days=30), reason=READMITTED)


def _register(officer, demo: DemoModel, *, year: int = YEAR, replicates=None, day=REGISTERED_ON) -> TypicalModel:
    model = services.model_create(
        actor=officer, year=year, drafted_on=day - datetime.timedelta(days=15), name=demo.name, field=demo.field,
        leader_name=demo.leader, goals=demo.goals, started_on=datetime.date(year, 1, 10),
        expected_results=demo.goals, participants=demo.participants, budget=demo.budget,
        budget_sources="Xã hội hóa, đóng góp của hội viên", replicates=replicates,
        description=f"Mô hình “{demo.name}” của {officer.unit.name}.")
    for step in (Transition.REGISTER, Transition.SUBMIT):
        services.model_advance(actor=officer, model=model, step=step, happened_on=day)
    return model


def _findings(demo: DemoModel) -> str:
    total = sum(demo.scores)
    if total >= 80:
        return "Mô hình hoạt động hiệu quả, được người dân đồng tình, có khả năng nhân rộng."
    if total >= 60:
        return "Mô hình đạt kết quả, cần tiếp tục duy trì và tuyên truyền."
    return "Mô hình mới triển khai, kết quả chưa rõ, chưa đủ điều kiện công nhận."


def _award(member, district, recognised: list[TypicalModel], notice) -> None:
    """Certificates of merit; with money from the district's Fund for the Poor while it holds it."""
    fund = Fund.objects.filter(unit=district, kind=FundKind.FOR_THE_POOR).first()
    available = earmark_balances(fund)[Earmark.NONE] if fund else 0
    for model in recognised:
        with_money = available >= AWARD_MONEY
        services.award_give(actor=member, model=model, notice=notice, title="Giấy khen", awarded_on=AWARDED_ON,
                            kind=AwardKind.CERTIFICATE_AND_MONEY if with_money else AwardKind.CERTIFICATE,
                            amount=AWARD_MONEY if with_money else None, fund=fund if with_money else None)
        available -= AWARD_MONEY if with_money else 0


def _support(member, district, model: TypicalModel) -> None:
    services.support_give(actor=member, model=model, kind=SupportKind.ADVICE, given_on=datetime.date(2025, 5, 6),
                          description="Hướng dẫn chọn vị trí giếng và kiểm tra chất lượng nước")


def _load_replication() -> None:
    """2026: two communes of Mỏ Cày Bắc register replicas of the recognised wells; a Châu Thành
    commune visits it; the provincial paper writes about it."""
    wells = TypicalModel.objects.filter(name=WELLS.name, round__year=YEAR).select_related("commune").first()
    if wells is None or not wells.is_recognised:
        return
    member = User.objects.get(username=DISTRICTS[0].member)
    communes = AdministrativeUnit.objects.filter(district=wells.commune.district, level=Level.COMMUNE) \
        .exclude(pk=wells.commune_id).order_by("code")[2:4]
    round_2026 = None
    for commune in communes:
        officer = demo_officer_of(commune)
        round_2026 = round_2026 or services.round_of(commune=commune, year=2026, actor=officer)
        _reopen(member, round_2026, commune)
        _register(officer, WELLS, year=2026, replicates=wells, day=datetime.date(2026, 3, 12))
    visitor = AdministrativeUnit.objects.filter(district__code=DISTRICTS[1].code, era=Era.LEGACY,
                                                level=Level.COMMUNE).order_by("code").first()
    services.study_visit_record(actor=member, model=wells, visited_on=datetime.date(2025, 11, 5), people=30,
                                visiting_unit=visitor, note="Học tập cách vận động đóng góp")
    services.media_record(actor=member, model=wells, outlet="Báo Đồng Khởi", published_on=datetime.date(2025, 11, 12),
                          title="Giếng nước sạch cho hộ nghèo ở Mỏ Cày Bắc")

"""Demo housing records for the quick start: what the source documents report as done in Mỏ Cày
Bắc district (seed 000), and a programme of the current year with cases in every state.

- Decision 781/QĐ-UBND of 13 March 2025 (Provincial People's Committee): 104 households with
  housing difficulties, 94 new houses and 10 repairs, all handed over.
- The programme to eliminate temporary and dilapidated houses: 258 of 258 houses handed over by
  its deadline. (The sources give no split between new houses and repairs; the demo's is made up.)
- Military-Civilian Tet 2025: 30 houses built and handed over.

The programmes, their targets and the current year's cases go through the services, as the
district member and the commune officers would enter them. The 392 houses already handed over
are written in bulk (`cases_bulk_create`), each with its steps, authors, dates and handover
record: through the services they would take minutes of `make run`. Deterministic and
idempotent: nothing is added once the Decision 781 programme exists.
"""

import datetime
import random
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.services import user_create
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from households.demo import demo_household_in_need, demo_households_bulk_create

from . import services
from .choices import AttachmentKind, CaseState, ProgrammeKind, Transition, WorkKind
from .models import CaseAttachment, CaseTransition, HousingCase, Programme
from .workflow import DISTRICT, STEPS

DISTRICT_CODE = "838"  # Huyện Mỏ Cày Bắc, Bến Tre
DISTRICT_MEMBER = "demo.huyen"
# The two communes whose officers are demo users already; the others get an officer of their own.
DEMO_OFFICERS = {"28915": "demo.xa", "28889": "demo.xa2"}
NEW_HOUSE = 60_000_000  # support per new house and per repair in the 2024-2025 programme
REPAIR = 30_000_000


@dataclass(frozen=True)
class DoneProgramme:
    """A programme of the sources, all of whose houses were handed over."""

    name: str
    kind: str
    decision_number: str
    decision_date: datetime.date
    decision_issuer: str
    start_date: datetime.date
    deadline: datetime.date
    new_builds: int
    repairs: int
    notes: str = ""


DONE_PROGRAMMES = [
    DoneProgramme(
        "Hỗ trợ hộ khó khăn về nhà ở theo Quyết định 781/QĐ-UBND", ProgrammeKind.TEMPORARY_HOUSES,
        "781/QĐ-UBND", datetime.date(2025, 3, 13), "Ủy ban nhân dân tỉnh Bến Tre",
        datetime.date(2025, 3, 13), datetime.date(2025, 8, 31), new_builds=94, repairs=10,
        notes="104 hộ gia đình khó khăn về nhà ở: 94 hộ xây mới, 10 hộ sửa chữa.",
    ),
    DoneProgramme(
        "Xóa nhà tạm, nhà dột nát huyện Mỏ Cày Bắc 2024-2025", ProgrammeKind.TEMPORARY_HOUSES,
        "1520/KH-UBND", datetime.date(2024, 6, 20), "Ủy ban nhân dân huyện Mỏ Cày Bắc",
        datetime.date(2024, 7, 1), datetime.date(2025, 8, 31), new_builds=186, repairs=72,
        notes="Hoàn thành 258/258 căn đúng tiến độ. Số hiệu kế hoạch và tỷ lệ xây mới/sửa chữa là dữ liệu minh họa.",
    ),
    DoneProgramme(
        "Tết Quân - Dân 2025", ProgrammeKind.MILITARY_CIVILIAN_TET,
        "2468/KH-BCH", datetime.date(2024, 10, 15), "Bộ Chỉ huy Quân sự tỉnh Bến Tre",
        datetime.date(2024, 11, 1), datetime.date(2025, 1, 25), new_builds=30, repairs=0,
        notes="Vận động xây dựng và bàn giao 30 căn nhà dịp Tết Quân - Dân 2025. "
              "Số hiệu kế hoạch là dữ liệu minh họa.",
    ),
]

# The current year's programme: (state, kind of work) of each case, in the two demo communes
# and three others, so that every state and a commune behind schedule show.
CURRENT_CASES = {
    "28915": [(CaseState.PROPOSED, WorkKind.NEW_BUILD), (CaseState.SURVEYED, WorkKind.NEW_BUILD),
              (CaseState.APPROVED, WorkKind.REPAIR), (CaseState.CONSTRUCTION_STARTED, WorkKind.NEW_BUILD),
              (CaseState.COMPLETED, WorkKind.NEW_BUILD), (CaseState.HANDED_OVER, WorkKind.NEW_BUILD),
              (CaseState.HANDED_OVER, WorkKind.REPAIR), (CaseState.REJECTED, WorkKind.NEW_BUILD),
              (CaseState.CANCELLED, WorkKind.REPAIR)],
    "28889": [(CaseState.PROPOSED, WorkKind.REPAIR), (CaseState.SURVEYED, WorkKind.NEW_BUILD),
              (CaseState.CONSTRUCTION_STARTED, WorkKind.NEW_BUILD), (CaseState.HANDED_OVER, WorkKind.NEW_BUILD)],
    "28901": [(CaseState.HANDED_OVER, WorkKind.NEW_BUILD), (CaseState.HANDED_OVER, WorkKind.NEW_BUILD),
              (CaseState.COMPLETED, WorkKind.REPAIR)],
    "28906": [(CaseState.APPROVED, WorkKind.NEW_BUILD)],
    "28921": [(CaseState.CONSTRUCTION_STARTED, WorkKind.NEW_BUILD), (CaseState.HANDED_OVER, WorkKind.REPAIR)],
}
CURRENT_TARGETS = {"28915": (5, 2), "28889": (3, 1), "28901": (2, 1), "28906": (3, 0), "28921": (2, 1)}
# The steps that lead to each state, after the proposal.
PATHS = {
    CaseState.PROPOSED: [],
    CaseState.SURVEYED: [Transition.SURVEY],
    CaseState.APPROVED: [Transition.SURVEY, Transition.APPROVE],
    CaseState.REJECTED: [Transition.SURVEY, Transition.REJECT],
    CaseState.CONSTRUCTION_STARTED: [Transition.SURVEY, Transition.APPROVE, Transition.START],
    CaseState.COMPLETED: [Transition.SURVEY, Transition.APPROVE, Transition.START, Transition.COMPLETE],
    CaseState.HANDED_OVER: [Transition.SURVEY, Transition.APPROVE, Transition.START, Transition.COMPLETE,
                            Transition.HAND_OVER],
    CaseState.CANCELLED: [Transition.SURVEY, Transition.APPROVE, Transition.CANCEL],
}


def demo_housing_load() -> int:
    """Load the demo programmes and cases; returns how many cases were created."""
    district = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, code=DISTRICT_CODE).first()
    member = User.objects.filter(username=DISTRICT_MEMBER).first()
    if district is None or member is None or Programme.objects.filter(decision_number="781/QĐ-UBND").exists():
        return 0
    communes = list(AdministrativeUnit.objects.filter(district=district, level=Level.COMMUNE).order_by("code"))
    officers = {commune.code: demo_officer_of(commune) for commune in communes}
    rng = random.Random(838)  # noqa: S311 - demo data, not secrets
    handover_record = _handover_record_pdf()
    created = 0
    for number, done in enumerate(DONE_PROGRAMMES):
        # Each programme's households get citizen IDs from a range of their own.
        created += _load_done_programme(done, district, member, officers, rng, handover_record,
                                        first_serial=700_000 + 1_000 * number)
    return created + _load_current_programme(district, member, officers, rng, handover_record)


def demo_officer_of(commune: AdministrativeUnit) -> User:
    username = DEMO_OFFICERS.get(commune.code, f"demo.xa.{commune.code}")
    officer = User.objects.filter(username=username).first()
    if officer is None:
        officer = user_create(actor=None, username=username, password=None, role=Role.COMMUNE_OFFICER,
                              unit=commune, first_name=f"Mặt trận {commune.name}", last_name="Cán bộ")
        # The demo password, hashed once for every demo officer (hashing it anew costs a third
        # of a second each, on every fresh `make run`).
        officer.password = User.objects.get(username=DEMO_OFFICERS["28915"]).password
        User.objects.filter(pk=officer.pk).update(password=officer.password)
    return officer


def _spread(total: int, communes: list[str], rng: random.Random) -> dict[str, int]:
    """``total`` houses over ``communes``, every commune getting its share and the rest at random."""
    counts = dict.fromkeys(communes, total // len(communes))
    for code in rng.sample(communes, total % len(communes)):
        counts[code] += 1
    return counts


def _load_done_programme(done: DoneProgramme, district, member, officers, rng, handover_record, *,
                         first_serial: int) -> int:
    programme = services.programme_create(
        actor=member, name=done.name, kind=done.kind, decision_number=done.decision_number,
        decision_date=done.decision_date, decision_issuer=done.decision_issuer, unit=district,
        start_date=done.start_date, deadline=done.deadline, new_build_support=NEW_HOUSE, repair_support=REPAIR,
        new_build_target=done.new_builds, repair_target=done.repairs, notes=done.notes,
    )
    codes = list(officers)
    new_builds, repairs = _spread(done.new_builds, codes, rng), _spread(done.repairs, codes, rng)
    services.programme_targets_set(actor=member, programme=programme, targets={
        officers[code].unit_id: (new_builds[code], repairs[code]) for code in codes})
    length = (done.deadline - done.start_date).days
    specs = []
    for code in codes:
        for kind, count in ((WorkKind.NEW_BUILD, new_builds[code]), (WorkKind.REPAIR, repairs[code])):
            for _ in range(count):
                start = done.start_date + datetime.timedelta(days=rng.randrange(10, max(11, length // 2)))
                finished = min(start + datetime.timedelta(days=rng.randrange(30, 60)), done.deadline)
                specs.append(CaseSpec(officer=officers[code], work_kind=kind, state=CaseState.HANDED_OVER,
                                      started=start, finished=finished,
                                      handed_over=min(finished + datetime.timedelta(days=2), done.deadline)))
    return len(cases_bulk_create(programme=programme, approver=member, specs=specs, rng=rng,
                                 handover_record=handover_record, first_serial=first_serial))


@dataclass(frozen=True)
class CaseSpec:
    """A case to write in bulk: whose commune, what work, how far it got and when."""

    officer: User
    work_kind: str
    state: str
    started: datetime.date
    finished: datetime.date
    handed_over: datetime.date

    @property
    def surveyed(self) -> datetime.date:
        return self.started - datetime.timedelta(days=20)


def cases_bulk_create(*, programme: Programme, approver: User, specs: list[CaseSpec], rng,
                      handover_record: str, first_serial: int) -> list[HousingCase]:
    """Write ``specs`` as cases of ``programme``, each for a new household of its officer's
    commune, with the fields, steps (the officer's, and ``approver``'s decisions), history and,
    once handed over, the handover record (``handover_record``: one stored file, shared). The
    households' citizen IDs take the serials from ``first_serial`` on (see
    demo_households_bulk_create)."""
    cases = []
    for officer, officer_specs in _by_officer(specs).items():
        households = demo_households_bulk_create(officer=officer, count=len(officer_specs), rng=rng,
                                                 first_serial=first_serial + len(cases))
        batch = [_bulk_case(programme, officer, household, spec, rng)
                 for household, spec in zip(households, officer_specs, strict=True)]
        cases += bulk_create_with_history(batch, HousingCase, default_user=officer)
    CaseTransition.objects.bulk_create(
        [step for case, spec in zip(cases, _ordered(specs), strict=True)
         for step in _bulk_steps(case, spec, approver)])
    CaseAttachment.objects.bulk_create([
        CaseAttachment(case=case, kind=AttachmentKind.HANDOVER_RECORD, file=handover_record,
                       original_name="bien-ban-ban-giao.pdf", content_type="application/pdf",
                       size=default_storage.size(handover_record), uploaded_by=case.proposed_by)
        for case in cases if case.state == CaseState.HANDED_OVER])
    return cases


def _by_officer(specs: list[CaseSpec]) -> dict[User, list[CaseSpec]]:
    grouped: dict[User, list[CaseSpec]] = {}
    for spec in specs:
        grouped.setdefault(spec.officer, []).append(spec)
    return grouped


def _ordered(specs: list[CaseSpec]) -> list[CaseSpec]:
    """``specs`` in the order cases_bulk_create writes them (grouped by officer)."""
    return [spec for group in _by_officer(specs).values() for spec in group]


def _bulk_case(programme, officer, household, spec: CaseSpec, rng) -> HousingCase:
    reached = PATHS[spec.state]
    cost = _cost(spec.work_kind, rng)
    case = HousingCase(programme=programme, household=household, commune=officer.unit, work_kind=spec.work_kind,
                       state=spec.state, current_condition=rng.choice(CONDITIONS), proposed_by=officer,
                       **_funding(programme, spec.work_kind, cost, rng))
    if Transition.SURVEY in reached:
        case.survey_date, case.survey_findings = spec.surveyed, rng.choice(FINDINGS)
    if Transition.START in reached:
        case.start_date = spec.started
    if Transition.COMPLETE in reached:
        case.completion_date, case.final_cost = spec.finished, cost + rng.randrange(-3, 4) * 1_000_000
    if Transition.HAND_OVER in reached:
        case.handover_date = spec.handed_over
    return case


def _bulk_steps(case: HousingCase, spec: CaseSpec, approver: User) -> list[CaseTransition]:
    """The proposal and every step up to the case's state, by whom and when they were taken."""
    days = {Transition.SURVEY: spec.surveyed, Transition.APPROVE: spec.surveyed + datetime.timedelta(days=5),
            Transition.REJECT: spec.surveyed + datetime.timedelta(days=5), Transition.START: spec.started,
            Transition.COMPLETE: spec.finished, Transition.HAND_OVER: spec.handed_over,
            Transition.CANCEL: spec.started}
    # Entered now, all at once, as a past programme is: each step carries the day it happened.
    steps = [CaseTransition(case=case, name="", from_state="", to_state=CaseState.PROPOSED, actor=case.proposed_by,
                            happened_on=spec.surveyed - datetime.timedelta(days=10))]
    for name in PATHS[spec.state]:
        step = STEPS[name]
        actor = approver if step.by == DISTRICT else case.proposed_by
        steps.append(CaseTransition(case=case, name=name, from_state=steps[-1].to_state, to_state=step.target,
                                    actor=actor, happened_on=days[name], note=NOTES.get(name, "")))
    return steps


def _cost(kind: str, rng) -> int:
    return rng.randrange(62, 95) * 1_000_000 if kind == WorkKind.NEW_BUILD else rng.randrange(30, 45) * 1_000_000


def _funding(programme: Programme, kind: str, cost: int, rng) -> dict:
    """The funding plan: the programme's full support (from the army for the Military-Civilian
    Tet, otherwise half state budget and half Fund for the Poor), the rest from the family."""
    support = programme.support_for(kind)
    plan = {"estimated_cost": cost, "family_amount": cost - support, "labour_days": rng.randrange(0, 40)}
    if programme.kind == ProgrammeKind.MILITARY_CIVILIAN_TET:
        return {**plan, "army_amount": support, "army_unit": "Bộ Chỉ huy Quân sự tỉnh Bến Tre"}
    return {**plan, "state_budget": support - _fund_part(support), "fund_for_the_poor": _fund_part(support)}


def _fund_part(support: int) -> int:
    """The Fund-for-the-Poor part of a demo plan's support (the state budget gives the rest)."""
    return support - support // 2


def current_fund_parts() -> dict[str, int]:
    """{commune code: the Fund-for-the-Poor parts of its cases in the current year's programme that
    are approved or further}: what the donations demo (loaded before this one) passes to each
    commune's Fund for the Poor, so that starting construction, here or later in the demo, is paid
    (the housing link) and not refused."""
    parts = {}
    for code, cases in CURRENT_CASES.items():
        committed = [kind for state, kind in cases if Transition.APPROVE in PATHS[state]
                     and state != CaseState.CANCELLED]
        parts[code] = sum(_fund_part(NEW_HOUSE if kind == WorkKind.NEW_BUILD else REPAIR) for kind in committed)
    return parts


def _load_current_programme(district, member, officers, rng, handover_record) -> int:
    today = timezone.localdate()
    programme = services.programme_create(
        actor=member, name=f"Nhà Đại đoàn kết năm {today.year}", kind=ProgrammeKind.GREAT_SOLIDARITY, unit=district,
        decision_number="12/KH-MTTQ-BTT", decision_date=datetime.date(today.year, 1, 10),
        decision_issuer="Ban Thường trực Ủy ban MTTQ Việt Nam huyện Mỏ Cày Bắc",
        start_date=datetime.date(today.year, 1, 15), deadline=datetime.date(today.year, 12, 31),
        new_build_support=NEW_HOUSE, repair_support=REPAIR, new_build_target=15, repair_target=5,
        notes="Quỹ Vì người nghèo huyện hỗ trợ; dữ liệu minh họa quy trình.",
    )
    services.programme_targets_set(actor=member, programme=programme, targets={
        officers[code].unit_id: values for code, values in CURRENT_TARGETS.items()})
    created = 0
    for code, cases in CURRENT_CASES.items():
        for number, (state, kind) in enumerate(cases):
            started = today - datetime.timedelta(days=100 - 7 * number)
            finished = min(started + datetime.timedelta(days=45), today)
            _case_through(programme, officers[code], member, kind, state, rng, handover_record,
                          started=started, finished=finished, handed_over=min(finished + datetime.timedelta(days=3),
                                                                              today))
            created += 1
    return created


def _case_through(programme, officer, member, kind, state, rng, handover_record, *, started, finished,
                  handed_over):
    """Propose a case for a new household of ``officer``'s commune and take it to ``state``
    through the services, each step by the role that takes it."""
    household = demo_household_in_need(rng, officer, hamlet=f"Ấp {rng.randrange(1, 8)}")
    cost = _cost(kind, rng)
    surveyed = started - datetime.timedelta(days=20)
    decided = surveyed + datetime.timedelta(days=5)
    case = services.case_propose(actor=officer, household=household, programme=programme, data=services.CaseData(
        work_kind=kind, current_condition=rng.choice(CONDITIONS), **_funding(programme, kind, cost, rng)),
        proposed_on=surveyed - datetime.timedelta(days=10))
    # Each step goes through the services with the day it happened, as an officer entering past
    # work would give it.
    steps = {
        Transition.SURVEY: (officer, {"survey_date": surveyed, "survey_findings": rng.choice(FINDINGS)}),
        Transition.APPROVE: (member, {"decided_on": decided}),
        Transition.REJECT: (member, {"decided_on": decided, "note": NOTES[Transition.REJECT]}),
        Transition.START: (officer, {"start_date": started}),
        Transition.COMPLETE: (officer, {"completion_date": finished,
                                        "final_cost": cost + rng.randrange(-3, 4) * 1_000_000}),
        Transition.HAND_OVER: (officer, {"handover_date": handed_over, "handover_record": SimpleUploadedFile(
            "bien-ban-ban-giao.pdf", default_storage.open(handover_record).read())}),
        Transition.CANCEL: (member, {"decided_on": started, "note": NOTES[Transition.CANCEL]}),
    }
    for step in PATHS[state]:
        actor, values = steps[step]
        services.case_advance(actor=actor, case=case, step=step, **values)


def _handover_record_pdf() -> str:
    """A one-page PDF standing in for a signed handover record, stored once; its name."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 80), "BIEN BAN BAN GIAO NHA - du lieu minh hoa (demo)", fill="black")
    output = BytesIO()
    page.save(output, format="PDF")
    return default_storage.save("housing/demo/bien-ban-ban-giao.pdf", ContentFile(output.getvalue()))


NOTES = {
    Transition.REJECT: "Hộ đã được hỗ trợ nhà ở từ chương trình khác.",
    Transition.CANCEL: "Gia đình chuyển đến ở với con tại địa phương khác.",
}
CONDITIONS = [
    "Nhà tạm vách lá, mái tôn thủng, nền đất.",
    "Nhà xuống cấp, cột gỗ mục, mái dột khi mưa.",
    "Nhà tre lá dột nát, không đảm bảo an toàn mùa mưa bão.",
    "Tường nứt, mái ngói vỡ nhiều chỗ.",
]
FINDINGS = [
    "Đúng đối tượng hộ nghèo, nhà dột nát; đề nghị hỗ trợ.",
    "Hộ cận nghèo, nhà tạm; gia đình có đất ở ổn định.",
    "Nhà xuống cấp nặng, chủ hộ cao tuổi sống một mình.",
]

"""The printed papers of the typical models: the recognition notice (thông báo công nhận), the score
sheet the inspectors fill in on site, and the certificate of merit (giấy khen) given with an award.

Each has the standard heading of the Front's documents (the issuing committee top left, with the
notice's number under it; "MẶT TRẬN TỔ QUỐC VIỆT NAM" top right, with the place and date), is laid
out by WeasyPrint with the DejaVu fonts like the reports and the receipt, and is a paper signed and
stamped, not a page of the interface: its fixed wording is Vietnamese whatever language the officer
reads, so it is written here in Vietnamese and not marked for translation. What comes from the
lists of the app (the fields) is printed in Vietnamese too: everything is rendered under
``translation.override("vi")``.

The committee is the one that runs the round: the district's standing committee, or the province's
for the communes of the current units (which have no district).
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from frontwelfare.reports import documents as formal
from frontwelfare.reports.documents import ISSUER, ON_BEHALF, STANDING_COMMITTEE, Masthead, date_line, reference_line
from frontwelfare.reports.figures import place_name
from frontwelfare.reports.writers.pdf import url_fetcher
from frontwelfare.templatetags.frontwelfare import vnd

from .models import Award, Inspection, Notice, Round, TypicalModel

NOTICE_TEMPLATE = "models_registry/documents/notice.pdf.html"
SCORE_SHEET_TEMPLATE = "models_registry/documents/score_sheet.pdf.html"
CERTIFICATE_TEMPLATE = "models_registry/documents/certificate.pdf.html"

NOTICE_TITLE = "THÔNG BÁO"
NOTICE_HEADINGS = ("STT", "Tên mô hình", "Đơn vị (xã)", "Lĩnh vực", "Điểm")
SCORE_SHEET_TITLE = "PHIẾU CHẤM ĐIỂM"
SCORE_SHEET_HEADINGS = ("STT", "Tiêu chí", "Nội dung đánh giá", "Điểm tối đa", "Điểm chấm", "Ghi chú")
TOTAL = "Tổng cộng"
# A line left to be written by hand, and the date line of a sheet dated on site.
DOTS = "……………………………………………………………"
BLANK_DATE = "…………………, ngày …… tháng …… năm ………"
# The score sheet's signatures, left to right, each with the note printed under the title.
SHEET_SIGNATURES = (
    ("ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA", "(Ký, ghi rõ họ tên)"),
    ("THÀNH VIÊN ĐOÀN KIỂM TRA", "(Ký, ghi rõ họ tên)"),
)
CERTIFICATE_TITLE = "GIẤY KHEN"
ACHIEVEMENT = "Đã có thành tích xây dựng mô hình điển hình năm {year}"


def committee_name(unit) -> str:
    """The committee that runs the round, as a sentence names it: "Ban Thường trực Ủy ban MTTQ Việt
    Nam huyện Mỏ Cày Bắc" (the unit's type word in lower case inside a sentence)."""
    return f"Ban Thường trực Ủy ban MTTQ Việt Nam {unit.name[:1].lower()}{unit.name[1:]}"


def masthead(unit, *, reference: str = "", day: datetime.date | None = None) -> Masthead:
    """The heading every formal document shares (reports.documents), for the committee of ``unit``."""
    return formal.masthead(unit.name, reference=reference, place=place_name(unit), day=day)


def _pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context), url_fetcher=url_fetcher()).write_pdf()


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# -- the recognition notice ------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeLine:
    number: int
    name: str
    commune: str
    field: str
    score: int | None


def notice_pdf(notice: Notice) -> bytes:
    """``notice`` printed in the official layout: heading with its number and date, title, what it
    rests on (the round's inspection and agency meeting), the models recognised with their scores,
    "Nơi nhận" and the signature. Two queries, whatever the number of models."""
    with translation.override("vi"):
        return _pdf(NOTICE_TEMPLATE, notice_context(notice))


def notice_context(notice: Notice) -> dict:
    round_ = Round.objects.select_related("unit").get(pk=notice.round_id)
    models = list(notice.recognised_models.select_related("commune", "inspection", "meeting_item__meeting")
                  .order_by("commune__code", "name", "pk"))
    lines = [NoticeLine(number, model.name, model.commune.name, model.get_field_display(), _score(model))
             for number, model in enumerate(models, start=1)]
    unit = round_.unit
    return {
        "notice": notice,
        "masthead": masthead(unit, reference=reference_line(notice.number, notice.symbol), day=notice.issued_on),
        "title": NOTICE_TITLE,
        "subject": f"Công nhận mô hình điển hình năm {round_.year}",
        "grounds": _grounds(round_, models),
        "announcement": (f"{committee_name(unit)} thông báo công nhận {len(models)} mô hình điển hình năm "
                         f"{round_.year} sau đây:"),
        "closing_words": (f"{committee_name(unit)} đề nghị Ủy ban MTTQ Việt Nam các xã, thị trấn có mô hình được công "
                    "nhận tiếp tục duy trì, phát huy hiệu quả và nhân rộng mô hình trong thời gian tới./."),
        "headings": NOTICE_HEADINGS,
        "lines": lines,
        "closing": formal.closing(recipients=notice.recipient_lines(), signer_title=notice.signer_title,
                                  signer=notice.signer),
    }


def _score(model: TypicalModel) -> int | None:
    """The score the meeting was given (the inspection's total), or the inspection's own."""
    item = getattr(model, "meeting_item", None)
    if item is not None:
        return item.score
    inspection = getattr(model, "inspection", None)
    return inspection.total_score if inspection is not None else None


def _grounds(round_: Round, models: list[TypicalModel]) -> str:
    """What the notice rests on: "Căn cứ kết quả kiểm tra thực tế ... (ngày 12/06/2025) và kết quả
    cuộc họp cơ quan ngày 05/09/2025;" with the days of the models' inspections and meetings."""
    inspected = sorted({model.inspection.inspected_on for model in models if getattr(model, "inspection", None)})
    met = sorted({model.meeting_item.meeting.held_on for model in models if getattr(model, "meeting_item", None)})
    words = (f"Căn cứ kết quả kiểm tra thực tế các mô hình điển hình năm {round_.year} do Ủy ban MTTQ Việt Nam "
             "các xã, thị trấn đăng ký")
    if inspected:
        words += f" ({_days(inspected)})"
    if met:
        words += f" và kết quả cuộc họp cơ quan {_days(met, several='các ngày')}"
    return words + ";"


def _days(days: list[datetime.date], *, several: str = "") -> str:
    """"ngày 12/06/2025"; "từ ngày 12/06/2025 đến ngày 20/06/2025" (or, with ``several``, each day:
    "các ngày 05/09/2025, 12/09/2025")."""
    if len(days) == 1:
        return f"ngày {_day(days[0])}"
    if several:
        return f"{several} {', '.join(_day(day) for day in days)}"
    return f"từ ngày {_day(days[0])} đến ngày {_day(days[-1])}"


# -- the score sheet -------------------------------------------------------------------------------


def score_sheet_pdf(round_: Round, model: TypicalModel | None = None) -> bytes:
    """The round's criteria in force (its version printed), as a sheet to fill in on site: the
    model's name and commune written in when ``model`` is given, dotted lines otherwise; a box to
    score each criterion; the inspectors' signatures and a date left to write. A model already
    inspected gets the version it was scored against, so the paper matches its scores."""
    with translation.override("vi"):
        return _pdf(SCORE_SHEET_TEMPLATE, score_sheet_context(round_, model))


def score_sheet_context(round_: Round, model: TypicalModel | None = None) -> dict:
    round_ = Round.objects.select_related("unit").get(pk=round_.pk)
    inspection = Inspection.objects.filter(model=model).first() if model is not None else None
    version = inspection.criteria_version if inspection is not None else round_.criteria_version
    criteria = list(round_.criteria.filter(version=version).order_by("position"))
    facts = [
        ("Tên mô hình", model.name if model else ""),
        ("Đơn vị (xã)", model.commune.name if model else ""),
        ("Lĩnh vực", model.get_field_display() if model else ""),
        ("Đơn vị, cá nhân chủ trì", model.leader if model else ""),
        ("Ngày kiểm tra", ""),
    ]
    return {
        "round": round_,
        "masthead": masthead(round_.unit),
        "title": SCORE_SHEET_TITLE,
        "subject": f"Mô hình điển hình năm {round_.year}",
        "version": f"(Bộ tiêu chí phiên bản {version})",
        "facts": [(label, value or DOTS) for label, value in facts],
        "headings": SCORE_SHEET_HEADINGS,
        "criteria": criteria,
        "total_words": TOTAL,
        "total": sum(criterion.weight for criterion in criteria),
        "remarks": "Nhận xét, đánh giá chung:",
        "dots": DOTS * 2,
        "place_and_date": BLANK_DATE,
        "signatures": SHEET_SIGNATURES,
    }


# -- the certificate of merit ----------------------------------------------------------------------


def certificate_pdf(award: Award) -> bytes:
    """The certificate of merit (giấy khen) of ``award``, on a landscape A4 sheet: the committee,
    whom it is given to (who leads the model, of which commune) and for which model, the money
    that comes with it, the notice it follows, the place, date and signature (the notice's signer)."""
    with translation.override("vi"):
        return _pdf(CERTIFICATE_TEMPLATE, certificate_context(award))


def certificate_context(award: Award) -> dict:
    award = Award.objects.select_related("model__commune", "model__round__unit", "model__leader_organisation",
                                         "notice").get(pk=award.pk)
    model, notice = award.model, award.notice
    unit, year = model.round.unit, model.round.year
    commune = model.commune.name
    leader = model.leader
    return {
        "award": award,
        "masthead": masthead(unit),
        "committee": f"{STANDING_COMMITTEE} {ISSUER} {unit.name.upper()}",
        "title": CERTIFICATE_TITLE,
        "given_to": leader or f"Ủy ban MTTQ Việt Nam {commune}",
        "commune": commune if leader else "",
        "model_name": f"Mô hình “{model.name}”",
        "achievement": ACHIEVEMENT.format(year=year),
        "money": f"kèm theo tiền thưởng {vnd(award.amount)}" if award.amount else "",
        "reference": (f"Theo Thông báo số {notice.reference} ngày {_day(notice.issued_on)} của "
                      f"{committee_name(unit)}") if notice is not None else "",
        "place_and_date": date_line(place_name(unit), award.awarded_on),
        "on_behalf": ON_BEHALF,
        "signer_title": notice.signer_title.upper() if notice is not None else "",
        "signer": notice.signer if notice is not None else "",
    }

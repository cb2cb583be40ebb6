"""The printed papers of the typical models (models_registry.documents), read back with pdftotext:
the recognition notice in the official layout (number and symbol, place and date, the models and
their scores, "Nơi nhận", the signature), the blank score sheet of the round's criteria in force,
and the certificate of merit with its money; Vietnamese whatever language is active."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import translation

from donations.choices import Earmark
from frontwelfare.areas.choices import Level
from models_registry import documents, services
from models_registry.choices import AwardKind, Decision, Field, ModelState
from models_registry.documents import certificate_pdf, notice_pdf, score_sheet_pdf

from ..donations.factories import fund_of, receipt_into
from ..factories import CommuneFactory, CommuneOfficerFactory, ProvincialOfficerFactory
from .factories import INSPECTED_ON, MET_ON, model_in_state

ISSUED_ON = datetime.date(2025, 10, 10)
RECIPIENTS = "Ban Thường trực UB MTTQ tỉnh;\nThường trực Huyện ủy;\n- UBND huyện;\nLưu: VT."
WELLS, PIGGY, OUTSIDER = "Đào giếng nước sạch", "Heo đất tiết kiệm", "Sân xi măng Tân Thạch"


def pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    assert content.startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()


def one_line(text: str) -> str:
    """The text with its lines joined: a long value may wrap on the page."""
    return " ".join(text.split())


def pages(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True, timeout=60).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def recognised(commune, *, name: str, field: str, points: list[int], approver=None):
    """A model of ``commune`` inspected with ``points`` (one per criterion), presented and recognised."""
    model = model_in_state(ModelState.PLANNED, officer=CommuneOfficerFactory(unit=commune), approver=approver,
                           name=name, field=field)
    approver = approver or _approver(commune)
    criteria = services.current_criteria(model.round)
    services.inspection_record(actor=approver, model=model, inspected_on=INSPECTED_ON, officers="Ông A, bà B",
                               findings="Hoạt động tốt",
                               scores={criterion.pk: value for criterion, value in zip(criteria, points, strict=True)})
    services.meeting_record(actor=approver, round_=model.round, held_on=MET_ON, chaired_by="Chủ tịch",
                            participants="Ban Thường trực", models=[model])
    services.meeting_decide(actor=approver, model=model, decision=Decision.RECOGNISED)
    model.refresh_from_db()
    return model


def _approver(commune):
    from .factories import approver_of

    return approver_of(commune)


@pytest.fixture
def notice(world):
    approver = world.district_member
    wells = recognised(world.commune, name=WELLS, field=Field.SOCIAL_SECURITY, points=[28, 22, 18, 14, 9],
                       approver=approver)
    piggy = recognised(world.sibling_commune, name=PIGGY, field=Field.ECONOMY, points=[25, 20, 15, 12, 8],
                       approver=approver)
    recognised(world.other_district_commune, name=OUTSIDER, field=Field.ENVIRONMENT, points=[30, 25, 20, 15, 10])
    return services.notice_issue(actor=approver, round_=wells.round, models=[wells, piggy], number=15,
                                 symbol="TB-MTTQ", issued_on=ISSUED_ON, signer="Nguyễn Văn Bình",
                                 signer_title="Phó Chủ tịch", recipients=RECIPIENTS)


def _field(value: str) -> str:
    with translation.override("vi"):
        return str(Field(value).label)


def test_the_notice_prints_its_number_date_models_scores_recipients_and_signer(world, notice):
    with translation.override("en"):  # an official paper: Vietnamese whatever the reader's language
        text = pdf_text(notice_pdf(notice))
    flat = one_line(text)
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN MỎ CÀY BẮC BAN THƯỜNG TRỰC" in flat
    assert "Số: 15/TB-MTTQ" in flat
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in flat
    assert "Mỏ Cày Bắc, ngày 10 tháng 10 năm 2025" in flat
    assert "THÔNG BÁO Công nhận mô hình điển hình năm 2025" in flat
    assert "cuộc họp cơ quan ngày 05/09/2025" in flat and "(ngày 12/06/2025)" in flat
    assert "thông báo công nhận 2 mô hình điển hình năm 2025" in flat
    assert "STT Tên mô hình Đơn vị (xã) Lĩnh vực Điểm" in flat
    # By commune code: Phú Mỹ (28889) before Phước Mỹ Trung (28915); the score is the meeting's.
    assert f"1 {PIGGY} Xã Phú Mỹ {_field(Field.ECONOMY)} 80" in flat
    assert f"2 {WELLS} Thị trấn Phước Mỹ Trung {_field(Field.SOCIAL_SECURITY)} 91" in flat
    assert OUTSIDER not in flat and "Tân Thạch" not in flat
    assert ("Nơi nhận: - Ban Thường trực UB MTTQ tỉnh; - Thường trực Huyện ủy; - UBND huyện; - Lưu: VT."
            in flat)
    assert "TM. BAN THƯỜNG TRỰC PHÓ CHỦ TỊCH" in flat
    assert flat.rstrip().endswith("Nguyễn Văn Bình")
    assert pages(notice_pdf(notice)) == 1


def test_the_notice_takes_two_queries_whatever_the_number_of_models(world, notice, django_assert_num_queries):
    with django_assert_num_queries(2):  # the round with its unit; the models with commune, inspection, meeting
        documents.notice_context(notice)


def test_a_province_rounds_notice_is_issued_by_the_provinces_committee(world):
    current = CommuneFactory(parent=world.province, district=None, era="current", name="Xã Thạnh Phú",
                             code="28999")
    provincial = ProvincialOfficerFactory(unit=world.province)
    model = recognised(current, name="Xây nhà vệ sinh", field=Field.ENVIRONMENT, points=[20, 20, 20, 10, 10],
                       approver=provincial)
    assert model.round.unit == world.province and world.province.level == Level.PROVINCE
    notice = services.notice_issue(actor=provincial, round_=model.round, models=[model], number=3, symbol="TB-MTTQ",
                                   issued_on=ISSUED_ON, signer="Lê Văn C", signer_title="Chủ tịch",
                                   recipients="Lưu VT")
    flat = one_line(pdf_text(notice_pdf(notice)))
    assert "ỦY BAN MTTQ VIỆT NAM TỈNH BẾN TRE BAN THƯỜNG TRỰC" in flat
    assert "Số: 3/TB-MTTQ" in flat and "Bến Tre, ngày 10 tháng 10 năm 2025" in flat
    assert f"1 Xây nhà vệ sinh Xã Thạnh Phú {_field(Field.ENVIRONMENT)} 80" in flat
    assert "TM. BAN THƯỜNG TRỰC CHỦ TỊCH" in flat


# -- the score sheet ----------------------------------------------------------------------------------

NEW_CRITERIA = [("Hiệu quả kinh tế - xã hội", "Thu nhập, việc làm tạo ra", 40),
                ("Nhân rộng", "Số xã học tập", 35), ("Đổi mới", "Cách làm mới", 25)]


def test_the_blank_score_sheet_prints_the_criteria_in_force_with_their_weights(world, notice):
    round_ = notice.round
    # Version 1 has scored inspections: changing the criteria makes version 2, which is in force.
    assert services.criteria_set(actor=world.district_member, round_=round_, criteria=NEW_CRITERIA) == 2
    flat = one_line(pdf_text(score_sheet_pdf(round_)))
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN MỎ CÀY BẮC BAN THƯỜNG TRỰC" in flat and "MẶT TRẬN TỔ QUỐC VIỆT NAM" in flat
    assert "PHIẾU CHẤM ĐIỂM Mô hình điển hình năm 2025 (Bộ tiêu chí phiên bản 2)" in flat
    assert "Tên mô hình: ………" in flat and "Đơn vị (xã): ………" in flat
    assert "STT Tiêu chí Nội dung đánh giá Điểm tối đa Điểm chấm Ghi chú" in flat
    assert "1 Hiệu quả kinh tế - xã hội Thu nhập, việc làm tạo ra 40" in flat
    assert "2 Nhân rộng Số xã học tập 35" in flat
    assert "3 Đổi mới Cách làm mới 25" in flat
    assert "Tổng cộng 100" in flat
    assert "Tính bền vững" not in flat  # a criterion of version 1 only
    assert "ngày …… tháng …… năm ………" in flat
    assert "THÀNH VIÊN ĐOÀN KIỂM TRA" in flat and "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA" in flat
    assert pages(score_sheet_pdf(round_)) == 1


def test_the_score_sheet_of_a_model_has_its_name_commune_and_field_written_in(world):
    model = model_in_state(ModelState.PLANNED, officer=world.commune_officer)
    content = score_sheet_pdf(model.round, model)
    flat = one_line(pdf_text(content))
    assert f"Tên mô hình: {model.name}" in flat
    assert "Đơn vị (xã): Thị trấn Phước Mỹ Trung" in flat
    assert f"Lĩnh vực: {_field(model.field)}" in flat
    assert "Đơn vị, cá nhân chủ trì: Hội Phụ nữ xã" in flat
    assert "(Bộ tiêu chí phiên bản 1)" in flat
    assert "1 Hiệu quả Kết quả đạt được so với mục tiêu đăng ký 30" in flat
    assert pages(content) == 1  # the five default criteria, the remarks and the signatures on one sheet


def test_an_inspected_models_sheet_prints_the_criteria_it_was_scored_against(world, notice):
    scored = notice.recognised_models.first()  # inspected under version 1
    assert services.criteria_set(actor=world.district_member, round_=notice.round, criteria=NEW_CRITERIA) == 2
    flat = one_line(pdf_text(score_sheet_pdf(notice.round, scored)))
    assert "(Bộ tiêu chí phiên bản 1)" in flat and "Tính bền vững" in flat
    assert "Hiệu quả kinh tế - xã hội" not in flat  # version 2's, in force for the next inspections


# -- the certificate ----------------------------------------------------------------------------------

def _award(world, notice, **values):
    model = notice.recognised_models.get(name=WELLS)
    return services.award_give(actor=world.district_member, model=model, title="Giấy khen",
                               awarded_on=datetime.date(2025, 10, 20), notice=notice, **values)


def test_the_certificate_names_the_model_its_leader_commune_money_and_notice(world, notice):
    fund = fund_of(world.district)
    receipt_into(fund, amount=20_000_000, actor=world.district_member)
    award = _award(world, notice, kind=AwardKind.CERTIFICATE_AND_MONEY, amount=5_000_000, fund=fund,
                   earmark=Earmark.NONE)
    content = certificate_pdf(award)
    flat = one_line(pdf_text(content))
    assert "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM HUYỆN MỎ CÀY BẮC GIẤY KHEN" in flat
    assert "Tặng Hội Phụ nữ xã Thị trấn Phước Mỹ Trung" in flat
    assert f"Mô hình “{WELLS}”" in flat
    assert "Đã có thành tích xây dựng mô hình điển hình năm 2025" in flat
    assert "kèm theo tiền thưởng 5.000.000 ₫" in flat
    assert "Theo Thông báo số 15/TB-MTTQ ngày 10/10/2025" in flat
    assert "Mỏ Cày Bắc, ngày 20 tháng 10 năm 2025" in flat
    assert "TM. BAN THƯỜNG TRỰC PHÓ CHỦ TỊCH" in flat and "Nguyễn Văn Bình" in flat
    assert pages(content) == 1
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    width, height = (float(value) for value in info.split("Page size:")[1].split()[:3:2])
    assert width > height  # landscape


def test_a_certificate_without_money_says_no_amount(world, notice):
    flat = one_line(pdf_text(certificate_pdf(_award(world, notice, kind=AwardKind.CERTIFICATE))))
    assert "tiền thưởng" not in flat and "₫" not in flat
    assert f"Mô hình “{WELLS}”" in flat

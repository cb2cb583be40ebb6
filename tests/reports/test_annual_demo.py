"""The year-end report made by a real Celery worker from the quick start's demo, its files read back:
the sources' figures come out of it (shared/DOMAIN.md, "Figures from the sources").

- Mỏ Cày Bắc 2025: Decision 781/QĐ-UBND with 104 houses (94 new, 10 repaired), 258 of 258 houses of
  the elimination programme, 30 Military-Civilian Tet houses; the typical models registered by the
  end of the first quarter and recognised in the year.
- Lâm Đồng 2014-2024, a period report over the years: 672 mass organisations with about 520,000
  members, about 200 consultation meetings, over 3,600 legal-aid cases, the Red Cross's 363
  examinations for 157,087 people worth 25.5 billion đồng, over 211 billion đồng for poor pupils, the
  Association for Poor Patients' over 673 billion đồng with about 1,400 heart, 21,000 cataract and 541
  corrective surgeries."""

import datetime
import importlib
import subprocess
import time
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from donations.support.choices import ActivityKind
from frontwelfare.accounts.models import User
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.demo import demo_load
from frontwelfare.reports import figures, periods, registry, services
from frontwelfare.reports.annual import ANNUAL_REPORT
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report

BILLION = 1_000_000_000
TOTAL = "Tổng cộng"
FINISHED_WITHIN = 120  # seconds
LAM_DONG_PERIOD = periods.date_range(datetime.date(2014, 1, 1), datetime.date(2024, 12, 31))
DECISION_781 = "Hỗ trợ hộ khó khăn về nhà ở theo Quyết định 781/QĐ-UBND (781/QĐ-UBND)"
ELIMINATION = "Xóa nhà tạm, nhà dột nát huyện Mỏ Cày Bắc 2024-2025 (1520/KH-UBND)"
TET = "Tết Quân - Dân 2025 (2468/KH-BCH)"


def _ask(username: str, unit, period, file_format: str) -> Report:
    # Outside any transaction (the worker test is transactional): the request commits, the task is sent.
    return services.report_request(actor=User.objects.get(username=username), kind=ANNUAL_REPORT, unit=unit,
                                   period=period, file_format=file_format)


def _finished(report: Report, workers) -> Path:
    deadline = time.monotonic() + FINISHED_WITHIN
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.is_finished:
            assert report.status == ReportStatus.DONE, f"{report.error}\n{workers.output()}"
            return Path(settings.MEDIA_ROOT) / report.file.name
        time.sleep(0.2)
    pytest.fail(f"Report {report.pk} not finished within {FINISHED_WITHIN} s.\n{workers.output()}")


def _tables(path: Path) -> dict[str, dict[str, tuple]]:
    """Each sheet's rows by their first cell, keyed by the table's title (the sheet's fourth line)."""
    tables = {}
    for sheet in load_workbook(path).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        tables[rows[3][0]] = {row[0]: row[1:] for row in rows[4:] if isinstance(row[0], str)}
    return tables


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _by_kind(activities: dict[str, tuple]) -> dict[str, tuple]:
    with translation.override("vi"):
        return {kind: activities[str(kind.label)] for kind in ActivityKind}


# The migrations that put data in the database (the poverty standard in force, the nationwide kinds of
# support), and their functions doing it.
SEEDING_MIGRATIONS = (("households.migrations.0002_decree_07_standard", "add_standard"),
                      ("donations.migrations.0007_nationwide_support_kinds", "add_kinds"))


def _migrations_data() -> None:
    """What the migrations put in the database and the demo needs, which an earlier transactional
    test may have emptied (pytest-django runs them last): put back as the migrations do."""
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(django_apps, None)


def test_the_worker_makes_the_year_end_reports_of_the_demo_with_the_sources_figures(celery_workers):
    _migrations_data()
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo_load()
    mo_cay_bac = AdministrativeUnit.objects.get(era="legacy", level="district", name="Huyện Mỏ Cày Bắc")
    lam_dong = AdministrativeUnit.objects.get(era="legacy", level="province", code="68")
    celery_workers.start()
    asked = {file_format: _ask("demo.huyen", mo_cay_bac, periods.year(2025), file_format)
             for file_format in ReportFormat.values}
    asked["lam_dong"] = _ask("demo.lamdong", lam_dong, LAM_DONG_PERIOD, ReportFormat.XLSX)
    files = {key: _finished(report, celery_workers) for key, report in asked.items()}

    tables = _tables(files[ReportFormat.XLSX])
    # Each programme: target, completed, handed over (new houses, then repairs), and the money.
    programmes = tables["Chương trình nhà ở"]
    assert programmes[DECISION_781][:6] == (94, 94, 94, 10, 10, 10)
    assert programmes[ELIMINATION][0] + programmes[ELIMINATION][3] == 258
    assert programmes[ELIMINATION][2] + programmes[ELIMINATION][5] == 258
    assert programmes[TET][:3] == (30, 30, 30)
    # Beside 2024: the houses of 781 were all completed in 2025.
    housing_compared = tables["Chương trình nhà ở: so với năm 2024"]
    assert housing_compared["Nhà sửa chữa: Đã hoàn thành"][:3] == (82, 41, 41)
    # The statement of each fund: the district's Fund for the Poor received the Month for the Poor's money.
    funds = tables["Báo cáo thu chi từng quỹ"]
    assert funds[TOTAL][1] == tables["Báo cáo thu chi quỹ"][TOTAL][1] > 0  # the receipts, however broken down
    # The typical models: six registered in 2025, five recognised.
    models = tables["Mô hình điển hình theo đơn vị"]
    assert models[TOTAL] == (6, 6, 5)
    assert tables["Mô hình điển hình theo đơn vị: so với năm 2024"]["Được công nhận"][:3] == (5, 0, 5)

    text = _pdf_text(files[ReportFormat.PDF])
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC AN SINH XÃ HỘI CỦA MẶT TRẬN" in text
    assert "I. HỘ NGHÈO, CẬN NGHÈO VÀ GIA ĐÌNH CHÍNH SÁCH" in text
    assert "VI. MÔ HÌNH ĐIỂN HÌNH" in text
    assert "781/QĐ-UBND" in text
    assert "So với năm 2024:" in " ".join(text.split())  # the paragraph is justified: spaces vary
    # The full layout of a Front document, with the district's document settings.
    for element in ("Số:", "/BC-MTTQ", "MẶT TRẬN TỔ QUỐC VIỆT NAM", "Mỏ Cày Bắc, ngày", "Nơi nhận:",
                    "- Ban Thường trực UBMTTQ Việt Nam tỉnh Bến Tre;", "- Lưu: VT.", "TM. BAN THƯỜNG TRỰC",
                    "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"):
        assert element in text, element

    # The signature never stands alone on the last page: the last table's last rows go with it.
    last_page = text.split("\f")[-2]  # pdftotext ends each page with a form feed
    assert "TM. BAN THƯỜNG TRỰC" in last_page and TOTAL in last_page

    document = Document(files[ReportFormat.DOCX])
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert "I. HỘ NGHÈO, CẬN NGHÈO VÀ GIA ĐÌNH CHÍNH SÁCH" in paragraphs
    assert any(paragraph.startswith("So với năm 2024: Hộ nghèo") for paragraph in paragraphs)
    programme_rows = {row.cells[0].text: [cell.text for cell in row.cells[1:]]
                      for table in document.tables for row in table.rows}
    assert programme_rows[DECISION_781][:6] == ["94", "94", "94", "10", "10", "10"]

    lam_dong_tables = _tables(files["lam_dong"])
    organisations = lam_dong_tables["Tổ chức thành viên theo loại"]
    members = lam_dong_tables["Hội viên, đoàn viên theo loại"]
    assert (organisations[TOTAL][-1], members[TOTAL][-1]) == (672, 520_000)
    by_kind = _by_kind(lam_dong_tables["Hoạt động theo loại"])
    examinations = by_kind[ActivityKind.MEDICAL_EXAMINATION]
    assert (examinations[1], examinations[2], examinations[4]) == (363, 157_087, 25_500_000_000)
    assert 190 <= by_kind[ActivityKind.CONSULTATION][1] <= 210
    assert by_kind[ActivityKind.LEGAL_AID][1] > 3_600
    assert by_kind[ActivityKind.STUDY_FUND][4] > 211 * BILLION
    surgeries = (ActivityKind.HEART_SURGERY, ActivityKind.CATARACT_SURGERY, ActivityKind.CORRECTIVE_SURGERY)
    assert tuple(by_kind[kind][1] for kind in surgeries) == (1_400, 21_000, 541)
    assert sum(by_kind[kind][4] for kind in (*surgeries, ActivityKind.OTHER)) > 673 * BILLION

    # The models were all registered by the end of the first quarter: none inspected or recognised yet.
    first_quarter = figures.report_context(unit=mo_cay_bac, period=periods.quarter(2025, 1))
    with translation.override("vi"):
        sections = figures.report_sections(registry.kind(ANNUAL_REPORT), first_quarter, progress=lambda percent: None)
    by_unit = next(section for section in sections if section.title == "Mô hình điển hình theo đơn vị")
    assert by_unit.total[1:] == [6, 0, 0]

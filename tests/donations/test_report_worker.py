"""The fund statement and the campaign report made by a real Celery worker on the real Redis
(tests/workers.py), asked for as the report page asks, each in both formats: the workbook read with
openpyxl and the PDF with pdftotext, their figures those of the ledger the test wrote."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from donations.report_sections import CAMPAIGN_REPORT, FUND_STATEMENT
from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report

from ..workers import celery_workers as celery_workers
from .ledger_data import CAMPAIGN, OUTSIDER_CAMPAIGN, build_ledger

FINISHED_WITHIN = 60  # seconds
M = 1_000_000


def _finished(report: Report, workers) -> Report:
    deadline = time.monotonic() + FINISHED_WITHIN
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.is_finished:
            assert report.status == ReportStatus.DONE, f"{report.error}\n{workers.output()}"
            return report
        time.sleep(0.1)
    pytest.fail(f"Report {report.pk} not finished within {FINISHED_WITHIN} s.\n{workers.output()}")


def _path(report: Report) -> Path:
    return Path(settings.MEDIA_ROOT) / report.file.name


def _pdf_lines(report: Report, name: str) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(_path(report)), "-"], capture_output=True, text=True,
                          check=True, timeout=30).stdout
    return [line.split(name, 1)[1].split() for line in text.splitlines() if name in line]


def test_the_worker_makes_the_fund_statement_and_campaign_report_with_the_ledgers_figures(world, celery_workers):
    build_ledger(world)
    celery_workers.start()
    asked = {(kind, file_format): services.report_request(
        actor=world.district_member, kind=kind, unit=world.district, period=periods.year(2025),
        file_format=file_format) for kind in (FUND_STATEMENT, CAMPAIGN_REPORT) for file_format in ReportFormat.values}
    done = {key: _finished(report, celery_workers) for key, report in asked.items()}

    workbook = load_workbook(_path(done[FUND_STATEMENT, "xlsx"]))
    statement = {row[0]: row[1:] for row in workbook.worksheets[0].iter_rows(values_only=True)
                 if isinstance(row[0], str)}
    assert statement["Thị trấn Phước Mỹ Trung"] == (0, 0, 12 * M, 30 * M, 0, 18 * M)
    assert statement["Tổng cộng"] == (10 * M, 78 * M, 27 * M, 30 * M, 30 * M, 61 * M)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 99 * M not in cells and not any("Tân Thạch" in str(cell) for cell in cells)
    campaigns = load_workbook(_path(done[CAMPAIGN_REPORT, "xlsx"])).worksheets[0]
    rows = {row[0]: row[1:] for row in campaigns.iter_rows(values_only=True) if isinstance(row[0], str)}
    assert rows[CAMPAIGN][:3] == (100 * M, 80 * M, 50 * M)
    assert rows[CAMPAIGN][-2:] == (2 * M, 48 * M)
    assert OUTSIDER_CAMPAIGN not in rows

    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    assert _pdf_lines(done[FUND_STATEMENT, "pdf"], "Tổng cộng")[0] == [
        "10.000.000", "78.000.000", "27.000.000", "30.000.000", "30.000.000", "61.000.000"]
    assert _pdf_lines(done[CAMPAIGN_REPORT, "pdf"], "Tổng cộng")[0][-2:] == ["2.000.000", "48.000.000"]

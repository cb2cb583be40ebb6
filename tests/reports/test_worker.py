"""Reports made by a real Celery worker on the real Redis (tests/reports/conftest.py): each kind of
report in each format, asked for through the service as a page asks, its file opened (the workbook with
openpyxl, the PDF with pdftotext, the Word file with python-docx) and its figures checked against the
records the test made; and a worker killed in the middle of a report, whose report is delivered again
and finished by the next."""

import datetime
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from openpyxl import load_workbook

from frontwelfare.reports import periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category
from households.report_sections import SOCIAL_SECURITY
from housing.choices import CaseState, Transition, WorkKind
from housing.models import CaseTransition
from housing.report_sections import HOUSING

from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from ..housing.factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state

YEAR_2025 = periods.year(2025)
FINISHED_WITHIN = 60  # seconds



def _status(commune, category):
    HouseholdStatusFactory(household=HouseholdFactory(commune=commune), category=category, year=2025,
                           decision_date=datetime.date(2025, 3, 1))


def _step(case, name, to_state, day):
    CaseTransition.objects.create(case=case, name=name, to_state=to_state, actor=case.proposed_by,
                                  happened_on=day)


@pytest.fixture
def records(world):
    """Phước Mỹ Trung: 3 poor and 1 near-poor households, 2 new houses handed over (40.000.000 from
    the state budget each) of a target of 3; Phú Mỹ: 1 poor and 2 near-poor, 1 repair approved
    (30.000.000 from the state budget) of a target of 1. Châu Thành, another district: 1 poor."""
    for commune, poor, near_poor in ((world.commune, 3, 1), (world.sibling_commune, 1, 2)):
        for category, how_many in ((Category.POOR, poor), (Category.NEAR_POOR, near_poor)):
            for _ in range(how_many):
                _status(commune, category)
    _status(world.other_district_commune, Category.POOR)

    programme = ProgrammeFactory(unit=world.district, name="Xóa nhà tạm huyện Mỏ Cày Bắc 2025")
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=3, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=0, repairs=1)
    for _ in range(2):
        house = case_in_state(CaseState.HANDED_OVER, programme=programme,
                              household=HouseholdFactory(commune=world.commune))
        _step(house, Transition.APPROVE, CaseState.APPROVED, datetime.date(2025, 4, 10))
        _step(house, Transition.START, CaseState.CONSTRUCTION_STARTED, datetime.date(2025, 5, 1))
        _step(house, Transition.COMPLETE, CaseState.COMPLETED, datetime.date(2025, 7, 1))
        _step(house, Transition.HAND_OVER, CaseState.HANDED_OVER, datetime.date(2025, 7, 15))
    repair = case_in_state(CaseState.APPROVED, programme=programme,
                           household=HouseholdFactory(commune=world.sibling_commune), work_kind=WorkKind.REPAIR,
                           estimated_cost=30_000_000, state_budget=30_000_000, fund_for_the_poor=0, family_amount=0)
    _step(repair, Transition.APPROVE, CaseState.APPROVED, datetime.date(2025, 4, 10))
    return programme


def _ask(world, kind, file_format, period=YEAR_2025) -> Report:
    # Outside any transaction (transactional_db): the request commits, and the task is sent then.
    return services.report_request(actor=world.district_member, kind=kind, unit=world.district, period=period,
                                   file_format=file_format)


def _wait_until(report: Report, workers, condition, what: str, within: float = FINISHED_WITHIN) -> Report:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        time.sleep(0.1)
    pytest.fail(f"Report {report.pk} not {what} within {within} s (status {report.status}, "
                f"{report.progress}%, {report.error!r}).\n{workers.output()}")


def _finished(report: Report, workers) -> Report:
    report = _wait_until(report, workers, lambda r: r.is_finished, "finished")
    assert report.status == ReportStatus.DONE, f"{report.error}\n{workers.output()}"
    return report


def _path(report: Report) -> Path:
    return Path(settings.MEDIA_ROOT) / report.file.name


def _sheet_rows(path: Path) -> list[dict[str, tuple]]:
    """Each sheet's table rows by their first cell (the unit's name, or the totals' label)."""
    workbook = load_workbook(path)
    return [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
            for sheet in workbook.worksheets]


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=30).stdout


def _figure_lines(text: str, name: str) -> list[list[str]]:
    """The figures printed after ``name`` (a unit, or the totals) on each line that names it: one
    line in each table."""
    lines = [line.split(name, 1)[1].split() for line in text.splitlines() if name in line]
    assert lines, f"{name!r} not in the PDF:\n{text}"
    return lines


def test_the_worker_makes_each_kind_of_report_in_each_format_with_the_figures_of_the_records(
        world, records, celery_workers):
    celery_workers.start()
    asked = {(kind, file_format): _ask(world, kind, file_format)
             for kind in (SOCIAL_SECURITY, HOUSING) for file_format in ReportFormat.values}
    done = {key: _finished(report, celery_workers) for key, report in asked.items()}

    for report in done.values():
        assert (report.progress, report.attempts, report.error) == (100, 1, "")
        assert report.file.name.endswith(f".{report.format}")
        assert [path.name for path in _path(report).parent.iterdir()] == [_path(report).name]

    # The social-security summary: households by category (poor, near-poor, ...) per commune.
    categories, _policies, _movements, _people, *_support = _sheet_rows(_path(done[SOCIAL_SECURITY, "xlsx"]))
    assert categories["Thị trấn Phước Mỹ Trung"][:2] == (3, 1)
    assert categories["Xã Phú Mỹ"][:2] == (1, 2)
    assert "Xã Tân Thạch" not in categories  # another district's commune
    assert categories["Tổng cộng"][:2] == (4, 3)

    # The housing progress: target, approved, under construction, completed, handed over (new houses,
    # then repairs); the money by source (state budget first); the percentages of the target.
    stages, money, percent = _sheet_rows(_path(done[HOUSING, "xlsx"]))
    assert stages["Thị trấn Phước Mỹ Trung"][:5] == (3, 2, 0, 2, 2)
    assert stages["Xã Phú Mỹ"][5:10] == (1, 1, 0, 0, 0)
    assert stages["Tổng cộng"][:10] == (3, 2, 0, 2, 2, 1, 1, 0, 0, 0)
    assert money["Thị trấn Phước Mỹ Trung"][0] == 80_000_000
    assert money["Tổng cộng"][0] == 110_000_000
    assert percent["Thị trấn Phước Mỹ Trung"][:4] == (67, 0, 67, 67)

    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    social = _pdf_text(_path(done[SOCIAL_SECURITY, "pdf"]))
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in social
    assert _figure_lines(social, "Phú Mỹ")[0][:2] == ["1", "2"]
    assert _figure_lines(social, "Tổng cộng")[0][:2] == ["4", "3"]
    housing = _pdf_text(_path(done[HOUSING, "pdf"]))
    stages_total, money_total, _percent_total = _figure_lines(housing, "Tổng cộng")
    assert stages_total == ["3", "2", "0", "2", "2", "1", "1", "0", "0", "0"]
    # State budget, fund for the poor, sponsors, the army, the families (in dong, with dots), their total,
    # labour days.
    assert money_total == ["110.000.000", "40.000.000", "0", "0", "40.000.000", "190.000.000", "0"]
    assert _figure_lines(housing, "Phú Mỹ")[1][0] == "30.000.000"

    # The Word file: the same tables as real Word tables, figures printed as in the PDF, the closing.
    word = Document(_path(done[HOUSING, "docx"]))
    masthead, stages_table, money_table, _percent_table, closing = word.tables
    assert masthead.cell(0, 1).text.startswith("MẶT TRẬN TỔ QUỐC VIỆT NAM")
    assert "Số:" in masthead.cell(0, 0).text and "/BC-MTTQ" in masthead.cell(0, 0).text
    totals = [cell.text for cell in money_table.rows[-1].cells]
    assert totals == ["Tổng cộng", "110.000.000", "40.000.000", "0", "0", "40.000.000", "190.000.000", "0"]
    assert [cell.text for cell in stages_table.rows[-1].cells][1:11] == stages_total
    assert "TM. BAN THƯỜNG TRỰC" in closing.cell(0, 1).text and "Nơi nhận:" in closing.cell(0, 0).text


def test_a_worker_killed_in_the_middle_of_a_report_does_not_lose_it(world, records, celery_workers):
    # Two seconds after each of its four sections: the report takes eight seconds or more.
    first = celery_workers.start(report_delay=2)
    report = _ask(world, SOCIAL_SECURITY, ReportFormat.XLSX)
    _wait_until(report, celery_workers, lambda r: r.status == ReportStatus.RUNNING and r.progress >= 25,
                "running", within=30)

    first.kill()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.RUNNING, 1)
    assert not report.file
    # Had it been killed while writing the file, it would have left the part it had written.
    part = Path(settings.MEDIA_ROOT) / (services._file_name(report) + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"half a workbook")

    # The next worker takes back what the dead one had taken and not finished, once the task has
    # been out for longer than the visibility timeout (ten minutes in production, two seconds here).
    celery_workers.start(visibility_timeout=2)
    report = _finished(report, celery_workers)

    assert (report.attempts, report.progress) == (2, 100)
    assert [path.name for path in _path(report).parent.iterdir()] == [_path(report).name]
    assert load_workbook(_path(report)).worksheets[0]["A1"].value
    assert Report.objects.count() == 1

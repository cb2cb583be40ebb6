"""The year-end report as a committee makes it, in a real browser: a district's member sets how their
committee signs its documents (the Document settings page, from the reports list), then asks for the
year-end report of the district for 2025 in Word, numbered 12, and in PDF; a real Celery worker
(tests/workers.py) makes each while its page follows it (htmx polling) until the download button
appears; the files downloaded are read back (python-docx, pdftotext): the number, the parts, the
comparison with 2024 and the signature block from the settings.

The strings are found by ``data-testid``, ids, ``data-*`` values and the data the test typed; the
documents' wording is fixed Vietnamese (frontwelfare.reports.documents), read as it is printed.
"""

import datetime
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from frontwelfare.reports.annual import ANNUAL_REPORT
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import DocumentSettings, Report
from households.choices import Category

from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from ..scope_harness import pdf_text
from .test_browser import open_menu, sign_in
from .test_models_register import fits_if_phone
from .test_report_pages import FINISHED_WITHIN, REPORT_URL

SIGNER = "Nguyễn Thị Hồng Nhung"
SIGNER_TITLE = "Phó Chủ tịch"
RECIPIENTS = "Ban Thường trực UBMTTQ tỉnh Bến Tre;\nThường trực Huyện ủy Mỏ Cày Bắc;"
NUMBER = 12
YEAR = 2025
FIRST_PART = "I. HỘ NGHÈO, CẬN NGHÈO VÀ GIA ĐÌNH CHÍNH SÁCH"
# Poor households of Phước Mỹ Trung (in the district) by year, and one of Tân Thạch (another district).
POOR = {2024: 3, 2025: 1}


@pytest.fixture
def poor_households(world):
    """Three poor households in 2024, one in 2025, in the member's district; one in another district,
    which the district's report does not count."""
    for year, count in POOR.items():
        for _ in range(count):
            HouseholdStatusFactory(household=HouseholdFactory(commune=world.commune), category=Category.POOR,
                                   year=year, decision_date=datetime.date(year, 3, 1))
    HouseholdStatusFactory(household=HouseholdFactory(commune=world.other_district_commune),
                           category=Category.POOR, year=YEAR, decision_date=datetime.date(YEAR, 3, 1))


def docx_text(path: Path) -> str:
    """Every paragraph of the Word file, in the body and in its tables (the heading is a table)."""
    document = Document(path)
    lines = [paragraph.text for paragraph in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(paragraph.text for paragraph in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return "\n".join(lines)


def open_reports(page: Page) -> None:
    open_menu(page)
    page.locator("#main-nav .nav-link[href='/reports/']").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))


def set_document_settings(page: Page, world, snap) -> None:
    """From the reports list: the Document settings page, filled in and saved."""
    page.get_by_test_id("document-settings").click()
    expect(page).to_have_url(re.compile(rf"/reports/document-settings/{world.district.pk}/$"))
    expect(page.get_by_test_id("settings-unit")).to_have_text(world.district.name)
    form = page.get_by_test_id("document-settings-form")
    expect(form.locator("#id_symbol")).to_have_value("BC-MTTQ")
    expect(page.get_by_test_id("settings-changed")).to_have_count(0)  # never saved yet
    form.locator("#id_signer_title").fill(SIGNER_TITLE)
    form.locator("#id_signer").fill(SIGNER)
    form.locator("#id_recipients").fill(RECIPIENTS)
    fits_if_phone(page)
    snap("settings-form")
    form.get_by_test_id("save-settings").click()

    expect(page).to_have_url(re.compile(rf"/reports/document-settings/{world.district.pk}/$"))
    expect(page.locator("main .alert-success")).to_be_visible()
    member = world.district_member
    expect(page.get_by_test_id("settings-changed")).to_contain_text(member.get_full_name() or member.username)
    expect(form.locator("#id_signer")).to_have_value(SIGNER)
    expect(form.locator("#id_signer_title")).to_have_value(SIGNER_TITLE)
    expect(form.locator("#id_recipients")).to_have_value(RECIPIENTS)
    fits_if_phone(page)
    snap("settings-saved")
    saved = DocumentSettings.objects.get(unit=world.district)
    assert (saved.signer, saved.signer_title, saved.updated_by) == (SIGNER, SIGNER_TITLE, world.district_member)


def ask_and_download(page: Page, world, file_format: str, number: int | None, tmp_path: Path, snap) -> Path:
    """From the reports list: ask for the district's year-end report of YEAR in ``file_format``, follow its
    page until the worker is done, and download the file."""
    page.get_by_test_id("new-report").click()
    form = page.get_by_test_id("report-form")
    form.locator("#id_kind").select_option(ANNUAL_REPORT)
    expect(form.locator("#id_unit")).to_have_value(str(world.district.pk))  # their own district first
    form.locator("#id_period_kind").select_option("year")
    expect(form.locator("#id_quarter")).to_be_hidden()
    form.locator("#id_year").select_option(str(YEAR))
    radio = form.locator(f"input[name=file_format][value={file_format}]")
    form.locator(f"label[for={radio.get_attribute('id')}]").click()
    expect(radio).to_be_checked()
    if number is not None:
        form.locator("#id_number").fill(str(number))
    fits_if_phone(page)
    snap(f"form-{file_format}")
    form.get_by_test_id("ask-report").click()

    expect(page).to_have_url(REPORT_URL)
    card = page.get_by_test_id("report-progress")
    download_button = card.get_by_test_id("download")
    expect(download_button).to_be_visible(timeout=FINISHED_WITHIN)
    expect(card).to_have_attribute("data-status", ReportStatus.DONE)
    fits_if_phone(page)
    snap(f"done-{file_format}")
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == f"bao-cao-tong-ket-huyen-mo-cay-bac-{YEAR}.{file_format}"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    return saved


@pytest.mark.e2e
def test_district_member_sets_the_signer_and_downloads_the_year_end_report_in_word_and_pdf(
        page: Page, world, poor_households, celery_workers, snap, tmp_path):
    worker = celery_workers.start()
    page.goto("/reports/")
    sign_in(page, "member")
    open_reports(page)
    set_document_settings(page, world, snap)

    page.locator("main a[href='/reports/']").first.click()  # "← Reports"
    expect(page).to_have_url(re.compile(r"/reports/$"))
    word = ask_and_download(page, world, ReportFormat.DOCX, NUMBER, tmp_path, snap)
    open_reports(page)
    printed = ask_and_download(page, world, ReportFormat.PDF, None, tmp_path, snap)

    reports = list(Report.objects.order_by("pk"))
    assert [(report.kind, report.unit, report.format, report.status) for report in reports] == [
        (ANNUAL_REPORT, world.district, ReportFormat.DOCX, ReportStatus.DONE),
        (ANNUAL_REPORT, world.district, ReportFormat.PDF, ReportStatus.DONE)], worker.output()
    assert (reports[0].period_start, reports[0].period_end) == (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))

    # The Word file: numbered as asked, its parts, this year's poor households beside last year's
    # (Tân Thạch's, in another district, not counted), signed as the settings say.
    text = docx_text(word)
    assert f"Số: {NUMBER}/BC-MTTQ" in text, text
    assert FIRST_PART in text, text
    assert re.search(r"^So với năm 2024: Hộ nghèo 1 \(giảm 2\)", text, re.MULTILINE), text
    assert "TM. BAN THƯỜNG TRỰC" in text
    assert SIGNER_TITLE.upper() in text
    assert SIGNER in text
    assert "Thường trực Huyện ủy Mỏ Cày Bắc;" in text

    # The PDF: no number asked for, so a blank to write it in; the same signature block.
    words = " ".join(pdf_text(printed.read_bytes()).split())
    assert "/BC-MTTQ" in words and f"{NUMBER}/BC-MTTQ" not in words, words
    for expected in ("TM. BAN THƯỜNG TRỰC", SIGNER_TITLE.upper(), SIGNER, "So với năm 2024", "Nơi nhận"):
        assert expected in words, f"{expected!r} is not in the PDF:\n{words}"

    # Both are on the list, done, with their files.
    open_reports(page)
    rows = page.get_by_test_id("report-row")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_have_attribute("data-status", ReportStatus.DONE)
        expect(rows.nth(index).get_by_test_id("download")).to_be_visible()
    fits_if_phone(page)
    snap("list")

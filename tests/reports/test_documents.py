"""The report as a formal document (reports.documents, reports.writers): the PDF and the Word file
in the layout of Decree 30/2020 as the Front uses it — committee and number top left, organisation
and date right, title, tables, "Nơi nhận" and the signature — read back with pdftotext and
python-docx; each workbook sheet says its unit, period and the day it was made."""

import datetime
import subprocess
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from frontwelfare.reports import documents
from frontwelfare.reports.data import COUNT, MONEY, TEXT, Column, Section
from frontwelfare.reports.writers import docx, pdf, xlsx

from .test_writers import SUBTITLE, TITLE, _report

ISSUER_LINES = ("ỦY BAN MTTQ VIỆT NAM", "HUYỆN MỎ CÀY BẮC", "BAN THƯỜNG TRỰC")
RECIPIENTS = ("Ban Thường trực UBMTTQ tỉnh;", "Thường trực Huyện ủy;")
PAGE_ONE_PICTURE = Path("/work/notes/report_page1.png")


def _signed(**changes):
    return replace(_report(), issuer_lines=ISSUER_LINES, number=12, recipients=RECIPIENTS,
                   signer_title="Phó Chủ tịch", signer_name="Nguyễn Văn Bình", **changes)


def _long_section(rows: int = 90) -> Section:
    columns = [Column("Đơn vị", TEXT), Column("Hộ nghèo", COUNT), Column("Kinh phí", MONEY)]
    return Section(title="Hộ nghèo theo ấp", columns=columns,
                   rows=[[f"Ấp số {number}", number, number * 1_000_000] for number in range(1, rows + 1)],
                   total=["Tổng cộng", rows * (rows + 1) // 2, 0])


def _pdf_pages(content: bytes) -> list[str]:
    """Each page's text, laid out as printed (pdftotext -layout)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()
    return text.split("\f")


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the PDF ---------------------------------------------------------------------------------------


def test_the_pdf_prints_the_number_the_date_line_the_recipients_and_the_signer():
    content = pdf.write(_signed())
    first = _pdf_pages(content)[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    # The committee's lines top left, the organisation on the first of them at the right.
    assert lines[0].startswith("ỦY BAN MTTQ VIỆT NAM") and lines[0].endswith("MẶT TRẬN TỔ QUỐC VIỆT NAM")
    assert any(line.startswith("HUYỆN MỎ CÀY BẮC") for line in lines[:3])
    assert any(line.startswith("BAN THƯỜNG TRỰC") and line.endswith("Mỏ Cày Bắc, ngày 30 tháng 6 năm 2025")
               for line in lines[:4])
    assert "Số: 12/BC-MTTQ" in first
    flat = _flat(first)
    assert TITLE in flat and SUBTITLE in flat
    # "Nơi nhận" at the left, beside the signature block at the right, the name last.
    assert "Nơi nhận: TM. BAN THƯỜNG TRỰC" in flat
    assert "- Ban Thường trực UBMTTQ tỉnh; PHÓ CHỦ TỊCH" in flat
    assert "- Thường trực Huyện ủy;" in flat and "- Lưu: VT." in flat
    assert flat.endswith("Nguyễn Văn Bình")


def test_a_report_without_a_number_or_settings_prints_blanks_to_fill_in_by_hand():
    flat = _flat(_pdf_pages(pdf.write(replace(_report(), issuer_lines=ISSUER_LINES)))[0])
    assert "Số: /BC-MTTQ" in flat, "room for the clerk to write the number in"
    assert "Nơi nhận: TM. BAN THƯỜNG TRỰC - Lưu: VT." in flat
    assert flat.count(documents.BLANK_LINE) == 2, "a line for the signer's title and one for the name"


def test_a_long_table_repeats_its_heading_and_pages_are_numbered_from_the_second():
    content = pdf.write(_signed(sections=[_long_section()]))
    pages = _pdf_pages(content)
    printed = [page for page in pages if page.strip()]
    assert len(printed) >= 3
    for number, page in enumerate(printed[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == str(number), f"page {number} is numbered at its top"
        assert "Đơn vị" in lines[1] and "Hộ nghèo" in lines[1], "the table's heading is repeated"
    assert not printed[0].strip().splitlines()[0].strip().isdigit(), "the first page has no number"
    assert len(PdfReader(BytesIO(content)).pages) == len(printed)


def test_page_one_is_drawn_with_the_heading_and_closing(tmp_path):
    """Page one as a picture, kept for the reviewer to look at (PAGE_ONE_PICTURE)."""
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf.write(_signed()))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page1")], check=True, timeout=60)
    picture = tmp_path / "page1.png"
    assert picture.stat().st_size > 10_000
    if PAGE_ONE_PICTURE.parent.is_dir():
        PAGE_ONE_PICTURE.write_bytes(picture.read_bytes())


# -- the Word file ---------------------------------------------------------------------------------


def _word(data) -> Document:
    return Document(BytesIO(docx.write(data)))


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_word_file_has_the_masthead_title_tables_and_signature():
    word = _word(_signed())
    masthead, housing, households, closing = word.tables
    committee, organisation = _texts(masthead)[0]
    assert committee.splitlines()[:3] == list(ISSUER_LINES) and committee.endswith("Số: 12/BC-MTTQ")
    assert organisation.startswith("MẶT TRẬN TỔ QUỐC VIỆT NAM")
    assert organisation.endswith("Mỏ Cày Bắc, ngày 30 tháng 6 năm 2025")
    paragraphs = [paragraph.text for paragraph in word.paragraphs if paragraph.text]
    assert paragraphs[:3] == [TITLE, SUBTITLE, "Tiến độ xây dựng và sửa chữa nhà Đại đoàn kết"]
    # The grouped heading merged over its columns, the others over both heading rows.
    assert _texts(housing)[0] == ["Đơn vị", "Xây mới", "Xây mới", "Sửa chữa", "Kinh phí hỗ trợ (đồng)",
                                  "Tỷ lệ hoàn thành"]
    assert _texts(housing)[1][:3] == ["Đơn vị", "Chỉ tiêu", "Hoàn thành"]
    assert _texts(housing)[-1] == ["Tổng cộng", "110", "60", "10", "450.000.000", "55%"]
    assert _texts(households)[1] == ["Thị trấn Phước Mỹ Trung", "10.051", "120"]
    recipients, signature = _texts(closing)[0]
    assert recipients.splitlines() == ["Nơi nhận:", "- Ban Thường trực UBMTTQ tỉnh;", "- Thường trực Huyện ủy;",
                                       "- Lưu: VT."]
    lines = signature.splitlines()
    assert lines[:2] == ["TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH"] and lines[-1] == "Nguyễn Văn Bình"


def test_the_word_tables_repeat_their_heading_rows_and_right_align_the_figures():
    housing = _word(_signed()).tables[1]

    def repeats(row) -> bool:
        marker = row._tr.trPr.find(qn("w:tblHeader")) if row._tr.trPr is not None else None
        return marker is not None and marker.get(qn("w:val")) == "true"

    assert [repeats(row) for row in housing.rows] == [True, True] + [False] * (len(housing.rows) - 2)
    figure = housing.rows[2].cells[4].paragraphs[0]
    name = housing.rows[2].cells[0].paragraphs[0]
    assert figure.text == "30.000.000" and figure.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert name.alignment is None


def test_the_word_file_is_in_times_new_roman_13_and_turns_wide_tables_to_landscape():
    narrow = _word(_signed())
    assert narrow.styles["Normal"].font.name == "Times New Roman"
    assert narrow.styles["Normal"].font.size.pt == 13
    assert narrow.sections[0].page_width < narrow.sections[0].page_height
    wide = Section(title="Rộng", columns=[Column("Đơn vị", TEXT), *(Column(f"Cột {n}") for n in range(9))],
                   rows=[["Xã Phú Mỹ", *range(9)]])
    landscape = _word(_signed(sections=[wide]))
    assert landscape.sections[0].page_width > landscape.sections[0].page_height


def test_the_word_file_without_settings_leaves_the_number_and_signer_to_write_in():
    word = _word(replace(_report(), issuer_lines=ISSUER_LINES))
    assert _texts(word.tables[0])[0][0].endswith(f"Số: {documents.BLANK_NUMBER}/BC-MTTQ")
    recipients, signature = _texts(word.tables[-1])[0]
    assert recipients.splitlines() == ["Nơi nhận:", "- Lưu: VT."]
    assert signature.splitlines()[1] == documents.BLANK_LINE


# -- the workbook ----------------------------------------------------------------------------------


def test_each_sheet_names_its_unit_period_and_the_day_it_was_made():
    with translation.override("vi"):
        workbook = load_workbook(BytesIO(xlsx.write(_signed(made_on=datetime.date(2026, 12, 7)))))
    assert len(workbook.worksheets) == 2
    for sheet in workbook.worksheets:
        assert sheet["A3"].value == SUBTITLE  # "Huyện Mỏ Cày Bắc, quý II năm 2025"
        assert sheet["A5"].value == "Lập ngày 07/12/2026"
    assert workbook.worksheets[0]["E8"].value == 30_000_000, "figures stay numbers"


# -- the shared rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lines", "printed"), [
    (["Huyện ủy;", "- UBND huyện;"], ("- Huyện ủy;", "- UBND huyện;", "- Lưu: VT.")),
    (["Như trên;", "Lưu VT"], ("- Như trên;", "- Lưu VT")),
    ([], ("- Lưu: VT.",)),
])
def test_recipients_each_start_with_a_dash_and_the_office_copy_comes_last_once(lines, printed):
    assert documents.recipient_lines(lines) == printed

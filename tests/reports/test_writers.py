"""The report's two files: a workbook officials can compute with, and a formal document that
prints every Vietnamese letter."""

import datetime
import re
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontwelfare.reports import documents
from frontwelfare.reports.data import COUNT, MONEY, PERCENT, TEXT, Column, ReportData, Section
from frontwelfare.reports.writers import pdf, xlsx

UNITS = ["Thị trấn Phước Mỹ Trung", "Xã Phú Mỹ", "Xã Tân Thành Bình", "Xã Khánh Thạnh Tân", "Xã Hòa Lộc"]
ISSUER = "ỦY BAN MTTQ VIỆT NAM HUYỆN MỎ CÀY BẮC"
TITLE = "BÁO CÁO TIẾN ĐỘ CHƯƠNG TRÌNH NHÀ Ở"
SUBTITLE = "Huyện Mỏ Cày Bắc, quý II năm 2025"
SIGNER = "TM. BAN THƯỜNG TRỰC"


def _housing() -> Section:
    columns = [
        Column("Đơn vị", TEXT),
        Column("Chỉ tiêu", COUNT, group="Xây mới"),
        Column("Hoàn thành", COUNT, group="Xây mới"),
        Column("Sửa chữa", COUNT),
        Column("Kinh phí hỗ trợ", MONEY),
        Column("Tỷ lệ hoàn thành", PERCENT),
    ]
    rows = [[unit, 20 + index, 10 + index, index, 30_000_000 * (index + 1), 50 + index] for index, unit in
            enumerate(UNITS)]
    rows[-1][5] = None  # a unit without a target: no percentage
    return Section(title="Tiến độ xây dựng và sửa chữa nhà Đại đoàn kết", columns=columns, rows=rows,
                   total=["Tổng cộng", 110, 60, 10, 450_000_000, 55], note="Số liệu đến ngày 30/6/2025.")


def _households() -> Section:
    columns = [Column("Đơn vị", TEXT), Column("Hộ nghèo"), Column("Hộ cận nghèo")]
    return Section(title="Hộ gia đình theo loại", columns=columns,
                   rows=[[unit, 10051, 120] for unit in UNITS], total=["Tổng cộng", 50255, 600])


def _report(*sections: Section, made_on=datetime.date(2025, 6, 30)) -> ReportData:
    return ReportData(title=TITLE, subtitle=SUBTITLE, issuer=ISSUER, place="Mỏ Cày Bắc", made_on=made_on,
                      sections=list(sections) or [_housing(), _households()], signer=SIGNER)


def _workbook(data: ReportData):
    return load_workbook(BytesIO(xlsx.write(data)))


def _pdf_text(content: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *options, "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def _pdf_words(content: bytes) -> str:
    """The document's text in reading order, each run of spaces and line ends made one space: a
    heading the layout wraps onto two lines reads as one."""
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def _table_row(sheet, label: str) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == label)


# --- Excel ---


def test_workbook_has_one_sheet_per_section_named_after_it():
    workbook = _workbook(_report())
    assert workbook.sheetnames == ["Tiến độ xây dựng và sửa chữa nh", "Hộ gia đình theo loại"]


def test_sheet_names_drop_characters_excel_forbids_and_stay_unique():
    same = "Quỹ [2025]: hộ nghèo / cận nghèo * thống kê? chi tiết"
    columns = [Column("Đơn vị", TEXT)]
    workbook = _workbook(_report(Section(same, columns), Section(same.upper(), columns)))
    first, second = workbook.sheetnames
    assert first == "Quỹ -2025-- hộ nghèo - cận nghè"
    assert second == "QUỸ -2025-- HỘ NGHÈO - CẬN (2)"
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_sheet_starts_with_issuer_title_and_subtitle_in_bold_merged_cells():
    sheet = _workbook(_report()).worksheets[0]
    assert [sheet[f"A{row}"].value for row in (1, 2, 3, 4)] == [
        ISSUER, TITLE, SUBTITLE, "Tiến độ xây dựng và sửa chữa nhà Đại đoàn kết"]
    assert all(sheet[f"A{row}"].font.b for row in (1, 2, 3))
    assert {"A1:F1", "A2:F2", "A3:F3"} <= {str(cells) for cells in sheet.merged_cells.ranges}


def test_grouped_columns_get_a_merged_heading_above_their_labels():
    sheet = _workbook(_report()).worksheets[0]
    assert [cell.value for cell in sheet[6]] == ["Đơn vị", "Xây mới", None, "Sửa chữa", "Kinh phí hỗ trợ",
                                                 "Tỷ lệ hoàn thành"]
    assert [cell.value for cell in sheet[7]][1:3] == ["Chỉ tiêu", "Hoàn thành"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    # The group over its two columns; the ungrouped headings down both heading rows.
    assert {"B6:C6", "A6:A7", "D6:D7", "E6:E7", "F6:F7"} <= merged


def test_table_without_groups_has_a_single_heading_row():
    sheet = _workbook(_report(_households())).worksheets[0]
    assert [cell.value for cell in sheet[6]] == ["Đơn vị", "Hộ nghèo", "Hộ cận nghèo"]
    assert sheet["A7"].value == "Thị trấn Phước Mỹ Trung"


def test_figures_are_numbers_with_thousands_formats_not_text():
    sheet = _workbook(_report()).worksheets[0]
    row = sheet[_table_row(sheet, "Xã Phú Mỹ")]
    count, money, percent = row[1], row[4], row[5]
    assert (count.value, count.data_type, count.number_format) == (21, "n", "#,##0")
    assert (money.value, money.data_type, money.number_format) == (60_000_000, "n", '#,##0 "₫"')
    assert (percent.value, percent.data_type, percent.number_format) == (51, "n", '0"%"')


def test_missing_percentage_is_an_empty_cell():
    sheet = _workbook(_report()).worksheets[0]
    assert sheet.cell(row=_table_row(sheet, "Xã Hòa Lộc"), column=6).value is None


def test_totals_row_is_bold_values_not_formulas():
    sheet = _workbook(_report()).worksheets[0]
    total = sheet[_table_row(sheet, "Tổng cộng")]
    assert [cell.value for cell in total] == ["Tổng cộng", 110, 60, 10, 450_000_000, 55]
    assert all(cell.data_type == "n" for cell in total[1:])  # a formula would be data_type "f"
    assert all(cell.font.b for cell in total)


def test_heading_rows_and_unit_column_stay_in_view_when_scrolling():
    grouped, plain = _workbook(_report()).worksheets
    assert grouped.freeze_panes == "B8"  # below two heading rows, right of the unit names
    assert plain.freeze_panes == "B7"


def test_columns_are_wide_enough_for_long_unit_names_and_amounts():
    data = _report()
    data.sections[0].rows[0][0] = "Thị trấn Phước Mỹ Trung và các ấp lân cận thuộc huyện Mỏ Cày Bắc"
    sheet = _workbook(data).worksheets[0]
    default = 13  # Excel's width for a column nobody sized
    assert sheet.column_dimensions["A"].width > default
    assert sheet.column_dimensions["A"].width <= xlsx.MAX_WIDTH  # a very long name wraps instead
    assert sheet.column_dimensions["E"].width >= len("450.000.000 ₫")
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width


def test_section_note_is_written_under_the_table():
    sheet = _workbook(_report()).worksheets[0]
    assert sheet.cell(row=_table_row(sheet, "Tổng cộng") + 2, column=1).value == "Số liệu đến ngày 30/6/2025."


def test_workbook_properties_name_the_report_and_its_maker():
    properties = _workbook(_report()).properties
    assert (properties.title, properties.creator) == (TITLE, "FrontWelfare")


# --- PDF ---


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return pdf.write(_report())


def test_pdf_has_the_formal_heading_title_and_signature(report_pdf):
    text = _pdf_words(report_pdf)
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in text
    assert ISSUER in text
    assert "Mỏ Cày Bắc, ngày 30 tháng 6 năm 2025" in text
    assert TITLE in text and SUBTITLE in text
    assert SIGNER in text
    # In that order down the page: the heading, the title, the tables, the signature.
    positions = [text.index(part) for part in ("MẶT TRẬN TỔ QUỐC VIỆT NAM", TITLE, "Tổng cộng", SIGNER)]
    assert positions == sorted(positions)


def test_pdf_shows_every_unit_name_with_its_diacritics(report_pdf):
    text = _pdf_words(report_pdf)
    for unit in UNITS:
        assert unit in text


def test_pdf_prints_figures_the_vietnamese_way(report_pdf):
    text = _pdf_text(report_pdf)
    assert re.search(r"Xã Phú Mỹ\s+21\s+11\s+1\s+60\.000\.000\s+51%", text)
    words = _pdf_words(report_pdf)
    assert "450.000.000" in words and "10.051" in words and "50.255" in words
    assert "Kinh phí hỗ trợ (đồng)" in words  # bare amounts, so the heading says they are dong
    assert "Số liệu đến ngày 30/6/2025." in words


def test_pdf_embeds_the_fonts_it_prints_with(report_pdf):
    fonts = subprocess.run(["pdffonts", "-"], input=report_pdf, capture_output=True, check=True).stdout.decode()
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert lines and all("DejaVu" in line for line in lines)
    # Columns: name, type (two words), encoding, then "emb": every font embedded.
    assert all(line.split()[-5] == "yes" for line in lines)


@pytest.mark.parametrize(("day", "line"), [
    (datetime.date(2025, 6, 30), "Mỏ Cày Bắc, ngày 30 tháng 6 năm 2025"),
    (datetime.date(2025, 2, 5), "Mỏ Cày Bắc, ngày 05 tháng 02 năm 2025"),
    (datetime.date(2025, 1, 9), "Mỏ Cày Bắc, ngày 09 tháng 01 năm 2025"),
    (datetime.date(2025, 12, 1), "Mỏ Cày Bắc, ngày 01 tháng 12 năm 2025"),
])
def test_date_line_writes_small_days_and_first_months_with_a_leading_zero(day, line):
    assert documents.date_line("Mỏ Cày Bắc", day) == line


def test_narrow_report_is_portrait_and_wide_one_landscape():
    narrow = PdfReader(BytesIO(pdf.write(_report(_households())))).pages[0].mediabox
    assert narrow.width < narrow.height
    columns = [Column("Đơn vị", TEXT), *(Column(f"Nguồn {number}", MONEY, group="Kinh phí") for number in range(8))]
    wide = PdfReader(BytesIO(pdf.write(_report(Section("Kinh phí", columns, [["Xã Phú Mỹ", *[1] * 8]]))))).pages[0]
    assert wide.mediabox.width > wide.mediabox.height


def test_widest_table_stays_inside_the_page():
    # Twelve sources of money, each of a hundred and ten billion dong: far too wide at the usual type.
    columns = [Column("Đơn vị", TEXT), *(Column(f"Nguồn kinh phí số {number}", MONEY, group="Kinh phí hỗ trợ")
                                         for number in range(12))]
    row = ["Thị trấn Phước Mỹ Trung", *[110_000_000_000] * 12]
    content = pdf.write(_report(Section("Kinh phí", columns, [row], total=row)))
    boxes = _pdf_text(content, "-bbox")
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(edge) for edge in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert "110.000.000.000" in boxes
    assert max(right_edges) <= page_width - 30  # 15 mm of margin is 42.5 points


def test_long_table_repeats_its_heading_on_every_page():
    rows = [[f"Xã Thạnh Ngãi {number}", number, number] for number in range(90)]
    content = pdf.write(_report(Section("Hộ gia đình theo loại", _households().columns, rows)))
    pages = _pdf_text(content).split("\f")[:-1]
    assert len(pages) >= 3
    assert all("Hộ cận nghèo" in page for page in pages)


@pytest.mark.parametrize("count", range(62, 74))
def test_signature_is_never_alone_on_its_page(count):
    # With 65 to 71 rows the table ends at the foot of the second portrait page, where the
    # signature does not fit after it.
    rows = [[f"Xã Thạnh Ngãi {number}", number, number] for number in range(count)]
    section = Section("Hộ gia đình theo loại", _households().columns, rows, total=["Tổng cộng", 1, 1])
    content = pdf.write(_report(section))
    last_page = _pdf_text(content).split("\f")[-2]
    assert SIGNER in last_page
    assert "Tổng cộng" in last_page


def test_pdf_is_made_without_reaching_the_network_or_local_files():
    fetcher = pdf.url_fetcher()
    for address in ("https://fonts.googleapis.com/css", "http://example.org/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(address)

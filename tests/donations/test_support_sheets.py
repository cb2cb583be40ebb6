"""The signature sheets of a batch (danh sách ký nhận), read back: the XLSX with openpyxl, the PDF
with pdftotext. Each hamlet its own sheet, the viewer's lines only, no removed line, the totals, the
place-and-date line and the signatures; a bounded number of queries whatever the number of lines."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from donations.support import services
from donations.support.views import sheets

from ..import_steps import between
from ..scope_harness import pdf_text
from .factories import manager_of
from .support_factories import batch_with, funded_batch, poor_household, pupil_of

pytestmark = pytest.mark.django_db

PHUOC_HAU, PHUOC_THANH = "Ấp Phước Hậu", "Ấp Phước Thạnh"


@pytest.fixture
def district_batch(world):
    """The district's Tet batch: two households of each of the commune's two hamlets and one of the
    sibling commune; one more line of the commune taken out of the batch."""
    officer = manager_of(world.district)
    households = {
        "an": poor_household(world.commune, hamlet=PHUOC_HAU, head_name="Nguyễn Văn An"),
        "binh": poor_household(world.commune, hamlet=PHUOC_HAU, head_name="Trần Thị Bình"),
        "cuong": poor_household(world.commune, hamlet=PHUOC_THANH, head_name="Lê Văn Cường"),
        "dung": poor_household(world.sibling_commune, hamlet="Ấp Phú Hòa", head_name="Phạm Thị Dung"),
        "gone": poor_household(world.commune, hamlet=PHUOC_HAU, head_name="Võ Văn Đã Chuyển"),
    }
    batch = batch_with(world.district, households.values(), actor=officer, value=500_000, in_kind=True,
                       goods="10 kg gạo, 1 thùng mì")
    gone = batch.recipients.get(household=households["gone"])
    services.recipient_remove(actor=officer, recipient=gone, reason="Chuyển đi nơi khác")
    return batch


def _xlsx(client, batch, **query):
    response = client.get(reverse("support:batch-sheet-xlsx", args=[batch.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _rows(worksheet):
    return [row for row in worksheet.iter_rows(values_only=True)]


def _cells(worksheet):
    return [value for row in _rows(worksheet) for value in row if value is not None]


def _pdf(client, batch, **query):
    response = client.get(reverse("support:batch-sheet-pdf", args=[batch.pk]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_xlsx_has_a_sheet_per_hamlet_with_its_households_values_totals_date_and_signatures(
        client, world, district_batch):
    client.force_login(world.district_member)
    workbook = _xlsx(client, district_batch)

    # By commune name ("Thị trấn Phước Mỹ Trung" before "Xã Phú Mỹ"), then hamlet.
    assert workbook.sheetnames == [PHUOC_HAU, PHUOC_THANH, "Ấp Phú Hòa"]
    hau = workbook[PHUOC_HAU]
    cells = _cells(hau)
    assert "ỦY BAN MTTQ VIỆT NAM" in cells and world.district.name.upper() in cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "DANH SÁCH KÝ NHẬN" in cells
    assert "Quà Tết: Quà Tết Bính Ngọ 2026" in cells
    table = [row[:7] for row in _rows(hau) if isinstance(row[0], int)]
    assert table == [
        (1, "Nguyễn Văn An", f"{PHUOC_HAU}, {world.commune.name}", "Quà Tết: 10 kg gạo, 1 thùng mì", 500_000,
         None, None),
        (2, "Trần Thị Bình", f"{PHUOC_HAU}, {world.commune.name}", "Quà Tết: 10 kg gạo, 1 thùng mì", 500_000,
         None, None),
    ]
    total = next(row for row in _rows(hau) if isinstance(row[1], str) and row[1].startswith("Tổng cộng"))
    assert (total[1], total[4]) == ("Tổng cộng: 2 hộ", 1_000_000)
    assert "Phước Mỹ Trung, ngày 10 tháng 02 năm 2026" in cells
    assert {"NGƯỜI LẬP DANH SÁCH", "TRƯỞNG ẤP", "TM. BAN THƯỜNG TRỰC"} <= set(cells)
    assert "Võ Văn Đã Chuyển" not in "\n".join(map(str, cells))  # removed from the batch
    assert "Phú Mỹ, ngày 10 tháng 02 năm 2026" in _cells(workbook["Ấp Phú Hòa"])


def test_a_commune_officers_sheet_of_the_districts_batch_holds_only_their_communes_lines(
        client, world, district_batch):
    client.force_login(world.commune_officer)
    workbook = _xlsx(client, district_batch)
    text = "\n".join(str(value) for sheet in workbook.worksheets for value in _cells(sheet))

    assert workbook.sheetnames == [PHUOC_HAU, PHUOC_THANH]
    assert "Nguyễn Văn An" in text and "Lê Văn Cường" in text
    assert "Phạm Thị Dung" not in text and "Ấp Phú Hòa" not in text

    pdf = pdf_text(_pdf(client, district_batch))
    assert "Nguyễn Văn An" in pdf and "Phạm Thị Dung" not in pdf


def test_one_hamlets_sheet_is_chosen_by_commune_and_hamlet(client, world, district_batch):
    client.force_login(world.district_member)
    workbook = _xlsx(client, district_batch, commune=world.commune.pk, hamlet=PHUOC_THANH)

    assert workbook.sheetnames == [PHUOC_THANH]
    text = "\n".join(map(str, _cells(workbook.active)))
    assert "Lê Văn Cường" in text and "Nguyễn Văn An" not in text
    assert "Tổng cộng: 1 hộ" in text


def test_the_pdf_prints_names_values_totals_the_date_line_and_signatures_a_hamlet_a_page(
        client, world, district_batch):
    client.force_login(world.district_member)
    content = _pdf(client, district_batch)
    text = pdf_text(content)

    assert "ỦY BAN MTTQ VIỆT NAM" in text and "DANH SÁCH KÝ NHẬN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Văn An" in text and "Phạm Thị Dung" in text
    assert "500.000 ₫" in text
    assert "Tổng cộng: 2 hộ 1.000.000 ₫" in text
    assert "Phước Mỹ Trung, ngày 10 tháng 02 năm 2026" in text
    assert "TM. BAN THƯỜNG TRỰC" in text and "TRƯỞNG ẤP" in text
    assert "Võ Văn Đã Chuyển" not in text
    pages = text.split("\f")
    hau = next(page for page in pages if "Nguyễn Văn An" in page)
    assert "Lê Văn Cường" not in hau and "Phạm Thị Dung" not in hau  # each hamlet on pages of its own


def test_a_per_pupil_sheet_names_each_pupil_and_their_school(client, world):
    officer = manager_of(world.commune)
    household = poor_household(world.commune, head_name="Đặng Văn Em")
    pupil = pupil_of(household, full_name="Đặng Thị Học")
    batch = funded_batch(world.commune, actor=officer, code="scholarship", occasion="Học bổng năm học 2025-2026",
                         value=1_000_000)
    services.recipient_add(actor=officer, batch=batch, household=household, pupil=pupil, reason="Học giỏi",
                           school="Trường TH Phước Mỹ Trung", grade="3", school_year="2025-2026")
    client.force_login(officer)

    text = pdf_text(_pdf(client, batch))
    given = "em Đặng Thị Học, Trường TH Phước Mỹ Trung, lớp 3, năm học 2025-2026"
    assert given in " ".join(text.split())
    assert "Tổng cộng: 1 học sinh" in text
    cells = _cells(_xlsx(client, batch).active)
    assert any(isinstance(value, str) and value.endswith(given) for value in cells)


def test_a_delivered_line_says_so_in_its_note(client, world):
    officer = manager_of(world.commune)
    household = poor_household(world.commune, head_name="Ngô Văn Nhận")
    batch = batch_with(world.commune, [household], actor=officer)
    services.batch_confirm(actor=officer, batch=batch)
    services.delivery_record(actor=officer, recipient=batch.recipients.get(), delivery="representative",
                             delivered_on=datetime.date(2026, 2, 10), representative="Ngô Thị Vợ")
    client.force_login(officer)

    assert "Người nhận thay: Ngô Thị Vợ (10/02/2026)" in _cells(_xlsx(client, batch).active)


def test_an_outsider_gets_404_for_both_files(client, world, district_batch):
    client.force_login(manager_of(world.other_district_commune))
    for name in ("support:batch-sheet-xlsx", "support:batch-sheet-pdf"):
        response = client.get(reverse(name, args=[district_batch.pk]))
        assert response.status_code == 404
        assert "Phước Hậu" not in response.content.decode()


def test_a_commune_that_is_not_a_number_answers_404(client, world, district_batch):
    client.force_login(world.district_member)
    assert client.get(reverse("support:batch-sheet-xlsx", args=[district_batch.pk]), {"commune": "x"}) \
        .status_code == 404


def test_the_sheets_read_a_bounded_number_of_queries_whatever_the_number_of_lines(
        client, world, django_assert_max_num_queries):
    officer = manager_of(world.commune)
    households = [poor_household(world.commune, hamlet=f"Ấp {index % 3}") for index in range(30)]
    batch = batch_with(world.commune, households, actor=officer)
    client.force_login(officer)
    # The session and user, the batch, the lines.
    with django_assert_max_num_queries(6):
        workbook = _xlsx(client, batch)
    assert sum(1 for sheet in workbook.worksheets for row in _rows(sheet) if isinstance(row[0], int)) == 30
    with django_assert_max_num_queries(6):
        _pdf(client, batch)


def test_a_batch_too_large_to_lay_out_at_once_lists_its_hamlets_each_with_its_sheets(
        client, world, district_batch, monkeypatch):
    monkeypatch.setattr(sheets, "PDF_LINES_IN_A_REQUEST", 2)
    client.force_login(world.commune_officer)
    response = client.get(reverse("support:batch-sheet-pdf", args=[district_batch.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'data-testid="sheets-too-large"' in body
    hamlets = between(body, 'data-testid="sheet-hamlets"', "</table>")
    assert PHUOC_HAU in hamlets and PHUOC_THANH in hamlets and "Ấp Phú Hòa" not in hamlets  # the viewer's only
    link = re.search(r'href="([^"]*sheet\.pdf\?commune=\d+&amp;hamlet=[^"]*Ph%C6%B0%E1%BB%9Bc%20H%E1%BA%ADu)"',
                     hamlets).group(1).replace("&amp;", "&")
    text = pdf_text(client.get(link).content)
    assert "Nguyễn Văn An" in text and "Lê Văn Cường" not in text


def test_a_hamlet_too_long_for_a_pdf_at_once_is_offered_as_excel_only(client, world, district_batch, monkeypatch):
    monkeypatch.setattr(sheets, "PDF_LINES_IN_A_REQUEST", 1)
    client.force_login(world.commune_officer)

    body = client.get(reverse("support:batch-sheet-pdf", args=[district_batch.pk])).content.decode()

    hamlets = between(body, 'data-testid="sheet-hamlets"', "</table>")
    rows = {row.split("</td>", 1)[0]: row for row in hamlets.split('data-label="Ấp, thôn, khu phố">')[1:]}
    longer = [row for row in rows.values() if 'data-testid="excel-only"' in row]
    assert longer and all("sheet.pdf?" not in row and "sheet.xlsx?" in row for row in longer)
    assert any("sheet.pdf?" in row for row in rows.values())  # a one-line hamlet still prints as a PDF

"""The Excel import: the template, every bad-input message, the preview, all-or-nothing."""

import datetime
import os
import re
import time
import zipfile
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from households import imports
from households.choices import Category, Disability, Ethnicity, ImportStatus, PolicyType, Relation, SchoolLevel, Sex
from households.imports import (
    COLUMN,
    COLUMNS,
    DATA_SHEET,
    ImportFileError,
    check_rows,
    checking,
    columns,
    household_import_cancel,
    household_import_confirm,
    household_import_expire,
    household_import_run_check,
    household_import_run_save,
    household_import_upload,
    read_rows,
)
from households.models import Household, HouseholdImport, HouseholdPolicy, HouseholdStatus, Member
from households.tasks import household_import_check_task, household_import_save_task

from ..factories import CommuneOfficerFactory
from ..import_steps import XLSX, between, posting_with_tasks, row_cells, run_check, run_save, signed_in_english
from .factories import HouseholdFactory, HouseholdImportFactory, MemberFactory, valid_citizen_id


def cccd(sex: str, year: int, serial: int) -> str:
    return valid_citizen_id(sex=sex, birth_year=year, serial=serial)


def head_row(ref="1", **cells) -> dict:
    """The head's row of a valid household of the world's commune (28915)."""
    return {
        "household_ref": ref, "commune_code": "28915", "hamlet": "Ấp Phước Hậu", "address": "12 Lê Lợi",
        "consent_date": "01/03/2025", "consent_purpose": "Quản lý hỗ trợ an sinh xã hội",
        "full_name": f"Nguyễn Văn An {ref}", "birth": "14/05/1970", "sex": "Nam", "relation": "Chủ hộ",
        "citizen_id": cccd(Sex.MALE, 1970, int(ref) if str(ref).isdigit() else 99), **cells,
    }


def member_row(ref="1", **cells) -> dict:
    return {"household_ref": ref, "full_name": f"Lê Thị Bình {ref}", "birth": 1975, "sex": "Nữ", "relation": "Vợ",
            **cells}


def xlsx(rows: list[dict], *, headers: list[str] | None = None, title: str = DATA_SHEET) -> bytes:
    """A workbook like an officer's: the template's headers in row 1, then ``rows`` (by column key)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    keys = [column.key for column in COLUMNS]
    sheet.append(headers if headers is not None else [column.header for column in COLUMNS])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name: str = "ho-gia-dinh.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def checked(actor, uploaded_file) -> HouseholdImport:
    """Uploaded and checked, as the page and then the worker do (no worker runs here; see
    test_import_worker.py for a real one)."""
    return run_check(household_import_upload(actor=actor, uploaded_file=uploaded_file), household_import_run_check)


def confirmed(actor, record) -> HouseholdImport:
    """Confirmed, then saved, as the page and then the worker do."""
    return run_save(household_import_confirm(actor=actor, household_import=record), household_import_run_save)


def check(world, rows: list[dict]):
    return check_rows(read_rows(BytesIO(xlsx(rows))), actor=world.commune_officer, commune=world.commune)


def problems_at(result, row: int) -> list[tuple[str, str]]:
    return [(problem.column, problem.message) for problem in result.problems if problem.row == row]


VALID_FILE = [head_row("1"), member_row("1"), head_row("2", full_name="Trần Thị Dung", sex="Nữ",
                                                          citizen_id=cccd(Sex.FEMALE, 1970, 2))]


# -- reading cells: what officers type is accepted --------------------------------------------------


def test_a_valid_file_is_checked_and_nothing_is_registered_before_confirmation(world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    assert record.status == ImportStatus.CHECKED
    assert (record.row_count, record.household_count) == (3, 2)
    assert record.errors == []
    assert record.commune == world.commune
    assert record.original_name == "ho-gia-dinh.xlsx"
    assert record.file.name.startswith("imports/households/") and "ho-gia-dinh" not in record.file.name
    assert not Household.objects.exists()


def test_labels_are_read_without_diacritics_in_any_case_and_with_officers_words(world):
    rows = [
        head_row(sex="NAM", relation="chu ho", ethnicity="khmer", disability="nang", school_level="THCS",
                 categories="ho ngheo, Hoàn cảnh khó khăn", category_year=2025, decision_number="12/QĐ-UBND",
                 decision_date="10/01/2025", policy_types="Thương binh; liet si"),
        member_row(sex="nu", relation="VỢ", ethnicity="", disability="Không", school_level=""),
        member_row(full_name="Nguyễn Văn Con", sex=str(Sex.MALE.label), relation=str(Relation.CHILD.label),
                   birth="02/09/2010"),
    ]
    result = check(world, rows)
    assert result.errors == []
    (household,) = result.households
    head, wife, child = household.members
    assert (head.sex, head.relation, head.ethnicity, head.disability, head.school_level) == (
        "male", "head", "05", "severe", "lower_secondary")
    assert (wife.sex, wife.relation, wife.ethnicity, wife.disability) == ("female", "spouse", "01", "")
    assert (child.sex, child.relation, child.birth_date, child.birth_year) == (
        "male", "child", datetime.date(2010, 9, 2), 2010)
    assert sorted(status.category for status in household.statuses) == [Category.DIFFICULT, Category.POOR]
    assert sorted(policy.policy_type for policy in household.policies) == [
        PolicyType.MARTYR_FAMILY, PolicyType.WAR_INVALID]


def test_excel_dates_numbers_and_years_are_read(world):
    rows = [
        head_row(consent_date=datetime.datetime(2025, 3, 1), birth=datetime.datetime(1970, 5, 14),
                 citizen_id=int(cccd(Sex.MALE, 1970, 1)), household_phone=912345678,
                 health_insurance_number=123456789),
        member_row(birth="1975", citizen_id=f" {cccd(Sex.FEMALE, 1975, 7)} ", phone=2753812345),
    ]
    result = check(world, rows)
    assert result.errors == []
    household = result.households[0]
    head, wife = household.members
    assert household.household.consent_date == datetime.date(2025, 3, 1)
    assert (head.birth_date, head.birth_year) == (datetime.date(1970, 5, 14), 1970)
    # Excel turned the ID into a number and dropped its leading 0: it is given back.
    assert head.citizen_id == cccd(Sex.MALE, 1970, 1)
    assert household.household.phone == "0912345678"
    assert head.health_insurance_number == "0123456789"
    assert (wife.birth_date, wife.birth_year, wife.citizen_id) == (None, 1975, cccd(Sex.FEMALE, 1975, 7))
    assert wife.phone == "02753812345"


def test_household_details_may_be_repeated_on_every_row_when_they_agree(world):
    rows = [head_row(), member_row(commune_code=28915, hamlet="Ấp Phước Hậu", consent_date="01/03/2025")]
    assert check(world, rows).errors == []


def test_blank_rows_are_skipped_and_rows_are_numbered_as_excel_shows_them(world, english):
    rows = [head_row(), {}, {}, member_row(sex="?")]
    result = check(world, rows)
    assert result.row_count == 2
    assert [(p.row, p.column) for p in result.errors] == [(5, "Giới tính")]


# -- every bad input, with its message --------------------------------------------------------------

BAD_CELLS = [
    # (what the row says, the column named, words of the message)
    ({"full_name": ""}, "Họ và tên", "This cell must be filled in."),
    ({"full_name": "A" * 151}, "Họ và tên", "at most 150 characters"),
    ({"birth": ""}, "Ngày sinh hoặc năm sinh", "This cell must be filled in."),
    ({"birth": "31/02/1980"}, "Ngày sinh hoặc năm sinh", "31/02/1980 is not a day of the calendar."),
    ({"birth": "mười"}, "Ngày sinh hoặc năm sinh", "“mười” is neither a date of birth (dd/mm/yyyy) nor a year"),
    ({"birth": "1850"}, "Ngày sinh hoặc năm sinh", "greater than or equal to 1900"),
    ({"sex": "X"}, "Giới tính", "“X” is not one of the allowed values:"),
    ({"relation": "hàng xóm"}, "Quan hệ với chủ hộ", "“hàng xóm” is not one of the allowed values:"),
    ({"citizen_id": "12345"}, "Số CCCD", "A citizen ID has exactly 12 digits."),
    ({"citizen_id": "999070000001"}, "Số CCCD", "A citizen ID starts with a province code; 999 is not one."),
    ({"citizen_id": "083170000001"}, "Số CCCD", "The 4th digit of the citizen ID should be 0 for a male born in 1970"),
    ({"citizen_id": "083071000001"}, "Số CCCD", "Digits 5 and 6 of the citizen ID should be 70"),
    ({"ethnicity": "Sao Hỏa"}, "Dân tộc", "“Sao Hỏa” is not one of the allowed values: Kinh, Tày"),
    ({"disability": "rất nặng"}, "Khuyết tật", "is not one of the allowed values"),
    ({"school_level": "lớp 5"}, "Đang đi học", "is not one of the allowed values"),
    ({"health_insurance_number": "XX1"}, "Số thẻ BHYT", "2 capital letters and 13 digits"),
    ({"phone": "gọi sau"}, "Điện thoại", "phone number of 8 to 15 digits"),
    ({"household_phone": "12"}, "Điện thoại hộ", "phone number of 8 to 15 digits"),
    ({"hamlet": ""}, "Thôn/ấp", "This must be filled in for the household, on the head's row."),
    ({"consent_date": ""}, "Ngày đồng ý xử lý dữ liệu", "This must be filled in for the household"),
    ({"consent_date": "hôm qua"}, "Ngày đồng ý xử lý dữ liệu", "“hôm qua” is not a date; write it as dd/mm/yyyy"),
    ({"consent_purpose": ""}, "Mục đích xử lý dữ liệu", "This must be filled in for the household"),
    ({"commune_code": ""}, "Mã xã", "This must be filled in for the household"),
    ({"commune_code": "28889"}, "Mã xã", "Only households of your own commune (Thị trấn Phước Mỹ"),
    ({"categories": "giàu"}, "Diện hộ", "“giàu” is not one of the allowed values:"),
    ({"categories": "Hộ nghèo"}, "Năm xét", "A category needs all four of: category, year, decision number and"),
    ({"categories": "Hộ nghèo", "category_year": "25", "decision_number": "1/QĐ", "decision_date": "10/01/2025"},
     "Năm xét", "“25” is not a year; write its four digits"),
    ({"categories": "Hộ nghèo", "category_year": 1999, "decision_number": "1/QĐ", "decision_date": "10/01/2025"},
     "Năm xét", "greater than or equal to 2000"),
    ({"categories": "Hộ nghèo, Hộ cận nghèo", "category_year": 2025, "decision_number": "1/QĐ",
      "decision_date": "10/01/2025"}, "Diện hộ", "A household is poor, near-poor or newly escaped poverty, not two"),
    ({"decision_number": "1/QĐ"}, "Diện hộ", "A category needs all four of"),
    ({"policy_types": "Anh hùng lao động"}, "Gia đình chính sách", "is not one of the allowed values"),
    ({"household_ref": ""}, "Số hộ trong tệp", "Give the number of the person's household in this file."),
    ({"relation": "Vợ"}, "Quan hệ với chủ hộ", "Household 1 of the file (rows 2): A household has exactly one head"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_CELLS, ids=[str(case[0])[:40] for case in BAD_CELLS])
def test_each_bad_cell_is_reported_on_its_row_and_column_in_plain_words(world, english, cells, column, message):
    result = check(world, [head_row(**cells)])
    assert not result.is_valid
    found = problems_at(result, 2)
    assert any(col == column and message in text for col, text in found), found


def test_two_heads_in_one_household_are_refused(world, english):
    result = check(world, [head_row(), member_row(relation="Chủ hộ")])
    assert problems_at(result, 2) == [("Quan hệ với chủ hộ", "Household 1 of the file (rows 2, 3): A household has "
                                       "exactly one head; mark one member as the head of household.")]


def test_household_details_that_disagree_between_rows_are_refused(world, english):
    result = check(world, [head_row(), member_row(hamlet="Ấp Khác")])
    assert problems_at(result, 3) == [("Thôn/ấp", "This differs from row 2 of the same household. Give the "
                                       "household's details on the head's row only, or the same on every row.")]


def test_citizen_id_twice_in_the_file_is_refused_on_the_second_row(world, english):
    rows = [head_row("1"), head_row("2", full_name="Trần Văn Bảo")]
    rows[1]["citizen_id"] = rows[0]["citizen_id"]
    result = check(world, rows)
    assert problems_at(result, 3) == [("Số CCCD", "This citizen ID is also on row 2.")]
    assert problems_at(result, 2) == []


def test_citizen_id_registered_in_another_commune_is_refused_without_saying_where(world, english):
    taken = MemberFactory(household=HouseholdFactory(commune=world.other_province_commune)).citizen_id
    result = check(world, [head_row(citizen_id=taken, birth=1985)])
    assert problems_at(result, 2) == [("Số CCCD", "This citizen ID is already registered; the Front committee of "
                                                  "your district (or province) can tell you where.")]


def test_citizen_id_registered_in_the_officers_commune_names_the_household(world, english):
    household = HouseholdFactory(commune=world.commune, code="28915-0007")
    taken = household.members.get().citizen_id
    result = check(world, [head_row(citizen_id=taken, birth=1985)])
    assert problems_at(result, 2) == [("Số CCCD", "This citizen ID is already registered, in household 28915-0007.")]


def test_registered_ids_are_looked_up_in_one_query(world, django_assert_max_num_queries):
    rows = [head_row(str(n), citizen_id=cccd(Sex.MALE, 1970, n)) for n in range(1, 41)]
    table = read_rows(BytesIO(xlsx(rows)))
    with django_assert_max_num_queries(2):  # the citizen IDs, the namesakes of the district
        check_rows(table, actor=world.commune_officer, commune=world.commune)


# -- warnings: likely the same person twice ---------------------------------------------------------


def test_same_name_and_birth_year_twice_in_the_file_is_a_warning_not_an_error(world, english):
    rows = [head_row("1"), head_row("2", full_name="Nguyen Van An 1", citizen_id="")]
    result = check(world, rows)
    assert result.is_valid
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (3, "Họ và tên", "Same name and year of birth as row 2: check that this is not the same person twice.")]


def test_namesakes_with_different_citizen_ids_are_not_warned_about(world):
    rows = [head_row("1"), head_row("2", full_name="Nguyễn Văn An 1")]
    assert check(world, rows).warnings == []


def test_namesake_registered_in_the_district_is_a_warning(world, english):
    HouseholdFactory(commune=world.sibling_commune, head_name="Nguyễn Văn An 1", head__birth_year=1970,
                     head__citizen_id="")
    result = check(world, [head_row("1", citizen_id="")])
    assert result.is_valid
    assert [(w.row, w.message) for w in result.warnings] == [(2, "A person with the same name and year of birth is "
                                                              "already registered (elsewhere; ask your district's "
                                                              "Front committee): check that this is "
                                                              "not the same person.")]


def test_warnings_are_kept_on_the_import_and_do_not_block_it(world):
    rows = [head_row("1"), head_row("2", full_name="Nguyễn Văn An 1", citizen_id="")]
    record = checked(world.commune_officer, upload(xlsx(rows)))
    assert record.status == ImportStatus.CHECKED
    assert [entry.get("level") for entry in record.errors] == ["warning"]


# -- files that cannot be checked -------------------------------------------------------------------


def _refused(world, content: bytes, name="ho-gia-dinh.xlsx") -> str:
    """The message of a file refused at once by the upload (nothing stored), or by its check (an
    invalid import with that one message, its file deleted)."""
    try:
        record = checked(world.commune_officer, upload(content, name))
    except ImportFileError as refused:
        assert not HouseholdImport.objects.exists()
        return refused.message
    assert record.status == ImportStatus.INVALID and not record.file
    [error] = record.errors
    assert error["row"] is None
    return error["message"]


def _refused_at_upload(world, content: bytes, name="ho-gia-dinh.xlsx") -> str:
    with pytest.raises(ImportFileError) as refused:
        household_import_upload(actor=world.commune_officer, uploaded_file=upload(content, name))
    assert not HouseholdImport.objects.exists()
    return refused.value.message


def test_csv_file_is_refused_as_not_an_excel_file(world, english):
    message = _refused_at_upload(world, "Họ và tên,Giới tính\nNguyễn Văn An,Nam\n".encode(), "ho-gia-dinh.csv")
    assert message.startswith("This is not an Excel file (.xlsx).")


def test_pdf_renamed_to_xlsx_is_refused(world, english):
    message = _refused_at_upload(world, b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF")
    assert message.startswith("This is not an Excel file (.xlsx).")


def test_zip_that_is_not_a_workbook_is_refused(world, english):
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as written:
        written.writestr("word/document.xml", "<document/>")
    assert _refused_at_upload(world, archive.getvalue()).startswith("This is not an Excel file (.xlsx).")


def test_old_xls_file_is_refused_with_how_to_convert_it(world, english):
    message = _refused_at_upload(world, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "ho-gia-dinh.xls")
    assert "Excel 97-2003 file (.xls)" in message


def test_empty_file_is_refused(world, english):
    assert _refused_at_upload(world, b"") == "The file is empty."


def test_template_without_data_rows_is_refused(world, english):
    assert _refused(world, xlsx([])) == "The file has no rows of data under the column headers."


def test_empty_sheet_is_refused(world, english):
    assert _refused(world, xlsx([], headers=[])).startswith("The sheet is empty")


def test_sheet_without_the_template_columns_is_refused_naming_them(world, english):
    message = _refused(world, xlsx([{"full_name": "An"}], headers=["Số hộ trong tệp", "Tên"]))
    assert message.startswith("The first row of the sheet does not have the template's columns: “Mã xã”, “Thôn/ấp”")
    assert "“Họ và tên”" in message


def test_file_over_the_size_limit_is_refused(world, english, settings):
    content = xlsx(VALID_FILE)
    settings.IMPORT_MAX_BYTES = 2048
    assert _refused_at_upload(world, content) == (
        f"The file is {-(-len(content) // 1024)} KB; the largest accepted is 2 KB. Split it into smaller files.")


def test_file_over_the_row_limit_is_refused(world, english, settings):
    settings.IMPORT_MAX_ROWS = 2
    assert _refused(world, xlsx(VALID_FILE)) == "The file has more than 2 rows; split it into smaller files."


def test_data_sheet_is_found_by_name_and_otherwise_the_first_sheet_is_read(world):
    assert len(read_rows(BytesIO(xlsx(VALID_FILE, title="Sheet1")))) == 3


# -- work bounded before parsing: zip bombs, wide and long sheets, slow files -----------------------


class _CountedReads(BytesIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def _with_sheet(sheet_xml_chunks, *, chunk_repeat: int) -> bytes:
    """A valid workbook whose sheet is replaced by ``sheet_xml_chunks`` = (head, row, tail), the
    row repeated ``chunk_repeat`` times: a zip bomb when the row compresses well."""
    head, row, tail = sheet_xml_chunks
    source = zipfile.ZipFile(BytesIO(xlsx(VALID_FILE)))
    output = BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, source.read(member))
                continue
            with bomb.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                block = row * 1000
                for _ in range(chunk_repeat // 1000):
                    sheet.write(block)
                sheet.write(tail)
    return output.getvalue()


TOO_MUCH_DATA = "The file holds too much data to be read; split it into smaller files."
SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
         b'<row><c t="inlineStr"><is><t>1</t></is></c><c t="inlineStr"><is><t>28915</t></is></c></row>',
         b"</sheetData></worksheet>")


def test_zip_bomb_workbook_is_refused_in_milliseconds_without_being_parsed_or_read_whole(world, english,
                                                                                          monkeypatch):
    """The probe's file: a few hundred KB whose sheet unpacks to 126 MB (under the old total limit)."""
    content = _with_sheet(SHEET, chunk_repeat=1_400_000)
    assert len(content) < 1024 * 1024
    monkeypatch.setattr("frontwelfare.imports.reading.load_workbook", lambda *a, **k: pytest.fail("parsed"))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a member was unpacked"))
    counted = _CountedReads(content)
    uploaded = InMemoryUploadedFile(counted, "file", "bomb.xlsx", XLSX, len(content), None)

    started = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        household_import_upload(actor=world.commune_officer, uploaded_file=uploaded)
    assert time.perf_counter() - started < 0.5
    assert refused.value.message == TOO_MUCH_DATA
    assert counted.read_bytes < len(content) // 2, "only the archive's directory is read"
    assert not HouseholdImport.objects.exists()


def test_member_that_unpacks_out_of_proportion_is_refused_even_when_small(world, english):
    content = _with_sheet(SHEET, chunk_repeat=100_000)  # 9 MB from a few KB
    assert _refused_at_upload(world, content) == TOO_MUCH_DATA


def test_sheet_with_too_many_cells_is_refused_while_it_is_read(world, english, settings):
    settings.IMPORT_MAX_ROWS = 2  # at most 1,002 rows of 40 cells are read, blank ones included
    workbook = load_workbook(BytesIO(xlsx(VALID_FILE)))
    workbook.active.cell(row=4, column=16_000, value="x")  # every row is read 16,000 cells wide
    output = BytesIO()
    workbook.save(output)
    assert _refused(world, output.getvalue()) == TOO_MUCH_DATA


def test_file_that_takes_too_long_to_read_is_refused(world, english, settings):
    settings.IMPORT_MAX_SECONDS = 0
    rows = [head_row(str(n), citizen_id="") for n in range(1, 1001)]
    assert _refused(world, xlsx(rows)) == "The file takes too long to read; split it into smaller files."


def test_too_large_csv_is_refused_on_the_page_without_being_kept_whole(officer_client, world, settings,
                                                                       monkeypatch):
    settings.IMPORT_MAX_BYTES = 64 * 1024
    kept = []
    original = MemoryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk",
                        lambda self, data, start: kept.append(len(data)) or original(self, data, start))
    content = "Họ và tên,Giới tính\n".encode() + b"Nguyen Van An,Nam\n" * 60_000  # about 1 MB
    response = officer_client.post(reverse("households:import"), {"file": upload(content, "ds.csv")})
    assert response.status_code == 200
    errors = between(response.content.decode(), 'data-testid="file-errors"', "</div>")
    assert re.search(r"The file is 1 MB; the largest accepted is 64 KB\. Split it into smaller files\.", errors)
    assert sum(kept) <= 64 * 1024, "the rest of the upload is dropped as it arrives"
    assert not HouseholdImport.objects.exists()


# -- the whole file or nothing ----------------------------------------------------------------------


def _fifty_rows(bad_row_index: int | None = None) -> list[dict]:
    rows = []
    for n in range(1, 26):
        rows.append(head_row(str(n), citizen_id=cccd(Sex.MALE, 1970, n)))
        rows.append(member_row(str(n), full_name=f"Lê Thị Bình {n}", citizen_id=cccd(Sex.FEMALE, 1975, 100 + n)))
    if bad_row_index is not None:
        rows[bad_row_index]["birth"] = "32/13/1975"
    return rows


def test_one_bad_row_in_fifty_saves_nothing_and_keeps_no_file(world, english):
    record = checked(world.commune_officer, upload(xlsx(_fifty_rows(37))))
    assert record.status == ImportStatus.INVALID
    assert (record.row_count, record.household_count) == (50, 25)
    assert record.errors == [{"row": 39, "column": "Ngày sinh hoặc năm sinh",
                              "message": "32/13/1975 is not a day of the calendar."}]
    assert not record.file
    with pytest.raises(ValidationError, match="not waiting for confirmation"):
        household_import_confirm(actor=world.commune_officer, household_import=record)
    assert not Household.objects.exists()
    assert not Member.objects.exists()
    assert [entry["row"] for entry in record.preview] == list(range(2, 52))
    assert record.preview[37] == {
        "row": 39, "ref": "19", "hamlet": "Ấp Phước Hậu", "address": "12 Lê Lợi", "categories": [],
        "category_year": None, "full_name": "Lê Thị Bình 19", "birth": "", "sex": "female", "relation": "spouse",
        "citizen_id": cccd(Sex.FEMALE, 1975, 119)}


def test_confirm_registers_everything_with_codes_heads_and_history(world, django_capture_on_commit_callbacks):
    rows = _fifty_rows()
    rows[0].update(categories="Hộ nghèo", category_year=2025, decision_number="12/QĐ-UBND",
                   decision_date="10/01/2025", policy_types="Thương binh")
    HouseholdFactory(commune=world.commune, code="28915-0003")
    record = checked(world.commune_officer, upload(xlsx(rows)))
    stored = record.file.path

    with django_capture_on_commit_callbacks(execute=True):
        record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.IMPORTED
    assert record.preview == [], "the preview's personal data goes with the file"
    assert record.imported_at is not None
    assert record.household_count == 25
    assert not record.file
    assert not os.path.exists(stored), "personal data must not stay on disk after the import"
    imported = Household.objects.filter(commune=world.commune).exclude(code="28915-0003").order_by("code")
    assert imported.count() == 25
    assert imported.first().code == "28915-0004"
    first = imported.get(code="28915-0004")
    assert first.head_name == "Nguyễn Văn An 1"
    assert first.consent_recorded_by == world.commune_officer
    assert list(first.members.order_by("id").values_list("full_name_folded", "relation")) == [
        ("nguyen van an 1", "head"), ("le thi binh 1", "spouse")]
    assert list(first.statuses.values_list("year", "category", "decision_number")) == [(2025, "poor", "12/QĐ-UBND")]
    assert first.statuses.get().recorded_by == world.commune_officer
    assert list(first.policies.values_list("policy_type", flat=True)) == ["war_invalid"]
    assert Member.objects.filter(household__in=imported).count() == 50
    history = Member.history.filter(household_id=first.pk)
    assert history.count() == 2
    assert {entry.history_user for entry in history} == {world.commune_officer}
    assert Household.history.get(id=first.pk).history_change_reason == f"household-import:{record.pk}"
    assert HouseholdStatus.history.filter(household_id=first.pk).count() == 1
    assert HouseholdPolicy.history.filter(household_id=first.pk).count() == 1


def test_confirm_checks_again_and_saves_nothing_when_an_id_was_taken_meanwhile(world, english):
    record = checked(world.commune_officer, upload(xlsx(_fifty_rows())))
    taken = cccd(Sex.FEMALE, 1975, 120)  # row 41's, registered by a colleague of another commune meanwhile
    MemberFactory(household=HouseholdFactory(commune=world.sibling_commune), citizen_id=taken, sex=Sex.FEMALE,
                  birth_year=1975)

    record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.INVALID
    assert record.errors == [{"row": 41, "column": "Số CCCD", "message": "This citizen ID is already registered; the "
                              "Front committee of your district (or province) can tell you where."}]
    assert not record.file
    assert not Household.objects.filter(commune=world.commune).exists()


def test_insert_refused_by_the_database_rolls_back_every_household(world, english, monkeypatch):
    """The race the re-check cannot see: an ID committed between the check and the insert.
    The unique constraint refuses it and nothing of the file stays."""
    record = checked(world.commune_officer, upload(xlsx(_fifty_rows())))
    MemberFactory(household=HouseholdFactory(commune=world.sibling_commune), citizen_id=cccd(Sex.FEMALE, 1975, 125),
                  sex=Sex.FEMALE, birth_year=1975)
    monkeypatch.setattr(checking._Checker, "_check_citizen_ids", lambda self, households: None)

    record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.INVALID
    assert "nothing was imported. Upload the file again." in record.errors[0]["message"]
    assert not Household.objects.filter(commune=world.commune).exists()
    assert not Household.history.filter(commune_id=world.commune.pk).exists()


def test_confirming_twice_imports_once(world, english):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    household_import_confirm(actor=world.commune_officer, household_import=record)
    with pytest.raises(ValidationError, match="not waiting for confirmation"):
        household_import_confirm(actor=world.commune_officer, household_import=record)
    household_import_run_save(record.pk, "en")
    household_import_run_save(record.pk, "en")  # the task delivered twice
    assert Household.objects.count() == 2


def test_cancel_deletes_the_file_and_saves_nothing(world, django_capture_on_commit_callbacks):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    stored = record.file.path
    with django_capture_on_commit_callbacks(execute=True):
        record = household_import_cancel(actor=world.commune_officer, household_import=record)

    assert record.status == ImportStatus.CANCELLED
    assert not os.path.exists(stored)
    assert not Household.objects.exists()


def test_imports_left_waiting_expire_and_lose_their_file(world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    assert household_import_expire(uploaded_before=timezone.now() - datetime.timedelta(days=1)) == 0
    assert household_import_expire(uploaded_before=timezone.now() + datetime.timedelta(seconds=1)) == 1
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED and not record.file


@pytest.mark.parametrize("viewer", ["district_member", "provincial_officer", "administrator"])
def test_only_a_commune_officer_imports(world, viewer):
    with pytest.raises(PermissionDenied):
        household_import_upload(actor=getattr(world, viewer), uploaded_file=upload(xlsx(VALID_FILE)))
    assert not HouseholdImport.objects.exists()


def test_colleague_of_another_commune_cannot_confirm(world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    with pytest.raises(HouseholdImport.DoesNotExist):
        household_import_confirm(actor=CommuneOfficerFactory(unit=world.sibling_commune), household_import=record)
    assert not Household.objects.exists()


# -- the template ---------------------------------------------------------------------------------


def test_template_has_the_columns_an_example_and_an_explanation(client, world):
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-nhap-ho-gia-dinh.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách", "Ví dụ", "Hướng dẫn", "Danh mục"]
    data = workbook["Danh sách"]
    assert [cell.value for cell in data[1]] == [column.header for column in COLUMNS]
    assert data.max_row == 1, "the sheet to fill in starts empty"
    assert data.freeze_panes == "A2"
    assert data.column_dimensions["Q"].number_format == "@", "citizen IDs are typed as text"
    assert data.column_dimensions["N"].number_format == "@", "a year typed as birth must not become a date"
    assert data["Q1"].value == "Số CCCD" and "12 chữ số" in data["Q1"].comment.text
    example = workbook["Ví dụ"]
    assert example["B2"].value == "28915", "the example carries the officer's own commune code"
    help_text = "\n".join(str(cell) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for cell in row)
    for column in COLUMNS:
        assert column.header in help_text
    with translation.override("vi"):
        assert str(Relation.HEAD.label) in help_text


def test_the_templates_example_rows_import_as_they_are(world):
    """The example is what the checker accepts: copied into the list, it passes."""
    template = load_workbook(BytesIO(imports.import_template_workbook(commune_code="28915")))
    rows = [dict(zip([c.key for c in COLUMNS], values, strict=True))
            for values in template["Ví dụ"].iter_rows(min_row=2, values_only=True)]
    result = check(world, rows)
    assert result.errors == []
    assert (len(result.households), result.member_count) == (2, 4)


# -- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, world):
    return signed_in_english(client, world.commune_officer)


@pytest.fixture
def post(officer_client, django_capture_on_commit_callbacks, monkeypatch):
    """``post(url, data)``: the officer's post, then the tasks it queued, run in the test's process
    as the quick start runs them without Redis (no worker here: test_import_worker.py has one);
    the page it leads to is then read with a GET."""
    return posting_with_tasks(officer_client, (household_import_check_task, household_import_save_task),
                              django_capture_on_commit_callbacks, monkeypatch)


def test_upload_page_offers_the_form_the_template_and_recent_imports(officer_client, world):
    HouseholdImportFactory(commune=world.commune, original_name="thang-5.xlsx")
    HouseholdImportFactory(commune=world.sibling_commune, original_name="xa-ben-canh.xlsx")
    body = officer_client.get(reverse("households:import")).content.decode()
    assert 'data-testid="import-form"' in body
    assert reverse("households:import-template") in body
    assert "thang-5.xlsx" in body and "xa-ben-canh.xlsx" not in body


def test_upload_shows_the_preview_with_the_rows_as_they_will_be_saved_and_a_confirm_button(officer_client, post,
                                                                                           world):
    response = post(reverse("households:import"), {"file": upload(xlsx(VALID_FILE))})
    record = HouseholdImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:import-detail", args=[record.pk])
    body = officer_client.get(response["Location"]).content.decode()
    assert "Every row is correct. Confirming will register 2 households with 3 members." in body
    assert 'value="confirm"' in body and 'value="cancel"' in body
    preview = between(body, 'data-testid="import-preview"', "</table>")
    assert row_cells(preview, 'data-row="4"') == ["4", "2", "Trần Thị Dung", "14/05/1970", "Female",
                                                  "Head of household", cccd(Sex.FEMALE, 1970, 2), "Ấp Phước Hậu", "—"]
    assert row_cells(preview, 'data-row="3"')[:6] == ["3", "1", "Lê Thị Bình 1", "1975", "Female", "Spouse"]


def test_preview_shows_each_rows_errors_on_it_and_lists_them_by_row_and_column(officer_client, post, world):
    rows = [head_row(sex="?"), member_row(birth="ngày mai")]
    response = post(reverse("households:import"), {"file": upload(xlsx(rows))})
    body = officer_client.get(response["Location"]).content.decode()
    preview = between(body, 'data-testid="import-preview"', "</table>")
    assert row_cells(preview, 'data-problems-of="3"') == [
        "Ngày sinh hoặc năm sinh: “ngày mai” is neither a date of birth (dd/mm/yyyy) nor a year of birth (for "
        "example 1985)."]
    assert 'data-problems-of="2"' in preview
    errors = between(body, 'data-testid="import-errors"', "</table>")
    assert row_cells(errors, "<tr><td")[:2] == ["2", "Giới tính"]
    assert ["3", "Ngày sinh hoặc năm sinh"] in [row_cells(f"<tr>{row}", "<tr>")[:2]
                                                for row in errors.split("<tr>")[2:]]
    assert 'value="confirm"' not in body


def test_preview_masks_citizen_ids_for_a_provincial_officer(client, world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    client.force_login(world.provincial_officer)
    body = client.get(reverse("households:import-detail", args=[record.pk])).content.decode()
    assert "********" + cccd(Sex.FEMALE, 1970, 2)[-4:] in body
    assert cccd(Sex.FEMALE, 1970, 2) not in body


def test_upload_of_a_file_that_is_not_a_spreadsheet_says_so_and_stores_nothing(officer_client, world):
    response = officer_client.post(reverse("households:import"), {"file": upload(b"ho,ten\n1,An\n", "ds.csv")})
    assert response.status_code == 200
    assert "This is not an Excel file (.xlsx)." in response.content.decode()
    assert not HouseholdImport.objects.exists()


def test_page_follows_the_check_while_a_worker_runs_it(officer_client, world, django_capture_on_commit_callbacks):
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("households:import"), {"file": upload(xlsx(VALID_FILE))})
    record = HouseholdImport.objects.get()
    assert record.status == ImportStatus.CHECKING
    body = officer_client.get(response["Location"]).content.decode()
    progress_url = reverse("households:import-progress", args=[record.pk])
    assert f'hx-get="{progress_url}"' in body and "Every row is being checked." in body
    assert 'value="confirm"' not in body
    sent.append(officer_client.get(progress_url, HTTP_HX_REQUEST="true"))
    assert "HX-Refresh" not in sent[0]

    household_import_run_check(record.pk, "en")  # the worker's part
    finished = officer_client.get(progress_url, HTTP_HX_REQUEST="true")
    assert finished["HX-Refresh"] == "true", "htmx reloads the page, which shows the result"
    assert "hx-get" not in finished.content.decode()


def test_confirm_on_the_page_imports_and_says_how_many(officer_client, post, world):
    post(reverse("households:import"), {"file": upload(xlsx(VALID_FILE))})
    record = HouseholdImport.objects.get()
    response = post(reverse("households:import-detail", args=[record.pk]), {"action": "confirm"})
    done = between(officer_client.get(response["Location"]).content.decode(), 'data-testid="import-done"', "</div>")
    assert "2 households with 3 members were registered" in done
    assert Household.objects.filter(commune=world.commune).count() == 2


@pytest.mark.django_db(transaction=True)  # the task is queued when the request's transaction commits
def test_confirm_says_so_when_the_queue_cannot_be_reached(officer_client, world, english, monkeypatch):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))

    def refuse(*args, **options):
        raise OSError("Redis is down")
    monkeypatch.setattr(household_import_save_task, "apply_async", refuse)
    response = officer_client.post(reverse("households:import-detail", args=[record.pk]), {"action": "confirm"})
    body = officer_client.get(response["Location"]).content.decode()
    assert "The import service cannot be reached just now." in body
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and 'value="confirm"' in body


def test_cancel_on_the_page_saves_nothing(officer_client, post, world):
    post(reverse("households:import"), {"file": upload(xlsx(VALID_FILE))})
    record = HouseholdImport.objects.get()
    post(reverse("households:import-detail", args=[record.pk]), {"action": "cancel"})
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED
    assert not Household.objects.exists()


def test_other_communes_officer_gets_404_on_the_import_and_cannot_confirm_it(client, world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    client.force_login(CommuneOfficerFactory(unit=world.sibling_commune))
    url = reverse("households:import-detail", args=[record.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("households:import-progress", args=[record.pk])).status_code == 404
    assert client.post(url, {"action": "confirm"}).status_code == 404
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert not Household.objects.exists()


def test_district_member_sees_the_import_but_cannot_upload_or_confirm(client, world):
    record = checked(world.commune_officer, upload(xlsx(VALID_FILE)))
    client.force_login(world.district_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("households:import")).content.decode()
    assert 'data-testid="import-not-allowed"' in page and 'data-testid="import-form"' not in page
    assert client.post(reverse("households:import"), {"file": upload(xlsx(VALID_FILE))}).status_code == 403
    detail = client.get(reverse("households:import-detail", args=[record.pk]))
    assert detail.status_code == 200 and 'value="confirm"' not in detail.content.decode()
    assert client.post(reverse("households:import-detail", args=[record.pk]), {"action": "confirm"}).status_code == 403
    assert not Household.objects.exists()
    assert HouseholdImport.objects.count() == 1


def test_column_keys_are_unique_and_headers_do_not_fold_alike():
    assert len(COLUMN) == len(COLUMNS)
    keys = [columns._key(header) for column in COLUMNS for header in (column.header, *column.aliases)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("choices", [Sex, Relation, Ethnicity, Disability, SchoolLevel, Category, PolicyType])
def test_every_spelling_of_a_choice_means_one_value_in_both_languages(choices):
    """A guard for the translations: two labels, or a label and an officer's word, that fold
    alike would make a cell mean something else than what the officer read."""
    for language in ("vi", "en"):
        with translation.override(language):
            keys = [columns._key(str(label)) for value, label in choices.choices if value]
        assert len(keys) == len(set(keys)), (language, keys)
    with translation.override("vi"):
        by_label = {columns._key(str(label)): value for value, label in choices.choices}
    for alias, value in columns._ALIASES.get(choices, {}).items():
        assert by_label.get(columns._key(alias), value) == value, alias


@pytest.mark.parametrize("column", [column for column in COLUMNS if column.kind == "choices"], ids=lambda c: c.key)
def test_labels_of_comma_separated_columns_have_no_comma(column):
    with translation.override("vi"):
        assert not [label for label in imports.vietnamese_labels(column.choices) if "," in label or ";" in label]

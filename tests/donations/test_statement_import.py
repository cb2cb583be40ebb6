"""The bank statement import: a fund's statement (Excel or CSV) read as proposed receipts, matched
to donors and campaigns, every bad line reported on its row, recorded all together or not at all,
and a bank reference never recorded twice."""

import csv
import datetime
import io
import os
import re
import time
import unicodedata
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from donations import services
from donations.choices import CampaignKind, DonorKind, Earmark, PaymentMethod
from donations.imports import (
    COLUMNS,
    TABLE,
    check_statement,
    read_amount,
    statement_import_cancel,
    statement_import_confirm,
    statement_import_expire,
    statement_import_run_check,
    statement_import_run_save,
    statement_import_upload,
    statement_template_workbook,
)
from donations.imports import checking as statement_checking
from donations.models import Donor, Posting, Receipt, StatementImport
from donations.tasks import statement_import_check_task, statement_import_save_task
from frontwelfare.imports.cells import CellError
from frontwelfare.imports.choices import ImportStatus
from frontwelfare.imports.reading import ImportFileError, read_rows

from ..factories import CommuneOfficerFactory, DistrictMemberFactory
from ..import_steps import XLSX, between, posting_with_tasks, row_cells, run_check, run_save, signed_in_english
from ..workers import celery_workers as celery_workers
from .factories import DonorFactory, FundFactory, StatementImportFactory

# Ngày giao dịch, Số bút toán, Ghi có, Ghi nợ, Tên người chuyển, Nội dung
HEADERS = [column.header for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]
# What a bank's export has above its table.
PREAMBLE = [["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"], ["SAO KÊ TÀI KHOẢN"], ["Số tài khoản:", "0071001234567"],
            ["Từ ngày 01/10/2025 đến ngày 31/10/2025"], [], ["Số dư đầu kỳ", None, "12.000.000"]]


def line(date="17/10/2025", reference="FT25290000001", credit="30.000.000", debit=None,
         payer="CONG TY TNHH MINH PHAT", note="VNN2025 CONG TY MINH PHAT UNG HO") -> dict:
    return {"date": date, "reference": reference, "credit": credit, "debit": debit, "payer": payer, "note": note}


GOOD_LINES = [
    line(),  # row 8 below the preamble: the business donor already kept, the commune's campaign
    line(date="18/10/2025 09:15:02", reference="FT25291000789", credit=500000, payer="NGUYEN VAN AN",
         note="NGUYEN VAN AN chuyen tien ung ho"),  # a new donor; no campaign: a warning
    line(date="20/10/2025", reference="FT25293004567", credit=None, debit="2.000.000", payer="",
         note="Phi dich vu"),  # money out: left out
    line(date="16/10/2025", reference="FT25289000111", credit="1,000,000", payer="TRAN THI BINH",
         note="UNG HO VNN2025-TRAN THI BINH"),
    line(date="21/10/2025", reference="FT25294001122", credit="200.000,00", payer="Nguyễn Văn An",
         note="ung ho hmcb2025 ba con vung lu"),  # the same new donor; the district's campaign
]


def statement_xlsx(lines: list[dict], *, headers: list[str] | None = None, preamble=PREAMBLE,
                   title: str = "Sheet1") -> bytes:
    """A workbook like a bank's export: its title and account above the table, then the lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in preamble:
        sheet.append(row)
    sheet.append(headers if headers is not None else HEADERS)
    for entry in lines:
        sheet.append([entry.get(key) for key in KEYS])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def statement_csv(lines: list[dict], *, headers: list[str] | None = None, delimiter: str = ",",
                  encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers if headers is not None else HEADERS)
    for entry in lines:
        writer.writerow(["" if entry.get(key) is None else entry.get(key) for key in KEYS])
    if encoding == "cp1258":
        return _windows_1258(text.getvalue())
    return text.getvalue().encode(encoding)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text: str) -> bytes:
    """``text`` as Windows-1258 writes Vietnamese: letters with their vowel marks (â, ơ, ư) whole,
    the tone mark after them as a character of its own (which Python's codec does not do)."""
    written = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_MARKS))
        written.append(base + tones)
    return "".join(written).encode("cp1258")


def upload(content: bytes, name: str = "sao-ke-thang-10.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX if name.endswith(".xlsx") else "text/csv")


@pytest.fixture
def fund(world):
    return FundFactory(unit=world.commune, name="Quỹ Vì người nghèo xã Phước Mỹ Trung")


@pytest.fixture
def campaigns(world, fund):
    """The commune's Month-for-the-Poor campaign (earmarked for housing), the district's appeal
    (covering the commune), and another province's (which the commune's fund does not collect for)."""
    month = services.campaign_create(
        actor=world.commune_officer, fund=fund, kind=CampaignKind.MONTH_FOR_THE_POOR,
        name="Tháng cao điểm Vì người nghèo 2025", code="VNN2025", starts_on=datetime.date(2025, 10, 17),
        ends_on=datetime.date(2025, 11, 18), target=100_000_000, earmark=Earmark.HOUSING)
    district = services.campaign_create(
        actor=world.district_member, fund=FundFactory(unit=world.district), kind=CampaignKind.DISASTER,
        name="Ủng hộ đồng bào vùng lũ", code="HMCB2025", starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 12, 31), earmark=Earmark.DISASTER_RELIEF)
    elsewhere = services.campaign_create(
        actor=CommuneOfficerFactory(unit=world.other_province_commune),
        fund=FundFactory(unit=world.other_province_commune), kind=CampaignKind.TET, name="Tết vì người nghèo",
        code="LD2025", starts_on=datetime.date(2025, 12, 1), ends_on=datetime.date(2026, 1, 31))
    return {"month": month, "district": district, "elsewhere": elsewhere}


@pytest.fixture
def business(world):
    return DonorFactory(unit=world.commune, kind=DonorKind.BUSINESS, name="Công ty TNHH Minh Phát")


def checked(actor, fund, uploaded_file) -> StatementImport:
    """Uploaded and checked, as the page and then the worker do (a real worker: test_the_worker_...)."""
    return run_check(statement_import_upload(actor=actor, fund=fund, uploaded_file=uploaded_file),
                     statement_import_run_check)


def confirmed(actor, record) -> StatementImport:
    return run_save(statement_import_confirm(actor=actor, statement_import=record), statement_import_run_save)


def problems(record) -> list[tuple]:
    return [(entry["row"], entry["column"], entry["message"], entry.get("level", "error")) for entry in record.errors]


# -- the preview -------------------------------------------------------------------------------------


def test_a_good_statement_is_previewed_as_receipts_with_donors_and_campaigns(world, fund, campaigns, business,
                                                                             english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES)))

    assert record.status == ImportStatus.CHECKED
    assert (record.row_count, record.credit_count, record.skipped_count) == (5, 4, 1)
    assert (record.total, record.new_donor_count) == (31_700_000, 2)
    assert record.original_name == "sao-ke-thang-10.xlsx" and record.file.name.endswith(".xlsx")
    assert [(entry["row"], entry["date"], entry["reference"], entry["amount"], entry["donor"],
             entry["new_donor_kind"], entry["campaign"], entry["earmark"]) for entry in record.preview] == [
        (8, "17/10/2025", "FT25290000001", 30_000_000, "Công ty TNHH Minh Phát", "", "VNN2025", "housing"),
        (9, "18/10/2025", "FT25291000789", 500_000, "Nguyen Van An", "individual", "", "none"),
        (11, "16/10/2025", "FT25289000111", 1_000_000, "Tran Thi Binh", "individual", "VNN2025", "housing"),
        (12, "21/10/2025", "FT25294001122", 200_000, "Nguyen Van An", "individual", "HMCB2025", "disaster_relief"),
    ]
    assert record.preview[0]["donor_id"] == business.pk
    assert problems(record) == [(9, "Nội dung", "No campaign's code in the note: the receipt will have no campaign, "
                                                "and its money will be unrestricted.", "warning")]
    assert not Receipt.objects.exists() and Donor.objects.count() == 1, "nothing is recorded before confirming"


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8-sig"), (";", "utf-8"), ("\t", "utf-16"),
                                                     (",", "cp1258")])
def test_a_csv_statement_is_read_in_the_encodings_and_separators_banks_write(world, fund, campaigns, business,
                                                                             delimiter, encoding):
    content = statement_csv(GOOD_LINES, delimiter=delimiter, encoding=encoding)
    record = checked(world.commune_officer, fund, upload(content, "sao-ke.csv"))

    assert record.status == ImportStatus.CHECKED, record.errors
    assert record.file.name.endswith(".csv")
    assert [(entry["row"], entry["amount"], entry["donor"], entry["campaign"]) for entry in record.preview] == [
        (2, 30_000_000, "Công ty TNHH Minh Phát", "VNN2025"), (3, 500_000, "Nguyen Van An", ""),
        (5, 1_000_000, "Tran Thi Binh", "VNN2025"), (6, 200_000, "Nguyen Van An", "HMCB2025")]


def test_english_and_bank_specific_headers_are_recognised(world, fund, campaigns):
    headers = ["Transaction date", "Reference No", "Credit (VND)", "Số tiền ghi nợ", "Ghi chú / Payer name",
               "Description"]
    rows = read_rows(BytesIO(statement_xlsx(GOOD_LINES[:2], headers=headers, preamble=[])),
                     TABLE)
    result = check_statement(rows, actor=world.commune_officer, fund=fund)
    assert result.is_valid
    assert [(receipt.bank_reference, receipt.amount, receipt.payer) for receipt in result.receipts] == [
        ("FT25290000001", 30_000_000, "CONG TY TNHH MINH PHAT"), ("FT25291000789", 500_000, "NGUYEN VAN AN")]


AMOUNTS = [
    (30000000, 30_000_000), (30000000.0, 30_000_000), ("30.000.000", 30_000_000), ("30,000,000", 30_000_000),
    ("30000000", 30_000_000), ("30 000 000", 30_000_000), ("30.000.000 VND", 30_000_000), ("30.000.000đ", 30_000_000),
    ("30.000.000,00", 30_000_000), ("30,000,000.00", 30_000_000), ("+500.000", 500_000), ("1.500", 1_500),
    ("-2.000.000", -2_000_000), ("(2.000.000)", -2_000_000), ("", None), (None, None), (0, 0),
]


@pytest.mark.parametrize(("cell", "amount"), AMOUNTS, ids=[repr(cell) for cell, _amount in AMOUNTS])
def test_amounts_are_read_as_banks_and_officers_write_them(cell, amount):
    assert read_amount(cell) == amount


@pytest.mark.parametrize(("cell", "message"), [
    ("30.000.000,50", "30.000.000,50 is not a whole number of đồng"), (2500.5, "2500.5 is not a whole number"),
    ("1.5", "1.5 is not a whole number"), ("ba triệu", "“ba triệu” is not an amount in đồng"),
    ("30.00.000", "“30.00.000” is not an amount in đồng"),
])
def test_amounts_that_are_not_whole_dong_are_refused_with_how_to_write_them(english, cell, message):
    with pytest.raises(CellError, match=re.escape(message)):
        read_amount(cell)


# -- every bad line, on its row --------------------------------------------------------------------------


BAD_LINES = [
    # (what the line says, the column named, words of the message)
    ({"date": "32/10/2025"}, "Ngày giao dịch", "32/10/2025 is not a day of the calendar."),
    ({"date": "hôm qua"}, "Ngày giao dịch", "“hôm qua” is not a date; write it as dd/mm/yyyy"),
    ({"date": None}, "Ngày giao dịch", "This cell must be filled in."),
    ({"credit": "30.000.000,50"}, "Ghi có", "is not a whole number of đồng: the đồng has no smaller unit."),
    ({"credit": "một triệu"}, "Ghi có", "“một triệu” is not an amount in đồng; write it as 30.000.000 or 30000000."),
    ({"credit": "-500.000"}, "Ghi có", "Money in is a positive amount; a negative one is money out"),
    ({"reference": None}, "Số bút toán", "The bank's reference of the transfer is missing"),
    ({"reference": "X" * 65}, "Số bút toán", "A bank reference has at most 64 characters."),
    ({"payer": None}, "Tên người chuyển", "Who sent the money is missing"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_LINES, ids=[str(case[0])[:30] for case in BAD_LINES])
def test_each_bad_line_is_reported_on_its_row_and_column(world, fund, english, cells, column, message):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line(), line(**{"reference": "FT2",
                                                                                         **cells})])))
    assert record.status == ImportStatus.INVALID
    errors = [(row, col, text) for row, col, text, level in problems(record) if level == "error"]
    assert any(row == 9 and col == column and message in text for row, col, text in errors), errors
    assert not [row for row, _col, _text in errors if row != 9], "the good line has no error"
    assert [entry["row"] for entry in record.preview] == [8, 9], "the bad line is shown where it is"
    assert not record.file, "an invalid file is not kept"


def test_a_reference_twice_in_the_file_is_refused_on_the_second_line(world, fund, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line(), line(credit="1.000.000")])))
    assert [entry for entry in problems(record) if entry[3] == "error"] == [
        (9, "Số bút toán", "This bank reference is also on row 8: a transfer is recorded once.", "error")]


def test_a_reference_already_recorded_for_the_fund_is_refused_naming_its_receipt(world, fund, business, english):
    receipt = services.receipt_record(actor=world.commune_officer, fund=fund, donor=business, amount=30_000_000,
                                      happened_on=datetime.date(2025, 10, 17), method=PaymentMethod.BANK_TRANSFER,
                                      bank_reference="FT25290000001")
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    assert [entry for entry in problems(record) if entry[3] == "error"] == [
        (8, "Số bút toán", f"This transfer is already recorded in the fund: receipt {receipt.number} of "
                           "17/10/2025, 30.000.000 ₫.", "error")]


def test_the_same_reference_in_another_fund_is_no_error(world, fund, business):
    other = FundFactory(unit=world.commune)
    services.receipt_record(actor=world.commune_officer, fund=other, donor=business, amount=1_000,
                            happened_on=datetime.date(2025, 10, 17), method=PaymentMethod.BANK_TRANSFER,
                            bank_reference="FT25290000001")
    assert checked(world.commune_officer, fund, upload(statement_xlsx([line()]))).status == ImportStatus.CHECKED


def test_a_campaign_code_not_found_is_a_warning_and_an_outsiders_campaign_is_not_found(world, fund, campaigns,
                                                                                       english):
    lines = [line(note="LD2025 ung ho"), line(reference="FT2", note="VNN2025 va HMCB2025"),
             line(reference="FT3", note="XVNN2025 VNN20251")]
    record = checked(world.commune_officer, fund, upload(statement_xlsx(lines)))
    assert record.status == ImportStatus.CHECKED
    assert [entry["campaign"] for entry in record.preview] == ["", "", ""]
    assert [(row, level) for row, _column, _message, level in problems(record)] == [
        (8, "warning"), (9, "warning"), (10, "warning")]
    assert "The note names several campaigns (VNN2025, HMCB2025)" in record.errors[1]["message"]
    assert "LD2025" not in str(record.errors[0]), "another province's campaign is not named"


def test_the_banks_totals_line_is_left_out_with_a_warning(world, fund, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx(
        [line(), line(date=None, reference=None, credit="30.000.000", payer="Tổng cộng", note=None)])))
    assert record.status == ImportStatus.CHECKED
    assert (record.credit_count, record.skipped_count) == (1, 1)
    assert ("bank's total or balance, and left out" in record.errors[-1]["message"]
            and record.errors[-1]["row"] == 9)


def test_a_donor_is_found_by_name_without_diacritics_among_the_officers_donors_only(world, fund, english):
    own = DonorFactory(unit=world.commune, kind=DonorKind.INDIVIDUAL, name="Nguyễn Văn An")
    DonorFactory(unit=world.sibling_commune, kind=DonorKind.INDIVIDUAL, name="Trần Thị Bình")  # not the officer's
    lines = [line(payer="NGUYEN VAN AN"), line(reference="FT2", payer="TRAN THI BINH"),
             line(reference="FT3", payer="Doanh nghiệp tư nhân Hòa Bình"),
             line(reference="FT4", payer="ACME Co., Ltd")]
    result = check_statement(read_rows(BytesIO(statement_xlsx(lines)), TABLE),
                             actor=world.commune_officer, fund=fund)
    assert [receipt.donor for receipt in result.receipts] == [own, None, None, None]
    assert [(donor.name, donor.kind) for donor in (r.new_donor for r in result.receipts[1:])] == [
        ("Tran Thi Binh", DonorKind.INDIVIDUAL), ("Doanh nghiệp tư nhân Hòa Bình", DonorKind.BUSINESS),
        ("ACME Co., Ltd", DonorKind.BUSINESS)]


def test_of_several_donors_of_one_name_the_viewers_own_units_is_chosen_with_a_warning(world, english):
    DonorFactory(unit=world.commune, name="Nguyễn Văn An", kind=DonorKind.INDIVIDUAL)  # the commune's, older
    districts = DonorFactory(unit=world.district, name="Nguyen Van An", kind=DonorKind.INDIVIDUAL)
    result = check_statement(read_rows(BytesIO(statement_xlsx([line(payer="NGUYỄN VĂN AN")])), TABLE),
                             actor=world.district_member, fund=FundFactory(unit=world.district))
    assert result.receipts[0].donor == districts
    assert [problem.message for problem in result.warnings if problem.column == "Tên người chuyển"] == [
        "2 of your donors have this name: the receipt goes to the one of Huyện Mỏ Cày Bắc recorded first. "
        "Check that it is the right one."]


def test_of_several_donors_of_one_name_in_the_officers_unit_the_oldest_is_chosen(world, fund):
    oldest = DonorFactory(unit=world.commune, name="Nguyễn Văn An", kind=DonorKind.INDIVIDUAL)
    DonorFactory(unit=world.commune, name="NGUYEN VAN AN", kind=DonorKind.INDIVIDUAL)
    result = check_statement(read_rows(BytesIO(statement_xlsx([line(payer="Nguyen Van An")])), TABLE),
                             actor=world.commune_officer, fund=fund)
    assert result.receipts[0].donor == oldest


# -- files that cannot be read ---------------------------------------------------------------------------


def _refused_at_upload(world, fund, content: bytes, name: str) -> str:
    with pytest.raises(ImportFileError) as refused:
        statement_import_upload(actor=world.commune_officer, fund=fund, uploaded_file=upload(content, name))
    assert not StatementImport.objects.exists()
    return refused.value.message


def test_a_file_that_is_neither_a_workbook_nor_csv_is_refused_at_once(world, fund, english):
    assert _refused_at_upload(world, fund, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "sao-ke.png").startswith(
        "This is neither an Excel workbook (.xlsx) nor a CSV file.")
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 99
    assert "Excel 97-2003 file (.xls)" in _refused_at_upload(world, fund, old_excel, "sao-ke.xls")


def test_a_file_over_the_size_limit_is_refused_at_once(world, fund, english, settings):
    settings.IMPORT_MAX_BYTES = 1024
    content = statement_csv(GOOD_LINES * 20)
    assert _refused_at_upload(world, fund, content, "sao-ke.csv") == (
        f"The file is {-(-len(content) // 1024)} KB; the largest accepted is 1 KB. Split it into smaller files.")


def test_a_statement_without_its_columns_names_those_missing(world, fund, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()], headers=["Ngày", "Số tiền",
                                                                                          "Nội dung"])))
    assert record.status == ImportStatus.INVALID
    assert record.errors == [{"row": None, "column": "", "message": (
        "No row among the first 30 has the statement's columns: “Số bút toán”, “Ghi có”, “Tên người chuyển” are "
        "missing. Rename the bank's headers as in the template, or copy the lines into it.")}]


def test_a_statement_of_debits_only_has_no_credits_to_record(world, fund, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line(credit=None, debit="1.000.000")])))
    assert record.status == ImportStatus.CHECKED
    assert (record.credit_count, record.skipped_count, record.preview) == (0, 1, [])


# -- confirming: all or nothing ----------------------------------------------------------------------------


def test_confirm_records_every_credit_in_date_order_with_its_donor_campaign_and_reference(
        world, fund, campaigns, business, django_capture_on_commit_callbacks):
    record = checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES)))
    stored = record.file.path
    with django_capture_on_commit_callbacks(execute=True):
        record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.IMPORTED
    assert record.confirmed_by == world.commune_officer and record.imported_at is not None
    assert not record.file and record.preview == []
    assert not os.path.exists(stored)
    receipts = list(Receipt.objects.filter(fund=fund).order_by("sequence").select_related("donor", "campaign"))
    assert [(r.number, r.happened_on, r.bank_reference, r.amount, r.donor.name, r.campaign and r.campaign.code,
             r.earmark, r.method) for r in receipts] == [
        ("PT-2025-000001", datetime.date(2025, 10, 16), "FT25289000111", 1_000_000, "Tran Thi Binh", "VNN2025",
         "housing", "bank_transfer"),
        ("PT-2025-000002", datetime.date(2025, 10, 17), "FT25290000001", 30_000_000, "Công ty TNHH Minh Phát",
         "VNN2025", "housing", "bank_transfer"),
        ("PT-2025-000003", datetime.date(2025, 10, 18), "FT25291000789", 500_000, "Nguyen Van An", None, "none",
         "bank_transfer"),
        ("PT-2025-000004", datetime.date(2025, 10, 21), "FT25294001122", 200_000, "Nguyen Van An", "HMCB2025",
         "disaster_relief", "bank_transfer"),
    ]
    assert receipts[2].note == "NGUYEN VAN AN chuyen tien ung ho"
    assert receipts[2].donor == receipts[3].donor, "one new donor for the lines of one payer"
    new = Donor.objects.exclude(pk=business.pk).order_by("name")
    assert [(donor.name, donor.kind, donor.unit, donor.created_by) for donor in new] == [
        ("Nguyen Van An", "individual", world.commune, world.commune_officer),
        ("Tran Thi Binh", "individual", world.commune, world.commune_officer)]
    assert all(receipt.recorded_by == world.commune_officer for receipt in receipts)


def test_a_reference_recorded_since_the_preview_records_nothing_and_says_which_line(world, fund, campaigns,
                                                                                   business, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES)))
    colleague = CommuneOfficerFactory(unit=world.commune)
    services.receipt_record(actor=colleague, fund=fund, donor=business, amount=200_000,
                            happened_on=datetime.date(2025, 10, 21), method=PaymentMethod.BANK_TRANSFER,
                            bank_reference="FT25294001122")  # line 12's, typed in by hand meanwhile

    record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.INVALID
    assert [entry for entry in problems(record) if entry[3] == "error"] == [
        (12, "Số bút toán", "This transfer is already recorded in the fund: receipt PT-2025-000001 of 21/10/2025, "
                            "200.000 ₫.", "error")]
    assert Receipt.objects.filter(fund=fund).count() == 1, "only the colleague's"
    assert Donor.objects.count() == 1, "no new donor either"


def test_a_line_refused_as_it_is_recorded_undoes_every_receipt_and_donor(world, fund, campaigns, business,
                                                                         english, monkeypatch):
    """The race the re-check cannot see: a reference recorded between the check and the insert.
    receipt_record refuses it, and nothing of the statement stays."""
    record = checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES)))
    services.receipt_record(actor=world.commune_officer, fund=fund, donor=business, amount=200_000,
                            happened_on=datetime.date(2025, 10, 21), method=PaymentMethod.BANK_TRANSFER,
                            bank_reference="FT25294001122")
    monkeypatch.setattr(statement_checking._Checker, "_check_references", lambda self, receipts: None)
    postings = Posting.objects.count()

    record = confirmed(world.commune_officer, record)

    assert record.status == ImportStatus.INVALID
    assert record.errors == [{"row": 12, "column": "Số bút toán",
                              "message": "A receipt of this bank reference is already recorded."}]
    assert Receipt.objects.filter(fund=fund).count() == 1
    assert Posting.objects.count() == postings, "the three receipts recorded before it are undone"
    assert Donor.objects.count() == 1, "and so are the two new donors"
    assert not record.file


def test_the_same_statement_imported_again_is_refused_line_by_line(world, fund, campaigns, business, english):
    confirmed(world.commune_officer, checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES))))
    assert Receipt.objects.filter(fund=fund).count() == 4

    again = checked(world.commune_officer, fund, upload(statement_xlsx(GOOD_LINES)))

    assert again.status == ImportStatus.INVALID
    recorded = "This transfer is already recorded in the fund: receipt PT-"
    refused = [(row, column) for row, column, message, level in problems(again)
               if level == "error" and message.startswith(recorded)]
    assert refused == [(8, "Số bút toán"), (9, "Số bút toán"), (11, "Số bút toán"), (12, "Số bút toán")]
    assert Receipt.objects.filter(fund=fund).count() == 4


def test_confirming_twice_records_once(world, fund, business, english):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    statement_import_confirm(actor=world.commune_officer, statement_import=record)
    with pytest.raises(ValidationError, match="not waiting for confirmation"):
        statement_import_confirm(actor=world.commune_officer, statement_import=record)
    statement_import_run_save(record.pk, "en")
    statement_import_run_save(record.pk, "en")  # the task delivered twice
    assert Receipt.objects.filter(fund=fund).count() == 1


def test_cancel_records_nothing(world, fund, business):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    record = statement_import_cancel(actor=world.commune_officer, statement_import=record)
    assert record.status == ImportStatus.CANCELLED and not record.file
    assert not Receipt.objects.exists()


def test_statements_left_waiting_expire_and_lose_their_file(world, fund):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    assert statement_import_expire(uploaded_before=timezone.now() - datetime.timedelta(days=1)) == 0
    assert statement_import_expire(uploaded_before=timezone.now() + datetime.timedelta(seconds=1)) == 1
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED and not record.file


@pytest.mark.parametrize("viewer", ["district_member", "provincial_officer", "administrator"])
def test_only_the_officers_of_the_funds_unit_import_its_statement(world, fund, viewer):
    with pytest.raises(PermissionDenied):
        statement_import_upload(actor=getattr(world, viewer), fund=fund,
                                uploaded_file=upload(statement_xlsx([line()])))
    assert not StatementImport.objects.exists()


def test_a_district_member_imports_the_districts_own_fund(world):
    district_fund = FundFactory(unit=world.district)
    record = checked(world.district_member, district_fund, upload(statement_xlsx([line()])))
    assert record.status == ImportStatus.CHECKED
    confirmed(world.district_member, record)
    assert Receipt.objects.get().fund == district_fund


def test_an_officer_of_another_commune_cannot_confirm(world, fund, business):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    with pytest.raises(StatementImport.DoesNotExist):
        statement_import_confirm(actor=CommuneOfficerFactory(unit=world.sibling_commune), statement_import=record)
    assert not Receipt.objects.exists()


def test_confirm_records_each_line_in_a_bounded_number_of_queries(world, fund, campaigns, business,
                                                                  django_assert_max_num_queries):
    lines = [line(reference=f"FT{n:05d}", payer=f"NGUYEN VAN {n}", credit=100_000 * n) for n in range(1, 21)]
    record = checked(world.commune_officer, fund, upload(statement_xlsx(lines)))
    record = statement_import_confirm(actor=world.commune_officer, statement_import=record)
    # Per line (23): a new donor (its check, insert and history) and receipt_record (the fund's lock,
    # its checks, the posting, its lines and trace, the series' lock and number, the receipt,
    # savepoints); then the import's own (about 20: the file read again and checked, the lock, the counts).
    with django_assert_max_num_queries(30 + 23 * len(lines)):
        statement_import_run_save(record.pk, "en")
    assert Receipt.objects.filter(fund=fund).count() == 20


# -- the template -------------------------------------------------------------------------------------------


def test_template_has_the_columns_an_example_and_the_headers_recognised(client, world, fund, campaigns):
    client.force_login(world.commune_officer)
    response = client.get(reverse("donations:statement-import-template"))
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-sao-ke-ngan-hang.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Sao kê", "Ví dụ", "Hướng dẫn"]
    assert [cell.value for cell in workbook["Sao kê"][1]] == HEADERS
    assert workbook["Sao kê"].max_row == 1
    assert workbook["Sao kê"].column_dimensions["B"].number_format == "@", "references are typed as text"
    help_text = "\n".join(str(cell) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for cell in row)
    for column in COLUMNS:
        assert column.header in help_text and all(alias in help_text for alias in column.aliases)
    assert "VNN2025" in str(workbook["Ví dụ"]["F2"].value), "the example carries a campaign of the officer's"


def test_the_templates_example_imports_as_it_is(world, fund, campaigns):
    example = load_workbook(BytesIO(statement_template_workbook(campaign_code="VNN2025")))["Ví dụ"]
    lines = [dict(zip(KEYS, values, strict=True)) for values in example.iter_rows(min_row=2, values_only=True)]
    record = checked(world.commune_officer, fund, upload(statement_xlsx(lines)))
    assert record.status == ImportStatus.CHECKED, record.errors
    assert (record.credit_count, record.skipped_count) == (3, 1)
    assert [entry["campaign"] for entry in record.preview] == ["VNN2025", "VNN2025", ""]


# -- the pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, world):
    return signed_in_english(client, world.commune_officer)


@pytest.fixture
def post(officer_client, django_capture_on_commit_callbacks, monkeypatch):
    """``post(url, data)``: the officer's post, then the tasks it queued, run in the test's process
    as the quick start runs them without Redis (the worker's test has a real one)."""
    return posting_with_tasks(officer_client, (statement_import_check_task, statement_import_save_task),
                              django_capture_on_commit_callbacks, monkeypatch)


def test_the_funds_import_page_offers_the_form_the_template_and_its_recent_imports(officer_client, world, fund):
    StatementImportFactory(fund=fund, original_name="thang-9.xlsx")
    StatementImportFactory(fund=FundFactory(unit=world.commune), original_name="quy-khac.xlsx")
    body = officer_client.get(reverse("donations:statement-import-create", args=[fund.pk])).content.decode()
    assert 'data-testid="import-form"' in body and fund.name in body
    assert reverse("donations:statement-import-template") in body
    assert "thang-9.xlsx" in body and "quy-khac.xlsx" not in body, "this fund's imports only"


def test_upload_shows_the_proposed_receipts_and_confirm_records_them(officer_client, post, world, fund, campaigns,
                                                                     business):
    response = post(reverse("donations:statement-import-create", args=[fund.pk]),
                    {"file": upload(statement_xlsx(GOOD_LINES))})
    record = StatementImport.objects.get()
    assert response["Location"] == reverse("donations:statement-import-detail", args=[record.pk])
    body = officer_client.get(response["Location"]).content.decode()
    assert ("Every line is correct. Confirming will record 4 receipts totalling 31.700.000 ₫ (2 new donors)."
            in body)
    preview = between(body, 'data-testid="import-preview"', "</table>")
    assert row_cells(preview, 'data-row="8"') == ["8", "17/10/2025", "FT25290000001", "30.000.000 ₫",
                                                  "CONG TY TNHH MINH PHAT", "Công ty TNHH Minh Phát",
                                                  "VNN2025 · Tháng cao điểm Vì người nghèo 2025", "Housing",
                                                  "VNN2025 CONG TY MINH PHAT UNG HO"]
    assert row_cells(preview, 'data-row="9"')[5] == "New Nguyen Van An (Individual)"
    assert row_cells(preview, 'data-problems-of="9"') == [
        "Nội dung: No campaign&#x27;s code in the note: the receipt will have no campaign, and its money will be "
        "unrestricted."]
    assert 'value="confirm"' in body

    response = post(response["Location"], {"action": "confirm"})
    body = officer_client.get(response["Location"]).content.decode()
    assert "4 receipts totalling 31.700.000 ₫ were recorded" in between(body, 'data-testid="import-done"', "</div>")
    assert Receipt.objects.filter(fund=fund).count() == 4


def test_the_page_shows_each_bad_line_and_offers_no_confirm(officer_client, post, world, fund):
    response = post(reverse("donations:statement-import-create", args=[fund.pk]), {"file": upload(statement_xlsx(
        [line(), line(reference="FT2", credit="1.000.000,5"), line(reference="FT2", date="31/02/2025")]))})
    body = officer_client.get(response["Location"]).content.decode()
    assert 'value="confirm"' not in body and 'data-testid="import-invalid"' in body
    preview = between(body, 'data-testid="import-preview"', "</table>")
    assert row_cells(preview, 'data-problems-of="9"')[0].startswith(
        "Ghi có: 1.000.000,5 is not a whole number of đồng: the đồng has no smaller unit.")
    errors = between(body, 'data-testid="import-errors"', "</table>")
    assert "This bank reference is also on row 9" in errors and "31/02/2025 is not a day of the calendar." in errors


def test_a_file_that_cannot_be_read_is_refused_on_the_page_and_nothing_stored(officer_client, world, fund):
    response = officer_client.post(reverse("donations:statement-import-create", args=[fund.pk]),
                                   {"file": upload(b"\x00\x01binary", "sao-ke.pdf")})
    assert response.status_code == 200
    assert "This is neither an Excel workbook (.xlsx) nor a CSV file." in between(
        response.content.decode(), 'data-testid="file-errors"', "</div>")
    assert not StatementImport.objects.exists()


def test_a_too_large_upload_is_refused_on_the_page(officer_client, world, fund, settings):
    settings.IMPORT_MAX_BYTES = 4 * 1024
    response = officer_client.post(reverse("donations:statement-import-create", args=[fund.pk]),
                                   {"file": upload(statement_csv(GOOD_LINES * 40), "sao-ke.csv")})
    assert "the largest accepted is 4 KB" in response.content.decode()
    assert not StatementImport.objects.exists()


def test_the_upload_checks_the_csrf_token(world, fund):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.commune_officer)
    response = client.post(reverse("donations:statement-import-create", args=[fund.pk]),
                           {"file": upload(statement_xlsx([line()]))})
    assert response.status_code == 403
    assert not StatementImport.objects.exists()


def test_the_page_follows_the_check_while_a_worker_runs_it(officer_client, world, fund,
                                                           django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(statement_import_check_task, "apply_async", lambda args, **options: None)  # queued
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("donations:statement-import-create", args=[fund.pk]),
                                       {"file": upload(statement_xlsx([line()]))})
    record = StatementImport.objects.get()
    progress_url = reverse("donations:statement-import-progress", args=[record.pk])
    body = officer_client.get(response["Location"]).content.decode()
    assert f'hx-get="{progress_url}"' in body and "Every line is being checked." in body
    assert "HX-Refresh" not in officer_client.get(progress_url, HTTP_HX_REQUEST="true")

    statement_import_run_check(record.pk, "en")
    assert officer_client.get(progress_url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


@pytest.mark.parametrize("outsider", ["sibling_officer", "other_district_member"])
def test_an_outsider_gets_404_on_the_fund_the_import_and_its_progress_and_changes_nothing(client, world, fund,
                                                                                         business, outsider):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    user = CommuneOfficerFactory(unit=world.sibling_commune) if outsider == "sibling_officer" else \
        DistrictMemberFactory(unit=world.other_district)
    client.force_login(user)
    detail = reverse("donations:statement-import-detail", args=[record.pk])
    create = reverse("donations:statement-import-create", args=[fund.pk])
    assert client.get(create).status_code == 404
    assert client.post(create, {"file": upload(statement_xlsx([line(reference="FT9")]))}).status_code == 404
    assert client.get(detail).status_code == 404
    assert client.get(reverse("donations:statement-import-progress", args=[record.pk])).status_code == 404
    assert client.post(detail, {"action": "confirm"}).status_code == 404
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and StatementImport.objects.count() == 1
    assert not Receipt.objects.exists()


def test_the_district_member_reads_the_communes_import_but_cannot_upload_or_confirm(client, world, fund, business):
    record = checked(world.commune_officer, fund, upload(statement_xlsx([line()])))
    client.force_login(world.district_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("donations:statement-import-create", args=[fund.pk])).content.decode()
    assert 'data-testid="import-not-allowed"' in page and 'data-testid="import-form"' not in page
    assert record.original_name in page
    assert client.post(reverse("donations:statement-import-create", args=[fund.pk]),
                       {"file": upload(statement_xlsx([line(reference="FT9")]))}).status_code == 403
    detail = client.get(reverse("donations:statement-import-detail", args=[record.pk])).content.decode()
    assert "FT25290000001" in detail and 'value="confirm"' not in detail
    assert client.post(reverse("donations:statement-import-detail", args=[record.pk]),
                       {"action": "confirm"}).status_code == 403
    assert not Receipt.objects.exists() and StatementImport.objects.count() == 1


# -- a real worker -----------------------------------------------------------------------------------------


def _until(record, workers, *statuses):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.status not in (ImportStatus.CHECKING, ImportStatus.SAVING):
            break
        time.sleep(0.1)
    assert record.status in statuses, f"{record.status} {record.progress}% {record.errors}\n{workers.output()}"
    return record


def test_the_worker_checks_the_statement_and_records_it_once_confirmed(world, celery_workers):
    fund = FundFactory(unit=world.commune)
    celery_workers.start()
    with translation.override("en"):
        record = statement_import_upload(actor=world.commune_officer, fund=fund,
                                         uploaded_file=upload(statement_csv(GOOD_LINES), "sao-ke.csv"))
    record = _until(record, celery_workers, ImportStatus.CHECKED)
    assert (record.credit_count, record.total, record.progress) == (4, 31_700_000, 100)
    assert not Receipt.objects.exists()

    with translation.override("en"):
        statement_import_confirm(actor=world.commune_officer, statement_import=record)
    record = _until(record, celery_workers, ImportStatus.IMPORTED)
    assert sorted(Receipt.objects.filter(fund=fund).values_list("bank_reference", flat=True)) == [
        "FT25289000111", "FT25290000001", "FT25291000789", "FT25294001122"]
    assert Donor.objects.filter(unit=world.commune).count() == 3
    assert not record.file

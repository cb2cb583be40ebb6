"""A member organisation's list of recipients imported into a draft batch: each row a household of
the batch's unit found by code or by the head's name and hamlet, previewed with every problem on
its row, added all together or not at all; a household out of the officer's sight is "not found";
a confirmed batch takes no list."""

import datetime
import time
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from donations.support import services
from donations.support.imports import (
    COLUMNS,
    batch_import_confirm,
    batch_import_run_check,
    batch_import_run_save,
    batch_import_upload,
)
from donations.support.models import BatchImport, Recipient
from donations.tasks import batch_import_check_task, batch_import_save_task, batch_imports_expire_task
from frontwelfare.imports.choices import ImportStatus
from frontwelfare.imports.reading import ImportFileError

from ..import_steps import XLSX, between, posting_with_tasks, row_cells, run_check, run_save, signed_in_english
from ..workers import celery_workers as celery_workers
from .factories import manager_of
from .support_factories import batch_with, funded_batch, poor_household, pupil_of

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]
TITLE = [["HỘI CHỮ THẬP ĐỎ THỊ TRẤN PHƯỚC MỸ TRUNG"], ["DANH SÁCH HỘ NHẬN QUÀ TẾT"], []]


def list_xlsx(rows: list[dict], *, headers=None, preamble=TITLE) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in preamble:
        sheet.append(row)
    sheet.append(headers or HEADERS)
    for entry in rows:
        sheet.append([entry.get(key) for key in KEYS])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name: str = "danh-sach-chu-thap-do.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@pytest.fixture
def officer(world):
    return world.commune_officer


@pytest.fixture
def households(world):
    return {
        "an": poor_household(world.commune, hamlet="Ấp Phước Hậu", head_name="Nguyễn Văn An"),
        "binh": poor_household(world.commune, hamlet="Ấp Phước Thạnh", head_name="Trần Thị Bình"),
        "cuong": poor_household(world.commune, hamlet="Ấp Phước Hậu", head_name="Lê Văn Cường"),
    }


@pytest.fixture
def batch(world, officer):
    return funded_batch(world.commune, actor=officer, value=500_000)


def checked(actor, batch, content: bytes) -> BatchImport:
    return run_check(batch_import_upload(actor=actor, batch=batch, uploaded_file=upload(content)),
                     batch_import_run_check)


def confirmed(actor, record) -> BatchImport:
    return run_save(batch_import_confirm(actor=actor, batch_import=record), batch_import_run_save)


def problems(record) -> list[tuple]:
    return [(entry["row"], entry["column"], entry["message"]) for entry in record.errors
            if entry.get("level") != "warning"]


def test_a_good_list_adds_its_lines_with_their_values_goods_and_notes(world, officer, households, batch, english):
    content = list_xlsx([
        {"code": households["an"].code, "goods": "10 kg gạo"},  # by code; the batch's value
        {"head": "TRAN THI BINH", "hamlet": "ap phuoc thanh", "value": "700.000", "note": "Neo đơn"},  # folded
        {"head": "Lê Văn Cường", "hamlet": "Ấp Phước Hậu", "value": 300000},
    ])
    record = checked(officer, batch, content)
    assert record.status == ImportStatus.CHECKED, record.errors
    assert (record.row_count, record.recipient_count) == (3, 3)
    assert [(entry["row"], entry["head"], entry["value"]) for entry in record.preview] == [
        (5, "Nguyễn Văn An", 500_000), (6, "Trần Thị Bình", 700_000), (7, "Lê Văn Cường", 300_000)]
    assert not batch.recipients.exists(), "nothing is added before the officer confirms"

    record = confirmed(officer, record)

    assert record.status == ImportStatus.IMPORTED
    lines = {line.household_id: line for line in batch.recipients.all()}
    assert {pk: line.value for pk, line in lines.items()} == {
        households["an"].pk: 500_000, households["binh"].pk: 700_000, households["cuong"].pk: 300_000}
    assert lines[households["an"].pk].goods == "10 kg gạo"
    assert lines[households["binh"].pk].added_reason == "From the list danh-sach-chu-thap-do.xlsx. Neo đơn"


def test_a_list_with_one_bad_row_adds_nothing_and_names_the_row(world, officer, households, batch, english):
    content = list_xlsx([
        {"code": households["an"].code},
        {"head": "Không Có Ai", "hamlet": "Ấp Phước Hậu"},
        {"head": "Lê Văn Cường", "hamlet": "Ấp Phước Hậu", "value": "1.000,5"},
    ])
    record = checked(officer, batch, content)

    assert record.status == ImportStatus.INVALID
    assert (record.row_count, record.recipient_count) == (3, 2)  # the rows found in the registry
    assert problems(record) == [
        (6, "Họ tên chủ hộ", "No household of the batch's unit in the registry has this code, or this head's name "
                             "in this hamlet."),
        (7, "Giá trị (đồng)", "1.000,5 is not a whole number of đồng: the đồng has no smaller unit."),
    ]
    with pytest.raises(ValidationError, match="not waiting for confirmation"):
        batch_import_confirm(actor=officer, batch_import=record)
    assert not batch.recipients.exists()


def test_a_household_out_of_the_officers_scope_is_not_found_like_a_missing_one(world, officer, batch, english):
    """A district batch imported by the district: a household of another district, with a code and
    name written as they are, is reported in the same words as one that does not exist."""
    elsewhere = poor_household(world.other_district_commune, hamlet="Ấp Tân Lợi", head_name="Phạm Văn Xa")
    record = checked(officer, batch, list_xlsx([
        {"code": elsewhere.code, "head": "Phạm Văn Xa", "hamlet": "Ấp Tân Lợi"},
        {"code": "KHONG-CO", "head": "Phạm Văn Không", "hamlet": "Ấp Tân Lợi"},
    ]))

    assert record.status == ImportStatus.INVALID
    messages = [message for _row, _column, message in problems(record)]
    assert messages[0] == messages[1]
    assert "Phạm Văn Xa" not in str(record.errors) and elsewhere.commune.name not in str(record.errors)


def test_a_household_already_in_the_batch_or_listed_twice_is_an_error_on_its_row(world, officer, households, english):
    batch = batch_with(world.commune, [households["an"]], actor=officer)
    record = checked(officer, batch, list_xlsx([
        {"code": households["an"].code},
        {"code": households["binh"].code},
        {"head": "Trần Thị Bình", "hamlet": "Ấp Phước Thạnh"},
    ]))

    assert problems(record) == [
        (5, "Mã hộ", "This household is already in the batch."),
        (7, "Mã hộ", "Also on row 6: each recipient is listed once."),
    ]


def test_a_household_added_since_the_check_refuses_the_list_whole_at_confirm(world, officer, households, batch,
                                                                           english):
    record = checked(officer, batch, list_xlsx([{"code": households["an"].code}, {"code": households["binh"].code}]))
    assert record.status == ImportStatus.CHECKED
    services.recipient_add(actor=officer, batch=batch, household=households["binh"], reason="Thêm tay")

    record = confirmed(officer, record)

    assert record.status == ImportStatus.INVALID
    assert (6, "Mã hộ", "This household is already in the batch.") in problems(record)
    assert list(batch.recipients.values_list("household_id", flat=True)) == [households["binh"].pk]


def test_a_per_pupil_list_finds_each_pupil_among_the_households_members(world, officer, english):
    household = poor_household(world.commune, head_name="Đặng Văn Em", hamlet="Ấp Phước Hậu")
    pupil = pupil_of(household, full_name="Đặng Thị Học")
    batch = funded_batch(world.commune, actor=officer, code="scholarship", occasion="Học bổng 2025-2026")
    record = checked(officer, batch, list_xlsx([
        {"head": "Đặng Văn Em", "hamlet": "Ấp Phước Hậu", "pupil": "dang thi hoc", "school": "Trường TH PMT",
         "grade": "3", "school_year": "2025-2026"},
        {"head": "Đặng Văn Em", "hamlet": "Ấp Phước Hậu", "pupil": "Người Lạ"},
    ]))
    assert problems(record) == [(6, "Họ tên học sinh", "No member of this household has this name.")]

    record = checked(officer, batch, list_xlsx([
        {"head": "Đặng Văn Em", "hamlet": "Ấp Phước Hậu", "pupil": "dang thi hoc", "school": "Trường TH PMT",
         "grade": "3", "school_year": "2025-2026"}]))
    confirmed(officer, record)
    line = Recipient.objects.get(batch=batch)
    assert (line.pupil_id, line.school, line.grade, line.school_year) == (pupil.pk, "Trường TH PMT", "3",
                                                                          "2025-2026")


def test_a_confirmed_batch_refuses_a_list(world, officer, households, english):
    batch = batch_with(world.commune, [households["an"]], actor=officer)
    services.batch_confirm(actor=officer, batch=batch)
    with pytest.raises(ImportFileError, match="confirmed: a list is imported only into a draft batch"):
        batch_import_upload(actor=officer, batch=batch, uploaded_file=upload(list_xlsx([
            {"code": households["binh"].code}])))
    assert not BatchImport.objects.exists()


def test_a_batch_confirmed_after_the_check_adds_nothing(world, officer, households, english):
    batch = batch_with(world.commune, [households["an"]], actor=officer)
    record = checked(officer, batch, list_xlsx([{"code": households["binh"].code}]))
    services.batch_confirm(actor=officer, batch=batch)

    record = confirmed(officer, record)

    assert record.status == ImportStatus.INVALID
    assert "a list is imported only into a draft batch" in str(record.errors)
    assert batch.recipients.count() == 1


def test_confirm_adds_the_list_in_a_bounded_number_of_queries(world, officer, batch,
                                                              django_assert_max_num_queries):
    many = [poor_household(world.commune, hamlet="Ấp Phước Hậu") for _ in range(30)]
    record = checked(officer, batch, list_xlsx([{"code": household.code} for household in many]))
    record = batch_import_confirm(actor=officer, batch_import=record)
    # Fewer than the rows: the import, its file, the households and the recipients are read and
    # written for the whole list at once.
    with django_assert_max_num_queries(20):
        batch_import_run_save(record.pk, "en")
    assert batch.recipients.count() == 30


def _until(record, workers, *statuses):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if not record.running:
            break
        time.sleep(0.1)
    assert record.status in statuses, f"{record.status} {record.progress}% {record.errors}\n{workers.output()}"
    return record


def test_the_worker_checks_the_list_and_adds_it_once_confirmed(world, households, celery_workers):
    batch = funded_batch(world.commune, actor=world.commune_officer)
    celery_workers.start()
    with translation.override("en"):
        record = batch_import_upload(actor=world.commune_officer, batch=batch, uploaded_file=upload(list_xlsx([
            {"code": households["an"].code}, {"head": "Lê Văn Cường", "hamlet": "Ấp Phước Hậu"}])))
    record = _until(record, celery_workers, ImportStatus.CHECKED)
    assert (record.recipient_count, record.progress) == (2, 100)
    assert not batch.recipients.exists()

    with translation.override("en"):
        batch_import_confirm(actor=world.commune_officer, batch_import=record)
    record = _until(record, celery_workers, ImportStatus.IMPORTED)
    assert set(batch.recipients.values_list("household_id", flat=True)) == {households["an"].pk,
                                                                            households["cuong"].pk}
    assert not record.file


# -- pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, world):
    return signed_in_english(client, world.commune_officer)


@pytest.fixture
def post(officer_client, django_capture_on_commit_callbacks, monkeypatch):
    return posting_with_tasks(officer_client, (batch_import_check_task, batch_import_save_task),
                              django_capture_on_commit_callbacks, monkeypatch)


def test_upload_shows_the_rows_found_and_confirm_adds_them(officer_client, post, world, households, batch):
    response = post(reverse("support:batch-import-create", args=[batch.pk]), {"file": upload(list_xlsx([
        {"code": households["an"].code}, {"head": "Trần Thị Bình", "hamlet": "Ấp Phước Thạnh", "value": 700000}]))})
    record = BatchImport.objects.get()
    assert response["Location"] == reverse("support:batch-import-detail", args=[record.pk])
    body = officer_client.get(response["Location"]).content.decode()
    assert "Every row is correct. Confirming will add 2 recipients to the batch." in body
    preview = between(body, 'data-testid="import-preview"', "</table>")
    assert row_cells(preview, 'data-row="6"')[:6] == ["6", households["binh"].code, "Trần Thị Bình",
                                                      "Ấp Phước Thạnh", "—", "700.000 ₫"]

    response = post(response["Location"], {"action": "confirm"})
    body = officer_client.get(response["Location"]).content.decode()
    assert "2 recipients were added to the batch" in between(body, 'data-testid="import-done"', "</div>")
    assert batch.recipients.count() == 2


def test_the_page_shows_each_bad_row_and_offers_no_confirm(officer_client, post, batch):
    response = post(reverse("support:batch-import-create", args=[batch.pk]), {"file": upload(list_xlsx([
        {"head": "Không Có Ai", "hamlet": "Ấp Phước Hậu"}]))})
    body = officer_client.get(response["Location"]).content.decode()
    assert 'value="confirm"' not in body and 'data-testid="import-invalid"' in body
    assert "No household of the batch&#x27;s unit" in between(body, 'data-testid="import-errors"', "</table>")


def test_a_confirmed_batchs_import_page_offers_no_form_and_refuses_an_upload(officer_client, post, world, households):
    batch = batch_with(world.commune, [households["an"]], actor=world.commune_officer)
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    url = reverse("support:batch-import-create", args=[batch.pk])
    body = officer_client.get(url).content.decode()
    assert 'data-testid="import-form"' not in body and "no longer a draft" in body
    assert post(url, {"file": upload(list_xlsx([{"code": households["binh"].code}]))}).status_code == 403
    assert not BatchImport.objects.exists()


def test_an_outsider_gets_404_on_the_batch_the_import_and_its_progress(client, world, officer, households, batch):
    record = checked(officer, batch, list_xlsx([{"code": households["an"].code}]))
    client.force_login(manager_of(world.sibling_commune))
    for name, pk in (("support:batch-import-create", batch.pk), ("support:batch-import-detail", record.pk),
                     ("support:batch-import-progress", record.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("support:batch-import-detail", args=[record.pk]),
                       {"action": "confirm"}).status_code == 404
    assert not batch.recipients.exists()


def test_the_template_has_the_columns_and_an_example(client, world):
    client.force_login(world.commune_officer)
    response = client.get(reverse("support:batch-import-template"))
    workbook = load_workbook(BytesIO(response.content))
    assert [cell.value for cell in workbook["Danh sách"][1]] == HEADERS
    assert workbook["Ví dụ"]["B2"].value == "Nguyễn Văn An"


def test_lists_left_waiting_expire_every_night_and_lose_their_file(world, officer, households, batch, settings):
    record = checked(officer, batch, list_xlsx([{"code": households["an"].code}]))
    assert record.file
    BatchImport.objects.filter(pk=record.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=8))

    assert batch_imports_expire_task() == 1

    record.refresh_from_db()
    assert (record.status, record.file.name) == (ImportStatus.CANCELLED, "")
    entry = settings.CELERY_BEAT_SCHEDULE["donations-expire-waiting-batch-imports"]
    assert entry["task"] == batch_imports_expire_task.name

"""The social-security summary of the whole country, one row per province, for the central level:
asked for by the administrator alone (on the page, leaving the unit at "Toàn quốc"; in the API,
leaving it out or null), made by the worker's service as XLSX and PDF, and read back to check its
figures against the records; refused to everyone else and for the kinds made for one unit.

No worker runs here: the task's apply_async is replaced by a recorder (`queue`), on-commit
callbacks are run by hand, and the file is made by calling the worker's service."""

import datetime
import re
import shutil
import subprocess
from io import BytesIO

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from frontwelfare.areas.choices import Era
from frontwelfare.reports import periods, services
from frontwelfare.reports.breakdown import breakdown_of
from frontwelfare.reports.choices import PeriodKind, ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category, PolicyType
from households.report_sections import SOCIAL_SECURITY
from housing.report_sections import HOUSING

from ..factories import CommuneFactory, ProvinceFactory
from ..households.factories import HouseholdFactory, HouseholdPolicyFactory, HouseholdStatusFactory, MemberFactory
from .factories import ReportFactory

YEAR_2025 = periods.year(2025)
ONLY_THE_ADMINISTRATOR = ("Chỉ quản trị viên mới được yêu cầu báo cáo toàn quốc: hãy chọn đơn vị của bạn hoặc một "
                          "đơn vị trực thuộc.")


@pytest.fixture(autouse=True)
def _nothing_reaches_redis(queue):
    """Every test of this file sends its reports to the ``queue`` fixture (conftest.py)."""


@pytest.fixture
def country(world):
    """The records of four provinces: Bến Tre and Lâm Đồng before 1 July 2025 (the test world's), and
    two current ones, Vĩnh Long (which Bến Tre became part of) and Lâm Đồng (the same name as the
    former one). Returns the current provinces.

    - Bến Tre (former): Phước Mỹ Trung 2 poor and 1 near-poor, Tân Thạch (another district) 1 poor
      with a martyr's family;
    - Lâm Đồng (former): Lạc Xuân 1 near-poor;
    - Vĩnh Long: Phước Mỹ Trung (the current commune) 1 poor, with a disabled member, and 1 newly
      escaped poverty, and 1 household with no status (not counted);
    - Lâm Đồng: nothing."""
    vinh_long = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Vĩnh Long", code="86")
    lam_dong = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Lâm Đồng", code="68")
    current_commune = CommuneFactory(era=Era.CURRENT, parent=vinh_long, district=None, province=vinh_long,
                                     name="Xã Phước Mỹ Trung", code="28915")

    def household(commune, category, day=datetime.date(2025, 3, 1)):
        made = HouseholdFactory(commune=commune)
        HouseholdStatusFactory(household=made, category=category, year=2025, decision_date=day)
        return made

    household(world.commune, Category.POOR)
    household(world.commune, Category.POOR)
    household(world.commune, Category.NEAR_POOR)
    HouseholdPolicyFactory(household=household(world.other_district_commune, Category.POOR),
                           policy_type=PolicyType.MARTYR_FAMILY)
    household(world.other_province_commune, Category.NEAR_POOR)
    MemberFactory(household=household(current_commune, Category.POOR), disability="severe", school_level="")
    household(current_commune, Category.ESCAPED_POVERTY, day=datetime.date(2025, 9, 1))
    HouseholdFactory(commune=current_commune)
    return {"vinh_long": vinh_long, "lam_dong": lam_dong}


def _ask(actor, *, kind=SOCIAL_SECURITY, file_format=ReportFormat.XLSX, capture):
    with capture(execute=True):
        return services.report_request(actor=actor, kind=kind, unit=None, period=YEAR_2025, file_format=file_format)


def _made(report) -> Report:
    services.report_build(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report


def _sheets(report) -> list[dict[str, tuple]]:
    """Each sheet's rows by their first cell (a province's row name, the totals' label, a heading)."""
    with report.file.open("rb") as stored:
        workbook = load_workbook(BytesIO(stored.read()))
    return [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
            for sheet in workbook.worksheets]


def _pdf_words(report) -> str:
    """The document's text in the order it is drawn (row by row, cell by cell), each run of spaces
    and line ends made one space: a name wrapped in its cell ("Tỉnh Lâm Đồng" / "(cũ)") reads whole."""
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    with report.file.open("rb") as stored:
        text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=stored.read(), capture_output=True,
                              check=True).stdout.decode()
    return " ".join(text.split())


def _figures_after(words: str, name: str) -> list[list[str]]:
    """The figures printed right after the row name ``name``, one list per table ("Tỉnh Lâm Đồng
    (cũ)" is not a row of "Tỉnh Lâm Đồng": figures must follow the name)."""
    rows = [found.split() for found in re.findall(rf"{re.escape(name)}((?: [\d.]+)+)", words)]
    assert rows, f"{name!r} not in the PDF:\n{words}"
    return rows


# -- the figures --------------------------------------------------------------------------------------


def test_whole_country_rows_are_the_current_provinces_then_the_former_ones(world, country):
    breakdown = breakdown_of(None)
    assert breakdown.units == [country["lam_dong"], country["vinh_long"], world.other_province, world.province]
    assert breakdown.key("household__commune") == F("household__commune__province_id")


def test_administrators_country_summary_in_excel_has_a_row_per_province_with_the_records_figures(
        world, country, django_capture_on_commit_callbacks):
    report = _made(_ask(world.administrator, capture=django_capture_on_commit_callbacks))

    # Then the support given (donations), tested in tests/donations/test_support_report.py.
    categories, policies, _movements, people, *_support = _sheets(report)
    # Poor, near-poor, newly escaped poverty, in difficulty; the current provinces first.
    rows = [(name, figures) for name, figures in categories.items() if name.startswith(("Tỉnh", "Tổng"))]
    assert rows == [("Tỉnh Lâm Đồng", (0, 0, 0, 0)), ("Tỉnh Vĩnh Long", (1, 0, 1, 0)),
                    ("Tỉnh Lâm Đồng (cũ)", (0, 1, 0, 0)), ("Tỉnh Bến Tre (cũ)", (3, 1, 0, 0)),
                    ("Tổng cộng", (4, 2, 1, 0))]
    assert policies["Tỉnh Bến Tre (cũ)"][0] == 1 and policies["Tổng cộng"][0] == 1  # the martyr's family
    # Households with a status, their members (each has its head), with a disability, pupils.
    assert people["Tỉnh Vĩnh Long"] == (2, 3, 1, 0)
    assert people["Tổng cộng"][:2] == (7, 8)
    assert "Xã Phước Mỹ Trung" not in categories and "Huyện Mỏ Cày Bắc" not in categories
    assert "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM" in categories
    assert "Toàn quốc, năm 2025" in categories
    assert report.file.name == f"reports/{report.pk}/social_security-toan-quoc-20250101-20251231.xlsx"


def test_administrators_country_summary_in_pdf_prints_each_provinces_figures(
        world, country, django_capture_on_commit_callbacks):
    report = _made(_ask(world.administrator, file_format=ReportFormat.PDF,
                        capture=django_capture_on_commit_callbacks))

    words = _pdf_words(report)
    assert "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM" in words and "Hà Nội, ngày" in words
    assert "Toàn quốc, năm 2025" in words
    # The first table: poor, near-poor, newly escaped poverty, in difficulty.
    assert _figures_after(words, "Tỉnh Lâm Đồng")[0] == ["0", "0", "0", "0"]
    assert _figures_after(words, "Tỉnh Vĩnh Long")[0] == ["1", "0", "1", "0"]
    assert _figures_after(words, "Tỉnh Lâm Đồng (cũ)")[0] == ["0", "1", "0", "0"]
    assert _figures_after(words, "Tỉnh Bến Tre (cũ)")[0] == ["3", "1", "0", "0"]
    assert _figures_after(words, "Tổng cộng")[0] == ["4", "2", "1", "0"]
    # The fourth: households, members, with a disability, pupils (the support given follows).
    assert _figures_after(words, "Tỉnh Vĩnh Long")[3] == ["2", "3", "1", "0"]
    assert words.index("Tỉnh Lâm Đồng 0") < words.index("Tỉnh Vĩnh Long") < words.index("Tỉnh Lâm Đồng (cũ)") \
        < words.index("Tỉnh Bến Tre (cũ)") < words.index("Tổng cộng")


def test_unchanged_country_report_is_served_again_and_made_again_once_the_records_change(
        world, country, queue, django_capture_on_commit_callbacks):
    first = _made(_ask(world.administrator, capture=django_capture_on_commit_callbacks))

    again = _ask(world.administrator, capture=django_capture_on_commit_callbacks)
    assert again.pk == first.pk and queue == [first.pk]

    HouseholdStatusFactory(household=HouseholdFactory(commune=world.other_province_commune), category=Category.POOR)
    changed = _ask(world.administrator, capture=django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and queue == [first.pk, changed.pk]
    assert changed.unit is None


# -- who may ask for it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["provincial_officer", "district_member", "commune_officer"])
def test_nobody_but_the_administrator_asks_for_the_whole_country(world, role, queue, english,
                                                                 django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        _ask(getattr(world, role), capture=django_capture_on_commit_callbacks)
    assert refused.value.message_dict == {"unit": [
        "Only the administrator can ask for a report on the whole country: choose your unit or one under it."]}
    assert not Report.objects.exists() and queue == []


def test_the_schedule_never_makes_a_report_on_the_whole_country(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        _ask(None, capture=django_capture_on_commit_callbacks)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(unit=None, requested_by=None)


def test_housing_report_is_made_for_one_unit_not_the_whole_country(world, queue, english,
                                                                    django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        _ask(world.administrator, kind=HOUSING, capture=django_capture_on_commit_callbacks)
    assert refused.value.message_dict == {"unit": [
        "This kind of report is made for one unit, not the whole country: choose a province or a district."]}
    assert not Report.objects.exists() and queue == []


# -- the page -----------------------------------------------------------------------------------------------


def _post(client, user, capture, **overrides):
    data = {"kind": SOCIAL_SECURITY, "unit": "", "period_kind": PeriodKind.YEAR, "year": "2025",
            "file_format": ReportFormat.XLSX, **overrides}
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("reports:create"), data)


def test_administrator_asks_for_the_whole_country_on_the_page_and_downloads_it(
        client, world, country, queue, django_capture_on_commit_callbacks):
    client.force_login(world.administrator)
    form = client.get(reverse("reports:create")).context["form"]
    assert form.fields["unit"].choices[0] == ("", "Toàn quốc") and form["unit"].value() is None

    response = _post(client, world.administrator, django_capture_on_commit_callbacks)

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.unit, report.requested_by, queue) == (None, world.administrator, [report.pk])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Toàn quốc · năm 2025" in page
    assert "Toàn quốc" in client.get(reverse("reports:list")).content.decode()
    _made(report)
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert 'filename="bao-cao-an-sinh-toan-quoc-2025.xlsx"' in download["Content-Disposition"]
    assert load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]["A3"].value \
        == "Toàn quốc, năm 2025"


def test_housing_for_the_whole_country_is_refused_on_the_page_with_the_reason(
        client, world, queue, django_capture_on_commit_callbacks):
    response = _post(client, world.administrator, django_capture_on_commit_callbacks, kind=HOUSING)
    assert response.status_code == 400
    assert "không lập cho toàn quốc" in response.content.decode()
    assert not Report.objects.exists() and queue == []


@pytest.mark.parametrize("role", ["provincial_officer", "district_member"])
def test_officer_leaving_the_unit_empty_on_the_page_is_refused_and_nothing_is_made(
        client, world, role, queue, django_capture_on_commit_callbacks):
    user = getattr(world, role)
    client.force_login(user)
    choices = client.get(reverse("reports:create")).context["form"].fields["unit"].choices
    assert "" not in [value for value, _label in choices]

    response = _post(client, user, django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == ["Thông tin này là bắt buộc."]
    assert not Report.objects.exists() and queue == []


def test_officers_do_not_see_the_country_report(client, world):
    report = ReportFactory(unit=None, requested_by=world.administrator)
    for role in ("provincial_officer", "district_member", "commune_officer"):
        client.force_login(getattr(world, role))
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404, role
        assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404, role
        assert report.pk not in [shown.pk for shown in client.get(reverse("reports:list")).context["object_list"]]
    client.force_login(world.administrator)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


# -- the API ------------------------------------------------------------------------------------------------


def _api_ask(user, capture, **overrides):
    client = APIClient()
    client.force_login(user)
    data = {"kind": SOCIAL_SECURITY, "period_kind": PeriodKind.YEAR, "year": 2025, **overrides}
    with capture(execute=True):
        return client.post(reverse("api:report-list"), data, format="json")


@pytest.mark.parametrize("unit", [{}, {"unit": None}], ids=["left-out", "null"])
def test_administrator_asks_the_api_for_the_whole_country(world, country, queue, unit,
                                                          django_capture_on_commit_callbacks):
    response = _api_ask(world.administrator, django_capture_on_commit_callbacks, **unit)

    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get()
    assert (body["id"], body["unit"], body["kind"], body["reused"]) == (report.pk, None, SOCIAL_SECURITY, False)
    assert report.unit is None and queue == [report.pk]


@pytest.mark.parametrize("role", ["provincial_officer", "district_member"])
@pytest.mark.parametrize("unit", [{}, {"unit": None}], ids=["left-out", "null"])
def test_officer_asking_the_api_for_the_whole_country_is_refused_and_nothing_is_made(
        world, role, unit, queue, django_capture_on_commit_callbacks):
    response = _api_ask(getattr(world, role), django_capture_on_commit_callbacks, **unit)

    assert (response.status_code, response.json()) == (400, {"unit": [ONLY_THE_ADMINISTRATOR]})
    assert not Report.objects.exists() and queue == []


def test_api_refuses_the_housing_report_on_the_whole_country(world, queue, django_capture_on_commit_callbacks):
    response = _api_ask(world.administrator, django_capture_on_commit_callbacks, kind=HOUSING)
    assert response.status_code == 400 and list(response.json()) == ["unit"]
    assert not Report.objects.exists()


def test_schema_says_the_unit_may_be_left_out_or_null_for_the_whole_country(client, world):
    client.force_login(world.administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    schemas = yaml.safe_load(client.get(reverse("api-schema")).content)["components"]["schemas"]

    request = schemas["ReportRequestRequest"]
    assert "unit" not in request["required"]
    assert request["properties"]["unit"]["nullable"] is True
    assert "null for the whole country" in request["properties"]["unit"]["description"]
    assert schemas["Report"]["properties"]["unit"]["nullable"] is True
    assert "whole_country" in schemas["KindChoice"]["required"]

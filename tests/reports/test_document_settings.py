"""A unit's document settings (reports.DocumentSettings): its own people set who signs its reports,
as what, the symbol after the number and who receives them, on a page and through the API; the next
report prints them; any other unit answers 404; bad input changes nothing."""

import datetime
import subprocess
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from frontwelfare.reports import figures, periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import DocumentSettings, Report
from frontwelfare.reports.writers import pdf
from households.report_sections import SOCIAL_SECURITY

from ..factories import DistrictMemberFactory

SETTINGS = {"signer_title": "Phó Chủ tịch", "signer": "Nguyễn Văn Bình", "symbol": "BC-MTTQ",
            "recipients": "Ban Thường trực UBMTTQ tỉnh;\nThường trực Huyện ủy;"}
YEAR_2025 = periods.year(2025)


def _url(unit) -> str:
    return reverse("reports:document-settings", args=[unit.pk])


def _english(client):
    client.cookies.load({"django_language": "en"})
    return client


def test_a_district_member_saves_the_signer_and_recipients_and_the_next_report_prints_them(client, world):
    client.force_login(world.district_member)
    response = client.post(_url(world.district), SETTINGS)
    assert response.status_code == 302
    saved = DocumentSettings.objects.get(unit=world.district)
    assert (saved.signer, saved.signer_title, saved.updated_by) == ("Nguyễn Văn Bình", "Phó Chủ tịch",
                                                                     world.district_member)
    assert saved.history.get().history_user == world.district_member

    report = SimpleNamespace(kind=SOCIAL_SECURITY, unit=world.district, period=YEAR_2025, options={}, number=7)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.write(figures.report_data(report)),
                          capture_output=True, check=True, timeout=60).stdout.decode()
    flat = " ".join(text.split())
    assert "Số: 7/BC-MTTQ" in flat
    assert "- Ban Thường trực UBMTTQ tỉnh;" in flat and "- Thường trực Huyện ủy;" in flat and "- Lưu: VT." in flat
    assert "TM. BAN THƯỜNG TRỰC" in flat and "PHÓ CHỦ TỊCH" in flat and "Nguyễn Văn Bình" in flat


def test_the_page_shows_the_saved_settings_and_the_reports_list_links_to_it(client, world):
    services.document_settings_save(actor=world.district_member, unit=world.district, **SETTINGS)
    client.force_login(world.district_member)
    page = _english(client).get(_url(world.district)).content.decode()
    assert "Huyện Mỏ Cày Bắc" in page and "Nguyễn Văn Bình" in page and "Thường trực Huyện ủy;" in page
    assert "Last changed by" in page
    listed = client.get(reverse("reports:list")).content.decode()
    assert f'href="{_url(world.district)}"' in listed


@pytest.mark.parametrize("role", ["commune_officer", "provincial_officer"])
def test_every_unit_sets_its_own(client, world, role):
    viewer = getattr(world, role)
    client.force_login(viewer)
    assert client.post(_url(viewer.unit), SETTINGS).status_code == 302
    assert DocumentSettings.objects.get(unit=viewer.unit).signer == "Nguyễn Văn Bình"


def test_another_unit_answers_404_and_changes_nothing(client, world):
    client.force_login(world.district_member)
    for unit in (world.other_district, world.commune, world.province):  # beside, below and above
        assert client.get(_url(unit)).status_code == 404
        assert client.post(_url(unit), SETTINGS).status_code == 404
    client.force_login(DistrictMemberFactory(unit=world.other_district))
    assert client.get(_url(world.district)).status_code == 404
    assert client.post(_url(world.district), SETTINGS).status_code == 404
    assert not DocumentSettings.objects.exists()


def test_the_administrator_has_no_unit_and_gets_404(client, world):
    client.force_login(world.administrator)
    assert client.get(_url(world.district)).status_code == 404
    assert 'data-testid="document-settings"' not in client.get(reverse("reports:list")).content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"symbol": ""}, "symbol", "This field is required."),
    ({"symbol": "BC MTTQ"}, "symbol", "Write the symbol without spaces or slashes, like BC-MTTQ."),
    ({"signer": "x" * 101}, "signer", "Ensure this value has at most 100 characters (it has 101)."),
    ({"recipients": "x" * 2001}, "recipients", "Ensure this value has at most 2000 characters (it has 2001)."),
])
def test_bad_input_is_a_message_and_saves_nothing(client, world, changes, field, message):
    services.document_settings_save(actor=world.district_member, unit=world.district, **SETTINGS)
    client.force_login(world.district_member)
    response = _english(client).post(_url(world.district), {**SETTINGS, "signer": "Lê Văn Mới", **changes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DocumentSettings.objects.get(unit=world.district).signer == "Nguyễn Văn Bình"
    assert DocumentSettings.history.count() == 1


def test_the_page_and_its_save_take_a_few_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.district_member)
    client.get(_url(world.district))  # the session and the user, read once
    with django_assert_max_num_queries(12):
        assert client.get(_url(world.district)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.post(_url(world.district), SETTINGS).status_code == 302


def test_a_finished_report_is_not_served_again_once_the_signer_changed(world):
    done = Report.objects.create(kind=SOCIAL_SECURITY, unit=world.district, period_kind=YEAR_2025.kind,
                                 period_start=YEAR_2025.start, period_end=YEAR_2025.end, format=ReportFormat.PDF,
                                 requested_by=world.district_member, status=ReportStatus.DONE, file="reports/x.pdf",
                                 finished_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
                                 data_version=figures.data_version(kind=SOCIAL_SECURITY, unit=world.district,
                                                                   period=YEAR_2025))

    def ask(number=None):
        return services.report_request(actor=world.district_member, kind=SOCIAL_SECURITY, unit=world.district,
                                       period=YEAR_2025, file_format=ReportFormat.PDF, number=number)

    assert ask() == done
    assert ask(number=12) != done, "another number is another document"
    services.document_settings_save(actor=world.district_member, unit=world.district, **SETTINGS)
    assert ask() not in (done,), "the file made before prints the old signer"


# -- the API ---------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_reads_and_changes_the_callers_own_units_settings(world):
    url = reverse("api:report-document-settings")
    api = _api(world.district_member)
    blank = api.get(url).json()
    assert (blank["unit"]["id"], blank["symbol"], blank["signer"]) == (world.district.pk, "BC-MTTQ", "")
    changed = api.put(url, SETTINGS, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["signer"] == "Nguyễn Văn Bình" and changed.json()["updated_by"]
    refused = api.put(url, {**SETTINGS, "symbol": "", "signer": "Khác"}, format="json")
    assert refused.status_code == 400 and "symbol" in refused.json()
    assert DocumentSettings.objects.get(unit=world.district).signer == "Nguyễn Văn Bình"
    assert _api(world.administrator).get(url).status_code == 404
    assert _api(world.administrator).put(url, SETTINGS, format="json").status_code == 404


def test_the_api_takes_a_document_number_with_the_request(world):
    api = _api(world.district_member)
    asked = api.post(reverse("api:report-list"), {"kind": SOCIAL_SECURITY, "unit": world.district.pk,
                                                  "period_kind": "year", "year": 2025, "file_format": "docx",
                                                  "number": 12}, format="json")
    assert asked.status_code == 201, asked.content
    assert (asked.json()["number"], asked.json()["file_format"]) == (12, "docx")
    refused = api.post(reverse("api:report-list"), {"kind": SOCIAL_SECURITY, "unit": world.district.pk,
                                                    "period_kind": "year", "year": 2025, "number": 0}, format="json")
    assert refused.status_code == 400 and "number" in refused.json()

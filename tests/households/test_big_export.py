"""Big exports of the household list (issue 11, point 6): past EXPORT_AT_ONCE_MAX_ROWS households (lowered
here) the file is made by a Celery task, not within the request; the export's page shows its progress and
then its download, to its requester alone; a small list still comes at once.

The tests here run the task in the test's process (`export_build`); tests/households/test_export_worker.py
runs it in a real Celery worker."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from frontwelfare.accounts.choices import Role
from frontwelfare.reports.choices import ReportStatus
from frontwelfare.reports.exports import export_build
from frontwelfare.reports.models import Export
from frontwelfare.reports.tasks import exports_forget_old_task
from households.choices import Sex

from ..factories import CommuneOfficerFactory, DistrictMemberFactory
from .factories import HouseholdFactory, HouseholdStatusFactory, MemberFactory, valid_citizen_id

XLSX_URL = reverse("households:export-xlsx")
CSV_URL = reverse("households:export-csv")


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.EXPORT_AT_ONCE_MAX_ROWS = 2


@pytest.fixture
def english_client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _households(commune, how_many, **values):
    return [HouseholdFactory(commune=commune, **values) for _ in range(how_many)]


def _codes_in(content: bytes) -> list[str]:
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _asked(client, url=XLSX_URL, query="") -> Export:
    response = client.post(f"{url}?{query}" if query else url)
    assert response.status_code == 302, response.content[:500]
    export = Export.objects.order_by("-pk").first()
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    return export


def test_a_small_list_still_comes_at_once(client, world):
    mine = _households(world.commune, 2)
    client.force_login(world.commune_officer)
    for method in (client.get, client.post):
        response = method(XLSX_URL)
        assert response["Content-Disposition"].startswith('attachment; filename="ho-gia-dinh-')
        assert sorted(_codes_in(response.content)) == sorted(household.code for household in mine)
    assert not Export.objects.exists()


def test_a_big_list_is_offered_in_the_background_and_a_get_queues_nothing(english_client, world):
    _households(world.commune, 3)
    english_client.force_login(world.commune_officer)

    response = english_client.get(XLSX_URL, {"hamlet": "Ấp"})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert "The list has 3 rows: more than the 2 a file can be written with while you wait." in text
    assert 'data-testid="export-make"' in text
    assert "Hamlet" in text and "Ấp" in text  # the filter it will apply
    assert not Export.objects.exists()


def test_asking_for_a_big_export_queues_it_and_its_page_shows_its_progress(english_client, world):
    _households(world.commune, 3)
    english_client.force_login(world.commune_officer)

    export = _asked(english_client, CSV_URL, "hamlet=%E1%BA%A4p&page=2")

    assert (export.kind, export.format, export.filters) == ("households", "csv", {"hamlet": "Ấp"})
    assert (export.requested_by, export.role, export.unit, export.row_count) == (
        world.commune_officer, Role.COMMUNE_OFFICER, world.commune, 3)
    assert export.status == ReportStatus.QUEUED
    page = english_client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert 'data-testid="export-progress-bar"' in page and 'aria-valuenow="0"' in page
    assert "Waiting for its turn." in page
    assert f'hx-get="{reverse("exports:progress", args=[export.pk])}"' in page
    assert "<script" not in page.split('<main', 1)[-1].split("</main>")[0], "no inline script (CSP)"
    assert 'data-testid="export-rows">3<' in page

    # Asked again while it is being made (a double click, a reload): the same export.
    assert _asked(english_client, CSV_URL, "hamlet=%E1%BA%A4p") == export


def test_the_task_writes_the_in_scope_filtered_households_and_the_page_offers_the_file(english_client, world):
    poor = _households(world.commune, 3)
    for household in poor:
        HouseholdStatusFactory(household=household, year=2025, category="poor")
    _households(world.commune, 2)  # not poor: filtered out
    outsider = HouseholdFactory(commune=world.sibling_commune)
    HouseholdStatusFactory(household=outsider, year=2025, category="poor")
    english_client.force_login(world.commune_officer)
    export = _asked(english_client, XLSX_URL, "category=poor&year=2025")

    export_build(export.pk)

    export.refresh_from_db()
    assert (export.status, export.progress, export.row_count, export.attempts) == (ReportStatus.DONE, 100, 3, 1)
    card = english_client.get(reverse("exports:progress", args=[export.pk])).content.decode()
    assert 'data-status="done"' in card and "hx-trigger" not in card
    assert f'href="{reverse("exports:download", args=[export.pk])}"' in card
    response = english_client.get(reverse("exports:download", args=[export.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="ho-gia-dinh-')
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    codes = _codes_in(b"".join(response.streaming_content))
    assert sorted(codes) == sorted(household.code for household in poor)
    assert outsider.code not in codes


def test_the_task_applies_the_scope_again_an_outsiders_unit_chosen_gives_nothing_of_it(client, world):
    mine = _households(world.commune, 3)
    outsider = HouseholdFactory(commune=world.other_district_commune)
    client.force_login(world.district_member)
    export = _asked(client, XLSX_URL, f"unit={world.other_district_commune.pk}")

    export_build(export.pk)

    export.refresh_from_db()
    codes = _codes_in(export.file.read())
    assert outsider.code not in codes
    assert sorted(codes) == sorted(household.code for household in mine)


def test_citizen_ids_in_a_background_export_are_masked_as_for_the_requester(client, world):
    households = _households(world.commune, 3, head=False)
    citizen_id = valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=4321)
    MemberFactory(household=households[0], relation="head", citizen_id=citizen_id)
    client.force_login(world.provincial_officer)
    export = _asked(client, CSV_URL)

    export_build(export.pk)

    export.refresh_from_db()
    content = export.file.read().decode("utf-8-sig")
    assert citizen_id not in content
    assert "********4321" in content


def test_only_the_requester_gets_the_export_not_a_colleague_nor_a_district_member(client, world):
    _households(world.commune, 3)
    client.force_login(world.commune_officer)
    export = _asked(client, XLSX_URL)
    export_build(export.pk)
    urls = [reverse(name, args=[export.pk]) for name in ("exports:detail", "exports:progress", "exports:download")]
    for url in urls:
        assert client.get(url).status_code == 200

    # A colleague of the same commune, and the district member whose scope covers the commune: the file
    # holds the records as the requester sees them (citizen IDs in full), so it is theirs alone.
    for other in (CommuneOfficerFactory(unit=world.commune), world.district_member, world.administrator):
        client.force_login(other)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (other, url)
        assert client.post(reverse("exports:retry", args=[export.pk])).status_code == 404


def test_a_requester_moved_to_another_unit_no_longer_gets_the_file(client, world):
    _households(world.commune, 3)
    client.force_login(world.commune_officer)
    export = _asked(client, XLSX_URL)
    export_build(export.pk)
    world.commune_officer.unit = world.sibling_commune
    world.commune_officer.save()

    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


def test_the_task_makes_no_file_for_a_requester_whose_unit_changed_since_they_asked(client, world):
    _households(world.commune, 3)
    client.force_login(world.commune_officer)
    export = _asked(client, XLSX_URL)
    world.commune_officer.unit = world.sibling_commune
    world.commune_officer.save()

    export_build(export.pk)

    export.refresh_from_db()
    assert export.status == ReportStatus.FAILED
    assert not export.file
    assert "ask for it again" in export.error or "yêu cầu lại" in export.error


def test_a_failed_export_is_tried_again_from_its_page(client, world):
    _households(world.commune, 3)
    client.force_login(world.commune_officer)
    export = _asked(client, XLSX_URL)
    Export.objects.filter(pk=export.pk).update(status=ReportStatus.FAILED, error="Lỗi máy chủ")

    response = client.post(reverse("exports:retry", args=[export.pk]))

    assert response.status_code == 302
    export.refresh_from_db()
    assert (export.status, export.error) == (ReportStatus.QUEUED, "")
    export_build(export.pk)
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ReportStatus.DONE, 1)


def _many(world, how_many):
    for _ in range(how_many):
        household = HouseholdFactory(commune=world.commune)
        MemberFactory.create_batch(2, household=household)
        HouseholdStatusFactory(household=household, year=2025)


def test_asking_for_a_big_export_stays_under_a_query_ceiling_that_does_not_grow_with_the_rows(
        client, world, django_assert_max_num_queries):
    _many(world, 3)
    client.force_login(world.district_member)
    # session, user, the viewer's unit (the filter's choices), the count, the same export being made?,
    # the new export (savepoint, insert, release), its status read again (the queue may be down), the
    # session saved (savepoint, update, release).
    with django_assert_max_num_queries(12):
        response = client.post(f"{XLSX_URL}?year=2025")
    assert response["Location"] == reverse("exports:detail", args=[Export.objects.get().pk])
    Export.objects.all().delete()
    with CaptureQueriesContext(connection) as few:
        client.post(f"{XLSX_URL}?year=2025")
    Export.objects.all().delete()
    _many(world, 30)
    with CaptureQueriesContext(connection) as many:
        client.post(f"{XLSX_URL}?year=2025")
    assert len(many) == len(few)
    assert Export.objects.get().row_count == 33


def test_the_task_stays_under_a_query_ceiling_that_does_not_grow_with_the_rows(
        client, world, django_assert_max_num_queries):
    client.force_login(world.district_member)
    _many(world, 3)
    few_export = _asked(client, XLSX_URL, "year=2025")
    # the export locked and marked running (savepoint, select, update, release), still the requester's,
    # their unit (the filter's choices), the count, the households with their commune, members,
    # statuses, policies, the export done.
    with django_assert_max_num_queries(12):
        export_build(few_export.pk)
    Export.objects.all().delete()
    few_export = _asked(client, XLSX_URL, "year=2025")
    with CaptureQueriesContext(connection) as few:
        export_build(few_export.pk)
    _many(world, 30)
    Export.objects.all().delete()
    many_export = _asked(client, XLSX_URL, "year=2025")
    with CaptureQueriesContext(connection) as many:
        export_build(many_export.pk)
    assert len(many) == len(few)
    many_export.refresh_from_db()
    assert many_export.row_count == 33


def test_an_export_of_another_district_members_filters_is_made_within_the_requesters_scope(client, world):
    """A district member of another district asks with the same query string: their file has their
    district's households, never those of the first."""
    mine = _households(world.commune, 3)
    theirs = _households(world.other_district_commune, 3)
    other = DistrictMemberFactory(unit=world.other_district)
    client.force_login(other)
    export = _asked(client, XLSX_URL, f"unit={world.district.pk}")
    export_build(export.pk)
    export.refresh_from_db()
    codes = _codes_in(export.file.read())
    assert sorted(codes) == sorted(household.code for household in theirs)
    assert not set(codes) & {household.code for household in mine}


def test_exports_and_their_files_are_deleted_a_week_after_they_were_asked_for(client, world):
    _households(world.commune, 3)
    client.force_login(world.commune_officer)
    old = _asked(client, XLSX_URL)
    export_build(old.pk)
    old.refresh_from_db()
    old_file = Path(old.file.path)
    Export.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
    recent = _asked(client, CSV_URL)
    export_build(recent.pk)

    assert exports_forget_old_task() == 1

    assert list(Export.objects.all()) == [recent]
    assert not old_file.exists()
    assert client.get(reverse("exports:download", args=[recent.pk])).status_code == 200
    assert "exports-forget-old" in django_settings.CELERY_BEAT_SCHEDULE

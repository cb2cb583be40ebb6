"""A big export of the household list made by a real Celery worker on the real Redis (tests/workers.py),
asked for through the list's export route as the page asks: its progress card while it waits, then its
download, whose rows are the in-scope households of the filter and no other; an outsider gets 404."""

import time
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from frontwelfare.reports.choices import ReportStatus
from frontwelfare.reports.models import Export

from ..factories import CommuneOfficerFactory
from ..workers import celery_workers as celery_workers
from .factories import HouseholdFactory, HouseholdStatusFactory, MemberFactory

FINISHED_WITHIN = 60  # seconds


def _finished(export: Export, workers) -> Export:
    deadline = time.monotonic() + FINISHED_WITHIN
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.is_finished:
            assert export.status == ReportStatus.DONE, f"{export.error}\n{workers.output()}"
            return export
        time.sleep(0.1)
    pytest.fail(f"Export {export.pk} not finished within {FINISHED_WITHIN} s ({export.status}).\n{workers.output()}")


def test_a_worker_makes_a_big_export_of_the_filtered_households_in_scope(client, world, celery_workers, settings):
    settings.EXPORT_AT_ONCE_MAX_ROWS = 3
    near_poor = []
    for index in range(5):
        household = HouseholdFactory(commune=world.commune, hamlet="Ấp Phước Hậu")
        MemberFactory(household=household)
        HouseholdStatusFactory(household=household, year=2025, category="near_poor" if index < 4 else "poor")
        near_poor += [household.code] if index < 4 else []
    outsider = HouseholdFactory(commune=world.sibling_commune, hamlet="Ấp Phước Hậu")
    HouseholdStatusFactory(household=outsider, year=2025, category="near_poor")
    client.force_login(world.commune_officer)

    response = client.post(reverse("households:export-xlsx") + "?category=near_poor&year=2025")
    export = Export.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    progress_url = reverse("exports:progress", args=[export.pk])
    waiting = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="queued"' in waiting and 'data-testid="export-progress-bar"' in waiting
    assert f'hx-get="{progress_url}"' in waiting  # the card polls while the file is made

    celery_workers.start()
    export = _finished(export, celery_workers)

    assert (export.progress, export.attempts, export.row_count) == (100, 1, 4)
    done = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    download_url = reverse("exports:download", args=[export.pk])
    assert f'href="{download_url}"' in done and "hx-get" not in done
    workbook = load_workbook(BytesIO(b"".join(client.get(download_url).streaming_content)))
    households, members = workbook.worksheets
    codes = [row[0] for row in households.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(near_poor)
    assert outsider.code not in codes
    assert {row[0] for row in members.iter_rows(min_row=2, values_only=True)} == set(near_poor)

    client.force_login(CommuneOfficerFactory(unit=world.sibling_commune))
    for url in (reverse("exports:detail", args=[export.pk]), progress_url, download_url):
        assert client.get(url).status_code == 404

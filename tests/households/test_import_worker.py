"""The import's check and save run by a real Celery worker on the real Redis (tests/workers.py), as
production runs them: the upload and the confirmation commit, their tasks are sent after the commit,
and the worker reads the stored file, checks it and saves it, or saves nothing."""

import time

from django.utils import translation

from households.choices import ImportStatus, Sex
from households.imports import household_import_confirm, household_import_upload
from households.models import Household, HouseholdImport, Member

from ..workers import celery_workers as celery_workers
from .factories import HouseholdFactory, MemberFactory
from .test_import import _fifty_rows, cccd, upload, xlsx

FINISHED_WITHIN = 60  # seconds


def _until(record: HouseholdImport, workers, status: str) -> HouseholdImport:
    deadline = time.monotonic() + FINISHED_WITHIN
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.status not in (ImportStatus.CHECKING, ImportStatus.SAVING):
            break
        time.sleep(0.1)
    assert record.status == status, f"{record.status} {record.progress}% {record.errors}\n{workers.output()}"
    return record


def test_the_worker_checks_the_upload_and_saves_it_once_confirmed(world, celery_workers):
    celery_workers.start()
    with translation.override("en"):
        record = household_import_upload(actor=world.commune_officer, uploaded_file=upload(xlsx(_fifty_rows())))
    record = _until(record, celery_workers, ImportStatus.CHECKED)
    assert (record.row_count, record.household_count, record.progress) == (50, 25, 100)
    assert len(record.preview) == 50 and record.file
    assert not Household.objects.exists()

    household_import_confirm(actor=world.commune_officer, household_import=record)
    record = _until(record, celery_workers, ImportStatus.IMPORTED)
    assert record.confirmed_by == world.commune_officer
    assert Household.objects.filter(commune=world.commune).count() == 25
    assert Member.objects.filter(household__commune=world.commune).count() == 50
    assert not record.file and record.preview == []


def test_the_worker_saves_nothing_when_the_registry_changed_since_the_check(world, celery_workers):
    celery_workers.start()
    with translation.override("en"):
        record = household_import_upload(actor=world.commune_officer, uploaded_file=upload(xlsx(_fifty_rows())))
    record = _until(record, celery_workers, ImportStatus.CHECKED)
    MemberFactory(household=HouseholdFactory(commune=world.sibling_commune), citizen_id=cccd(Sex.FEMALE, 1975, 120),
                  sex=Sex.FEMALE, birth_year=1975)  # row 41's person, registered meanwhile elsewhere

    with translation.override("en"):
        household_import_confirm(actor=world.commune_officer, household_import=record)
    record = _until(record, celery_workers, ImportStatus.INVALID)
    assert [(error["row"], error["column"]) for error in record.errors] == [(41, "Số CCCD")]
    assert "already registered" in record.errors[0]["message"], "in the language of the officer who confirmed"
    assert not Household.objects.filter(commune=world.commune).exists()
    assert not record.file

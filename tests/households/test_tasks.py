from datetime import timedelta

import time_machine
from django.conf import settings
from django.utils import timezone

from households.choices import ImportStatus
from households.models import HouseholdImport
from households.tasks import household_imports_expire_task

from .factories import HouseholdImportFactory


def test_imports_left_waiting_for_a_week_are_cancelled(world):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        stale = HouseholdImportFactory(commune=world.commune, status=ImportStatus.CHECKED, errors=[])
    fresh = HouseholdImportFactory(commune=world.commune, status=ImportStatus.CHECKED, errors=[])
    assert household_imports_expire_task.apply().get() == 1
    assert HouseholdImport.objects.get(pk=stale.pk).status == ImportStatus.CANCELLED
    assert HouseholdImport.objects.get(pk=fresh.pk).status == ImportStatus.CHECKED


def test_expiry_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["households-expire-waiting-imports"]
    assert entry["task"] == household_imports_expire_task.name
    assert entry["schedule"].hour == {2}

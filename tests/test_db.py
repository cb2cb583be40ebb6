"""Vietnamese names sort the same on the quick start's SQLite as on PostgreSQL's ICU collation; the
`any_of` lookup finds the rows of a list of values, on PostgreSQL as one array and on SQLite."""

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.db import vietnamese_order

# In Vietnamese order: Đ after D, Ô after O and before U, Ư after U, tones after the bare letter.
NAMES = ["An", "Ân", "Bình", "Dũng", "Đào", "Đặng", "Lê", "Ngô", "Nguyễn", "Ông", "Tú", "Ưng", "Vũ"]


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    """A real SQLite database file, opened through Django's SQLite backend like the quick start's."""
    alias = "quickstart"
    quickstart = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "quickstart.sqlite3")}
    connections.settings[alias] = connections.configure_settings(
        {"default": connections.settings["default"], alias: quickstart}
    )[alias]
    try:
        with django_db_blocker.unblock():  # a database of its own, not the test database
            yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def test_sqlite_sorts_vietnamese_names_like_postgresql(sqlite_alias):
    with connections[sqlite_alias].schema_editor() as editor:
        editor.create_model(AdministrativeUnit)
    for index, name in enumerate(reversed(NAMES)):
        AdministrativeUnit.objects.using(sqlite_alias).create(
            era="old", level="commune", code=f"{index:05}", name=name, name_folded=name, division_type="xa"
        )

    units = AdministrativeUnit.objects.using(sqlite_alias).order_by(vietnamese_order("name", using=sqlite_alias))

    assert [unit.name for unit in units] == NAMES


@pytest.mark.django_db
def test_postgresql_icu_collation_gives_the_order_sqlite_is_given():
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "vi-x-icu"', [list(reversed(NAMES))])
        assert [row[0] for row in cursor.fetchall()] == NAMES


@pytest.mark.django_db
def test_any_of_finds_rows_by_ids_by_a_foreign_key_and_by_text_sending_one_array():
    from households.models import HouseholdStatus
    from tests.households.factories import HouseholdStatusFactory

    statuses = HouseholdStatusFactory.create_batch(3, year=2025)
    households = [status.household_id for status in statuses[:2]]
    with CaptureQueriesContext(connection) as captured:
        by_household = set(HouseholdStatus.objects.filter(household_id__any_of=households))
        by_id = set(HouseholdStatus.objects.filter(pk__any_of=[str(statuses[2].pk)]))
        by_text = set(AdministrativeUnit.objects.filter(code__any_of=["zz-none", statuses[0].household.commune.code])
                      .values_list("pk", flat=True))
    assert by_household == set(statuses[:2])
    assert by_id == {statuses[2]}
    assert by_text == {statuses[0].household.commune_id}
    ids_sent = captured.captured_queries[0]["sql"]
    first, second = households
    assert f"IN (SELECT unnest('{{{first},{second}}}'::bigint[]))" in ids_sent
    assert HouseholdStatus.objects.filter(pk__any_of=[]).count() == 0


def test_any_of_on_sqlite_is_a_plain_in(sqlite_alias):
    with connections[sqlite_alias].schema_editor() as editor:
        editor.create_model(AdministrativeUnit)
    units = [AdministrativeUnit.objects.using(sqlite_alias).create(
        era="old", level="commune", code=f"{index:05}", name=name, name_folded=name, division_type="xa")
        for index, name in enumerate(NAMES[:3])]
    found = AdministrativeUnit.objects.using(sqlite_alias).filter(pk__any_of=[units[0].pk, units[2].pk])
    assert sorted(unit.name for unit in found) == sorted([NAMES[0], NAMES[2]])
    assert AdministrativeUnit.objects.using(sqlite_alias).filter(pk__any_of=[]).count() == 0

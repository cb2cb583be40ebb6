"""The values the registry derives from its own rows, so that pages of a province or of the whole
country read tens of rows instead of counting millions:

- on each household (models.SUMMARY_FIELDS): how many members, how many with a disability, how
  many at school, and the text a search reads (code, hamlet, every member's name, folded);
- per commune: HouseholdTally (households and members) and CategoryTally (households with a
  category in a year, by the date of the decision).

Never typed and never edited: the services call `registry_changed` in the transaction of every
write to households, members and statuses (and the import, the demo and the test factories, which
write in bulk); `registry_rebuild` (``manage.py registry_rebuild``) derives everything again from
the source rows, and `registry_differences` says where the kept values differ from them
(tests/households/test_tallies.py compares them after every kind of write).

The functions take the app registry, so that the migration that introduced these values can fill
them with its historical models.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, Sum

from frontwelfare.text import fold_diacritics

# Households summarised per query when rebuilding: a batch's members fit in memory at any scale.
REBUILD_BATCH = 10_000


def search_text_of(*, code: str, hamlet: str, folded_names: Iterable[str]) -> str:
    """One line each (a search never matches across two names): the code, the hamlet, the names."""
    return "\n".join([code.lower(), fold_diacritics(hamlet), *folded_names])


def _models(apps):
    return (apps.get_model("households", "Household"), apps.get_model("households", "Member"),
            apps.get_model("households", "HouseholdStatus"), apps.get_model("households", "HouseholdTally"),
            apps.get_model("households", "CategoryTally"))


def registry_changed(*, households: Iterable[int] = (), communes: Iterable[int] = (),
                     statuses_of: Iterable[int] = (), apps=global_apps) -> None:
    """Derive again what a write just made stale: the summaries of ``households`` (ids: their
    members or own fields changed), the household tallies of ``communes`` (ids: households or
    members added or removed) and the category tallies of ``statuses_of`` (commune ids: statuses
    changed). Call inside the write's transaction, after it."""
    households = sorted(set(households))
    if households:
        households_summarise(households, apps=apps)
    communes, statuses_of = sorted(set(communes)), sorted(set(statuses_of))
    if communes or statuses_of:
        communes_tally(communes, statuses_of=statuses_of, apps=apps)


def households_summarise(household_ids: list[int], *, apps=global_apps) -> None:
    """member_count, disabled_count, pupil_count and search_text of these households, from their
    members: two queries, and one UPDATE per household that changed."""
    Household, Member, *_ = _models(apps)
    members = defaultdict(list)
    for household_id, folded, disability, school_level in Member.objects.filter(
            household_id__in=household_ids).order_by("household_id", "pk").values_list(
            "household_id", "full_name_folded", "disability", "school_level"):
        members[household_id].append((folded, disability, school_level))
    rows = []
    for household_id, code, hamlet in Household.objects.filter(pk__in=household_ids).values_list("pk", "code",
                                                                                                "hamlet"):
        people = members[household_id]
        rows.append((household_id, len(people), sum(1 for _, disability, _ in people if disability),
                     sum(1 for *_, school in people if school),
                     search_text_of(code=code, hamlet=hamlet, folded_names=[name for name, *_ in people])))
    _write_summaries(Household, rows)


def _write_summaries(Household, rows: list[tuple]) -> None:
    """Set (id, member_count, disabled_count, pupil_count, search_text) in one statement per batch."""
    if not rows:
        return
    table = connection.ops.quote_name(Household._meta.db_table)
    for start in range(0, len(rows), 1_000):
        batch = rows[start:start + 1_000]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        cast = "::integer" if connection.vendor == "postgresql" else ""
        # The table is ours and the values are parameters.
        sql = (f"WITH summary (id, member_count, disabled_count, pupil_count, search_text) AS (VALUES {values}) "  # noqa: S608
               f"UPDATE {table} SET member_count = summary.member_count{cast}, "
               f"disabled_count = summary.disabled_count{cast}, pupil_count = summary.pupil_count{cast}, "
               f"search_text = summary.search_text FROM summary WHERE {table}.id = summary.id{cast}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in batch for value in row])


def communes_tally(commune_ids: list[int], *, statuses_of: list[int] | None = None, apps=global_apps) -> None:
    """The HouseholdTally rows of ``commune_ids`` and the CategoryTally rows of ``statuses_of``
    (the same communes when not given), counted again from the registry.

    The communes' rows are locked first (FOR NO KEY UPDATE, in id order) and the counting happens
    after: two officers writing in one commune at the same moment would otherwise each count
    without the other's uncommitted rows, and the one who commits last would leave a tally
    missing the other's. Waiting on the lock, the second counts after the first has committed.
    """
    statuses_of = commune_ids if statuses_of is None else statuses_of
    Household, _, HouseholdStatus, HouseholdTally, CategoryTally = _models(apps)
    Unit = apps.get_model("areas", "AdministrativeUnit")
    with transaction.atomic(savepoint=False):  # the write's own transaction, when there is one
        list(Unit.objects.select_for_update(no_key=True).filter(pk__in=sorted({*commune_ids, *statuses_of}))
             .order_by("pk").values_list("pk", flat=True))
        if commune_ids:
            _households_tally(commune_ids, Household=Household, HouseholdTally=HouseholdTally)
        if statuses_of:
            _categories_tally(statuses_of, HouseholdStatus=HouseholdStatus, CategoryTally=CategoryTally)


def _households_tally(commune_ids, *, Household, HouseholdTally) -> None:
    counted = {row["commune_id"]: row for row in Household.objects.filter(commune_id__in=commune_ids)
               .values("commune_id").order_by().annotate(households=Count("pk"), members=Sum("member_count"))}
    tallies = [HouseholdTally(commune_id=commune_id, households=counted.get(commune_id, {}).get("households", 0),
                              members=counted.get(commune_id, {}).get("members") or 0)
               for commune_id in commune_ids]
    HouseholdTally.objects.bulk_create(tallies, update_conflicts=True, unique_fields=["commune"],
                                       update_fields=["households", "members"])


def _categories_tally(commune_ids, *, HouseholdStatus, CategoryTally) -> None:
    categories = HouseholdStatus.objects.filter(household__commune_id__in=commune_ids) \
        .values_list("household__commune_id", "year", "category", "decision_date").order_by() \
        .annotate(households=Count("pk"))
    tallies = [CategoryTally(commune_id=commune_id, year=year, category=category, decision_date=decided,
                             households=count)
               for commune_id, year, category, decided, count in categories]
    CategoryTally.objects.filter(commune_id__in=commune_ids).delete()
    CategoryTally.objects.bulk_create(tallies, batch_size=5_000)


def registry_rebuild(*, apps=global_apps, progress=None) -> dict[str, int]:
    """Derive every household's summary and every commune's tallies again from the registry, in
    batches of REBUILD_BATCH households (memory does not grow with the registry). ``progress``,
    if given, is called with the number of households done so far. Returns what was rebuilt."""
    Household, *_ = _models(apps)
    done, last = 0, 0
    while True:
        batch = list(Household.objects.filter(pk__gt=last).order_by("pk")
                     .values_list("pk", flat=True)[:REBUILD_BATCH])
        if not batch:
            break
        with transaction.atomic():
            households_summarise(batch, apps=apps)
        done, last = done + len(batch), batch[-1]
        if progress:
            progress(done)
    communes = list(Household.objects.values_list("commune_id", flat=True).order_by("commune_id").distinct())
    _tallies_rebuild(communes, apps=apps)
    return {"households": done, "communes": len(communes)}


def _tallies_rebuild(commune_ids: list[int], *, apps) -> None:
    """Every commune's tallies, in chunks of communes (one transaction each); and none left for a
    commune that no longer has households."""
    _, _, _, HouseholdTally, CategoryTally = _models(apps)
    with transaction.atomic():
        HouseholdTally.objects.exclude(commune_id__in=commune_ids).delete()
        CategoryTally.objects.exclude(commune_id__in=commune_ids).delete()
    for start in range(0, len(commune_ids), 500):
        communes_tally(commune_ids[start:start + 500], apps=apps)


def registry_differences(*, apps=global_apps, limit: int = 20) -> list[str]:
    """Where the kept values differ from what the registry's rows give (at most ``limit`` lines):
    empty when they agree. Reads everything: for tests and ``registry_rebuild --check``."""
    Household, Member, HouseholdStatus, HouseholdTally, CategoryTally = _models(apps)
    differences = []
    members = defaultdict(list)
    for household_id, folded, disability, school in Member.objects.order_by("household_id", "pk").values_list(
            "household_id", "full_name_folded", "disability", "school_level"):
        members[household_id].append((folded, disability, school))
    for household in Household.objects.order_by("pk").only("pk", "code", "hamlet", *_summary_fields()):
        people = members[household.pk]
        expected = (len(people), sum(1 for _, d, _ in people if d), sum(1 for *_, s in people if s),
                    search_text_of(code=household.code, hamlet=household.hamlet,
                                   folded_names=[name for name, *_ in people]))
        kept = tuple(getattr(household, name) for name in _summary_fields())
        if kept != expected:
            differences.append(f"household {household.pk}: kept {kept!r}, registry {expected!r}")
    expected_households = {row[0]: row[1:] for row in Household.objects.values("commune_id").order_by()
                           .annotate(n=Count("pk"), m=Count("members")).values_list("commune_id", "n", "m")}
    kept_households = dict((row[0], row[1:]) for row in HouseholdTally.objects.values_list(
        "commune_id", "households", "members"))
    if kept_households != expected_households:
        differences.append(f"household tallies: kept {kept_households!r}, registry {expected_households!r}")
    expected_categories = {row[:4]: row[4] for row in HouseholdStatus.objects.values_list(
        "household__commune_id", "year", "category", "decision_date").order_by().annotate(n=Count("pk"))}
    kept_categories = {row[:4]: row[4] for row in CategoryTally.objects.values_list(
        "commune_id", "year", "category", "decision_date", "households")}
    if kept_categories != expected_categories:
        differences.append(f"category tallies: kept {kept_categories!r}, registry {expected_categories!r}")
    return differences[:limit]


def _summary_fields() -> tuple[str, ...]:
    from .models import SUMMARY_FIELDS

    return SUMMARY_FIELDS

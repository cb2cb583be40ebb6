"""The values the registry derives from its own rows, so that pages of a province or of the whole
country read tens of rows instead of counting millions:

- on each household (models.SUMMARY_FIELDS): how many members, how many with a disability, how
  many at school;
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

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

# Households summarised per statement when rebuilding.
REBUILD_BATCH = 10_000


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
    """member_count, disabled_count and pupil_count of these households, counted from their
    members: one UPDATE."""
    Household, *_ = _models(apps)
    Household.objects.filter(pk__in=household_ids).update(**_summary_counts(apps))


def _summary_counts(apps) -> dict:
    """Each summary field as a count of the household's members (a subquery per field)."""
    _, Member, *_ = _models(apps)

    def members(condition: Q | None = None):
        counted = Member.objects.filter(condition or Q(), household=OuterRef("pk")).order_by().values("household") \
            .annotate(number=Count("pk")).values("number")
        return Coalesce(Subquery(counted), 0)

    return {"member_count": members(), "disabled_count": members(~Q(disability="")),
            "pupil_count": members(~Q(school_level=""))}


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
    """Derive every household's summary and every commune's tallies again from the registry, a
    batch of REBUILD_BATCH households per statement (one short transaction each, memory flat at
    any scale). ``progress``, if given, is called with the number of households done so far.
    Returns what was rebuilt."""
    Household, *_ = _models(apps)
    counts = _summary_counts(apps)
    done, last = 0, 0
    while True:
        batch = Household.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
        upper = batch[REBUILD_BATCH - 1:REBUILD_BATCH].first() or batch.last()
        if upper is None:
            break
        done += Household.objects.filter(pk__gt=last, pk__lte=upper).update(**counts)
        last = upper
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
    Household, _, HouseholdStatus, HouseholdTally, CategoryTally = _models(apps)
    fields = list(_summary_counts(apps))
    differences = [
        f"household {row['pk']}: kept {[row[name] for name in fields]}, "
        f"registry {[row['expected_' + name] for name in fields]}"
        for row in Household.objects.annotate(**{f"expected_{name}": value for name, value in
                                                 _summary_counts(apps).items()})
        .filter(_any_differs(fields)).values("pk", *fields, *(f"expected_{name}" for name in fields))[:limit]
    ]
    expected_households = {row[0]: row[1:] for row in Household.objects.values("commune_id").order_by().annotate(
        n=Count("pk", distinct=True), m=Count("members")).values_list("commune_id", "n", "m")}
    kept_households = {row[0]: row[1:] for row in HouseholdTally.objects.exclude(households=0, members=0)
                       .values_list("commune_id", "households", "members")}
    if kept_households != expected_households:
        differences.append(f"household tallies: kept {kept_households!r}, registry {expected_households!r}")
    expected_categories = {row[:4]: row[4] for row in HouseholdStatus.objects.values_list(
        "household__commune_id", "year", "category", "decision_date").order_by().annotate(n=Count("pk"))}
    kept_categories = {row[:4]: row[4] for row in CategoryTally.objects.values_list(
        "commune_id", "year", "category", "decision_date", "households")}
    if kept_categories != expected_categories:
        differences.append(f"category tallies: kept {kept_categories!r}, registry {expected_categories!r}")
    return differences[:limit]


def _any_differs(fields: list[str]) -> Q:
    condition = Q()
    for name in fields:
        condition |= ~Q(**{name: F(f"expected_{name}")})
    return condition

"""The support timeline of a household: what it has received, from every app.

Housing, donations and later apps plug in by registering a source in their AppConfig.ready():

    from households.timeline import TimelineEntry, register_timeline_source

    def housing_entries(*, households, user):
        for case in Case.objects.visible_to(user).filter(household__in=households):
            yield TimelineEntry(household_id=case.household_id, date=..., title=..., url=...)

    register_timeline_source("housing", housing_entries)

A source receives the households to describe (a list, so a page of households costs one
query per source, not one per household) and the viewer, whose scope it must apply.

The same apps say which households they helped since a day, for the list's filter "no support
since…" (HouseholdFilterSet.no_support_since), without the households app importing them:

    register_helped_since("housing", lambda day: HousingCase.objects.filter(...handed over since day))

Such a source returns a queryset of the app's records that have a ``household`` field (unscoped:
the list applies the viewer's scope to the households); the filter keeps the households for which
no source has a record (NOT EXISTS each, on an index leading with the household).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef


@dataclass(frozen=True)
class TimelineEntry:
    household_id: int
    date: date
    title: str
    source: str = ""
    detail: str = ""
    amount: int | None = None  # whole VND, when the support was money
    url: str = ""
    # False while the support is still coming (a house case not yet handed over): the page
    # lists it apart, so that "received" means in the household's hands.
    received: bool = True


TimelineSource = Callable[..., Iterable[TimelineEntry]]
_sources: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, source: TimelineSource) -> None:
    """Register (or replace, by name) a source of timeline entries."""
    _sources[name] = source


def unregister_timeline_source(name: str) -> None:
    _sources.pop(name, None)


HelpedSince = Callable[[date], Any]  # a day -> a QuerySet with a ``household`` field
_helped_since: dict[str, HelpedSince] = {}


def register_helped_since(name: str, source: HelpedSince) -> None:
    """Register (or replace, by name) a source of the households helped on or after a day."""
    _helped_since[name] = source


def unregister_helped_since(name: str) -> None:
    _helped_since.pop(name, None)


def not_helped_since(queryset, day: date):
    """Of the households of ``queryset``, those no source helped on or after ``day``."""
    for source in _helped_since.values():
        queryset = queryset.filter(~Exists(source(day).filter(household=OuterRef("pk"))))
    return queryset


def household_timelines(*, households, user) -> dict[int, list[TimelineEntry]]:
    """Every source's entries for ``households``, newest first, by household id."""
    timelines: dict[int, list[TimelineEntry]] = defaultdict(list)
    households = list(households)
    for name, source in _sources.items():
        for entry in source(households=households, user=user):
            timelines[entry.household_id].append(entry if entry.source else _named(entry, name))
    for entries in timelines.values():
        entries.sort(key=lambda entry: entry.date, reverse=True)
    return dict(timelines)


def household_timeline(*, household, user) -> list[TimelineEntry]:
    return household_timelines(households=[household], user=user).get(household.pk, [])


def totals_by_year(entries: Iterable[TimelineEntry]) -> list[tuple[int, int]]:
    """[(year, total in VND)] of the support received in money or valued in đồng, newest year first
    (what is still coming is not counted; a reversal counts against the year it happened in)."""
    totals: dict[int, int] = defaultdict(int)
    for entry in entries:
        if entry.received and entry.amount is not None:
            totals[entry.date.year] += entry.amount
    return sorted(totals.items(), reverse=True)


def _named(entry: TimelineEntry, source: str) -> TimelineEntry:
    return replace(entry, source=source)

"""The support timeline of a household: what it has received, from every app.

Housing, donations and later apps plug in by registering a source in their AppConfig.ready():

    from households.timeline import TimelineEntry, register_timeline_source

    def housing_entries(*, households, user):
        for case in Case.objects.visible_to(user).filter(household__in=households):
            yield TimelineEntry(household_id=case.household_id, date=..., title=..., url=...)

    register_timeline_source("housing", housing_entries)

A source receives the households to describe (a list, so a page of households costs one
query per source, not one per household) and the viewer, whose scope it must apply.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date


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


def _named(entry: TimelineEntry, source: str) -> TimelineEntry:
    return replace(entry, source=source)

"""The shape of a change-history entry as pages show it, shared by every app's history selector."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[FieldChange]
    subject: str = ""  # what changed, when a page shows the history of several records


@dataclass(frozen=True)
class HistorySource:
    """One kind of record whose django-simple-history rows a page shows."""

    records: object  # the model's history queryset, already narrowed to what the page is about
    model: type
    fields: tuple[str, ...]
    subject: Callable  # (history row) -> what changed, e.g. a member's name


def history_entries(sources: list[HistorySource], *, mask: Callable[[str, str], str] | None = None) \
        -> list[HistoryEntry]:
    """The changes of every source, newest first: one query per source, whatever the length of
    the history. ``mask(field name, shown value)`` may hide part of a value (citizen IDs)."""
    entries = []
    for source in sources:
        # A unit or a person a field points at is read with the rows: one query per source.
        related = [name for name in source.fields if source.model._meta.get_field(name).is_relation]
        records = list(source.records.select_related("history_user", *related)
                       .order_by("id", "history_date", "history_id"))
        previous_by_object: dict[int, object] = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            changes = [] if record.history_type == "-" else _changes(source, previous, record, mask)
            user = record.history_user
            who = (user.get_full_name() or user.username) if user else str(_("system"))
            entries.append(HistoryEntry(when=record.history_date, who=who, kind=str(CHANGE_KINDS[record.history_type]),
                                        changes=changes, subject=source.subject(record)))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _changes(source: HistorySource, previous, record, mask) -> list[FieldChange]:
    changes = []
    for name in source.fields:
        column = source.model._meta.get_field(name).attname
        if previous is not None and getattr(previous, column) == getattr(record, column):
            continue
        old = _shown(source.model, name, getattr(previous, name)) if previous else "—"
        new = _shown(source.model, name, getattr(record, name))
        if mask is not None:
            old, new = mask(name, old), mask(name, new)
        if previous is None and new == "—":
            continue
        changes.append(FieldChange(str(source.model._meta.get_field(name).verbose_name), old, new))
    return changes


def _shown(model, name: str, value) -> str:
    """A field's value as a page shows it: choice labels, yes or no, dd/mm/yyyy dates, dotted amounts,
    the name of the unit or person a field points at."""
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(name)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(field, models.BigIntegerField):
        return f"{value:,}".replace(",", ".")
    return str(value)

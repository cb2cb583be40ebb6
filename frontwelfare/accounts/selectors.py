"""Reads about users: their change history, made readable."""


from django.utils.translation import gettext_lazy as _

from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.history import CHANGE_KINDS, FieldChange, HistoryEntry

from .choices import Role
from .models import User

# The fields whose changes are worth showing on a user's page, in reading order.
_SHOWN_FIELDS = ["role", "unit", "is_active", "username", "first_name", "last_name", "email", "phone"]


def _display(field: str, value, unit_names: dict[int, str]) -> str:
    if value in (None, ""):
        return "—"
    if field == "role":
        return str(Role(value).label)
    if field == "unit":
        return unit_names.get(value, str(value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def user_history(*, user: User) -> list[HistoryEntry]:
    """Every recorded change to ``user``, newest first: who made it, when, and what changed.

    Two queries whatever the length: the history rows with their authors, and the names of
    the units they mention.
    """
    records = list(user.history.select_related("history_user").order_by("-history_date", "-history_id"))
    unit_ids = {record.unit_id for record in records if record.unit_id}
    unit_names = dict(AdministrativeUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    labels = {name: User._meta.get_field(name).verbose_name for name in _SHOWN_FIELDS}
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields = [
            name for name in _SHOWN_FIELDS
            if previous is None or getattr(previous, _attname(name)) != getattr(record, _attname(name))
        ]
        changes = [
            FieldChange(
                label=str(labels[name]),
                old=_display(name, getattr(previous, _attname(name)), unit_names) if previous else "—",
                new=_display(name, getattr(record, _attname(name)), unit_names),
            )
            for name in fields
            if previous is not None or getattr(record, _attname(name)) not in (None, "")
        ]
        who = record.history_user.username if record.history_user else str(_("system"))
        entries.append(HistoryEntry(record.history_date, who, str(CHANGE_KINDS[record.history_type]), changes))
    return entries


def _attname(name: str) -> str:
    return "unit_id" if name == "unit" else name

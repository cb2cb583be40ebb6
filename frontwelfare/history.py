"""The shape of a change-history entry as pages show it, shared by every app's history selector."""

from dataclasses import dataclass
from datetime import datetime

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

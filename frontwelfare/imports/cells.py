"""Reading one cell of an uploaded file, whatever the import: what officers type, and what Excel
makes of it (numbers for codes, dates as date cells, text with stray spaces)."""

import re
from datetime import date, datetime

from django.utils.translation import gettext as _

from frontwelfare.text import fold_diacritics


class CellError(Exception):
    """A cell that cannot be read as its column's kind; the message says how to write it."""


def fold_key(text: str) -> str:
    """What two spellings of a header or a choice have in common: "Vợ/chồng" and "vo chong"."""
    return re.sub(r"[^0-9a-z]", "", fold_diacritics(text))


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def whole_number(value) -> int | None:
    """A number cell holding a whole number, as an int; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_text(value) -> str:
    """The cell as one line of text: dates as dd/mm/yyyy, whole numbers without ".0", inner runs of
    spaces and line breaks as one space."""
    if blank(value):
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    number = whole_number(value)
    if number is not None:
        return str(number)
    return " ".join(str(value).split())


DATE_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def as_date(value) -> date | None:
    """A date cell, or text dd/mm/yyyy (or yyyy-mm-dd); None for an empty cell."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    if match := DATE_DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := DATE_ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(_("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 25/03/2025.")
                        % {"value": text})
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("%(value)s is not a day of the calendar.") % {"value": text}) from None

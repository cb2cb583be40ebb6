"""Helpers for the sections' tables: one row per unit of the breakdown and a totals row."""

from collections import defaultdict

from django.utils.translation import gettext as _

from .breakdown import Figures, row_name, split_note
from .data import TEXT, Column, Section


def unit_table(title: str, units, figures: Figures, columns: list[tuple[str, Column]], *, note: str = "",
               total: dict[str, int] | None = None) -> Section:
    """A table with one row per unit (every unit, with zeros where nothing was counted) and totals.
    ``total`` overrides the sums of some columns (a target set for the whole unit, not broken down
    over the rows, is the total's target)."""
    note = " ".join(part for part in (note, split_note(units)) if part)
    section = Section(title=title, columns=[Column(_("Unit"), TEXT), *(column for _name, column in columns)],
                      note=note)
    totals: dict[str, int] = defaultdict(int)
    for unit in units:
        values = figures.get(unit.pk, {})
        section.rows.append([row_name(unit), *(values.get(name, 0) for name, _column in columns)])
        for name, _column in columns:
            totals[name] += values.get(name, 0)
    totals.update(total or {})
    section.total = [_("Total"), *(totals[name] for name, _column in columns)]
    return section


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None

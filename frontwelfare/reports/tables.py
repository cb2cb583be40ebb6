"""Helpers for the sections' tables: one row per unit of the breakdown and a totals row."""

from collections import defaultdict

from django.utils.translation import gettext as _

from .breakdown import Figures, row_name, split_note
from .data import MONEY, TEXT, Column, Section


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


def with_total_across(section: Section, label: str | None = None) -> Section:
    """``section`` with a money column after its last money column that adds up the money columns of
    each row (and of the totals row): a table of money by source, kind or purpose says the whole."""
    money = [index for index, column in enumerate(section.columns) if column.kind == MONEY]
    if len(money) < 2:
        return section
    at = money[-1] + 1
    # Not "Total", which names the totals row: the column and the row must read apart.
    section.columns.insert(at, Column(label or _("Total amount"), MONEY))
    for row in [*section.rows, *([section.total] if section.total is not None else [])]:
        row.insert(at, sum(row[index] or 0 for index in money if index < len(row)))
    return section


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None

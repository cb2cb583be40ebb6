"""A period's tables beside the period before: what a year-end report puts in front of each of its
tables ("So với năm 2024"). Each figure of a table's totals row becomes a line of a comparison
table — this period, the period before, the change, and the change as a share of before — and a
sentence saying the same of the first few, which the committee edits into its narrative.

Only the totals are compared: a table's rows may differ between the two periods (a campaign of one
year is not the next year's), its totals mean the same thing."""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frontwelfare.templatetags.frontwelfare import number, vnd

from .data import COUNT, MONEY, PERCENT, TEXT, Column, Section
from .periods import Period

# The figures of a table that its comparison's sentence names (the rest are in the table).
IN_THE_SENTENCE = 3


@dataclass(frozen=True)
class Figure:
    label: str
    money: bool
    now: int
    before: int

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def change_percent(self) -> float | None:
        return 100 * self.change / self.before if self.before else None


def compared(current: list[Section], earlier: list[Section], *, period: Period, before: Period) -> list[Section]:
    """``current``'s tables, each after the comparison of its totals with the same table of
    ``earlier`` (matched by title; a table missing from ``earlier`` is compared with nothing)."""
    earlier_by_title = {table.title: table for table in earlier}
    tables, compared_already = [], []
    for table in current:
        comparison = comparison_table(table, earlier_by_title.get(table.title), period=period, before=before)
        # The same totals by another breakdown (models by unit, then by field) are compared once.
        if comparison is not None and comparison.rows not in compared_already:
            compared_already.append(comparison.rows)
            tables.append(comparison)
        tables.append(table)
    return tables


def comparison_table(table: Section, earlier: Section | None, *, period: Period, before: Period) -> Section | None:
    """The totals of ``table`` beside those of ``earlier``, leaving out the figures that are nothing in
    both periods; None for a table without totals, or with nothing in either period."""
    figures = [figure for figure in totals_compared(table, earlier) if figure.now or figure.before]
    if not figures:
        return None
    columns = [Column(_("Figure"), TEXT), Column(capfirst(period.label)), Column(capfirst(before.label)),
               Column(_("Up or down")), Column(_("Up or down (%)"), PERCENT)]
    section = Section(title=_("%(title)s: compared with %(period)s") % {"title": table.title, "period": before.label},
                      columns=columns, intro=sentence(figures, before))
    section.rows = [[_labelled(figure), figure.now, figure.before, figure.change, _rounded(figure.change_percent)]
                    for figure in figures]
    return section


def totals_compared(table: Section, earlier: Section | None) -> list[Figure]:
    """Each count and amount of ``table``'s totals row with the same column's total in ``earlier``
    (0 where it has none). Percentages are left out: they are shares, not quantities."""
    if table.total is None:
        return []
    earlier_totals = _totals_by_heading(earlier) if earlier is not None else {}
    figures = []
    for index, column in enumerate(table.columns):
        if column.kind not in (COUNT, MONEY) or index >= len(table.total):
            continue
        heading = _heading(column)
        figures.append(Figure(heading, column.kind == MONEY, _whole(table.total[index]),
                              _whole(earlier_totals.get(heading))))
    return figures


def _totals_by_heading(table: Section) -> dict[str, int]:
    if table.total is None:
        return {}
    return {_heading(column): table.total[index] for index, column in enumerate(table.columns)
            if index < len(table.total)}


def _heading(column: Column) -> str:
    return f"{column.group}: {column.label}" if column.group else column.label


def _labelled(figure: Figure) -> str:
    # The comparison's columns hold counts and amounts together: an amount's line says it is in dong.
    return f"{figure.label} ({_('dong')})" if figure.money else figure.label


def _whole(value) -> int:
    return round(value) if isinstance(value, int | float) else 0


def _rounded(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def sentence(figures: list[Figure], before: Period) -> str:
    """"Hộ nghèo: 120, giảm 30 so với năm 2024; …" for the first few figures."""
    parts = [_figure_words(figure) for figure in figures[:IN_THE_SENTENCE]]
    return _("Compared with %(period)s: %(figures)s.") % {"period": before.label, "figures": "; ".join(parts)}


def _figure_words(figure: Figure) -> str:
    shown = vnd if figure.money else number
    if figure.change > 0:
        change = _("up %(amount)s") % {"amount": shown(figure.change)}
    elif figure.change < 0:
        change = _("down %(amount)s") % {"amount": shown(-figure.change)}
    else:
        change = _("unchanged")
    return f"{figure.label} {shown(figure.now)} ({change})"

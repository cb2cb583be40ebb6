"""Support given to households in the reports (frontwelfare.reports.registry): the "support given"
section — by kind of support (batches, lines delivered, value, households and pupils reached), by
the report's rows, and the value of each kind by row — which the support report and the
social-security summary list, and the dashboard's "Support this year" panel, which reads the same
figures so that both always agree. Registered from donations.report_sections.register().

A line counts on the day it was handed over (`Recipient.delivered_on`), in the period, when it was
delivered (to the household or a representative) and not taken out of its batch — before its
batch is closed and posted too: the household has it. It counts in the row of its household's
commune, whichever unit's batch it belongs to (a district's Tet batch counts in each commune). All
in four grouped queries computed once per report, never a loop over lines.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.reports.breakdown import ROW, Figures, grouped
from frontwelfare.reports.data import MONEY, TEXT, Column, Section
from frontwelfare.reports.registry import DashboardPanel, ReportContext, ReportKindSpec, ReportSection
from frontwelfare.reports.tables import unit_table, with_total_across
from households.report_sections import assignments_version

from .choices import DELIVERED
from .models import Recipient, SupportKind

SUPPORT_REPORT = "support_given"
SECTION = "donations.support_given"
FIGURES = ["batches", "lines", "value", "households", "pupils"]
COUNTED = {
    "batches": Count("batch", distinct=True),
    "lines": Count("pk"),
    "value": Sum("value"),
    "households": Count("household", distinct=True),
    "pupils": Count("pupil", distinct=True),
}


def lines_given(context: ReportContext):
    """The lines delivered in the period to households within the report's unit."""
    period = context.period
    return Recipient.objects.filter(context.within("household__commune", "household"), delivery__in=DELIVERED,
                                    removed=False,
                                    delivered_on__range=(period.start, period.end))


@dataclass(frozen=True)
class KindFigures:
    kind: SupportKind
    figures: dict[str, int]


@dataclass(frozen=True)
class SupportGiven:
    """The figures of the section: {row: {figure: n}}; [(kind, figures)] for the unit as a whole;
    {row: {kind id as text: value}}; and the unit's totals (a district's batch counts once, a
    household helped in two kinds once)."""

    by_row: Figures
    by_kind: list[KindFigures]
    value_by_row_and_kind: Figures
    total: dict[str, int]


def support_given(context: ReportContext) -> SupportGiven:
    """Four grouped queries, once per report (and once per dashboard)."""
    def compute() -> SupportGiven:
        key = context.key("household__commune", "household")
        lines = lines_given(context).order_by()
        by_row = grouped(lines.values(row=key).annotate(**COUNTED), ROW, FIGURES)
        kinds = list(lines.values("batch__kind").annotate(**COUNTED).order_by("batch__kind"))
        named = SupportKind.objects.in_bulk([row["batch__kind"] for row in kinds])
        by_kind = [KindFigures(named[row["batch__kind"]], {name: row[name] or 0 for name in FIGURES}) for row in kinds]
        by_row_and_kind: Figures = {}
        for row in lines.values("batch__kind", row=key).annotate(value=Sum("value")):
            by_row_and_kind.setdefault(row[ROW], {})[str(row["batch__kind"])] = row["value"]
        total = {name: value or 0 for name, value in lines.aggregate(**COUNTED).items()}
        return SupportGiven(by_row, by_kind, by_row_and_kind, total)
    return context.shared_value("donations.support_given", compute)


def _figure_columns() -> list[tuple[str, Column]]:
    return [("batches", Column(_("Batches"))), ("lines", Column(_("Lines delivered"))),
            ("value", Column(_("Value"), MONEY)), ("households", Column(_("Households reached"))),
            ("pupils", Column(_("Pupils reached")))]


def support_section(context: ReportContext) -> list[Section]:
    given = support_given(context)
    note = _("Counted by the day each line was handed over; a district's batch counts in each commune it reached, "
             "and once in the total.")
    columns = _figure_columns()
    by_kind = Section(title=_("Support given by kind"), columns=[Column(_("Kind of support"), TEXT),
                                                                   *(column for _name, column in columns)], note=note)
    for line in given.by_kind:
        by_kind.rows.append([line.kind.name, *(line.figures[name] for name, _column in columns)])
    by_kind.total = [_("Total"), *(given.total[name] for name, _column in columns)]
    units = context.breakdown.units
    by_unit = unit_table(_("Support given by unit"), units, given.by_row, columns, total=given.total, note=note)
    value_by_kind = with_total_across(unit_table(
        _("Value given by kind"), units, given.value_by_row_and_kind,
        [(str(line.kind.pk), Column(line.kind.name, MONEY)) for line in given.by_kind]))
    # The value of each kind by unit: no table when nothing was given (it would have no column).
    return [by_kind, by_unit, value_by_kind] if given.by_kind else [by_kind, by_unit]


def support_version(context: ReportContext) -> list:
    """The latest delivery recorded within the unit and how many lines are delivered (a line's
    delivery is recorded, or corrected, with its time; a batch's value changes only while it is a
    draft, before any delivery), and the latest change of a kind's name."""
    recorded = Recipient.objects.filter(context.within("household__commune", "household"),
                                        delivery_recorded_at__isnull=False)
    figures = recorded.aggregate(latest=Max("delivery_recorded_at"),
                                 delivered=Count("pk", filter=Q(delivery__in=DELIVERED, removed=False)))
    return [figures["latest"].isoformat() if figures["latest"] else None, figures["delivered"],
            SupportKind.history.aggregate(v=Max("history_id"))["v"], assignments_version(context)]


SUPPORT_SECTION = ReportSection(SECTION, support_section, support_version)
SUPPORT_KIND = ReportKindSpec(
    SUPPORT_REPORT, gettext_lazy("Support given"), gettext_lazy("Report on support given to households"),
    sections=(SECTION,), file_word="ho-tro", whole_country=True)


# -- the dashboard's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRow:
    unit: object
    figures: list[int]


@dataclass(frozen=True)
class SupportPanel:
    """The support given in the dashboard's period: by kind and by the rows, with the unit's totals."""

    kinds: list[KindFigures]
    rows: list[SupportRow]
    total: list[int]

    @property
    def has_support(self) -> bool:
        return bool(self.total[1])


def support_panel(context: ReportContext) -> SupportPanel:
    """The report's figures for the same unit and dates (support_given)."""
    given = support_given(context)
    rows = [SupportRow(unit, [given.by_row.get(unit.pk, {}).get(name, 0) for name in FIGURES])
            for unit in context.breakdown.units]
    return SupportPanel(kinds=given.by_kind, rows=rows, total=[given.total[name] for name in FIGURES])


SUPPORT_PANEL = DashboardPanel("support", "donations/partials/support_panel.html", support_panel)

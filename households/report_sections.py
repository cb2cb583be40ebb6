"""The household registry's part of the reports (frontwelfare.reports.registry): the four tables of
the social-security summary, counted in SQL by the report's rows (one grouped query per table,
never a query per household or commune), the summary itself (a kind made every month by Celery
beat), and the dashboard's households-by-category panel, which reads the same query as the report's
first table so that both always show the same numbers. Registered in HouseholdsConfig.ready()."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.areas.choices import Era, Level
from frontwelfare.reports.breakdown import ROW, Figures, grouped
from frontwelfare.reports.data import Column, Section
from frontwelfare.reports.registry import (
    DashboardPanel,
    ReportContext,
    ReportKindSpec,
    ReportSection,
    register_kind,
    register_panel,
    register_section,
)
from frontwelfare.reports.tables import unit_table

from .choices import Category, PolicyType
from .models import CategoryTally, HamletAssignment, Household, HouseholdPolicy, HouseholdStatus, Member

SOCIAL_SECURITY = "social_security"
CATEGORY_COLUMNS = [category.value for category in Category]
POLICY_COLUMNS = [policy.value for policy in PolicyType]
POVERTY = (Category.POOR, Category.NEAR_POOR)


# -- the figures ----------------------------------------------------------------------------------


def households_by_category(context: ReportContext) -> Figures:
    """Households of each category at the end of the period: their status for the period's last
    year, decided by then. Read from the communes' tallies (households.tallies), which count the
    statuses by year, category and decision date: tens of rows per commune, not a row per household.

    Across the reform, the households of a former commune with no single successor count in the row
    of the commune their hamlet was assigned to, which a tally (one per commune) cannot say: theirs
    are counted from their statuses, in the same rows as their other records (about 440 communes'
    worth in the whole country, a few in a province)."""
    end = context.period.end
    tallies = CategoryTally.objects.filter(context.within("commune"), year=end.year, decision_date__lte=end)
    if context.breakdown.current is None:
        return _categories(tallies, context.key("commune"), "households")
    statuses = HouseholdStatus.objects.filter(context.within("household__commune", "household"),
                                              _unmapped("household__commune"), year=end.year, decision_date__lte=end)
    figures = _categories(tallies.exclude(_unmapped("commune")), context.key("commune"), "households")
    for row, counts in _categories(statuses, context.key("household__commune", "household"), "household_id",
                                   count=True).items():
        into = figures.setdefault(row, dict.fromkeys(CATEGORY_COLUMNS, 0))
        for category, number in counts.items():
            into[category] += number
    return figures


def _unmapped(commune_path: str) -> Q:
    """The records of a former commune that did not become one current commune whole."""
    return Q(**{f"{commune_path}__era": Era.LEGACY, f"{commune_path}__current_commune__isnull": True})


def _categories(records, key, column: str, *, count: bool = False) -> Figures:
    """``records`` (tallies, or statuses with ``count``) summed by row and category: one query."""
    aggregate = Count if count else Sum
    rows = (records.values(row=key).order_by()
            .annotate(**{category: aggregate(column, filter=Q(category=category)) for category in CATEGORY_COLUMNS}))
    return grouped(rows, ROW, CATEGORY_COLUMNS)


def households_by_policy(context: ReportContext) -> Figures:
    rows = (HouseholdPolicy.objects.filter(context.within("household__commune", "household"))
            .values(row=context.key("household__commune", "household")).order_by()
            .annotate(**{policy: Count("household_id", distinct=True, filter=Q(policy_type=policy))
                         for policy in POLICY_COLUMNS}))
    return grouped(rows, ROW, POLICY_COLUMNS)


def poverty_movements(context: ReportContext) -> Figures:
    """Households that entered poverty (poor or near-poor by a decision in the period, and neither
    the year before) and that left it (newly escaped poverty by a decision in the period)."""
    poor_the_year_before = HouseholdStatus.objects.filter(household=OuterRef("household"), year=OuterRef("year") - 1,
                                                          category__in=POVERTY)
    period = context.period
    rows = (HouseholdStatus.objects.filter(context.within("household__commune", "household"),
                                           decision_date__range=(period.start, period.end))
            .values(row=context.key("household__commune", "household")).order_by()
            .annotate(entered=Count("household_id", distinct=True,
                                    filter=Q(category__in=POVERTY) & ~Q(Exists(poor_the_year_before))),
                      left=Count("household_id", distinct=True, filter=Q(category=Category.ESCAPED_POVERTY))))
    return grouped(rows, ROW, ["entered", "left"])


def members_of_households_in_need(context: ReportContext) -> Figures:
    """The people of the households with a status for the period's last year: how many, how many
    with a disability, how many at school. Counted per household from the counts each keeps
    (households.tallies), not per member."""
    has_status = HouseholdStatus.objects.filter(household=OuterRef("pk"), year=context.period.end.year,
                                                decision_date__lte=context.period.end)
    rows = (Household.objects.filter(context.within("commune", ""), Exists(has_status))
            .values(row=context.key("commune", "")).order_by()
            .annotate(households=Count("pk"), members=Sum("member_count"), disabled=Sum("disabled_count"),
                      pupils=Sum("pupil_count")))
    return grouped(rows, ROW, ["households", "members", "disabled", "pupils"])


def assignments_version(context: ReportContext):
    """The latest hamlet assignment counted in the unit's report: an assignment moves a split former
    commune's households (and their cases and support) between a current province's rows, and into a
    current commune's report, without changing them. A part of each such section's version."""
    return HamletAssignment.history.filter(context.within("current_commune")).aggregate(v=Max("history_id"))["v"]


def _households_history(context: ReportContext):
    """The change history of the households the report counts. A history row keeps the household's
    commune, not the commune its hamlet was assigned to: a current commune's report also reads the
    history of the households assigned to it, by their ids (a commune's few, never a province's)."""
    within = context.within("commune")
    if context.unit is not None and context.unit.era == Era.CURRENT and context.unit.level == Level.COMMUNE:
        within |= Q(id__in=Household.objects.filter(assigned_commune=context.unit).values("pk"))
    return Household.history.filter(within)


def registry_version(context: ReportContext) -> list:
    """The latest change (insert, update or delete, from the change history) of each kind of
    record the summary counts within the unit (in the whole country, with no unit). Shared by its
    four sections: computed once."""
    return [
        _households_history(context).aggregate(v=Max("history_id"))["v"],
        assignments_version(context),
        *(model.history.filter(context.within("household__commune", "household")).aggregate(v=Max("history_id"))["v"]
          for model in (HouseholdStatus, HouseholdPolicy, Member)),
    ]


# -- the sections ---------------------------------------------------------------------------------


def categories_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("Households by category"), context.breakdown.units, households_by_category(context),
                       [(category.value, Column(str(category.label))) for category in Category],
                       note=_("Status for %(year)s decided by the end of the period.")
                       % {"year": context.period.end.year})]


def policies_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("Policy families"), context.breakdown.units, households_by_policy(context),
                       [(policy.value, Column(str(policy.label))) for policy in PolicyType])]


def movements_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("Into and out of poverty in the period"), context.breakdown.units,
                       poverty_movements(context),
                       [("entered", Column(_("Became poor or near-poor"))),
                        ("left", Column(_("Newly escaped poverty")))])]


def members_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("People in the households in need"), context.breakdown.units,
                       members_of_households_in_need(context),
                       [("households", Column(_("Households"))), ("members", Column(_("Members"))),
                        ("disabled", Column(_("With a disability"))), ("pupils", Column(_("Pupils and students")))])]


SECTIONS = [
    ReportSection("households.categories", categories_section, registry_version),
    ReportSection("households.policies", policies_section, registry_version),
    ReportSection("households.movements", movements_section, registry_version),
    ReportSection("households.members", members_section, registry_version),
]
SOCIAL_SECURITY_KIND = ReportKindSpec(
    SOCIAL_SECURITY, gettext_lazy("Social-security summary"), gettext_lazy("Social-security summary report"),
    sections=tuple(section.name for section in SECTIONS), file_word="an-sinh", scheduled=True,
    # Its sections read only context.key and context.within: with no unit they count every record,
    # by province.
    whole_country=True)


# -- the dashboard's panel ------------------------------------------------------------------------

# One colour per household category, the same in the chart and beside the table's headings.
# Blues for poverty (darker is poorer), green for escaping it, orange for hardship: none is red, which
# means "behind schedule" on the dashboard.
CATEGORY_COLOURS = {
    Category.POOR: "#0072b2",
    Category.NEAR_POOR: "#56b4e9",
    Category.ESCAPED_POVERTY: "#009e73",
    Category.DIFFICULT: "#e69f00",
}
# The categories a household has at most one of in a year: they stack into one bar. "Difficult"
# may come on top of any of them, so it has a bar of its own (stacking it would count twice).
STACKED_CATEGORIES = (Category.POOR, Category.NEAR_POOR, Category.ESCAPED_POVERTY)


@dataclass(frozen=True)
class Row:
    unit: object
    figures: list[int]


@dataclass(frozen=True)
class CategoriesPanel:
    """The households of each row by category: the summary report's first table."""

    category_labels: list[tuple[str, str, str]]  # (category, label, colour)
    rows: list[Row]
    total: list[int]

    @property
    def has_households(self) -> bool:
        return any(self.total)


def categories_panel(context: ReportContext) -> CategoriesPanel:
    """One query: households_by_category, as the report counts it."""
    counted = households_by_category(context)
    rows = [Row(unit, [counted.get(unit.pk, {}).get(category, 0) for category in CATEGORY_COLUMNS])
            for unit in context.breakdown.units]
    return CategoriesPanel(
        category_labels=[(category.value, str(category.label), CATEGORY_COLOURS[category]) for category in Category],
        rows=rows, total=[sum(column) for column in zip(*(row.figures for row in rows), strict=True)] if rows else [])


def categories_charts(panel: CategoriesPanel, names: dict) -> dict:
    index = {category: position for position, category in enumerate(CATEGORY_COLUMNS)}
    return {"categories": {**names, "series": [
        {"label": label, "colour": colour, "stack": "poverty" if category in STACKED_CATEGORIES else category,
         "data": [row.figures[index[category]] for row in panel.rows]}
        for category, label, colour in panel.category_labels
    ]}}


CATEGORIES_PANEL = DashboardPanel("categories", "households/partials/dashboard_panel.html", categories_panel,
                                  categories_charts)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
    register_kind(SOCIAL_SECURITY_KIND)
    register_panel(CATEGORIES_PANEL)

"""The typical models in the reports (frontwelfare.reports.registry), registered in
ModelsRegistryConfig.ready():

- the "typical_models" report: the models registered, inspected and recognised in the period, by
  the report's rows and by field; the models of the period's round(s) by state; and how the
  recognised models spread (replicas, the communes that made them, study visits, media);
- its first table closes the social-security summary, as the support given does;
- the round's synthesis ("models_synthesis", services.SYNTHESIS_REPORT): every registration by
  commune and field, the communes that registered none marked, which "send to the province"
  freezes as XLSX and PDF (services.synthesis_send);
- the dashboard's "Typical models <year>" panel: the year's round by state, the report's table.

A model counts as registered, inspected or recognised on the day that step happened
(ModelStep.happened_on: the REGISTER, INSPECT and RECOGNISE steps), however late it was entered; in
the row of its commune. Everything is grouped in SQL: a few queries per report, never one per
model, commune or round (the synthesis reads each round of the unit, two queries a round).
"""

from dataclasses import dataclass, replace

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.reports.breakdown import ROW, Figures, grouped
from frontwelfare.reports.data import TEXT, Column, Section
from frontwelfare.reports.registry import (
    DashboardPanel,
    ReportContext,
    ReportKindSpec,
    ReportSection,
    register_kind,
    register_panel,
    register_section,
)
from frontwelfare.reports.registry import kind as registered_kind
from frontwelfare.reports.tables import unit_table
from households.report_sections import SOCIAL_SECURITY

from .choices import Field, ModelState, Transition
from .models import MediaCoverage, ModelStep, Round, StudyVisit, TypicalModel
from .permissions import round_unit_of
from .selectors import SynthesisRow, state_counts, synthesis
from .services.recognition import SYNTHESIS_REPORT

TYPICAL_MODELS = "typical_models"
ACTIVITY, BY_FIELD, STATES, REPLICATION, SYNTHESIS = (
    "models_registry.activity", "models_registry.by_field", "models_registry.states", "models_registry.replication",
    "models_registry.synthesis")
# The figures of the activity tables, and the step each counts.
STEP_FIGURES = {"registered": Transition.REGISTER, "inspected": Transition.INSPECT,
                "recognised": Transition.RECOGNISE}
REPLICATION_FIGURES = ["models", "replicas", "communes", "visits", "people", "media"]


# -- the figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepFigures:
    """The models registered, inspected and recognised in the period, by row and by field."""

    by_row: Figures
    by_field: dict[str, dict[str, int]]


def step_figures(context: ReportContext) -> StepFigures:
    """One query, once per report: the steps that happened in the period, within the unit, grouped by
    the row and the field of their model."""
    def compute() -> StepFigures:
        key = context.key("model__commune")
        period = context.period
        rows = (ModelStep.objects.filter(context.within("model__commune"), name__in=list(STEP_FIGURES.values()),
                                         happened_on__range=(period.start, period.end))
                .values("model__field", row=key).order_by()
                .annotate(**{figure: Count("model", distinct=True, filter=Q(name=step))
                             for figure, step in STEP_FIGURES.items()}))
        by_row: Figures = {}
        by_field = {value: dict.fromkeys(STEP_FIGURES, 0) for value in Field.values}
        for row in rows:
            targets = [by_field[row["model__field"]]]
            # A commune with no row (none has, but a province's rows are its districts and a commune
            # attached to the province itself has none) still counts in its field.
            if row[ROW] is not None:
                targets.append(by_row.setdefault(row[ROW], dict.fromkeys(STEP_FIGURES, 0)))
            for counted in targets:
                for figure in STEP_FIGURES:
                    counted[figure] += row[figure]
        return StepFigures(by_row, by_field)
    return context.shared_value("models_registry.steps", compute)


def round_years(context: ReportContext) -> list[int]:
    """The years of the rounds a period covers: its own year, or each year of a longer range."""
    return list(range(context.period.start.year, context.period.end.year + 1))


@dataclass(frozen=True)
class StateFigures:
    """The models of the period's round(s) by state, as they stand now: by row, and for the whole
    unit (selectors.state_counts, the count the round's board shows)."""

    by_row: Figures
    total: dict[str, int]


def state_figures(context: ReportContext) -> StateFigures:
    """Two queries, once per report (and once per dashboard)."""
    def compute() -> StateFigures:
        key = context.key("commune")
        models = TypicalModel.objects.filter(context.within("commune"), round__year__in=round_years(context))
        rows = models.values(row=key).order_by().annotate(**{state: Count("pk", filter=Q(state=state))
                                                             for state in ModelState.values})
        return StateFigures(grouped(rows, ROW, ModelState.values), state_counts(models))
    return context.shared_value("models_registry.states", compute)


@dataclass(frozen=True)
class ReplicationFigures:
    """How recognised models spread, by row and for the whole unit (a model replicated in two rows,
    or a commune replicating two models, counts once in the total)."""

    by_row: Figures
    total: dict[str, int]


def replication_figures(context: ReportContext) -> ReplicationFigures:
    """Four queries, once per report: the replicas registered in the period within the unit (the
    recognised models they copy, the replicas, the communes that registered them: by row, then for
    the unit), the study visits made to the unit's models and the media pieces about them published
    in the period.

    A replica counts in the row of the commune that registered it, the visits and media in the row of
    the model visited: nothing outside the unit is counted. The model copied may be anywhere (the
    recognised models are public)."""
    return context.shared_value("models_registry.replication", lambda: _replication(context))


def _replication(context: ReportContext) -> ReplicationFigures:
    period = context.period
    days = (period.start, period.end)
    key = context.key("commune")
    replicas = TypicalModel.objects.filter(context.within("commune"), replicates__isnull=False,
                                           steps__name=Transition.REGISTER, steps__happened_on__range=days).order_by()
    counted = {"models": Count("replicates", distinct=True), "replicas": Count("pk", distinct=True),
               "communes": Count("commune", distinct=True)}
    by_row = grouped(replicas.values(row=key).annotate(**counted), ROW, list(counted))
    total = {name: value or 0 for name, value in replicas.aggregate(**counted).items()}
    key = context.key("model__commune")
    visits = (StudyVisit.objects.filter(context.within("model__commune"), visited_on__range=days)
              .values(row=key).order_by().annotate(visits=Count("pk"), people=Sum("people")))
    media = (MediaCoverage.objects.filter(context.within("model__commune"), published_on__range=days)
             .values(row=key).order_by().annotate(media=Count("pk")))
    for figures in (grouped(visits, ROW, ["visits", "people"]), grouped(media, ROW, ["media"])):
        for row, values in figures.items():
            by_row.setdefault(row, {}).update(values)
            for name, value in values.items():
                total[name] = total.get(name, 0) + value
    return ReplicationFigures(by_row, {name: total.get(name, 0) for name in REPLICATION_FIGURES})


def models_version(context: ReportContext) -> list:
    """The latest change within the unit of the models (their names, fields, deletions), of their
    steps (a replica's registration among them), of the study visits and of the media pieces."""
    latest = Max("history_id")
    return [
        TypicalModel.history.filter(context.within("commune")).aggregate(v=latest)["v"],
        ModelStep.objects.filter(context.within("model__commune")).aggregate(v=Max("id"))["v"],
        StudyVisit.history.filter(context.within("model__commune")).aggregate(v=latest)["v"],
        MediaCoverage.history.filter(context.within("model__commune")).aggregate(v=latest)["v"],
    ]


# -- the sections ---------------------------------------------------------------------------------


def _step_columns() -> list[tuple[str, Column]]:
    return [("registered", Column(_("Registered"))), ("inspected", Column(_("Inspected"))),
            ("recognised", Column(_("Recognised")))]


def _counted_note() -> str:
    return _("Counted by the day each step happened: registered, inspected on site, recognised by the agency "
             "meeting.")


def activity_section(context: ReportContext) -> list[Section]:
    return [unit_table(_("Typical models by unit"), context.breakdown.units, step_figures(context).by_row,
                       _step_columns(), note=_counted_note())]


def by_field_section(context: ReportContext) -> list[Section]:
    by_field = step_figures(context).by_field
    columns = _step_columns()
    section = Section(title=_("Typical models by field"),
                      columns=[Column(_("Field"), TEXT), *(column for _name, column in columns)], note=_counted_note())
    for field in Field:
        section.rows.append([str(field.label), *(by_field[field.value][name] for name, _column in columns)])
    section.total = [_("Total"), *(sum(by_field[field][name] for field in Field.values) for name, _column in columns)]
    return [section]


def _state_columns() -> list[tuple[str, Column]]:
    return [(state.value, Column(str(state.label))) for state in ModelState]


def states_title(context: ReportContext) -> str:
    years = round_years(context)
    named = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return _("Models of the %(years)s round by state") % {"years": named}


def states_section(context: ReportContext) -> list[Section]:
    figures = state_figures(context)
    return [unit_table(states_title(context), context.breakdown.units, figures.by_row, _state_columns(),
                       total=figures.total, note=_("Each model in the state it has reached today."))]


def _replication_columns() -> list[tuple[str, Column]]:
    return [("models", Column(_("Recognised models replicated"))), ("replicas", Column(_("Replicas registered"))),
            ("communes", Column(_("Communes replicating"))), ("visits", Column(_("Study visits"))),
            ("people", Column(_("People on study visits"))), ("media", Column(_("Media pieces")))]


def replication_section(context: ReportContext) -> list[Section]:
    figures = replication_figures(context)
    return [unit_table(_("Replication of the recognised models"), context.breakdown.units, figures.by_row,
                       _replication_columns(), total=figures.total,
                       note=_("A replica counts in the row of the commune that registered it in the period; study "
                              "visits and media pieces in the row of the model. A model or commune counted in several "
                              "rows counts once in the total."))]


SECTIONS = [
    ReportSection(ACTIVITY, activity_section, models_version),
    ReportSection(BY_FIELD, by_field_section, models_version),
    ReportSection(STATES, states_section, models_version),
    ReportSection(REPLICATION, replication_section, models_version),
]
TYPICAL_MODELS_KIND = ReportKindSpec(
    TYPICAL_MODELS, gettext_lazy("Typical models"), gettext_lazy("Report on typical models"),
    sections=tuple(section.name for section in SECTIONS), file_word="mo-hinh-dien-hinh",
    # Its sections read only context.key and context.within: with no unit they count every model, by province.
    whole_country=True)


# -- the round's synthesis ------------------------------------------------------------------------


def synthesis_rows(context: ReportContext) -> list[SynthesisRow]:
    """Each commune of the unit, in order, with the models it registered for the period's year
    (selectors.synthesis of the rounds that cover them); an empty row for a commune that registered
    none, whether or not its round was set up. Two queries: the communes, then the models of every
    round of the unit (a province's, one round per district) with its rounds as a subquery."""
    unit, year = context.unit, context.period.end.year
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE).filter(context.within(""))
                    .select_related("district").order_by("district__code", "code"))
    if unit.level == Level.COMMUNE:
        rounds = Round.objects.filter(unit=round_unit_of(unit), year=year)
    else:
        rounds = Round.objects.filter(context.within("unit"), year=year)
    return synthesis(communes, rounds)


def _commune_label(context: ReportContext, commune) -> str:
    """A province's synthesis names each commune's district: two districts may have a "Xã Phú Mỹ"."""
    if context.unit.level == Level.PROVINCE and commune.district_id is not None:
        return f"{commune.name} ({commune.district.name})"
    return commune.name


def not_registered() -> str:
    """What marks a commune that registered no model."""
    return _("Not registered")


def synthesis_section(context: ReportContext) -> list[Section]:
    rows = context.shared_value("models_registry.synthesis", lambda: synthesis_rows(context))
    fields = list(Field)
    by_field = Section(
        title=_("Registrations by commune and field"),
        columns=[Column(_("Commune"), TEXT), *(Column(str(field.label)) for field in fields), Column(_("Total")),
                 Column(_("Note"), TEXT)],
        note=_("Models registered with the level above for the year, by the state they have reached today; a "
               "commune's drafts are its own."))
    for row in rows:
        by_field.rows.append([_commune_label(context, row.commune),
                              *(len(row.by_field.get(field.value, [])) for field in fields), row.total,
                              not_registered() if row.registered_none else ""])
    missing = sum(row.registered_none for row in rows)
    by_field.total = [_("Total"), *(sum(len(row.by_field.get(field.value, [])) for row in rows) for field in fields),
                      sum(row.total for row in rows),
                      ngettext("%(count)s commune not registered", "%(count)s communes not registered",
                               missing) % {"count": missing} if missing else ""]
    listed = Section(title=_("Models registered"),
                     columns=[Column(_("Commune"), TEXT), Column(_("Typical model"), TEXT), Column(_("Field"), TEXT),
                              Column(_("State"), TEXT)])
    for row in rows:
        label = _commune_label(context, row.commune)
        if row.registered_none:
            listed.rows.append([label, not_registered(), "", ""])
        for field in fields:
            for model in row.by_field.get(field.value, []):
                listed.rows.append([label, model.name, str(field.label), model.get_state_display()])
    registered = sum(row.total for row in rows)
    listed.total = [_("Total"), ngettext("%(count)s model", "%(count)s models", registered) % {"count": registered},
                    "", ""]
    return [by_field, listed]


SYNTHESIS_SECTION = ReportSection(SYNTHESIS, synthesis_section, models_version)
SYNTHESIS_KIND = ReportKindSpec(
    SYNTHESIS_REPORT, gettext_lazy("Typical models: the round's synthesis"),
    gettext_lazy("Synthesis of the typical models registered"), sections=(SYNTHESIS,),
    file_word="tong-hop-mo-hinh")


# -- the dashboard's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class StateRow:
    unit: object
    figures: list[int]


@dataclass(frozen=True)
class ModelsPanel:
    """The year's round(s) by state: a row per unit, the states in workflow order, the unit's total."""

    states: list[tuple[str, str]]  # (state, label)
    rows: list[StateRow]
    total: list[int]

    @property
    def has_models(self) -> bool:
        return any(self.total)

    @property
    def reached(self) -> list[tuple[str, str, int]]:
        """(state, label, models) of the states some model is in, for the summary above the table."""
        return [(state, label, count) for (state, label), count in zip(self.states, self.total, strict=True) if count]


def models_panel(context: ReportContext) -> ModelsPanel:
    """The report's table of the round by state, for the same unit and dates (state_figures)."""
    figures = state_figures(context)
    rows = [StateRow(unit, [figures.by_row.get(unit.pk, {}).get(state, 0) for state in ModelState.values])
            for unit in context.breakdown.units]
    return ModelsPanel(states=[(state.value, str(state.label)) for state in ModelState], rows=rows,
                       total=[figures.total[state] for state in ModelState.values])


MODELS_PANEL = DashboardPanel("typical_models", "models_registry/partials/dashboard_panel.html", models_panel)


def register() -> None:
    """Register the sections, kinds and dashboard panel (called from the AppConfig)."""
    for section in (*SECTIONS, SYNTHESIS_SECTION):
        register_section(section)
    register_kind(TYPICAL_MODELS_KIND)
    register_kind(SYNTHESIS_KIND)
    _social_security_gains_typical_models()
    register_panel(MODELS_PANEL)


def _social_security_gains_typical_models() -> None:
    """The social-security summary (households.report_sections) ends with the typical models by unit,
    as donations adds the support given: the households app knows nothing of this one, which adds its
    section to the kind registered before it (INSTALLED_APPS' order)."""
    summary = registered_kind(SOCIAL_SECURITY)
    if summary is not None and ACTIVITY not in summary.sections:
        register_kind(replace(summary, sections=(*summary.sections, ACTIVITY)))

"""Reads of the typical-models app that pages, the API, documents and reports share. Each is a few
grouped queries, whatever the number of models."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from donations.support.models import Organisation
from frontwelfare.accounts.scope import covers_q, scope_q
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.history import HistoryEntry, HistorySource, history_entries

from .choices import REGISTERED_STATES, Field, ModelState
from .models import MediaCoverage, Round, StudyVisit, TypicalModel


def state_counts(models) -> dict[str, int]:
    """{state: number of models} for a queryset of models (one GROUP BY), every state present."""
    counts = dict(models.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ModelState.values}


def first_of_each_state(models, *, per_state: int = 50) -> dict[str, list[TypicalModel]]:
    """{state: its first ``per_state`` models, by commune and name} for a queryset of models: one
    query, each state's models numbered by a window, so a board never reads a round whole."""
    place = Window(RowNumber(), partition_by=[F("state")],
                   order_by=[F("commune__code").asc(), F("name").asc(), F("pk").asc()])
    ranked = models.select_related("commune").annotate(place=place).filter(place__lte=per_state) \
        .order_by("state", "place")
    cards: dict[str, list[TypicalModel]] = {}
    for model in ranked:
        cards.setdefault(model.state, []).append(model)
    return cards


def state_counts_by_round_unit(models) -> dict[int, dict[str, int]]:
    """{unit running the round: {state: number of models}} for a queryset of models: one GROUP BY.
    A province's board shows each district's round (and its own, for the current units) this way."""
    counts: dict[int, dict[str, int]] = {}
    for unit_id, state, number in models.order_by().values_list("round__unit", "state").annotate(n=Count("pk")):
        counts.setdefault(unit_id, {})[state] = number
    return counts


def model_history(*, model: TypicalModel) -> list[HistoryEntry]:
    """The registration's changes, and the study visits and media coverage recorded for it, newest
    first (the workflow's steps are on the model's page, each with who, when and the note)."""
    model_fields = ("name", "field", "replicates", "leader_organisation", "leader_name", "goals", "started_on",
                    "expected_results", "participants", "budget", "budget_sources", "description", "state")
    return history_entries([
        HistorySource(TypicalModel.history.filter(id=model.pk), TypicalModel, model_fields,
                      lambda record: str(_("Registration"))),
        HistorySource(StudyVisit.history.filter(model_id=model.pk), StudyVisit,
                      ("visiting_unit", "visitors", "visited_on", "people", "note"),
                      lambda record: str(_("Study visit"))),
        HistorySource(MediaCoverage.history.filter(model_id=model.pk), MediaCoverage,
                      ("outlet", "title", "published_on", "link"), lambda record: str(_("Media coverage"))),
    ])


@dataclass
class SynthesisRow:
    """One commune of a round: its registered models by field (model names), and whether it registered any."""

    commune: AdministrativeUnit
    by_field: dict[str, list[TypicalModel]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(models) for models in self.by_field.values())

    @property
    def registered_none(self) -> bool:
        return self.total == 0


def round_communes(round_: Round):
    """The communes whose models belong to ``round_``: those of its district, or, for a province's
    round (current units), the province's communes that have no district."""
    communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE)
    if round_.unit.level == Level.DISTRICT:
        return communes.filter(district=round_.unit).order_by("code")
    return communes.filter(province=round_.unit, district__isnull=True).order_by("code")


def round_synthesis(round_: Round, user=None) -> list[SynthesisRow]:
    """Every registration of the round (registered and later: drafts are the commune's own), by commune
    and field, with the communes that registered none (`registered_none`): two queries. With ``user``,
    only the communes they see."""
    communes = round_communes(round_)
    if user is not None:
        communes = communes.filter(scope_q(user, ""))
    return synthesis(list(communes), [round_])


def synthesis(communes, rounds) -> list[SynthesisRow]:
    """A row for each of ``communes`` (in their order) with its registrations in ``rounds``, by field:
    one query, whatever the number of rounds (a province's report reads every district's round)."""
    rows = {commune.pk: SynthesisRow(commune) for commune in communes}
    models = TypicalModel.objects.filter(round__in=rounds, state__in=REGISTERED_STATES, commune__in=list(rows)) \
        .order_by("commune__code", "field", "name")
    for model in models:
        rows[model.commune_id].by_field.setdefault(model.field, []).append(model)
    return list(rows.values())


def field_counts(models) -> dict[str, int]:
    """{field: number of models}, every field present."""
    counts = dict(models.order_by().values_list("field").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in Field.values}


def replication_of(model: TypicalModel) -> dict[str, int]:
    """How far a recognised model spread: the communes that registered a replica (a draft is its
    commune's own, not yet a replica), study visits and the people who came, media pieces. Three queries."""
    replicas = model.replicas.filter(state__in=REGISTERED_STATES).aggregate(communes=Count("commune", distinct=True))
    visits = model.study_visits.aggregate(visits=Count("pk"), people=Sum("people"))
    return {"communes": replicas["communes"] or 0, "visits": visits["visits"] or 0, "people": visits["people"] or 0,
            "media": model.media.count()}


def replica_communes(models) -> dict[int, int]:
    """{model id: communes that registered a replica of it} for a queryset of models: one query."""
    rows = TypicalModel.objects.filter(replicates__in=models, state__in=REGISTERED_STATES).order_by() \
        .values("replicates") \
        .annotate(n=Count("commune", distinct=True))
    return {row["replicates"]: row["n"] for row in rows}



def organisations_to_lead(commune):
    """The member organisations that may lead ``commune``'s model: the commune's own and those of the
    units above it (the district's Women's Union runs a model in a commune). The one rule of the
    registration form, the API and the service (`services.model_create`). Their names are offered to
    the commune's officers, who otherwise see only their own unit's organisations: an organisation
    is a public body, and naming the one that leads a model is what the registration records."""
    if commune is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(covers_q(commune, "unit"))

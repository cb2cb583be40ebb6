"""Reads of the typical-models app that pages, the API, documents and reports share. Each is a few
grouped queries, whatever the number of models."""

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from frontwelfare.accounts.scope import scope_q
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit

from .choices import REGISTERED_STATES, Field, ModelState
from .models import Round, TypicalModel


def state_counts(models) -> dict[str, int]:
    """{state: number of models} for a queryset of models (one GROUP BY), every state present."""
    counts = dict(models.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in ModelState.values}


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
    rows = {commune.pk: SynthesisRow(commune) for commune in communes}
    models = TypicalModel.objects.filter(round=round_, state__in=REGISTERED_STATES, commune__in=list(rows)) \
        .order_by("commune__code", "field", "name")
    for model in models:
        rows[model.commune_id].by_field.setdefault(model.field, []).append(model)
    return list(rows.values())


def field_counts(models) -> dict[str, int]:
    """{field: number of models}, every field present."""
    counts = dict(models.order_by().values_list("field").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in Field.values}


def replication_of(model: TypicalModel) -> dict[str, int]:
    """How far a recognised model spread: the communes that registered a replica, study visits and
    the people who came, media pieces. Three queries."""
    replicas = model.replicas.aggregate(communes=Count("commune", distinct=True))
    visits = model.study_visits.aggregate(visits=Count("pk"), people=Sum("people"))
    return {"communes": replicas["communes"] or 0, "visits": visits["visits"] or 0, "people": visits["people"] or 0,
            "media": model.media.count()}


def replica_communes(models) -> dict[int, int]:
    """{model id: communes that registered a replica of it} for a queryset of models: one query."""
    rows = TypicalModel.objects.filter(replicates__in=models).order_by().values("replicates") \
        .annotate(n=Count("commune", distinct=True))
    return {row["replicates"]: row["n"] for row in rows}


"""Reads of support to households: the duplicate-benefit check, a batch's figures, its lines by
hamlet (the signature sheets), and the households helped since a day."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum

from .choices import DELIVERED, Delivery
from .models import Batch, Recipient

# A line that did not reach its household does not count as help given.
NOT_GIVEN = (Delivery.NOT_FOUND, Delivery.REFUSED)


def _same_help_elsewhere(batch: Batch):
    """The standing lines of the other batches of ``batch``'s kind and occasion, at any level,
    from any fund or donor, that gave (or are to give) the same household — the same pupil, for a
    kind given per pupil — as the line of ``batch`` in OuterRef."""
    lines = (Recipient.objects.filter(batch__kind=batch.kind_id, batch__occasion_key=batch.occasion_key,
                                      removed=False).exclude(batch=batch.pk).exclude(delivery__in=NOT_GIVEN))
    if batch.per_pupil:
        return lines.filter(pupil=OuterRef("pupil"))
    return lines.filter(household=OuterRef("household"))


def flagged_lines(batch: Batch):
    """The standing lines of ``batch`` whose household was already helped for the same kind and
    occasion in another batch (the duplicate-benefit check), unscoped: the caller scopes them."""
    return batch.recipients.standing().filter(Exists(_same_help_elsewhere(batch)))


def duplicate_count(batch: Batch) -> int:
    """How many of ``batch``'s lines the duplicate-benefit check flags (all of them, whoever asks:
    confirming needs a reason for each)."""
    return flagged_lines(batch).count()


@dataclass(frozen=True)
class HelpedElsewhere:
    """Where a flagged line's household was helped: the batch when the viewer may see it, else
    only the unit that gave."""

    unit_name: str
    batch_id: int | None = None
    occasion: str = ""
    happened_on: date | None = None


def helped_elsewhere(batch: Batch, lines: list[Recipient], user) -> dict[int, list[HelpedElsewhere]]:
    """{line id: where else its household was helped} for ``lines`` of ``batch`` (a page of them).
    Two reads for the page, whatever its length."""
    key = "pupil_id" if batch.per_pupil else "household_id"
    by_key = {}
    for line in lines:
        by_key.setdefault(getattr(line, key), []).append(line.pk)
    others = (Recipient.objects.filter(batch__kind=batch.kind_id, batch__occasion_key=batch.occasion_key,
                                       removed=False, **{f"{key}__in": list(by_key)})
              .exclude(batch=batch.pk).exclude(delivery__in=NOT_GIVEN)
              .values_list(key, "batch_id", "batch__unit__name", "batch__occasion", "batch__happened_on")
              .order_by("batch__happened_on", "batch_id"))
    others = list(others)
    visible = set(Batch.objects.visible_to(user).filter(pk__in={row[1] for row in others})
                  .values_list("pk", flat=True))
    found: dict[int, list[HelpedElsewhere]] = {}
    for value, batch_id, unit_name, occasion, happened_on in others:
        seen = batch_id in visible
        helped = HelpedElsewhere(unit_name=unit_name, batch_id=batch_id if seen else None,
                                 occasion=occasion if seen else "", happened_on=happened_on if seen else None)
        for line_id in by_key.get(value, []):
            found.setdefault(line_id, []).append(helped)
    return found


@dataclass(frozen=True)
class BatchFigures:
    lines: int
    value: int
    pending: int
    delivered: int
    delivered_value: int
    not_found: int
    refused: int
    households: int


def batch_figures(batch: Batch, user) -> BatchFigures:
    """A batch's figures over the lines ``user`` sees (a commune officer: their commune's lines
    of the district's batch), in one query."""
    lines = Recipient.objects.visible_to(user).filter(batch=batch, removed=False)
    given = Q(delivery__in=DELIVERED)
    figures = lines.aggregate(
        # Not named "value": an aggregate may not take the name of a field it sums.
        lines=Count("pk"), total=Sum("value", default=0),
        pending=Count("pk", filter=Q(delivery=Delivery.PENDING)),
        delivered=Count("pk", filter=given), delivered_value=Sum("value", filter=given, default=0),
        not_found=Count("pk", filter=Q(delivery=Delivery.NOT_FOUND)),
        refused=Count("pk", filter=Q(delivery=Delivery.REFUSED)),
        households=Count("household", distinct=True))
    figures["value"] = figures.pop("total")
    return BatchFigures(**figures)


def batch_hamlets(batch: Batch, user) -> list[dict]:
    """The communes and hamlets of a batch's lines that ``user`` sees, with their counts and
    values: one signature sheet each."""
    return list(Recipient.objects.visible_to(user).filter(batch=batch, removed=False)
                .values("household__commune_id", "household__commune__name", "household__hamlet")
                .annotate(lines=Count("pk"), value=Sum("value"),
                          pending=Count("pk", filter=Q(delivery=Delivery.PENDING)))
                .order_by("household__commune__name", "household__hamlet"))


def sheet_lines(batch: Batch, user, *, commune_id: int | None = None, hamlet: str | None = None):
    """The standing lines of a batch that ``user`` sees, for a signature sheet or the delivery
    page: by commune, hamlet and the head's name, with the household and pupil."""
    lines = (Recipient.objects.visible_to(user).filter(batch=batch, removed=False)
             .select_related("household", "household__commune", "pupil"))
    if commune_id is not None:
        lines = lines.filter(household__commune_id=commune_id)
    if hamlet is not None:
        lines = lines.filter(household__hamlet=hamlet)
    return lines.order_by("household__commune__name", "household__hamlet", "household__head_name", "pk")


def households_helped_since(day: date):
    """The households that received something from a batch on or after ``day`` (delivered lines),
    as a subquery of ids."""
    return (Recipient.objects.filter(delivery__in=DELIVERED, delivered_on__gte=day, removed=False)
            .values("household_id"))

"""Reads of support to households: the duplicate-benefit check, a batch's figures, its lines by
hamlet (the signature sheets), and the households helped since a day."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from frontwelfare.history import HistoryEntry, HistorySource, history_entries

from ..choices import MemberOrganisation
from .choices import DELIVERED, Delivery
from .models import Activity, Batch, Membership, Organisation, Recipient

# A line that did not reach its household does not count as help given.
NOT_GIVEN = (Delivery.NOT_FOUND, Delivery.REFUSED)


def _same_occasion_elsewhere(batch: Batch):
    """The standing lines of the other batches of ``batch``'s kind and occasion, at any level,
    from any fund or donor, that gave or are to give (not those not found or refused)."""
    return (Recipient.objects.filter(batch__kind=batch.kind_id, batch__occasion_key=batch.occasion_key,
                                     removed=False).exclude(batch=batch.pk).exclude(delivery__in=NOT_GIVEN))


def _helped_by(batch: Batch) -> str:
    """What makes two lines the same help: the household, or the pupil for a kind given per pupil."""
    return "pupil_id" if batch.per_pupil else "household_id"


def _same_help_elsewhere(batch: Batch):
    """`_same_occasion_elsewhere` for the same household (or pupil) as the line of ``batch`` in OuterRef."""
    key = _helped_by(batch)
    return _same_occasion_elsewhere(batch).filter(**{key: OuterRef(key)})


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
    key = _helped_by(batch)
    by_key = {}
    for line in lines:
        by_key.setdefault(getattr(line, key), []).append(line.pk)
    others = (_same_occasion_elsewhere(batch).filter(**{f"{key}__in": list(by_key)})
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
                          pending=Count("pk", filter=Q(delivery=Delivery.PENDING)),
                          delivered=Count("pk", filter=Q(delivery__in=DELIVERED)))
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
    """The households that received something from a batch on or after ``day`` (delivered lines,
    but not those of a batch whose posting was reversed since: as the funds' own rule), as a
    subquery of ids."""
    return (Recipient.objects.filter(delivery__in=DELIVERED, delivered_on__gte=day, removed=False)
            .exclude(line__posting__reversed_by__isnull=False).values("household_id"))


# -- member organisations and their activities -----------------------------------------------------


def _in_years(memberships, year_until: int | None, year_from: int | None):
    if year_until is not None:
        memberships = memberships.filter(year__lte=year_until)
    if year_from is not None:
        memberships = memberships.filter(year__gte=year_from)
    return memberships


def organisations_with_latest(queryset):
    """``queryset`` with each organisation's latest year of members (``latest_year``, None when none
    is recorded) and how many (``latest_members``), read in the same query: one probe of the
    (organisation, year) unique index per row."""
    latest = Membership.objects.filter(organisation=OuterRef("pk")).order_by("-year")
    return queryset.annotate(latest_year=Subquery(latest.values("year")[:1]),
                             latest_members=Subquery(latest.values("members")[:1]))


def latest_memberships(organisations, *, year_until: int | None = None, year_from: int | None = None):
    """The memberships that are the latest of each of ``organisations`` (up to ``year_until``, from
    ``year_from``): what "how many members" means for organisations that reported in different years."""
    of_the_same = _in_years(Membership.objects.filter(organisation=OuterRef("organisation")), year_until, year_from)
    latest_year = Subquery(of_the_same.order_by("-year").values("year")[:1])
    return Membership.objects.filter(organisation__in=organisations, year=latest_year)


@dataclass(frozen=True)
class OrganisationCount:
    kind: str
    label: str
    organisations: int
    members: int


def organisation_counts(organisations) -> tuple[list[OrganisationCount], OrganisationCount]:
    """How many organisations of each kind ``organisations`` holds, and their members (each by its
    latest year), with the total: two grouped queries."""
    counted = dict(organisations.order_by().values_list("kind").annotate(n=Count("pk")))
    members = dict(latest_memberships(organisations).order_by().values_list("organisation__kind")
                   .annotate(n=Sum("members")))
    rows = [OrganisationCount(kind.value, str(kind.label), counted.get(kind.value, 0), members.get(kind.value) or 0)
            for kind in MemberOrganisation if counted.get(kind.value)]
    total = OrganisationCount("", str(_("Total")), sum(row.organisations for row in rows),
                              sum(row.members for row in rows))
    return rows, total


@dataclass(frozen=True)
class ActivityTotals:
    activities: int
    occurrences: int
    people_served: int
    value: int
    households: int


def activity_totals(activities) -> ActivityTotals:
    """The records, occurrences (sessions, cases, operations), people served and value of
    ``activities``, and the distinct households of the registry they served: two queries."""
    sums = activities.order_by().aggregate(activities=Count("pk"), occurrences=Sum("occurrences"),
                                           people_served=Sum("people_served"), value=Sum("value"))
    households = (Activity.households.through.objects.filter(activity__in=activities.order_by().values("pk"))
                  .values("household").distinct().count())
    return ActivityTotals(sums["activities"], sums["occurrences"] or 0, sums["people_served"] or 0,
                          sums["value"] or 0, households)


def organisation_history(*, organisation: Organisation) -> list[HistoryEntry]:
    """The organisation's changes and those of its numbers of members, newest first."""
    return history_entries([
        HistorySource(Organisation.history.filter(id=organisation.pk), Organisation, ("kind", "name", "note"),
                      lambda record: str(_("Organisation"))),
        HistorySource(Membership.history.filter(organisation_id=organisation.pk), Membership, ("year", "members"),
                      lambda record: str(_("Members in %(year)s") % {"year": record.year})),
    ])


def activity_history(*, activity: Activity) -> list[HistoryEntry]:
    fields = ("organisation", "kind", "name", "starts_on", "ends_on", "occurrences", "people_served", "value",
              "funders", "note")
    return history_entries([HistorySource(Activity.history.filter(id=activity.pk), Activity, fields,
                                          lambda record: str(_("Activity")))])

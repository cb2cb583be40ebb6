"""Reads of support to households and of the member organisations' work."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from frontwelfare.history import HistoryEntry, HistorySource, history_entries

from ..choices import MemberOrganisation
from .models import Activity, Membership, Organisation

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

"""The household page's support timeline: money paid to the household out of a fund
(households.timeline), and the reversals of such payments, each shown as what it is."""

from collections import defaultdict
from dataclasses import replace

from django.db.models import Min, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frontwelfare.templatetags.frontwelfare import vnd
from households.models import Household
from households.timeline import TimelineEntry

from .choices import Party, PostingKind
from .models import Donor, PostingLine, Trace


def donations_timeline_entries(*, households, user):
    """One entry per payment to ``households`` out of a fund: the fund's side of a disbursement
    line with a purpose, dated by the day it happened, with the fund, the purpose and the amount.
    A reversed payment stays, marked with its reversal's date; the reversal is an entry of its own
    whose amount takes the payment back, so the entries add up to what the household kept.

    Scoped by the household, not the fund: a commune officer sees on their household's page the
    district fund's payment to it, though not the district's fund itself."""
    # A batch's line is the batch's entry (donations.support.timeline), with what was handed over.
    lines = (PostingLine.objects.filter(party=Party.FUND, household__in=visible_households(households, user),
                                        support_recipient__isnull=True)
             .exclude(purpose="").select_related("fund", "household", "posting", "posting__decision",
                                                 "posting__reverses", "posting__reversed_by")
             .order_by("posting__happened_on", "pk"))
    lines = list(lines)
    donors = donors_of(lines, user)
    for line in lines:
        entry = _entry(line)
        if line.posting.kind != PostingKind.REVERSAL and donors.get(line.pk):
            entry = replace(entry, detail=" ".join(filter(None, [entry.detail, donors[line.pk]])))
        yield entry


def households_paid_since(day):
    """The fund lines paying a household on or after ``day`` and not reversed (the list's "no
    support since…", households.timeline.register_helped_since)."""
    return (PostingLine.objects.filter(party=Party.FUND, household__isnull=False, posting__happened_on__gte=day,
                                       posting__reversed_by__isnull=True)
            .exclude(purpose="").exclude(posting__kind=PostingKind.REVERSAL))


def donors_of(lines: list[PostingLine], user) -> dict[int, str]:
    """{line id: "Money of: …"}: whose money each payment was, from its traces (the receipts it drew
    on); ``lines`` are fund lines with their posting read. Also the batches' entries
    (donations.support.timeline). Donors the viewer may see are named; the others (a district's donors, on a commune
    officer's page) are only counted. Two reads for the whole timeline."""
    parts = defaultdict(dict)
    names = {}
    payments = [line for line in lines if line.posting.kind != PostingKind.REVERSAL]
    # Oldest money first, as the payment drew on it.
    for line_id, donor_id, name, total, _first in Trace.objects.filter(line__in=payments).values_list(
            "line_id", "source__receipt__donor_id", "source__receipt__donor__name").annotate(
            total=Sum("amount"), first=Min("source_id")).order_by("line_id", "first"):
        parts[line_id][donor_id] = -total
        names[donor_id] = name
    seen = set(Donor.objects.visible_to(user).filter(pk__in=list(names)).values_list("pk", flat=True))
    said = {}
    for line_id, given in parts.items():
        named = [f"{names[donor_id]} ({vnd(amount)})" for donor_id, amount in given.items() if donor_id in seen]
        others = sum(1 for donor_id in given if donor_id not in seen)
        if others:
            named.append(ngettext("%(count)s other donor", "%(count)s other donors", others) % {"count": others})
        said[line_id] = _("Money of: %(donors)s.") % {"donors": ", ".join(named)}
    return said


def visible_households(households, user):
    """Of ``households``, those ``user`` may see: the timeline is scoped by the household."""
    return Household.objects.visible_to(user).filter(pk__in=[household.pk for household in households])


def _entry(line: PostingLine) -> TimelineEntry:
    posting = line.posting
    title = _("%(fund)s · %(purpose)s") % {"fund": line.fund.name, "purpose": line.get_purpose_display()}
    if posting.kind == PostingKind.REVERSAL:
        return TimelineEntry(
            household_id=line.household_id, date=posting.happened_on, source=str(_("Funds")), amount=-line.amount,
            title=_("Reversal: %(title)s") % {"title": title},
            detail=_("Reverses the payment of %(day)s. Reason: %(reason)s") % {
                "day": posting.reverses.happened_on.strftime("%d/%m/%Y"), "reason": posting.reason})
    return TimelineEntry(household_id=line.household_id, date=posting.happened_on, title=title,
                         source=str(_("Funds")), amount=-line.amount, detail=" ".join(_details(line)))


def _details(line: PostingLine) -> list[str]:
    """The decision paying, what the payment was for (the household's own name, which a payment
    with no description of its own carries, says nothing on its page), and its reversal if any."""
    posting, details = line.posting, []
    decision = getattr(posting, "decision", None)
    if decision is not None:
        details.append(_("Decision %(number)s.") % {"number": decision.number})
    if line.description and line.description != str(line.household):
        details.append(line.description)
    reversal = getattr(posting, "reversed_by", None)
    if reversal is not None:
        details.append(_("Reversed on %(day)s.") % {"day": reversal.happened_on.strftime("%d/%m/%Y")})
    return details

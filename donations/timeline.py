"""The household page's support timeline: money paid to the household out of a fund
(households.timeline), and the reversals of such payments, each shown as what it is."""

from django.utils.translation import gettext as _

from households.models import Household
from households.timeline import TimelineEntry

from .choices import Party, PostingKind
from .models import PostingLine


def donations_timeline_entries(*, households, user):
    """One entry per payment to ``households`` out of a fund: the fund's side of a disbursement
    line with a purpose, dated by the day it happened, with the fund, the purpose and the amount.
    A reversed payment stays, marked with its reversal's date; the reversal is an entry of its own
    whose amount takes the payment back, so the entries add up to what the household kept.

    Scoped by the household, not the fund: a commune officer sees on their household's page the
    district fund's payment to it, though not the district's fund itself."""
    lines = (PostingLine.objects.filter(party=Party.FUND, household__in=_visible(households, user))
             .exclude(purpose="").select_related("fund", "posting", "posting__reverses", "posting__reversed_by")
             .order_by("posting__happened_on", "pk"))
    for line in lines:
        yield _entry(line)


def _visible(households, user):
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
    detail = line.description
    reversal = getattr(posting, "reversed_by", None)
    if reversal is not None:
        detail = _("%(description)s Reversed on %(day)s.") % {"description": detail,
                                                              "day": reversal.happened_on.strftime("%d/%m/%Y")}
    return TimelineEntry(household_id=line.household_id, date=posting.happened_on, title=title,
                         source=str(_("Funds")), amount=-line.amount, detail=detail.strip())

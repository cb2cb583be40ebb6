"""The household page's support timeline (households.timeline): what the household received in
batches of support (each delivered line: the gift, the scholarship to its pupil, the insurance
card…, from which fund or donor and whose money), and the member organisations' activities that
name it (an examination day, a surgery programme).

A batch's delivered line is the batch's entry, before and after the batch is closed; once closed,
its fund line is not listed again by the funds' source (donations.timeline skips lines of a batch).
Scoped by the household, as the funds' source is: a commune officer sees on their household's page
the district's Tet gift to it, though not the district's batch itself."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from households.timeline import TimelineEntry

from ..models import Donor
from ..timeline import donors_of, visible_households
from .choices import DELIVERED, Delivery, Details
from .models import Activity, Batch, Recipient

# What a detail left empty prints as (an en dash).
UNKNOWN = "\u2013"


def support_timeline_entries(*, households, user):
    """One entry per delivered line of a batch to ``households``, dated by the day it was handed
    over, and one per activity naming one of them. Five reads whatever the number of entries:
    the lines, their donors' traces (two), the donors given directly and the batches the viewer
    may see; and the activities."""
    visible = visible_households(households, user)
    lines = list(Recipient.objects.filter(household__in=visible, removed=False, delivery__in=DELIVERED)
                 .select_related("batch__kind", "batch__fund", "batch__donor", "batch__organisation", "pupil",
                                 "line__posting__reversed_by")
                 .order_by("delivered_on", "pk"))
    money_of = donors_of([line.line for line in lines if line.line_id], user)
    direct = {batch.donor_id for batch in (line.batch for line in lines) if batch.donor_id}
    named = set(Donor.objects.visible_to(user).filter(pk__in=direct).values_list("pk", flat=True)) if direct else set()
    # A batch the viewer may open is linked (a family that moved keeps its old commune's help,
    # listed but not linked).
    batches = set(Batch.objects.visible_to(user).filter(pk__in={line.batch_id for line in lines})
                  .values_list("pk", flat=True)) if lines else set()
    for line in lines:
        url = reverse("support:batch-detail", args=[line.batch_id]) if line.batch_id in batches else ""
        yield TimelineEntry(household_id=line.household_id, date=line.delivered_on, title=_title(line), url=url,
                            source=str(pgettext("menu", "Support")), amount=line.value,
                            detail=" ".join(filter(None, [*_what(line), _from(line, named),
                                                          money_of.get(line.line_id, "")])))
    yield from _activity_entries(visible)


def _title(line: Recipient) -> str:
    batch = line.batch
    title = _("%(kind)s · %(occasion)s") % {"kind": batch.kind.name, "occasion": batch.occasion}
    if line.pupil_id:
        title = _("%(title)s · for %(pupil)s") % {"title": title, "pupil": line.pupil.full_name}
    return title


def _what(line: Recipient) -> list[str]:
    """What was handed over, as the kind records it, and to whom when not the household itself."""
    batch, said = line.batch, []
    details = batch.kind.details
    if details == Details.SCHOOL and line.school:
        said.append(_("%(school)s, grade %(grade)s, school year %(year)s.") % {
            "school": line.school, "grade": line.grade or UNKNOWN, "year": line.school_year or UNKNOWN})
    elif details == Details.INSURANCE_CARD and line.card_number:
        valid = line.card_valid_until.strftime("%d/%m/%Y") if line.card_valid_until else UNKNOWN
        said.append(_("Card %(number)s, valid until %(day)s.") % {"number": line.card_number, "day": valid})
    goods = line.goods or (batch.goods if batch.in_kind else "")
    if goods:
        said.append(_("In kind: %(goods)s.") % {"goods": goods})
    if line.delivery == Delivery.REPRESENTATIVE:
        said.append(_("Received by %(name)s.") % {"name": line.representative})
    return said


def _from(line: Recipient, named_donors: set[int]) -> str:
    """Where the support came from: the fund (and its reversal, if the batch's posting was
    reversed), or the donor who gave directly; and the member organisation that handed it out."""
    batch = line.batch
    if batch.fund_id:
        said = _("From %(fund)s.") % {"fund": batch.fund.name}
        reversal = getattr(line.line.posting, "reversed_by", None) if line.line_id else None
        if reversal is not None:
            said += " " + _("Reversed on %(day)s.") % {"day": reversal.happened_on.strftime("%d/%m/%Y")}
    elif batch.donor_id in named_donors:
        said = _("Given directly by %(donor)s.") % {"donor": batch.donor.name}
    else:
        said = _("Given directly by a donor.")
    if batch.organisation_id:
        said += " " + _("Handed out by %(organisation)s.") % {"organisation": batch.organisation.name}
    return said


def _activity_entries(visible_households):
    """The activities that name the households: what the organisation did, on its first day. Its
    value is the whole activity's, not the household's share, so it is said, not added up."""
    through = Activity.households.through.objects.filter(household__in=visible_households).select_related(
        "activity", "activity__organisation").order_by("activity__starts_on", "pk")
    for link in through:
        activity = link.activity
        detail = [str(activity.organisation) if activity.organisation_id else "", activity.funders]
        yield TimelineEntry(household_id=link.household_id, date=activity.starts_on, source=str(_("Activities")),
                            title=_("%(kind)s · %(name)s") % {"kind": activity.get_kind_display(),
                                                              "name": activity.name},
                            detail=" · ".join(filter(None, detail)))

"""The household page's support timeline: the household's house cases (households.timeline)."""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from households.timeline import TimelineEntry

from .choices import APPROVED_STATES, CaseState
from .models import HousingCase


def housing_timeline_entries(*, households, user):
    """One entry per case of ``households`` that ``user`` may see, dated by the day its latest step
    happened; the amount is the support committed, once the district has approved it. A case is
    received once handed over, in progress before; a rejected or cancelled one brought no support."""
    cases = (HousingCase.objects.visible_to(user).filter(household__in=households)
             .exclude(state__in=[CaseState.REJECTED, CaseState.CANCELLED]).select_related("programme")
             .annotate(last_step_on=Max("transitions__happened_on")))
    for case in cases:
        yield TimelineEntry(
            household_id=case.household_id, date=case.last_step_on or timezone.localdate(case.created_at),
            title=_("%(work)s · %(programme)s") % {"work": case.get_work_kind_display(),
                                                   "programme": case.programme.name},
            source=str(_("Housing")),
            detail=case.get_state_display(),
            amount=case.support_total if case.state in APPROVED_STATES else None,
            url=reverse("housing:case-detail", args=[case.pk]),
            received=case.state == CaseState.HANDED_OVER,
        )


def households_housed_since(day):
    """The cases whose house was handed over on or after ``day`` (the list's "no support since…",
    households.timeline.register_helped_since)."""
    return HousingCase.objects.filter(state=CaseState.HANDED_OVER, handover_date__gte=day)

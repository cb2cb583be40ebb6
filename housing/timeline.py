"""The household page's support timeline: the household's house cases (households.timeline)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from households.timeline import TimelineEntry

from .choices import APPROVED_STATES
from .models import HousingCase


def housing_timeline_entries(*, households, user):
    """One entry per case of ``households`` that ``user`` may see, dated by its latest step;
    the amount is the support committed, once the district has approved it."""
    cases = HousingCase.objects.visible_to(user).filter(household__in=households).select_related("programme")
    for case in cases:
        day = case.handover_date or case.completion_date or case.start_date or case.survey_date \
            or timezone.localdate(case.created_at)
        yield TimelineEntry(
            household_id=case.household_id, date=day,
            title=_("%(work)s · %(programme)s") % {"work": case.get_work_kind_display(),
                                                   "programme": case.programme.name},
            source=str(_("Housing")),
            detail=case.get_state_display(),
            amount=case.support_total if case.state in APPROVED_STATES else None,
            url=reverse("housing:case-detail", args=[case.pk]),
        )

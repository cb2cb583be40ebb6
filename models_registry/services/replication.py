"""How a recognised model spreads: study visits and media coverage, recorded by its commune or the
level above."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import MediaCoverage, StudyVisit, TypicalModel
from ..permissions import NOT_MODEL_OFFICER
from ..workflow import can_record_replication
from .registrations import locked_model


def _replicable(actor, model: TypicalModel) -> TypicalModel:
    model = locked_model(actor, model)
    if not can_record_replication(actor, model):
        raise PermissionDenied(NOT_MODEL_OFFICER)
    if not model.is_recognised:
        raise ValidationError(_("Study visits and media coverage are recorded for a recognised model."))
    return model


def _not_future(name: str, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({name: _("The date cannot be in the future.")})


@transaction.atomic
def study_visit_record(*, actor, model: TypicalModel, visited_on: datetime.date, people: int, visiting_unit=None,
                       visitors: str = "", note: str = "") -> StudyVisit:
    model = _replicable(actor, model)
    _not_future("visited_on", visited_on)
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise ValidationError({"people": _("Say how many people came: at least one.")})
    visit = StudyVisit(model=model, visiting_unit=visiting_unit, visitors=visitors.strip(), visited_on=visited_on,
                       people=people, note=note.strip(), created_by=actor)
    visit.full_clean()
    visit._history_user = actor
    visit.save()
    return visit


@transaction.atomic
def media_record(*, actor, model: TypicalModel, outlet: str, title: str, published_on: datetime.date,
                 link: str = "") -> MediaCoverage:
    model = _replicable(actor, model)
    _not_future("published_on", published_on)
    coverage = MediaCoverage(model=model, outlet=outlet.strip(), title=title.strip(), published_on=published_on,
                             link=link.strip(), created_by=actor)
    coverage.full_clean()
    coverage._history_user = actor
    coverage.save()
    return coverage

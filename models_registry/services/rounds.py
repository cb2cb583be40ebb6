"""The round of a year: found or made for a commune, its dates set, its criteria versioned, and
reopened for a commune after the deadline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.filters import FIRST_YEAR
from frontwelfare.services import require_known, validated_save

from ..models import DEFAULT_CRITERIA, Criterion, Reopening, Round, default_deadline
from ..permissions import NOT_LEVEL_ABOVE, round_unit_of, runs_round

ROUND_FIELDS = ("deadline", "mid_year_review_on", "final_report_on")
MAX_CRITERIA = 12


def round_of(*, commune, year: int, actor) -> Round:
    """The round ``commune``'s models of ``year`` belong to, made (with the 31 March deadline and the
    criteria of the unit's previous round) if its level above has not set one up yet."""
    unit = round_unit_of(commune)
    found = Round.objects.filter(unit=unit, year=year).first()
    return found or _round_make(unit=unit, year=year, actor=actor)


def _round_make(*, unit, year: int, actor, **dates) -> Round:
    # Two communes registering the first models of the year at once both find no round: the unique
    # (unit, year) constraint lets one insert; the other, in its savepoint, reads the winner's.
    try:
        with transaction.atomic():
            made = Round.objects.create(unit=unit, year=year, created_by=actor,
                                        deadline=dates.pop("deadline", None) or default_deadline(year), **dates)
    except IntegrityError:
        found = Round.objects.filter(unit=unit, year=year).first()
        if found is None:
            raise
        return found
    _criteria_copy_forward(made)
    return made


def _criteria_copy_forward(round_: Round) -> None:
    """A new round scores with the criteria its unit used last (its latest version), or the defaults."""
    previous = Round.objects.filter(unit=round_.unit, year__lt=round_.year).order_by("-year").first()
    rows = []
    if previous is not None:
        rows = [(criterion.name, criterion.description, criterion.weight)
                for criterion in previous.criteria.filter(version=previous.criteria_version)]
    Criterion.objects.bulk_create([
        Criterion(round=round_, version=1, position=index, name=name, description=description, weight=weight)
        for index, (name, description, weight) in enumerate(rows or DEFAULT_CRITERIA, start=1)
    ])


@transaction.atomic
def round_create(*, actor, unit, year: int, **dates) -> Round:
    """The level above sets up its round for ``year`` ahead of its communes, with its own dates."""
    require_known(dates, ROUND_FIELDS, "round_create")
    if not runs_round(actor, unit):
        raise PermissionDenied(NOT_LEVEL_ABOVE)
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        # A past year's round is set up to enter its paper records; none beyond next year.
        raise ValidationError({"year": _("Choose a year from %(first)s to next year.") % {"first": FIRST_YEAR}})
    if Round.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("This unit already has a round for this year.")})
    round_ = Round(unit=unit, year=year, created_by=actor, deadline=dates.get("deadline") or default_deadline(year),
                   mid_year_review_on=dates.get("mid_year_review_on"), final_report_on=dates.get("final_report_on"))
    _check_dates(round_)
    validated_save(round_, actor=actor)
    _criteria_copy_forward(round_)
    return round_


@transaction.atomic
def round_update(*, actor, round_: Round, **dates) -> Round:
    """The level above moves its round's deadline, mid-year review or final-report date."""
    require_known(dates, ROUND_FIELDS, "round_update")
    round_ = locked_round(actor, round_)
    for name, value in dates.items():
        setattr(round_, name, value)
    _check_dates(round_)
    validated_save(round_, actor=actor)
    return round_


def _check_dates(round_: Round) -> None:
    if round_.deadline is None or round_.deadline.year != round_.year:
        raise ValidationError({"deadline": _("The deadline is a day of the round's year.")})


def locked_round(actor, round_: Round) -> Round:
    """The round re-read under lock, within the actor's scope, which the actor's committee runs."""
    locked = locked_in_scope(Round.objects.select_related("unit"), actor=actor, pk=round_.pk)
    if not runs_round(actor, locked.unit):
        raise PermissionDenied(NOT_LEVEL_ABOVE)
    return locked


@transaction.atomic
def criteria_set(*, actor, round_: Round, criteria: list[tuple[str, str, int]]) -> int:
    """Make the round's criteria ``criteria`` [(name, what is looked at, weight)], whose weights add up
    to 100. While no inspection has been scored with the current version it is replaced; once one
    has, a new version is made and the scored inspections keep theirs. Returns the version in force."""
    round_ = locked_round(actor, round_)
    cleaned = [(name.strip(), (description or "").strip(), weight) for name, description, weight in criteria]
    if not cleaned or len(cleaned) > MAX_CRITERIA:
        raise ValidationError(_("Give from 1 to %(most)s criteria.") % {"most": MAX_CRITERIA})
    if any(not name for name, _description, _weight in cleaned):
        raise ValidationError(_("Every criterion needs a name."))
    if any(isinstance(weight, bool) or not isinstance(weight, int) or weight < 1 for *_rest, weight in cleaned):
        raise ValidationError(_("A weight is a whole number of points, at least 1."))
    total = sum(weight for *_rest, weight in cleaned)
    if total != 100:
        raise ValidationError(_("The weights add up to %(total)s points; they must add up to 100.") % {"total": total})
    if criteria_in_use(round_):
        round_.criteria_version += 1
        round_.save(update_fields=["criteria_version"])
    else:
        round_.criteria.filter(version=round_.criteria_version).delete()
    Criterion.objects.bulk_create([
        Criterion(round=round_, version=round_.criteria_version, position=index, name=name, description=description,
                  weight=weight) for index, (name, description, weight) in enumerate(cleaned, start=1)
    ])
    return round_.criteria_version


def current_criteria(round_: Round) -> list[Criterion]:
    return list(round_.criteria.filter(version=round_.criteria_version).order_by("position"))


def criteria_in_use(round_: Round) -> bool:
    """Whether an inspection has been scored with the round's current criteria: changing them then
    makes a new version (`criteria_set`), which the criteria page tells beforehand."""
    return round_.criteria.filter(version=round_.criteria_version, scores__isnull=False).exists()


@transaction.atomic
def round_reopen(*, actor, round_: Round, commune, until: datetime.date, reason: str) -> Reopening:
    """Open the round again for ``commune``, until ``until``, with the reason: it may then register and
    submit after the deadline. Recorded with who and when. A past year's round may be reopened too:
    the level above lets a commune enter the registrations it kept on paper."""
    round_ = locked_round(actor, round_)
    if round_unit_of(commune) != round_.unit:
        raise ValidationError({"commune": _("The commune is not one of this round's communes.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if until < timezone.localdate():
        raise ValidationError({"until": _("The day it stays open until cannot be in the past.")})
    reopening = Reopening(round=round_, commune=commune, until=until, reason=reason.strip(), reopened_by=actor)
    reopening.full_clean()
    reopening.save()
    return reopening


def registration_refusal(round_: Round, commune, today: datetime.date | None = None) -> str | None:
    """Why ``commune`` may not register or submit in ``round_`` today, or None: the deadline has passed
    and the round was not reopened for it until today or later. Judged on the day it is entered: a
    model entered after the deadline was not with the level above by then."""
    today = today or timezone.localdate()
    if today <= round_.deadline:
        return None
    if Reopening.objects.filter(round=round_, commune=commune, until__gte=today).exists():
        return None
    return _("The round's deadline (%(day)s) has passed: ask the level above to reopen it for your commune.") % {
        "day": date_format(round_.deadline, "SHORT_DATE_FORMAT")}

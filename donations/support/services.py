"""Every write of support to households and of the member organisations' work. Pages, the API and
the demo call these; none of them holds a rule."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import locked_in_scope, within_q
from frontwelfare.areas.models import AdministrativeUnit
from households.models import Household

from ..permissions import NOT_ORGANISATION_KEEPER, can_keep_organisations
from .models import Activity, Membership, Organisation

# -- member organisations and their activities -----------------------------------------------------

ORGANISATION_FIELDS = ("kind", "name", "note")
ACTIVITY_FIELDS = ("organisation", "kind", "name", "starts_on", "ends_on", "occurrences", "people_served",
                   "value", "funders", "note")
# The first year a membership may be recorded for: the Front was founded in 1930.
FIRST_MEMBERSHIP_YEAR = 1930
# A PositiveIntegerField's ceiling: more members than this is a typing error, not an organisation.
MAX_COUNT = 2_147_483_647


def _require_keeper(actor, unit=None) -> None:
    if not can_keep_organisations(actor, unit):
        raise PermissionDenied(NOT_ORGANISATION_KEEPER)


def _only(fields: dict, allowed: tuple) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def organisation_create(*, actor, kind: str, name: str, note: str = "") -> Organisation:
    """A member organisation of ``actor``'s unit (its Red Cross, Women's Union…)."""
    _require_keeper(actor)
    organisation = Organisation(unit_id=actor.unit_id, created_by=actor, kind=kind, name=(name or "").strip(),
                                note=note or "")
    _save_organisation(actor, organisation)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Correct an organisation's kind, name or note; its unit never changes."""
    organisation = locked_in_scope(Organisation.objects, actor=actor, pk=organisation.pk)
    _require_keeper(actor, organisation.unit_id)
    for field, value in _only(fields, ORGANISATION_FIELDS).items():
        setattr(organisation, field, value.strip() if field == "name" else value)
    _save_organisation(actor, organisation)
    return organisation


def _save_organisation(actor, organisation: Organisation) -> None:
    """Save ``organisation``, checked by full_clean. Its name is unique in its unit, and full_clean
    cannot see another officer saving the same name at the same moment: the database's constraint
    refuses the second, answered as full_clean would have answered it."""
    organisation.full_clean(exclude=["unit", "created_by"])
    _check_name_free(organisation)
    organisation._history_user = actor
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as clash:
        raise ValidationError({"name": _("This unit already has an organisation of this name.")}) from clash


def _check_name_free(organisation: Organisation) -> None:
    # full_clean left the unit out (the actor's, checked already), and with it the unique constraint.
    taken = Organisation.objects.filter(unit_id=organisation.unit_id, name__iexact=organisation.name)
    if taken.exclude(pk=organisation.pk).exists():
        raise ValidationError({"name": _("This unit already has an organisation of this name.")})


@transaction.atomic
def membership_record(*, actor, organisation: Organisation, year: int, members: int) -> Membership:
    """How many members ``organisation`` had in ``year``; recording a year again corrects it."""
    # The organisation's row, locked, serialises two officers recording the same year at once:
    # the second finds the first's row and updates it rather than failing on the unique constraint.
    organisation = locked_in_scope(Organisation.objects, actor=actor, pk=organisation.pk)
    _require_keeper(actor, organisation.unit_id)
    _check_year(year)
    _check_count("members", members, _("Enter the number of members as a whole number, 0 or more."))
    membership = Membership.objects.filter(organisation=organisation, year=year).first()
    if membership is None:
        membership = Membership(organisation=organisation, year=year, members=members)
    elif membership.members == members:
        return membership
    membership.members = members
    membership.full_clean(exclude=["organisation"], validate_unique=False)
    membership._history_user = actor
    membership.save()
    return membership


def _check_year(year) -> None:
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_MEMBERSHIP_YEAR <= year <= this_year:
        raise ValidationError({"year": _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_MEMBERSHIP_YEAR, "last": this_year}})


def _check_count(field: str, value, message: str, *, least: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_COUNT:
        raise ValidationError({field: message})


def activity_record(*, actor, kind: str, name: str, starts_on: datetime.date, organisation: Organisation | None = None,
                    ends_on: datetime.date | None = None, occurrences: int = 1, people_served: int = 0,
                    households=(), value: int = 0, funders: str = "", note: str = "") -> Activity:
    """An activity of ``actor``'s unit, or of one of its organisations: one day's, or a period's with
    its number of sessions, cases or operations (``occurrences``)."""
    _require_keeper(actor)
    with transaction.atomic():
        activity = Activity(unit_id=actor.unit_id, recorded_by=actor, kind=kind, name=(name or "").strip(),
                            starts_on=starts_on, ends_on=ends_on, occurrences=occurrences,
                            people_served=people_served, value=value, funders=funders or "", note=note or "")
        activity.organisation = _organisation_of(actor, organisation, activity.unit_id)
        served = _households_served(actor, activity.unit_id, households)
        _check_activity(activity, served)
        activity._history_user = actor
        activity.save()
        activity.households.set(served)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, **fields) -> Activity:
    """Correct an activity; ``households`` (when given) replaces the households served."""
    activity = locked_in_scope(Activity.objects, actor=actor, pk=activity.pk)
    _require_keeper(actor, activity.unit_id)
    for field, value in _only(fields, ACTIVITY_FIELDS).items():
        setattr(activity, field, value.strip() if field == "name" else value)
    if "organisation" in fields:
        activity.organisation = _organisation_of(actor, fields["organisation"], activity.unit_id)
    served = None  # the households served stay as they are unless given
    if "households" in fields:
        served = _households_served(actor, activity.unit_id, fields["households"])
    _check_activity(activity, served if served is not None else list(activity.households.all()))
    activity._history_user = actor
    activity.save()
    if served is not None:
        activity.households.set(served)
    return activity


def _organisation_of(actor, organisation: Organisation | None, unit_id: int) -> Organisation | None:
    """The organisation an activity of ``unit_id`` is of, read again in ``actor``'s scope (404 when it
    left it): one of the unit's own."""
    if organisation is None:
        return None
    organisation = Organisation.objects.visible_to(actor).filter(pk=organisation.pk).first()
    if organisation is None:
        raise Organisation.DoesNotExist
    if organisation.unit_id != unit_id:
        raise ValidationError({"organisation": _("Choose an organisation of the activity's own unit.")})
    return organisation


def _households_served(actor, unit_id: int, households) -> list[Household]:
    """The households of the registry an activity served: each within its unit and seen by ``actor``."""
    wanted = {getattr(household, "pk", household) for household in households or ()}
    if not wanted:
        return []
    unit = AdministrativeUnit.objects.get(pk=unit_id)
    found = list(Household.objects.visible_to(actor).filter(within_q(unit, "commune"), pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"households": _("Choose households of the registry within the activity's unit.")})
    return found


def _check_activity(activity: Activity, served: list) -> None:
    """The rules of one activity, each with a message on its field, then the model's own."""
    errors = {}
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The last day must be on or after the first day.")
    value = activity.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["value"] = _("Enter the value as a whole number of đồng, 0 or more.")
    for field, message, least in (
            ("occurrences", _("Enter the number of sessions, cases or operations: a whole number, 1 or more."), 1),
            ("people_served", _("Enter the number of people served: a whole number, 0 or more."), 0)):
        try:
            _check_count(field, getattr(activity, field), message, least=least)
        except ValidationError as error:
            errors.update(error.message_dict)
    if "people_served" not in errors and len(served) > activity.people_served:
        errors["people_served"] = _("The people served cannot be fewer than the households of the registry "
                                    "served (%(count)s).") % {"count": len(served)}
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["unit", "organisation", "recorded_by", "households"])

"""Who may do what in housing, beyond seeing it (which is `visible_to`)."""

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_manage_programme_of(user, unit: AdministrativeUnit | None) -> bool:
    """Programmes are created and kept by the committee that runs them: a district member for
    their district, a provincial officer for their province and its districts, and the
    administrator for any."""
    if not _signed_in(user) or unit is None:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.DISTRICT_MEMBER:
        return unit.pk == user.unit_id
    if user.role == Role.PROVINCIAL_OFFICER:
        return unit.province_id == user.unit_id
    return False


def programme_units_for(user):
    """The units ``user`` may run a programme for: the choices of the programme form."""
    units = AdministrativeUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT])
    if not _signed_in(user):
        return units.none()
    if user.role == Role.ADMINISTRATOR:
        return units.order_by("era", "level", "code")
    if user.role == Role.DISTRICT_MEMBER:
        return units.filter(pk=user.unit_id)
    if user.role == Role.PROVINCIAL_OFFICER:
        return units.filter(province_id=user.unit_id).order_by("-level", "code")
    return units.none()


def is_commune_officer_of(user, commune_id: int) -> bool:
    """Cases are entered and moved along on the ground by the Front officers of their commune."""
    return _signed_in(user) and user.role == Role.COMMUNE_OFFICER and user.unit_id == commune_id


def is_approver_of(user, commune: AdministrativeUnit) -> bool:
    """The district standing committee approves, rejects and cancels the cases of its communes.
    A commune of the post-2025 units has no district: its province's officers do it."""
    if not _signed_in(user):
        return False
    if commune.district_id is not None:
        return user.role == Role.DISTRICT_MEMBER and user.unit_id == commune.district_id
    return user.role == Role.PROVINCIAL_OFFICER and user.unit_id == commune.province_id

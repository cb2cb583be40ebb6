"""Who may do what in housing, beyond seeing it (which is `visible_to`), and how a refusal is
worded: housing.services raises these messages, and the API's permission checks (which ask the
same questions before the body is parsed) answer with them, so a caller reads the same words
whichever refuses first."""

from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import scope_q, unit_in_scope
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit

NOT_PROGRAMME_MANAGER = _("Only the committee that runs a programme can change it.")
NOT_PROPOSER = _("Only the Front officers of the household's commune can propose a house for it.")
PROPOSAL_DECIDED = _("The proposal can be changed by its commune's officers until the district decides.")
NOT_CASE_OFFICER = _("Only the Front officers of the case's commune can attach files to it.")
STEP_NOT_FOR_ROLE = _("Your role cannot take this step on this case.")

# Programmes are run by the committees of provinces and districts.
_PROGRAMME_ROLES = (Role.ADMINISTRATOR, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER)
_PROGRAMME_LEVELS = (Level.PROVINCE, Level.DISTRICT)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_manage_programme_of(user, unit: AdministrativeUnit | None) -> bool:
    """Programmes are created and kept by the committee that runs them: a district member for
    their district, a provincial officer for their province and its districts, and the
    administrator for any."""
    return getattr(user, "role", None) in _PROGRAMME_ROLES and unit is not None \
        and unit.level in _PROGRAMME_LEVELS and unit_in_scope(user, unit)


def programme_units_for(user):
    """The units ``user`` may run a programme for: the choices of the programme form."""
    if not _signed_in(user) or user.role not in _PROGRAMME_ROLES:
        return AdministrativeUnit.objects.none()
    units = AdministrativeUnit.objects.filter(scope_q(user, ""), level__in=_PROGRAMME_LEVELS)
    if user.role == Role.ADMINISTRATOR:
        return units.order_by("era", "level", "code")
    return units.order_by("-level", "code")


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

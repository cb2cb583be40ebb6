"""Who may do what with typical models, beyond seeing them (which is `visible_to`), and how a
refusal is worded, so that the services and the API's checks say the same words.

The level above a commune is its district's standing committee; a commune of the current units
(after 1 July 2025) has no district, and its province's committee takes the district's part. That
rule is housing's approver rule, called here, not written again."""

from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Level
from housing.permissions import is_approver_of, is_commune_officer_of

__all__ = ["is_approver_of", "is_commune_officer_of", "round_unit_of", "runs_round"]

NOT_MODEL_OFFICER = _("Only the Front officers of the model's commune can change its registration.")
NOT_LEVEL_ABOVE = _("Only the standing committee above the commune (the district's, or the province's for the "
                    "current units) can do this.")
STEP_NOT_FOR_ROLE = _("Your role cannot take this step on this model.")
NOT_REGISTERING_OFFICER = _("Models are registered by the Front officers of a commune.")


def round_unit_of(commune):
    """The unit whose round a commune's models belong to: its district, or its province when it has
    no district (the current units)."""
    return commune.district if commune.district_id is not None else commune.province


def runs_round(user, unit) -> bool:
    """Whether ``user`` is the standing committee of ``unit`` that runs its communes' round: a district
    member of that district, or a provincial officer of that province. The same person
    `is_approver_of` names for each of the unit's communes."""
    if not (getattr(user, "is_authenticated", False) and user.is_active) or unit is None:
        return False
    role = Role.DISTRICT_MEMBER if unit.level == Level.DISTRICT else Role.PROVINCIAL_OFFICER
    return unit.level in (Level.DISTRICT, Level.PROVINCE) and user.role == role and user.unit_id == unit.pk

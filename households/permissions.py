"""Who may do what with a household, beyond seeing it (which is `visible_to`)."""

from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import unit_in_scope

# households.services raises it; the API's permission check, asked before the body is parsed,
# answers with the same words.
NOT_EDITOR = _("Only the Front officers of the commune can change its households.")


def can_edit_households_of(user, commune) -> bool:
    """Households are entered and kept by the Front officers of their own commune; the district
    and the province read them."""
    return getattr(user, "role", None) == Role.COMMUNE_OFFICER and unit_in_scope(user, commune)


def can_see_full_citizen_ids_of(user, household) -> bool:
    """The full citizen ID is for those who work with the person: the officer of the
    household's commune and the district committee of its district. Everyone else,
    provincial officers and administrators included, sees it masked."""
    return getattr(user, "role", None) in (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER) \
        and unit_in_scope(user, household.commune)


def mask_citizen_id(citizen_id: str) -> str:
    """``********1234``: enough to tell two people apart on a list, not enough to use."""
    if not citizen_id:
        return ""
    return "*" * (len(citizen_id) - 4) + citizen_id[-4:]

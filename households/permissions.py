"""Who may do what with a household, beyond seeing it (which is `visible_to`)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import scope_q, unit_in_scope

# households.services raises it; the API's permission check, asked before the body is parsed,
# answers with the same words.
NOT_EDITOR = _("Only the Front officers of the commune can change its households.")


def can_edit_households_of(user, commune) -> bool:
    """Households are entered and kept by the Front officers of their own commune; the district
    and the province read them."""
    return getattr(user, "role", None) == Role.COMMUNE_OFFICER and unit_in_scope(user, commune)


# The roles that work with the person; within their scope they see citizen IDs in full.
_FULL_ID_ROLES = (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER)
# How many of a citizen ID's last digits the mask leaves visible.
SHOWN_DIGITS = 4


def can_see_full_citizen_ids_of(user, household) -> bool:
    """The full citizen ID is for those who work with the person: the officer of the
    household's commune and the district committee of its district. Everyone else,
    provincial officers and administrators included, sees it masked."""
    return getattr(user, "role", None) in _FULL_ID_ROLES and unit_in_scope(user, household.commune)


def full_citizen_ids_q(user, commune_path: str) -> Q:
    """`can_see_full_citizen_ids_of` as a filter: the rows (reaching the household's commune by
    ``commune_path``) whose citizen IDs ``user`` sees in full. Searches by more of an ID than
    the mask shows are limited to these rows."""
    if getattr(user, "role", None) not in _FULL_ID_ROLES:
        return Q(pk__in=[])
    return scope_q(user, commune_path)


def mask_citizen_id(citizen_id: str) -> str:
    """``********1234``: enough to tell two people apart on a list, not enough to use."""
    if not citizen_id:
        return ""
    return "*" * (len(citizen_id) - SHOWN_DIGITS) + citizen_id[-SHOWN_DIGITS:]


NOT_ASSIGNER = _("Only the provincial officers of the former commune's province can assign its hamlets.")


# Who assigns split communes' hamlets at all (the page, the households list's link, the service).
_ASSIGNER_ROLES = (Role.PROVINCIAL_OFFICER, Role.ADMINISTRATOR)


def may_assign_hamlets(user) -> bool:
    """Whether ``user`` assigns the hamlets of split former communes at all: a provincial officer or
    the administrator (which communes: `can_assign_hamlets_of`)."""
    return getattr(user, "role", None) in _ASSIGNER_ROLES and bool(getattr(user, "is_active", False))


def can_assign_hamlets_of(user, former_commune) -> bool:
    """A split former commune's hamlets are assigned to the current communes by the province: the
    standing committee of the current province it became part of (which took over the abolished
    district's work, and whose scope reaches the commune through the mapping), or the former
    province's officer whose account the reform left in place (the commune is in their scope too,
    and the choice is among the commune's own successors, all of them in the same current province);
    or the administrator. A district or commune officer, or another province's, does not."""
    if not may_assign_hamlets(user):
        return False
    return user.role == Role.ADMINISTRATOR or unit_in_scope(user, former_commune)

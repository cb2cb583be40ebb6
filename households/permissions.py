"""Who may do what with a household, beyond seeing it (which is `visible_to`)."""

from frontwelfare.accounts.choices import Role


def can_edit_households_of(user, commune) -> bool:
    """Households are entered and kept by the Front officers of their own commune; the district
    and the province read them."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.COMMUNE_OFFICER
        and commune is not None
        and user.unit_id == commune.pk
    )


def can_see_full_citizen_ids_of(user, household) -> bool:
    """The full citizen ID is for those who work with the person: the officer of the
    household's commune and the district committee of its district. Everyone else,
    provincial officers and administrators included, sees it masked."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return False
    if user.role == Role.COMMUNE_OFFICER:
        return user.unit_id == household.commune_id
    if user.role == Role.DISTRICT_MEMBER:
        return user.unit_id == household.commune.district_id
    return False


def mask_citizen_id(citizen_id: str) -> str:
    """``********1234``: enough to tell two people apart on a list, not enough to use."""
    if not citizen_id:
        return ""
    return "*" * (len(citizen_id) - 4) + citizen_id[-4:]

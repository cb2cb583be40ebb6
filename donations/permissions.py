"""Who may move a fund's money, and who may correct a posting.

The rules of the Front's fund regulation that this app could not confirm from the sources, and the
choice made for each, are listed in the README's "Funds and donations" section.
"""

from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import ROLE_UNIT_LEVEL, Role
from frontwelfare.areas.choices import Level
from housing.permissions import is_approver_of

NOT_FUND_MANAGER = _("Only the Front officers of the fund's own unit record its money.")
NOT_DONOR_KEEPER = _("Only the Front officers of a unit keep its donors and pledges.")
NOT_REVERSER = _("Only the committee of the level above corrects a posting (for a province's own "
                 "postings, its standing committee).")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_manage_fund(user, fund) -> bool:
    """The officers of the fund's unit record its receipts, disbursements and transfers; the
    units above see the fund but do not move its money, and the administrator neither."""
    return _signed_in(user) and user.role in ROLE_UNIT_LEVEL and user.unit_id == fund.unit_id


def can_keep_donors(user) -> bool:
    """An officer of a unit (commune, district or province) records its donors and pledges; each
    unit keeps its own, and the units above see them."""
    return _signed_in(user) and user.role in ROLE_UNIT_LEVEL and user.unit_id is not None


def can_reverse(user, posting) -> bool:
    """A posting is corrected by the committee of the level above the unit that posted it: for a
    commune, whoever approves its house cases (housing's rule: its district's committee, or its
    province's after the 2025 reform); for a district, its province's officers; for a province's
    own postings, its own officers, as there is no level above it in the app."""
    unit = posting.unit
    if unit.level == Level.COMMUNE:
        return is_approver_of(user, unit)
    above = unit.province_id if unit.level == Level.DISTRICT else unit.pk
    return _signed_in(user) and user.role == Role.PROVINCIAL_OFFICER and user.unit_id == above


def can_edit_donor(user, donor) -> bool:
    """A donor is changed by the officers of the unit that keeps it; the units above only read it."""
    return can_keep_donors(user) and donor.unit_id == user.unit_id

"""Who may move a fund's money, and who may correct a posting.

The rules of the Front's fund regulation that this app could not confirm from the sources, and the
choice made for each, are listed in the README's "Funds and donations" section.
"""

from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import ROLE_UNIT_LEVEL

NOT_FUND_MANAGER = _("Only the Front officers of the fund's own unit record its money.")
NOT_REVERSER = _("Only the committee of the level above corrects a posting (for a province's own "
                 "postings, its standing committee).")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_manage_fund(user, fund) -> bool:
    """The officers of the fund's unit record its receipts, disbursements and transfers; the
    units above see the fund but do not move its money, and the administrator neither."""
    return _signed_in(user) and user.role in ROLE_UNIT_LEVEL and user.unit_id == fund.unit_id


def reversing_unit_id(posting) -> int:
    """The unit whose committee may reverse ``posting``: the one above the unit that posted it
    (a commune's district, or its province after the 2025 reform; a district's province), or a
    province itself for its own postings: there is no level above it in the app."""
    return posting.unit.parent_id or posting.unit_id


def can_reverse(user, posting) -> bool:
    return _signed_in(user) and user.role in ROLE_UNIT_LEVEL and user.unit_id == reversing_unit_id(posting)

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
NOT_FUND_CREATOR = _("Only the Front officers of a unit create its funds.")
NOT_REVERSER = _("Only the committee of the level above corrects a posting (for a province's own "
                 "postings, its standing committee).")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def _unit_officer(user) -> bool:
    """A signed-in officer of a commune, district or province: who records a unit's money,
    donors and funds. The administrator has no unit and records none."""
    return _signed_in(user) and user.role in ROLE_UNIT_LEVEL and user.unit_id is not None


def can_manage_fund(user, fund) -> bool:
    """The officers of the fund's unit record its receipts, disbursements and transfers; the
    units above see the fund but do not move its money, and the administrator neither."""
    return _unit_officer(user) and user.unit_id == fund.unit_id


def funds_managed_by(user):
    """The funds whose money ``user`` records (`can_manage_fund`): those of their own unit."""
    from .models import Fund  # models import nothing of this module, but keep the rules importable alone

    return Fund.objects.filter(unit_id=user.unit_id) if _unit_officer(user) else Fund.objects.none()


def can_create_fund(user) -> bool:
    """An officer of a unit creates its funds (the unit's Fund for the Poor, a relief fund, a
    campaign's own fund): the same people who will record their money (`can_manage_fund`)."""
    return _unit_officer(user)


def can_keep_donors(user) -> bool:
    """An officer of a unit (commune, district or province) records its donors and pledges; each
    unit keeps its own, and the units above see them."""
    return _unit_officer(user)


def can_edit_donor(user, donor) -> bool:
    """A donor is corrected by the officers of the unit that keeps it; the units above see it."""
    return can_keep_donors(user) and donor.unit_id == user.unit_id


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


# -- support to households --------------------------------------------------------------------------

NOT_BATCH_KEEPER = _("Only the Front officers of the batch's own unit draw it up, confirm and close it.")
NOT_DELIVERY_RECORDER = _("Only Front officers whose unit covers the household record its delivery.")


def can_keep_batches(user) -> bool:
    """An officer of a unit draws up its batches of support (and adds its own kinds of support)."""
    return _unit_officer(user)


def can_manage_batch(user, batch) -> bool:
    """The officers of the batch's unit choose its recipients, confirm and close it; the units
    above see it, the units below hand it out (`can_record_delivery`)."""
    return _unit_officer(user) and user.unit_id == batch.unit_id


def can_record_delivery(user) -> bool:
    """An officer of a unit records the deliveries of the recipients in their scope (the commune
    hands out its district's Tet gifts); which recipients those are is the households' scope."""
    return _unit_officer(user)
NOT_ORGANISATION_KEEPER = _("Only the Front officers of a unit keep its member organisations and their activities.")


def can_keep_organisations(user, unit=None) -> bool:
    """An officer of a unit (commune, district or province) records its member organisations, their
    members and their activities; the units above see them and do not change them. Without
    ``unit``: whether ``user`` keeps any unit's (their own)."""
    return _unit_officer(user) and (unit is None or getattr(unit, "pk", unit) == user.unit_id)

"""Batches of support for the tests, written through the services as the pages write them."""

import datetime

from donations.support import services
from donations.support.models import SupportKind

from ..households.factories import HouseholdFactory, HouseholdStatusFactory, MemberFactory
from .factories import fund_of, manager_of, receipt_into

HANDED_OVER = datetime.date(2026, 2, 10)
TET = "Quà Tết Bính Ngọ 2026"


def kind(code: str = "tet_gifts") -> SupportKind:
    """A nationwide kind of support (migration 0007). The flush after a transactional test (the
    browser tests) empties the table the migration filled: the kinds are then put back."""
    if not SupportKind.objects.filter(unit=None).exists():
        import importlib

        from django.apps import apps

        importlib.import_module("donations.migrations.0007_nationwide_support_kinds").add_kinds(apps, None)
    return SupportKind.objects.get(unit=None, code=code)


def poor_household(commune, *, hamlet: str = "Ấp Phước Hậu", year: int = 2026, category: str = "poor", **fields):
    household = HouseholdFactory(commune=commune, hamlet=hamlet, **fields)
    HouseholdStatusFactory(household=household, year=year, category=category)
    return household


def pupil_of(household, *, school_level: str = "primary", **fields):
    return MemberFactory(household=household, school_level=school_level, birth_year=2016, **fields)


def funded_batch(unit, *, actor=None, money: int = 100_000_000, value: int = 500_000, code: str = "tet_gifts",
                 occasion: str = TET, **fields):
    """A draft batch of ``unit`` drawing on its Fund for the Poor, which holds ``money``."""
    actor = actor or manager_of(unit)
    fund = fund_of(unit)
    if money:
        receipt_into(fund, amount=money, actor=actor)
    return services.batch_create(actor=actor, kind=kind(code), occasion=occasion, happened_on=HANDED_OVER,
                                 fund=fund, value=value, **fields)


def batch_with(unit, households, *, actor=None, **fields):
    """A draft batch of ``unit`` whose recipients are ``households``."""
    from households.models import Household

    actor = actor or manager_of(unit)
    batch = funded_batch(unit, actor=actor, **fields)
    services.batch_add_by_filter(actor=actor, batch=batch,
                                 households=Household.objects.filter(pk__in=[h.pk for h in households]))
    return batch


def deliver_all(batch, actor, *, day=HANDED_OVER):
    for line in batch.recipients.standing():
        services.delivery_record(actor=actor, recipient=line, delivery="delivered", delivered_on=day)


# -- for the API's tests and the scope harness -------------------------------------------------------


def own_kind(unit, *, actor=None, name: str = "Hỗ trợ người cao tuổi neo đơn") -> SupportKind:
    """A kind of support added by ``unit``'s committee, named ``name`` (its code is made from it)."""
    return services.kind_create(actor=actor or manager_of(unit), name_vi=name, name_en=name, purpose="other",
                                recipients="household")


def confirmed_batch(unit, households, *, actor=None, **fields):
    """A batch of ``unit`` for ``households``, confirmed (lines flagged are confirmed with a reason)."""
    actor = actor or manager_of(unit)
    batch = batch_with(unit, households, actor=actor, **fields)
    return services.batch_confirm(actor=actor, batch=batch, duplicate_reason="Hộ neo đơn")

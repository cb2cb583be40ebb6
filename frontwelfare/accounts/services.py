"""Writes to users. The admin and the demo loader both go through here."""

from django.db import transaction

from frontwelfare.areas.models import AdministrativeUnit

from .choices import Role
from .models import User


@transaction.atomic
def user_save(*, actor: User | None, user: User) -> User:
    """Validate and save a user created or edited elsewhere (the admin form).

    The history row records ``actor`` as the one who made the change.
    """
    user.sync_staff_flags()
    user.full_clean(exclude=["password"])
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def user_assign_role(*, actor: User | None, user: User, role: Role,
                     unit: AdministrativeUnit | None) -> User:
    """Give ``user`` a new role and unit; the change history keeps the old ones."""
    user.role = role
    user.unit = unit
    return user_save(actor=actor, user=user)


@transaction.atomic
def user_create(*, actor: User | None, username: str, password: str, role: Role,
                unit: AdministrativeUnit | None, first_name: str = "", last_name: str = "") -> User:
    user = User(username=username, role=role, unit=unit, first_name=first_name, last_name=last_name)
    user.set_password(password)
    return user_save(actor=actor, user=user)

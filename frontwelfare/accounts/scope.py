"""The one scope mechanism: which rows a user may see, as a single indexed filter.

Every scoped model's queryset inherits `ScopedQuerySet` and names, in `unit_path`, the
field that leads to the administrative unit a row belongs to. `visible_to(user)` is then
the only way views, API viewsets, exports, search, dashboards and reports read scoped data.
"""

from django.db import models

from .choices import Role


def scope_q(user, unit_path: str) -> models.Q:
    """The filter that keeps the rows whose unit lies within ``user``'s unit.

    ``unit_path`` leads from the row to its unit (``"commune"``, ``"unit"``); the unit row
    carries its district and province, so each role's rule is one column comparison.
    An anonymous user, or one without a usable role, sees nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return models.Q(pk__in=[])
    if user.role == Role.ADMINISTRATOR:
        return models.Q()
    if user.unit_id is None:
        return models.Q(pk__in=[])
    column = {
        Role.PROVINCIAL_OFFICER: f"{unit_path}__province_id",
        Role.DISTRICT_MEMBER: f"{unit_path}__district_id",
        Role.COMMUNE_OFFICER: f"{unit_path}_id",
    }.get(user.role)
    if column is None:
        return models.Q(pk__in=[])
    return models.Q(**{column: user.unit_id})


class ScopedQuerySet(models.QuerySet):
    """Base of every scoped queryset. Subclasses set ``unit_path``."""

    unit_path: str = "commune"

    def visible_to(self, user):
        return self.filter(scope_q(user, self.unit_path))


def unit_in_scope(user, unit) -> bool:
    """Whether ``unit`` (a unit row) lies within ``user``'s scope: `scope_q` for a row in hand."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.unit_id is None:
        return False
    return {
        Role.PROVINCIAL_OFFICER: unit.province_id,
        Role.DISTRICT_MEMBER: unit.district_id,
        Role.COMMUNE_OFFICER: unit.pk,
    }.get(user.role) == user.unit_id

"""The one scope mechanism: which rows a user may see, as a single indexed filter.

One function per question, used by every page, API view, export, selector, report and dashboard:

- `scope_q(user, path)` / `unit_in_scope(user, unit)`: a row's unit lies within the user's unit.
- `within_q(unit, path)` / `unit_within(unit, ancestor)`: a row's unit lies within a unit.
- `owned_q(user, path)`: a record owned by a unit at any level (a programme, a fund) is visible to
  the user: owned by their unit, by a unit above it, or by a unit within it.
- `covers_q(unit, path)` / `covers(owner, unit)`: a record owned by a unit covers a unit when its
  owner is that unit or lies above it (a district's programme covers its communes).
- `locked_in_scope(queryset, actor=..., pk=...)`: the row re-read under lock, still in scope.

Every unit row carries its province and (for a commune) its district, and a province or district
row points at itself, so each rule is one comparison of an indexed column, never a walk up the
tree. Scoped querysets inherit `ScopedQuerySet` (rows of a unit: households, cases) or
`OwnedQuerySet` (records owned by a unit at any level) and name the path to the unit.
"""

from django.db import models

from frontwelfare.areas.choices import Era, Level

from .choices import ROLE_UNIT_LEVEL, Role

_NOTHING = models.Q(pk__in=[])


def _column(unit_path: str, level: str, era: str = Era.LEGACY) -> str:
    """The column that holds, for a row reached by ``unit_path``, its unit's ancestor at ``level``
    (the unit itself for a commune) in ``era``, the era of the unit the rows are asked about. An empty
    path means the row is the unit.

    A current-era province reads ``current_province_id``: the records of the former provinces,
    districts and communes that became it are its own (history is never rewritten, the mapping is).
    A current-era commune reads its own column: its officer keeps their own commune's records (see
    `successors_q` for what its report counts)."""
    prefix = f"{unit_path}__" if unit_path else ""
    if level == Level.PROVINCE:
        return f"{prefix}current_province_id" if era == Era.CURRENT else f"{prefix}province_id"
    if level == Level.DISTRICT:
        return f"{prefix}district_id"
    return f"{unit_path}_id" if unit_path else "pk"


def _ancestor_id(unit, level: str, era: str = Era.LEGACY) -> int | None:
    """The id of ``unit``'s ancestor at ``level`` in ``era`` (its own id at its own level), as
    `_column` reads it."""
    if level == Level.PROVINCE:
        return unit.current_province_id if era == Era.CURRENT else unit.province_id
    if level == Level.DISTRICT:
        return unit.district_id
    return unit.pk


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _scoped_level(user) -> str | None:
    """The level of the unit ``user``'s role grants; None for an administrator or an unusable role."""
    if user.unit_id is None:
        return None
    return ROLE_UNIT_LEVEL.get(user.role)


def _scoped_era(user, level: str) -> str:
    """The era of ``user``'s unit where it changes the column (a province); reads the unit row only
    for a provincial officer (cached on the user after the first call)."""
    return user.unit.era if level == Level.PROVINCE else Era.LEGACY


# -- a row's unit lies within the user's unit -----------------------------------------------------


def scope_q(user, unit_path: str) -> models.Q:
    """The filter that keeps the rows whose unit lies within ``user``'s unit.

    ``unit_path`` leads from the row to its unit (``"commune"``, ``"unit"``). Read from the user's
    role and unit id alone (and, for a provincial officer, their unit's era, cached on the user after
    the first call). An anonymous user, or one without a usable role, sees nothing.
    """
    if not _active(user):
        return _NOTHING
    if user.role == Role.ADMINISTRATOR:
        return models.Q()
    level = _scoped_level(user)
    if level is None:
        return _NOTHING
    return models.Q(**{_column(unit_path, level, _scoped_era(user, level)): user.unit_id})


def unit_in_scope(user, unit) -> bool:
    """Whether ``unit`` (a unit row) lies within ``user``'s scope: `scope_q` for a row in hand."""
    if not _active(user):
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    level = _scoped_level(user)
    return (level is not None and unit is not None
            and _ancestor_id(unit, level, _scoped_era(user, level)) == user.unit_id)


class ScopedQuerySet(models.QuerySet):
    """Base of the querysets of rows that belong to a unit. Subclasses set ``unit_path``."""

    unit_path: str = "commune"

    def visible_to(self, user):
        return self.filter(scope_q(user, self.unit_path))


# -- a row's unit lies within a unit ---------------------------------------------------------------


def within_q(unit, unit_path: str) -> models.Q:
    """The filter that keeps the rows whose unit (reached by ``unit_path``; empty when the rows are
    units) is ``unit`` or lies below it. No unit: no narrowing."""
    if unit is None:
        return models.Q()
    return models.Q(**{_column(unit_path, unit.level, unit.era): unit.pk})


def counted_in_q(unit, commune_path: str, household_path: str | None = None) -> models.Q:
    """The records a report or a dashboard of ``unit`` counts: `within_q`, and for a current-era
    commune also those of the former communes that became it whole (``current_commune``) and, where
    the records have a household (at ``household_path``, "" for a household itself), those of the
    households of a split former commune that the province assigned to it."""
    if unit is None or unit.era != Era.CURRENT or unit.level != Level.COMMUNE:
        return within_q(unit, commune_path)
    prefix = f"{commune_path}__" if commune_path else ""
    counted = models.Q(**{f"{prefix}current_commune_id": unit.pk})
    if household_path is not None:
        household = f"{household_path}__" if household_path else ""
        counted |= models.Q(**{f"{household}assigned_commune_id": unit.pk})
    return counted


def unit_within(unit, ancestor) -> bool:
    """Whether ``unit`` is ``ancestor`` or lies below it: `within_q` for a row in hand."""
    return _ancestor_id(unit, ancestor.level, ancestor.era) == ancestor.pk


# -- records owned by a unit at any level -------------------------------------------------------


def _above(unit) -> list[int]:
    """The ids of the units above ``unit`` (its district and province)."""
    return [pk for pk in (unit.district_id, unit.province_id) if pk and pk != unit.pk]


def owned_q(user, owner_path: str) -> models.Q:
    """The filter that keeps the records (programmes, funds) ``user`` sees among those owned by a
    unit at any level: owned by the user's unit, by a unit above it, or by a unit within it.

    A commune officer sees their commune's, district's and province's; a district member their
    district's, its communes' and their province's; a provincial officer everything owned within
    the province; the administrator everything. Which of a record's rows and figures they see is
    the other rule, `scope_q`. Reads the user's unit row (cached on the user after the first call).
    """
    if not _active(user):
        return _NOTHING
    if user.role == Role.ADMINISTRATOR:
        return models.Q()
    if _scoped_level(user) is None:
        return _NOTHING
    unit = user.unit
    owned = within_q(unit, owner_path)
    above = _above(unit)
    return owned | models.Q(**{f"{owner_path}__in": above}) if above else owned


def covers_q(unit, owner_path: str) -> models.Q:
    """The filter that keeps the records whose owner (reached by ``owner_path``) covers ``unit``:
    the owner is ``unit`` or a unit above it."""
    return models.Q(**{f"{owner_path}__in": [unit.pk, *_above(unit)]})


def covers(owner, unit) -> bool:
    """Whether a record owned by ``owner`` (a unit or its id) covers ``unit``: `covers_q` for a row in hand."""
    owner_id = getattr(owner, "pk", owner)
    return owner_id is not None and owner_id in (unit.pk, *_above(unit))


class OwnedQuerySet(models.QuerySet):
    """Base of the querysets of records owned by a unit at any level (programmes, funds).
    Subclasses set ``owner_path``."""

    owner_path: str = "unit"

    def visible_to(self, user):
        return self.filter(owned_q(user, self.owner_path))

    def covering(self, unit):
        """The records that cover ``unit`` (see `covers_q`)."""
        return self.filter(covers_q(unit, self.owner_path))


# -- writes ----------------------------------------------------------------------------------------


def locked_in_scope(queryset, *, actor, pk, of=("self",)):
    """The row ``pk`` of ``queryset`` re-read under ``select_for_update(of=...)`` through
    ``visible_to(actor)``, inside the caller's transaction.

    Services call it before they change a row: one moved out of the actor's scope, or deleted,
    since the page was read raises ``DoesNotExist`` (404, as if missing), and what is checked next
    (state, editor, amounts) is the row as it is now, with no other writer able to change it.
    """
    locked = queryset.visible_to(actor).select_for_update(of=of).filter(pk=pk).first()
    if locked is None:
        raise queryset.model.DoesNotExist
    return locked

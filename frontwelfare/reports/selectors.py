"""The figures on each role's home page, counted in the database within the user's scope."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit


@dataclass(frozen=True)
class Dashboard:
    unit: AdministrativeUnit | None
    # {level: count} of the units below the user's unit (both eras for an administrator).
    units_below: dict[str, int] = field(default_factory=dict)
    units_by_era: dict[str, dict[str, int]] = field(default_factory=dict)
    # [(role label, count)] of the active users the viewer can see, in role order.
    users_by_role: list[tuple[str, int]] = field(default_factory=list)
    users_total: int = 0


# Plural names of the levels, for "12 communes".
LEVEL_PLURAL = {Level.PROVINCE: _("provinces"), Level.DISTRICT: _("districts"), Level.COMMUNE: _("communes")}


def _labelled_by_level(counts: dict[str, int]) -> dict[str, int]:
    """{level: n} → {"districts": n, "communes": n}, provinces first."""
    order = list(Level)
    return {str(LEVEL_PLURAL[level]): counts[level] for level in sorted(counts, key=order.index)}


def _units_below(unit: AdministrativeUnit) -> dict[str, int]:
    rows = AdministrativeUnit.objects.below(unit).values("level").annotate(n=Count("id")).order_by()
    return _labelled_by_level({row["level"]: row["n"] for row in rows})


def _units_by_era() -> dict[str, dict[str, int]]:
    by_era: dict[str, dict[str, int]] = {}
    rows = AdministrativeUnit.objects.values("era", "level").annotate(n=Count("id")).order_by()
    for row in rows:
        by_era.setdefault(row["era"], {})[row["level"]] = row["n"]
    # The current era first: it is what a new record uses.
    return {str(Era(era).label): _labelled_by_level(by_era[era]) for era in (Era.CURRENT, Era.LEGACY) if era in by_era}


def _active_users_by_role(user: User) -> dict[str, int]:
    rows = User.objects.visible_to(user).filter(is_active=True).values("role").annotate(n=Count("id")).order_by()
    return {row["role"]: row["n"] for row in rows}


def dashboard_for(*, user: User) -> Dashboard:
    """Two queries: the units (below the user's unit, or all by era for an administrator)
    and the active users the viewer can see, by role."""
    counts = _active_users_by_role(user)
    return Dashboard(
        unit=user.unit,
        units_below=_units_below(user.unit) if user.unit else {},
        units_by_era=_units_by_era() if user.unit is None else {},
        users_by_role=[(str(role.label), counts.get(role.value, 0)) for role in Role],
        users_total=sum(counts.values()),
    )

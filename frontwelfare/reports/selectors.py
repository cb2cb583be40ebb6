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


def _count_by_level(queryset) -> dict[str, int]:
    rows = queryset.values("level").annotate(n=Count("id")).order_by()
    return {row["level"]: row["n"] for row in rows}


def _level_order(item) -> int:
    return list(Level).index(item[0])


def dashboard_for(*, user: User) -> Dashboard:
    """Three queries: units below, units by era (administrators), users by role."""
    user_rows = (
        User.objects.visible_to(user).filter(is_active=True)
        .values("role").annotate(n=Count("id")).order_by()
    )
    counts = {row["role"]: row["n"] for row in user_rows}
    users_by_role = [(str(role.label), counts.get(role.value, 0)) for role in Role]
    if user.unit is None:
        by_era = {}
        rows = AdministrativeUnit.objects.values("era", "level").annotate(n=Count("id")).order_by()
        for row in rows:
            by_era.setdefault(row["era"], {})[row["level"]] = row["n"]
        return Dashboard(
            unit=None,
            units_by_era={str(Era(era).label): {str(LEVEL_PLURAL[lv]): n for lv, n in sorted(levels.items(), key=_level_order)} for era, levels in sorted(by_era.items(), reverse=True)},
            users_by_role=users_by_role,
            users_total=sum(counts.values()),
        )
    units_below = _count_by_level(AdministrativeUnit.objects.below(user.unit))
    return Dashboard(
        unit=user.unit,
        units_below={str(LEVEL_PLURAL[level]): n for level, n in sorted(units_below.items(), key=_level_order)},
        users_by_role=users_by_role,
        users_total=sum(counts.values()),
    )

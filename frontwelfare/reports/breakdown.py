"""The rows of a report and of a dashboard: the units one level below the report's unit (the
communes of a district, the districts of a province; a commune's report has the commune as its one
row), and how the sections group their records by them in one query."""

from dataclasses import dataclass

from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit

# {row unit id: {column: figure}}: what a section's grouped query gives.
Figures = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Breakdown:
    """The units a report's rows are, and how a commune (the unit of every record) leads to them."""

    units: list[AdministrativeUnit]
    by_district: bool  # rows are districts: a commune counts in its district's row

    def key(self, commune_path: str) -> str:
        """The column to group by, from a model whose commune is at ``commune_path``."""
        return f"{commune_path}__district_id" if self.by_district else f"{commune_path}_id"


def breakdown_of(unit: AdministrativeUnit) -> Breakdown:
    if unit.level == Level.COMMUNE:
        return Breakdown([unit], by_district=False)
    units = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code"))
    by_district = unit.level == Level.PROVINCE and any(child.level == Level.DISTRICT for child in units)
    return Breakdown(units, by_district=by_district)


def grouped(rows, key: str, columns: list[str]) -> Figures:
    """The rows of a ``values(key).annotate(...)`` query as Figures (None as 0)."""
    return {row[key]: {name: row[name] or 0 for name in columns} for row in rows if row[key] is not None}

"""The rows of a report and of a dashboard: the units one level below the report's unit (the
communes of a district, the districts of a province; a commune's report has the commune as its one
row; the whole country's, the provinces), and how the sections group their records by them in one
query."""

from dataclasses import dataclass

from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit

# {row unit id: {column: figure}}: what a section's grouped query gives.
Figures = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Breakdown:
    """The units a report's rows are, and how a commune (the unit of every record) leads to them.
    A unit may carry ``row_name``, its row's label where its name alone would be ambiguous (see
    `row_name`)."""

    units: list[AdministrativeUnit]
    by_district: bool  # rows are districts: a commune counts in its district's row
    by_province: bool = False  # rows are provinces (the whole country): a commune counts in its province's

    def key(self, commune_path: str) -> str:
        """The column to group by, from a model whose commune is at ``commune_path``."""
        if self.by_province:
            return f"{commune_path}__province_id"
        return f"{commune_path}__district_id" if self.by_district else f"{commune_path}_id"


def breakdown_of(unit: AdministrativeUnit | None) -> Breakdown:
    """The rows of ``unit``'s report; None is the whole country."""
    if unit is None:
        return _whole_country()
    if unit.level == Level.COMMUNE:
        return Breakdown([unit], by_district=False)
    units = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code"))
    by_district = unit.level == Level.PROVINCE and any(child.level == Level.DISTRICT for child in units)
    return Breakdown(units, by_district=by_district)


def _whole_country() -> Breakdown:
    """Every province of both eras, each a row. A commune row points at the province of its own era,
    so a record under a former commune counts in its former province and one under a current commune
    in its current province: no record counts twice, and none needs the mapping between the eras
    (which splits about 440 former communes across several new ones).

    The 34 current provinces come first, by GSO code: they are the units working now, what every new
    record is entered under and what the central level compares (the request form and the home page
    put this era first too). The 63 former provinces follow, by code, holding what was entered before
    1 July 2025; each is labelled "(cũ)", as official texts name them since the merger, because many
    keep the name of the current province they became part of ("Tỉnh Lâm Đồng" is both)."""
    provinces = list(AdministrativeUnit.objects.filter(level=Level.PROVINCE)
                     .order_by(Case(When(era=Era.CURRENT, then=Value(0)), default=Value(1)), "code"))
    for province in provinces:
        if province.era == Era.LEGACY:
            province.row_name = _("%(name)s (former)") % {"name": province.name}
    return Breakdown(provinces, by_district=False, by_province=True)


def row_name(unit: AdministrativeUnit) -> str:
    """The label of ``unit``'s row: its ``row_name`` when the breakdown gave it one, else its name."""
    return getattr(unit, "row_name", unit.name)


def grouped(rows, key: str, columns: list[str]) -> Figures:
    """The rows of a ``values(key).annotate(...)`` query as Figures (None as 0)."""
    return {row[key]: {name: row[name] or 0 for name in columns} for row in rows if row[key] is not None}

"""The rows of a report and of a dashboard: the units one level below the report's unit (the
communes of a district, the districts of a province; a commune's report has the commune as its one
row; the whole country's, the provinces), and how the sections group their records by them in one
query."""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Case, F, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit

# {row unit id: {column: figure}}: what a section's grouped query gives.
Figures = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Breakdown:
    """The units a report's rows are, and how a commune (the unit of every record) leads to them.
    A unit may carry ``row_name``, its row's label where its name alone would be ambiguous (see
    `row_name`), and ``split_mark``, set on the row of a former commune split between several
    current ones whose records are not yet assigned to one of them (see `split_note`)."""

    units: list[AdministrativeUnit]
    by_district: bool  # rows are districts: a commune counts in its district's row
    by_province: bool = False  # rows are provinces (the whole country): a commune counts in its province's
    # A current-era report unit: its rows are current communes, reached through the 2025 mapping.
    current: AdministrativeUnit | None = None

    def key(self, commune_path: str, household_path: str | None = None) -> Expression:
        """What to group by (``.values(row=key)``), from a model whose commune is at ``commune_path``
        and, where it has one, whose household is at ``household_path`` ("" for a household itself):
        the id of the record's row."""
        if self.current is not None:
            return _current_row(self.current, commune_path, household_path)
        if self.by_province:
            return F(f"{commune_path}__province_id")
        return F(f"{commune_path}__district_id" if self.by_district else f"{commune_path}_id")


def _current_row(unit: AdministrativeUnit, commune_path: str, household_path: str | None) -> Expression:
    """The row of a record in a current-era unit's report: the current commune its unit is or became
    whole; for a split former commune, the commune its household was assigned to (by hamlet,
    households.services.hamlets_assign), else the split commune's own marked row; a record owned by a
    former province or district (a fund, an organisation) counts in the report's unit's own row, as the
    province took over the districts' work."""
    own_unit = Case(When(**{f"{commune_path}__level__in": [Level.PROVINCE, Level.DISTRICT]},
                         then=Value(unit.pk)), default=F(f"{commune_path}_id"), output_field=BigIntegerField())
    choices = [F(f"{commune_path}__current_commune_id")]
    if household_path is not None:
        prefix = f"{household_path}__" if household_path else ""
        choices.append(F(f"{prefix}assigned_commune_id"))
    return Coalesce(*choices, own_unit, output_field=BigIntegerField())


def breakdown_of(unit: AdministrativeUnit | None) -> Breakdown:
    """The rows of ``unit``'s report; None is the whole country."""
    if unit is None:
        return _whole_country()
    if unit.era == Era.CURRENT:
        return _current(unit)
    if unit.level == Level.COMMUNE:
        return Breakdown([unit], by_district=False)
    units = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code"))
    by_district = unit.level == Level.PROVINCE and any(child.level == Level.DISTRICT for child in units)
    return Breakdown(units, by_district=by_district)


def _current(unit: AdministrativeUnit) -> Breakdown:
    """A current-era unit's rows: a commune is its one row; a province's are its communes, then one
    marked row for each former commune of the province split between several communes, holding its
    records not assigned to one of them (all of them until the province assigns its hamlets; always
    its records that have no household: a typical model, an organisation), then one marked row for
    each former commune the official data maps to no current commune, holding all its records (they
    fall to its own id in `_current_row`: without a row of their own they would not count)."""
    if unit.level == Level.COMMUNE:
        return Breakdown([unit], by_district=False, current=unit)
    communes = list(AdministrativeUnit.objects.filter(parent=unit, level=Level.COMMUNE).order_by("code"))
    former = AdministrativeUnit.objects.filter(current_province=unit)
    split = list(former.split().order_by("code"))
    for commune in split:
        commune.row_name = _("%(name)s (former) — split, not yet assigned") % {"name": commune.name}
        commune.split_mark = True
    unmapped = list(former.unmapped().order_by("code"))
    for commune in unmapped:
        commune.row_name = _("%(name)s (former) — not mapped") % {"name": commune.name}
        commune.unmapped_mark = True
    return Breakdown([*communes, *split, *unmapped], by_district=False, current=unit)


def split_note(units) -> str:
    """What the split and unmapped rows' marks mean, for a section that has such rows ("" if none)."""
    notes = []
    if any(getattr(unit, "split_mark", False) for unit in units):
        notes.append(_("A row marked “split, not yet assigned” is a former commune divided between several "
                       "current communes: it holds the records of its households the province has not yet "
                       "assigned to one of them by hamlet and its records that have no household (funds, "
                       "organisations, typical models). Each record counts once."))
    if any(getattr(unit, "unmapped_mark", False) for unit in units):
        notes.append(_("A row marked “not mapped” is a former commune the official data maps to no current "
                       "commune: it holds all its records, each counted once."))
    return " ".join(str(note) for note in notes)


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


ROW = "row"  # the name sections give their row's key: .values(row=context.key(...))


def grouped(rows, key: str, columns: list[str]) -> Figures:
    """The rows of a ``values(key).annotate(...)`` query as Figures (None as 0)."""
    return {row[key]: {name: row[name] or 0 for name in columns} for row in rows if row[key] is not None}

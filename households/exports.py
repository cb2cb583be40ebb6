"""The household list as a spreadsheet (XLSX: households and members) or a CSV (households).

Both read the households of `households_to_export`: `visible_to` the viewer, filtered by the list
page's FilterSet. A small list is written within the request, a big one by a Celery task
(frontwelfare.reports.exports, which this module registers the list with: `register`). Citizen
IDs are masked unless the viewer may see them in full (`can_see_full_citizen_ids_of`), and no cell
can run as a formula when opened in Excel.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from io import TextIOWrapper
from itertools import batched
from types import SimpleNamespace
from typing import IO

import xlsxwriter
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frontwelfare.filters import applied_filters
from frontwelfare.reports.registry import ExportKindSpec, register_export

from .choices import Relation
from .filters import HouseholdFilterSet, categories_year, households_in_name_order
from .models import Household, HouseholdPolicy, HouseholdStatus, Member
from .permissions import can_see_full_citizen_ids_of, mask_citizen_id

# A cell starting with one of these is read by Excel (and LibreOffice, Google Sheets) as a
# formula when the file is opened: "=HYPERLINK(...)" typed into a name would run there.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralise(value):
    """``value`` made inert for a spreadsheet: a text starting like a formula gets a leading
    apostrophe, so it shows as text (OWASP's advice for CSV injection). Other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# What the export reads, as values: a province's 120,000 households and 480,000 members made into
# model instances would cost the export half its time.
HOUSEHOLD_VALUES = ("pk", "code", "commune_id", "commune__name", "commune__district_id", "commune__province_id",
                    "hamlet", "address", "phone", "head_name", "member_count")
MEMBER_VALUES = ("household_id", "full_name", "birth_date", "birth_year", "sex", "relation", "citizen_id",
                 "ethnicity", "disability", "school_level", "health_insurance_number", "phone")


@dataclass
class ExportedHousehold:
    """A household as the export writes it: its columns, its members (in the order they were
    entered), its categories in the year and its policy types (stored values)."""

    values: dict
    members: list[dict]
    categories: list[str]
    policies: list[str]


def households_for_export(households: QuerySet, *, year: int) -> Iterator[ExportedHousehold]:
    """``households`` with what the export shows, as they stream from the database: a chunk of
    CHUNK_SIZE households at a time, then that chunk's members, statuses of ``year`` and policy
    types (one query each). Memory holds one chunk, whatever the number of rows."""
    for chunk in batched(households.values(*HOUSEHOLD_VALUES).iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row["pk"] for row in chunk]
        members = _grouped(Member.objects.filter(household_id__in=ids).order_by("household_id", "id")
                           .values(*MEMBER_VALUES), lambda member: member)
        categories = _grouped(HouseholdStatus.objects.filter(household_id__in=ids, year=year).order_by("category")
                              .values("household_id", "category"), lambda status: status["category"])
        policies = _grouped(HouseholdPolicy.objects.filter(household_id__in=ids).order_by("policy_type")
                            .values("household_id", "policy_type"), lambda policy: policy["policy_type"])
        for row in chunk:
            yield ExportedHousehold(row, members.get(row["pk"], []), categories.get(row["pk"], []),
                                    policies.get(row["pk"], []))


def _grouped(rows, value) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["household_id"], []).append(value(row))
    return grouped


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


class _Labels:
    """The labels of the choices the export writes, translated once per file (Django's
    ``get_FOO_display`` looks the choice up afresh for every cell: 0.1 ms each)."""

    def __init__(self):
        self.of = {name: {value: str(label) for value, label in Member._meta.get_field(name).flatchoices}
                   for name in ("sex", "relation", "ethnicity", "disability", "school_level")}
        self.category = {value: str(label) for value, label in HouseholdStatus._meta.get_field("category").flatchoices}
        self.policy = {value: str(label) for value, label in
                       HouseholdPolicy._meta.get_field("policy_type").flatchoices}

    def member(self, name: str, value: str) -> str:
        return self.of[name].get(value, value) if value else ""


@dataclass
class _Row:
    """One household as the export writes it, with its members."""

    household: ExportedHousehold
    full_ids: bool
    labels: _Labels

    def citizen_id(self, member: dict) -> str:
        return member["citizen_id"] if self.full_ids else mask_citizen_id(member["citizen_id"])

    @property
    def head(self) -> dict | None:
        return next((member for member in self.household.members if member["relation"] == Relation.HEAD), None)

    def household_cells(self) -> list:
        values, head, labels = self.household.values, self.head, self.labels
        return [
            values["code"], values["commune__name"], values["hamlet"], values["address"], values["phone"],
            values["head_name"], self.citizen_id(head) if head else "", values["member_count"],
            ", ".join(labels.category[category] for category in self.household.categories),
            ", ".join(labels.policy[policy] for policy in self.household.policies),
        ]

    def member_cells(self) -> Iterator[list]:
        label, code = self.labels.member, self.household.values["code"]
        for member in self.household.members:
            yield [
                code, member["full_name"], member["birth_date"] or member["birth_year"],
                label("sex", member["sex"]), label("relation", member["relation"]), self.citizen_id(member),
                label("ethnicity", member["ethnicity"]), label("disability", member["disability"]),
                label("school_level", member["school_level"]), member["health_insurance_number"], member["phone"],
            ]


def household_headers(*, year: int) -> list[str]:
    return [
        _label(Household, "code"), _label(Household, "commune"), _label(Household, "hamlet"),
        _label(Household, "address"), _label(Household, "phone"), _label(Household, "head_name"),
        _("Head's citizen ID"), capfirst(str(Member._meta.verbose_name_plural)),
        _("Categories in %(year)s") % {"year": year}, capfirst(str(HouseholdPolicy._meta.verbose_name_plural)),
    ]


def member_headers() -> list[str]:
    return [_label(Household, "code"), *(_label(Member, name) for name in (
        "full_name", "birth_date", "sex", "relation", "citizen_id", "ethnicity", "disability", "school_level",
        "health_insurance_number", "phone",
    ))]


def _rows(households: Iterable[ExportedHousehold], user, progress: Callable[[int], None] | None) \
        -> Iterator[_Row]:
    labels, full_ids = _Labels(), {}
    for done, household in enumerate(households, start=1):
        commune_id = household.values["commune_id"]
        if commune_id not in full_ids:  # once per commune: the rule reads only the commune's ancestors
            commune = SimpleNamespace(pk=commune_id, district_id=household.values["commune__district_id"],
                                      province_id=household.values["commune__province_id"])
            full_ids[commune_id] = can_see_full_citizen_ids_of(user, SimpleNamespace(commune=commune))
        yield _Row(household, full_ids[commune_id], labels)
        if progress is not None and done % CHUNK_SIZE == 0:  # once per chunk read
            progress(done)


def households_xlsx(households: Iterable[ExportedHousehold], *, output: IO[bytes], user, year: int,
                    progress: Callable[[int], None] | None = None) -> None:
    """Two sheets, households and members, written as they stream from the database.

    XlsxWriter in its constant-memory mode: each row goes to a temporary file as it is written
    (memory holds one row per sheet), and at 4 to 5 microseconds a cell it writes a province's
    six million cells about twice as fast as openpyxl's write-only mode. The file goes to
    ``output``."""
    workbook = xlsxwriter.Workbook(output, {
        "constant_memory": True, "tmpdir": tempfile.gettempdir(),
        # Every value as typed: text that looks like a formula, a number or an address stays text.
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    })
    bold, day = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "DD/MM/YYYY"})
    household_sheet = workbook.add_worksheet(capfirst(str(Household._meta.verbose_name_plural))[:31])
    member_sheet = workbook.add_worksheet(capfirst(str(Member._meta.verbose_name_plural))[:31])
    for sheet, headers, widths in (
        (household_sheet, household_headers(year=year), (12, 22, 18, 24, 13, 24, 15, 9, 26, 26)),
        (member_sheet, member_headers(), (12, 24, 12, 8, 18, 15, 10, 18, 18, 17, 13)),
    ):
        sheet.freeze_panes(1, 0)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.write_row(0, 0, [neutralise(header) for header in headers], bold)
    member_line = 0
    for household_line, row in enumerate(_rows(households, user, progress), start=1):
        _write_cells(household_sheet, household_line, row.household_cells(), day)
        for cells in row.member_cells():
            member_line += 1
            _write_cells(member_sheet, member_line, cells, day)
    workbook.close()


def _write_cells(sheet, line: int, values: list, day) -> None:
    """One row, each cell by its type's own method (``write`` would find the type again for every
    one of six million cells); empty cells left out."""
    for column, value in enumerate(values):
        if isinstance(value, str):
            if value:
                sheet.write_string(line, column, neutralise(value))
        elif isinstance(value, date):
            sheet.write_datetime(line, column, value, day)
        elif value is not None:
            sheet.write_number(line, column, value)


def households_csv(households: Iterable[ExportedHousehold], *, output: IO[bytes], user, year: int,
                   progress: Callable[[int], None] | None = None) -> None:
    """The households table (one row per household, as the list page shows them), in UTF-8
    with a byte-order mark, which Excel needs to read Vietnamese correctly; to ``output``."""
    text = TextIOWrapper(output, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([neutralise(header) for header in household_headers(year=year)])
    for row in _rows(households, user, progress):
        writer.writerow([neutralise(value) for value in row.household_cells()])
    text.flush()
    text.detach()  # leaves ``output`` open for the caller


# -- the list's export, as frontwelfare.reports.exports makes it ---------------------------------------

HOUSEHOLDS = "households"


def _filterset(user, filters: dict) -> HouseholdFilterSet:
    # The FilterSet reads the viewer from the request (the units they may narrow to); a task has none.
    return HouseholdFilterSet(filters, queryset=Household.objects.visible_to(user), request=SimpleNamespace(user=user))


def households_to_export(user, filters: dict) -> QuerySet:
    """The household list as ``user`` sees it (`visible_to`) with ``filters`` (the list's query
    string), in its order: what is counted, and written, by the request and by the task alike."""
    return households_in_name_order(_filterset(user, filters).qs, by_index=False)


def households_export_write(households: QuerySet, *, user, filters: dict, file_format: str,
                            progress: Callable[[int], None]) -> IO[bytes]:
    """The file, in a temporary file (memory stays flat however many rows), read from its start."""
    year = categories_year(filters)
    writer = households_xlsx if file_format == "xlsx" else households_csv
    output = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the caller stores it, then it goes
    writer(households_for_export(households, year=year), output=output, user=user, year=year, progress=progress)
    output.seek(0)
    return output


def register() -> None:
    register_export(ExportKindSpec(
        HOUSEHOLDS, capfirst(Household._meta.verbose_name_plural), file_word="ho-gia-dinh",
        rows=households_to_export, write=households_export_write,
        describe=lambda user, filters: applied_filters(_filterset(user, filters)),
        list_url="households:list", filter_names=tuple(HouseholdFilterSet.base_filters),
    ))

"""The household list as a spreadsheet (XLSX: households and members) or a CSV (households).

Both read the households of `households_to_export`: `visible_to` the viewer, filtered by the list
page's FilterSet. A small list is written within the request, a big one by a Celery task
(frontwelfare.reports.exports, which this module registers the list with: `register`). Citizen
IDs are masked unless the viewer may see them in full (`can_see_full_citizen_ids_of`), and no cell
can run as a formula when opened in Excel.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO, StringIO
from types import SimpleNamespace

from django.db.models import Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def households_for_export(households: QuerySet, *, year: int) -> Iterator[Household]:
    """``households`` with what the export shows, in a number of queries that does not grow
    with the rows (four per chunk of CHUNK_SIZE households)."""
    return households.select_related("commune").prefetch_related(
        Prefetch("members", queryset=Member.objects.order_by("id")),
        Prefetch("statuses", queryset=HouseholdStatus.objects.filter(year=year).order_by("category"),
                 to_attr="year_statuses"),
        "policies",
    ).iterator(chunk_size=CHUNK_SIZE)


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


@dataclass
class _Row:
    """One household as the export writes it, with its members."""

    household: Household
    full_ids: bool

    def citizen_id(self, member: Member) -> str:
        return member.citizen_id if self.full_ids else mask_citizen_id(member.citizen_id)

    @property
    def head(self) -> Member | None:
        return next((m for m in self.household.members.all() if m.relation == Relation.HEAD), None)

    def household_cells(self) -> list:
        household, head = self.household, self.head
        return [
            household.code, household.commune.name, household.hamlet, household.address, household.phone,
            household.head_name, self.citizen_id(head) if head else "", len(household.members.all()),
            ", ".join(status.get_category_display() for status in household.year_statuses),
            ", ".join(policy.get_policy_type_display() for policy in household.policies.all()),
        ]

    def member_cells(self) -> Iterator[list]:
        for member in self.household.members.all():
            yield [
                self.household.code, member.full_name, member.birth_date or member.birth_year,
                member.get_sex_display(), member.get_relation_display(), self.citizen_id(member),
                member.get_ethnicity_display(), member.get_disability_display() if member.disability else "",
                member.get_school_level_display() if member.school_level else "", member.health_insurance_number,
                member.phone,
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


def _rows(households: Iterable[Household], user, progress: Callable[[int], None] | None) -> Iterator[_Row]:
    for done, household in enumerate(households, start=1):
        yield _Row(household, can_see_full_citizen_ids_of(user, household))
        if progress is not None and done % CHUNK_SIZE == 0:  # once per chunk read
            progress(done)


def households_xlsx(households: Iterable[Household], *, user, year: int,
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Two sheets, households and members, written as they stream from the database."""
    workbook = Workbook(write_only=True)
    household_sheet = workbook.create_sheet(capfirst(str(Household._meta.verbose_name_plural))[:31])
    member_sheet = workbook.create_sheet(capfirst(str(Member._meta.verbose_name_plural))[:31])
    for sheet, headers, widths in (
        (household_sheet, household_headers(year=year), (12, 22, 18, 24, 13, 24, 15, 9, 26, 26)),
        (member_sheet, member_headers(), (12, 24, 12, 8, 18, 15, 10, 18, 18, 17, 13)),
    ):
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.append([_header_cell(sheet, header) for header in headers])
    for row in _rows(households, user, progress):
        household_sheet.append([neutralise(value) for value in row.household_cells()])
        for cells in row.member_cells():
            member_sheet.append([_xlsx_cell(member_sheet, value) for value in cells])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.font = Font(bold=True)
    return cell


def _xlsx_cell(sheet, value):
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return neutralise(value)


def households_csv(households: Iterable[Household], *, user, year: int,
                   progress: Callable[[int], None] | None = None) -> bytes:
    """The households table (one row per household, as the list page shows them), in UTF-8
    with a byte-order mark, which Excel needs to read Vietnamese correctly."""
    output = StringIO()
    writer = csv.writer(output)
    writer.writerow([neutralise(header) for header in household_headers(year=year)])
    for row in _rows(households, user, progress):
        writer.writerow([neutralise(value) for value in row.household_cells()])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


# -- the list's export, as frontwelfare.reports.exports makes it ---------------------------------------

HOUSEHOLDS = "households"


def _filterset(user, filters: dict) -> HouseholdFilterSet:
    # The FilterSet reads the viewer from the request (the units they may narrow to); a task has none.
    return HouseholdFilterSet(filters, queryset=Household.objects.visible_to(user), request=SimpleNamespace(user=user))


def households_to_export(user, filters: dict) -> QuerySet:
    """The household list as ``user`` sees it (`visible_to`) with ``filters`` (the list's query
    string), in its order: what is counted, and written, by the request and by the task alike."""
    return households_in_name_order(_filterset(user, filters).qs, searched=bool(filters.get("q")))


def households_export_write(households: QuerySet, *, user, filters: dict, file_format: str,
                            progress: Callable[[int], None]) -> bytes:
    year = categories_year(filters)
    writer = households_xlsx if file_format == "xlsx" else households_csv
    return writer(households_for_export(households, year=year), user=user, year=year, progress=progress)


def register() -> None:
    register_export(ExportKindSpec(
        HOUSEHOLDS, capfirst(Household._meta.verbose_name_plural), file_word="ho-gia-dinh",
        rows=households_to_export, write=households_export_write,
        describe=lambda user, filters: applied_filters(_filterset(user, filters)),
        list_url="households:list", filter_names=tuple(HouseholdFilterSet.base_filters),
    ))

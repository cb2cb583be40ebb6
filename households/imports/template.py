"""The template officers download: the list to fill in, an example, an explanation, the choices."""

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from frontwelfare.imports.reading import megabytes, thousands
from frontwelfare.imports.template import header_fill, workbook_bytes, write_header, write_help

from ..choices import Category, Disability, Ethnicity, PolicyType, Relation, SchoolLevel, Sex
from .columns import COLUMN, COLUMNS, HOUSEHOLD_COLUMNS, STATUS_KEYS, TEXT_FORMATTED, Column, vietnamese_labels
from .reading import DATA_SHEET, EXAMPLE_SHEET, HELP_SHEET, LISTS_SHEET, max_bytes, max_rows

_EXAMPLE_ROWS = [
    {"household_ref": "1", "commune_code": "{code}", "hamlet": "Ấp Phước Hậu", "address": "12 đường Lê Lợi",
     "household_phone": "0912345678", "consent_date": "01/03/2025",
     "consent_purpose": "Quản lý hỗ trợ an sinh xã hội", "categories": Category.POOR, "category_year": 2025,
     "decision_number": "12/QĐ-UBND", "decision_date": "10/01/2025", "policy_types": PolicyType.WAR_INVALID,
     "full_name": "Nguyễn Văn An", "birth": "14/05/1970", "sex": Sex.MALE, "relation": Relation.HEAD,
     "citizen_id": "083070001234", "ethnicity": Ethnicity.KINH, "health_insurance_number": "HN4830123456789"},
    {"household_ref": "1", "full_name": "Lê Thị Bình", "birth": "1975", "sex": Sex.FEMALE, "relation": Relation.SPOUSE,
     "citizen_id": "083175004321"},
    {"household_ref": "1", "full_name": "Nguyễn Văn Cường", "birth": "02/09/2010", "sex": Sex.MALE,
     "relation": Relation.CHILD, "school_level": SchoolLevel.LOWER_SECONDARY, "disability": Disability.MILD},
    {"household_ref": "2", "commune_code": "{code}", "hamlet": "Ấp Phước Khánh", "consent_date": "02/03/2025",
     "consent_purpose": "Quản lý hỗ trợ an sinh xã hội", "full_name": "Trần Thị Dung", "birth": "1948",
     "sex": Sex.FEMALE, "relation": Relation.HEAD, "ethnicity": Ethnicity.KHMER},
]
_HEADER_FILL = header_fill("F2DCDB")


def _example_value(column: Column, value, commune_code: str):
    if column.choices is not None and value is not None:
        with translation.override("vi"):
            return str(column.choices(value).label)
    if value == "{code}":
        return commune_code
    return value


def _write_header(sheet, *, comments: bool) -> None:
    write_header(sheet, COLUMNS, fill=_HEADER_FILL, comments=comments, text_keys=TEXT_FORMATTED, comment_height=120)


def import_template_workbook(*, commune_code: str = "") -> bytes:
    """The template: an empty list to fill in, two example households, an explanation of every
    column and the lists behind its drop-downs. The explanations are in the page's language;
    headers and choices in Vietnamese (see the module docstring)."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    _write_header(data, comments=True)

    lists = workbook.create_sheet(LISTS_SHEET)
    choice_columns = [column for column in COLUMNS if column.choices is not None]
    for index, column in enumerate(choice_columns, start=1):
        labels = vietnamese_labels(column.choices)
        lists.cell(row=1, column=index, value=column.header).font = Font(bold=True)
        for row, label in enumerate(labels, start=2):
            lists.cell(row=row, column=index, value=label)
        lists.column_dimensions[get_column_letter(index)].width = 30
        letter = get_column_letter(index)
        # A drop-down that helps without refusing: other spellings are accepted too.
        validation = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}",
                                    allow_blank=True, showErrorMessage=False)
        target = get_column_letter(COLUMNS.index(column) + 1)
        validation.add(f"{target}2:{target}{max_rows() + 1}")
        data.add_data_validation(validation)

    example = workbook.create_sheet(EXAMPLE_SHEET, 1)
    _write_header(example, comments=False)
    for values in _EXAMPLE_ROWS:
        example.append([_example_value(column, values.get(column.key), commune_code or "28915")
                        for column in COLUMNS])
    for row in example.iter_rows(min_row=2):
        for cell in row:
            if COLUMNS[cell.column - 1].key in TEXT_FORMATTED:
                cell.number_format = "@"

    _write_help(workbook.create_sheet(HELP_SHEET, 2))
    return workbook_bytes(workbook)


def _write_help(sheet) -> None:
    household_columns = [column.header for column in HOUSEHOLD_COLUMNS]
    lines = [
        _("How to fill in the household list"),
        _("Fill in the sheet “%(sheet)s”: one row per person, the headers of row 1 unchanged.")
        % {"sheet": DATA_SHEET},
        _("Rows with the same “%(column)s” form one household. Give the household's details (columns “%(first)s” to "
          "“%(last)s”) on the head's row; on the other rows leave them empty or repeat them exactly.")
        % {"column": COLUMN["household_ref"].header, "first": household_columns[0], "last": household_columns[-1]},
        _("Choice columns take the values listed below, with or without diacritics."),
        _("The sheet “%(sheet)s” shows two example households.") % {"sheet": EXAMPLE_SHEET},
        _("Nothing is saved until every row is correct and you confirm the import. At most %(rows)s rows and "
          "%(size)s per file.") % {"rows": thousands(max_rows()), "size": megabytes(max_bytes())},
    ]
    write_help(sheet, lines, fill=_HEADER_FILL, widths=(26, 14, 70, 60),
               headings=(_("Column"), _("Required"), _("How to fill it in"), _("Allowed values")),
               rows=[_help_row(column) for column in COLUMNS])


def _help_row(column: Column) -> tuple:
    allowed = "; ".join(vietnamese_labels(column.choices)) if column.choices else ""
    required = _("yes") if column.required else ""
    if column.key in STATUS_KEYS:
        required = _("with a category")
    return column.header, required, str(column.help), allowed

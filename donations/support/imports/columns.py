"""The columns of a member organisation's list of recipients, and the headers each is found by
(Vietnamese, with or without diacritics, and English), as the bank statement's (donations.imports)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from frontwelfare.imports.reading import XLSX, TableSpec


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed Vietnamese, the template's: the organisations' lists are not translated
    help: str
    required: bool = False  # the header must be there (a cell may still be empty: see checking)
    aliases: tuple[str, ...] = ()
    width: int = 16
    text: bool = False  # formatted as text in the template (a code keeps its zeros)


COLUMNS = (
    Column("code", "Mã hộ", gettext_lazy("The household's code in the registry. Or leave it empty and write the "
                                         "head's name and the hamlet."), width=12, text=True, aliases=(
        "Mã hộ gia đình", "Mã HGĐ", "Mã số hộ", "Household code", "Household", "Code")),
    Column("head", "Họ tên chủ hộ", gettext_lazy("The head of household's full name, as in the registry (with or "
                                                  "without diacritics)."), required=True, width=26, aliases=(
        "Chủ hộ", "Tên chủ hộ", "Họ và tên chủ hộ", "Họ tên", "Họ và tên", "Head of household", "Household head",
        "Head's name", "Head", "Name", "Full name")),
    Column("hamlet", "Ấp", gettext_lazy("The household's hamlet (ấp, thôn, khu phố)."), width=18, aliases=(
        "Thôn", "Ấp/Thôn", "Thôn/Ấp", "Khu phố", "Hamlet", "Village")),
    Column("pupil", "Họ tên học sinh", gettext_lazy("For support given per pupil: the pupil's full name, a member "
                                                    "of the household."), width=26, aliases=(
        "Học sinh", "Tên học sinh", "Họ và tên học sinh", "Tên em", "Pupil", "Pupil's name", "Student",
        "Student name")),
    Column("value", "Giá trị (đồng)", gettext_lazy("What the line is worth, in whole đồng; empty: the batch's value."),
           width=14, aliases=("Giá trị", "Số tiền", "Số tiền (đồng)", "Mức hỗ trợ", "Value", "Amount")),
    Column("school", "Trường", gettext_lazy("The pupil's school."), width=24, aliases=(
        "Tên trường", "Trường học", "School")),
    Column("grade", "Lớp", gettext_lazy("The pupil's grade (e.g. 3 or 10A1)."), width=8, text=True, aliases=(
        "Khối lớp", "Grade", "Class")),
    Column("school_year", "Năm học", gettext_lazy("The school year, e.g. 2025-2026."), width=12, text=True, aliases=(
        "School year",)),
    Column("card_number", "Số thẻ BHYT", gettext_lazy("The health-insurance card's number."), width=18, text=True,
           aliases=("Số thẻ", "Mã thẻ BHYT", "Mã số BHYT", "Card number", "Insurance card number")),
    Column("card_valid_until", "Thẻ có giá trị đến", gettext_lazy("The card's last valid day, as dd/mm/yyyy."),
           width=14, text=True, aliases=("Hạn thẻ", "Giá trị đến", "Có giá trị đến", "Hạn sử dụng", "Valid until",
                                         "Card valid until")),
    Column("goods", "Hiện vật", gettext_lazy("What the household receives in kind (e.g. 10 kg gạo); empty: the "
                                             "batch's goods."), width=26, aliases=(
        "Hàng hóa", "Nội dung hỗ trợ", "Quà", "Goods", "What was given", "In kind")),
    Column("note", "Ghi chú", gettext_lazy("A note, kept with the reason the line was added."), width=20,
           aliases=("Note", "Notes")),
)
COLUMN = {column.key: column for column in COLUMNS}
DATA_SHEET = "Danh sách"
EXAMPLE_SHEET = "Ví dụ"
HELP_SHEET = "Hướng dẫn"
# An organisation's list often has its name and a title above the table.
HEADER_ROWS = 15

TABLE = TableSpec(
    columns=COLUMNS, sheet=DATA_SHEET, formats=(XLSX,), header_rows=HEADER_ROWS,
    wrong_format=gettext_lazy("This is not an Excel workbook (.xlsx). Save the list in Excel as “Excel Workbook "
                              "(.xlsx)” (or fill in the template) and upload it again."),
    missing_columns=gettext_lazy("No row among the first %(rows)s has the list's columns: %(columns)s are missing. "
                                 "Rename the list's headers as in the template, or copy its rows into it."),
)

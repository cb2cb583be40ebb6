"""The columns of the import file, and how a cell of each is read."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.imports.cells import DATE_DMY as _DATE_DMY
from frontwelfare.imports.cells import DATE_ISO as _DATE_ISO
from frontwelfare.imports.cells import CellError
from frontwelfare.imports.cells import as_date as _as_date
from frontwelfare.imports.cells import as_text as _as_text
from frontwelfare.imports.cells import blank as _blank
from frontwelfare.imports.cells import fold_key as _key
from frontwelfare.imports.cells import whole_number as _whole_number

from ..choices import (
    Category,
    Disability,
    Ethnicity,
    PolicyType,
    Relation,
    SchoolLevel,
    Sex,
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed Vietnamese: see the module docstring
    kind: str  # how a cell is read: text, code, date, birth, year, choice, choices, citizen_id, phone, insurance
    help: str
    required: bool = False
    household: bool = False
    choices: type[models.TextChoices] | None = None
    fields: tuple[str, ...] = ()  # the model fields it fills, to name the column in the model's errors
    aliases: tuple[str, ...] = ()  # other headers accepted for it
    width: int = 16


COLUMNS = (
    Column("household_ref", "Số hộ trong tệp", "text", gettext_lazy(
        "Any number or short text. The rows with the same number form one household; each row is one person."),
        required=True, width=10),
    Column("commune_code", "Mã xã", "code", gettext_lazy(
        "The GSO code of your commune, 5 digits (for example 28915). Only households of your own commune "
        "can be imported."), required=True, household=True, aliases=("Mã xã phường",), width=9),
    Column("hamlet", "Thôn/ấp", "text", gettext_lazy("The ấp, thôn or khu phố of the household."),
           required=True, household=True, fields=("hamlet",), aliases=("Ấp", "Thôn", "Thôn/ấp/khu phố")),
    Column("address", "Địa chỉ", "text", gettext_lazy("House number and street, if any."),
           household=True, fields=("address",), width=24),
    Column("household_phone", "Điện thoại hộ", "phone", gettext_lazy("The household's phone number, if any."),
           household=True, fields=("phone",), width=14),
    Column("consent_date", "Ngày đồng ý xử lý dữ liệu", "date", gettext_lazy(
        "The date the household agreed to the processing of its personal data, as dd/mm/yyyy."),
        required=True, household=True, fields=("consent_date",), width=14),
    Column("consent_purpose", "Mục đích xử lý dữ liệu", "text", gettext_lazy(
        "What the personal data will be used for, as written in the household's consent."),
        required=True, household=True, fields=("consent_purpose",), width=28),
    Column("categories", "Diện hộ", "choices", gettext_lazy(
        "The household's category in the year of the next column. Two categories are separated by a comma; "
        "a household is poor, near-poor or newly escaped poverty, not two of them."),
        household=True, choices=Category, fields=("category",), width=22),
    Column("category_year", "Năm xét", "year", gettext_lazy(
        "The year the category is for, for example 2025. Needed when a category is given."),
        household=True, fields=("year",), width=8),
    Column("decision_number", "Số quyết định", "text", gettext_lazy(
        "The number of the commune's decision recognising the category, for example 12/QĐ-UBND."),
        household=True, fields=("decision_number",), width=14),
    Column("decision_date", "Ngày quyết định", "date", gettext_lazy("The date of that decision, as dd/mm/yyyy."),
           household=True, fields=("decision_date",), width=14),
    Column("policy_types", "Gia đình chính sách", "choices", gettext_lazy(
        "Policy-family types, separated by commas; empty when none."),
        household=True, choices=PolicyType, fields=("policy_type",), width=22),
    Column("full_name", "Họ và tên", "text", gettext_lazy("The person's full name, with diacritics."),
           required=True, fields=("full_name", "full_name_folded"), aliases=("Họ tên",), width=24),
    Column("birth", "Ngày sinh hoặc năm sinh", "birth", gettext_lazy(
        "The date of birth as dd/mm/yyyy, or only the year of birth when the date is not known."),
        required=True, fields=("birth_date", "birth_year"), aliases=("Ngày sinh", "Năm sinh", "Ngày/năm sinh"),
        width=14),
    Column("sex", "Giới tính", "choice", gettext_lazy("Male or female."), required=True, choices=Sex,
           fields=("sex",), width=9),
    Column("relation", "Quan hệ với chủ hộ", "choice", gettext_lazy(
        "Exactly one person of each household is the head of household."),
        required=True, choices=Relation, fields=("relation",), aliases=("Quan hệ",), width=18),
    Column("citizen_id", "Số CCCD", "citizen_id", gettext_lazy(
        "The 12 digits of the citizen ID card, as text so that Excel keeps the leading 0 (the column of the "
        "template is formatted as text). An 11-digit number whose 0 Excel dropped is given its 0 back."),
        fields=("citizen_id",), aliases=("CCCD", "Căn cước công dân", "Số định danh cá nhân"), width=15),
    Column("ethnicity", "Dân tộc", "choice", gettext_lazy("The ethnic group; empty means Kinh."),
           choices=Ethnicity, fields=("ethnicity",), width=10),
    Column("disability", "Khuyết tật", "choice", gettext_lazy("The level of disability; empty means none."),
           choices=Disability, fields=("disability",), aliases=("Mức độ khuyết tật",), width=18),
    Column("school_level", "Đang đi học", "choice", gettext_lazy(
        "The school the person attends; empty means not a pupil or student."),
        choices=SchoolLevel, fields=("school_level",), aliases=("Cấp học",), width=18),
    Column("health_insurance_number", "Số thẻ BHYT", "insurance", gettext_lazy(
        "2 capital letters and 13 digits, or the 10-digit social insurance number."),
        fields=("health_insurance_number",), aliases=("BHYT", "Thẻ BHYT"), width=17),
    Column("phone", "Điện thoại", "phone", gettext_lazy("The person's own phone number, if any."),
           fields=("phone",), aliases=("Số điện thoại",), width=13),
)
COLUMN = {column.key: column for column in COLUMNS}
HOUSEHOLD_COLUMNS = [column for column in COLUMNS if column.household]
MEMBER_COLUMNS = [column for column in COLUMNS if not column.household and column.key != "household_ref"]
STATUS_KEYS = ("categories", "category_year", "decision_number", "decision_date")
# Formatted as text in the template, so that Excel keeps what is typed: the leading 0 of an ID
# or a phone number, and dates as dd/mm/yyyy whatever the computer's regional settings (a year
# typed into a date-formatted cell would become a day of 1905).
TEXT_FORMATTED = ("household_ref", "commune_code", "consent_date", "decision_number", "decision_date", "birth",
                  "citizen_id", "household_phone", "phone", "health_insurance_number")

# The words officers write on paper for some choices, beside the labels of choices.py.
_ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Sex: {"Nam": Sex.MALE, "Nữ": Sex.FEMALE},
    Relation: {
        "Chủ hộ": Relation.HEAD, "Vợ": Relation.SPOUSE, "Chồng": Relation.SPOUSE, "Vợ/chồng": Relation.SPOUSE,
        "Con": Relation.CHILD, "Con trai": Relation.CHILD, "Con gái": Relation.CHILD, "Con nuôi": Relation.CHILD,
        "Bố": Relation.PARENT, "Mẹ": Relation.PARENT, "Cha": Relation.PARENT, "Cha/mẹ": Relation.PARENT,
        "Cháu nội": Relation.GRANDCHILD, "Cháu ngoại": Relation.GRANDCHILD,
        "Ông nội": Relation.GRANDPARENT, "Bà nội": Relation.GRANDPARENT, "Ông ngoại": Relation.GRANDPARENT,
        "Bà ngoại": Relation.GRANDPARENT, "Anh": Relation.SIBLING, "Chị": Relation.SIBLING, "Em": Relation.SIBLING,
        "Anh chị em": Relation.SIBLING, "Con dâu": Relation.CHILD_IN_LAW, "Con rể": Relation.CHILD_IN_LAW,
        "Họ hàng": Relation.OTHER_RELATIVE, "Khác": Relation.OTHER,
    },
    Disability: {"Không": Disability.NONE, "Đặc biệt nặng": Disability.ESPECIALLY_SEVERE,
                 "Nặng": Disability.SEVERE, "Nhẹ": Disability.MILD},
    SchoolLevel: {
        "Không": SchoolLevel.NONE, "Mầm non": SchoolLevel.PRESCHOOL, "Tiểu học": SchoolLevel.PRIMARY,
        "THCS": SchoolLevel.LOWER_SECONDARY, "Trung học cơ sở": SchoolLevel.LOWER_SECONDARY,
        "THPT": SchoolLevel.UPPER_SECONDARY, "Trung học phổ thông": SchoolLevel.UPPER_SECONDARY,
        "Trung cấp": SchoolLevel.VOCATIONAL, "Học nghề": SchoolLevel.VOCATIONAL,
        "Cao đẳng": SchoolLevel.UNIVERSITY, "Đại học": SchoolLevel.UNIVERSITY,
    },
    Category: {
        "Hộ nghèo": Category.POOR, "Nghèo": Category.POOR, "Hộ cận nghèo": Category.NEAR_POOR,
        "Cận nghèo": Category.NEAR_POOR, "Hộ mới thoát nghèo": Category.ESCAPED_POVERTY,
        "Mới thoát nghèo": Category.ESCAPED_POVERTY, "Hộ có hoàn cảnh khó khăn": Category.DIFFICULT,
        "Hoàn cảnh khó khăn": Category.DIFFICULT,
    },
    PolicyType: {
        "Gia đình liệt sĩ": PolicyType.MARTYR_FAMILY, "Liệt sĩ": PolicyType.MARTYR_FAMILY,
        "Thương binh": PolicyType.WAR_INVALID, "Bệnh binh": PolicyType.SICK_SOLDIER,
        "Bà mẹ Việt Nam anh hùng": PolicyType.HEROIC_MOTHER, "Người có công": PolicyType.REVOLUTIONARY_CONTRIBUTOR,
        "Người có công với cách mạng": PolicyType.REVOLUTIONARY_CONTRIBUTOR,
        "Chất độc da cam": PolicyType.AGENT_ORANGE, "Nạn nhân chất độc da cam": PolicyType.AGENT_ORANGE,
    },
    Ethnicity: {"Việt": Ethnicity.KINH, "Khmer": Ethnicity.KHMER, "Mông": Ethnicity.HMONG,
                "Ê Đê": Ethnicity.E_DE, "Bru Vân Kiều": Ethnicity.BRU_VAN_KIEU},
}


@cache
def _choice_map(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling of ``choices``, folded, to its stored value. The Vietnamese
    label is added last, so it wins over any alias that folds the same."""
    accepted = {}
    for value, label in choices.choices:
        accepted[_key(value)] = value
        with translation.override("en"):
            accepted[_key(str(label))] = value
        if choices is Ethnicity:
            accepted[str(int(value))] = value
    accepted.update({_key(alias): str(value) for alias, value in _ALIASES.get(choices, {}).items()})
    with translation.override("vi"):
        accepted.update({_key(str(label)): value for value, label in choices.choices})
    accepted.pop("", None)
    return accepted


def vietnamese_labels(choices: type[models.TextChoices]) -> list[str]:
    """The labels the template offers, in Vietnamese whatever the page's language (the file
    is in Vietnamese); an empty choice is left out, as an empty cell says it."""
    with translation.override("vi"):
        return [str(label) for value, label in choices.choices if value]


def _as_birth(value) -> tuple[date | None, int | None]:
    if _blank(value):
        return None, None
    number = _whole_number(value)
    text = _as_text(value)
    if (number is not None and 1000 <= number <= 9999) or re.fullmatch(r"\d{4}", text):
        return None, int(text)
    if not isinstance(value, date) and not _DATE_DMY.fullmatch(text) and not _DATE_ISO.fullmatch(text):
        raise CellError(_("“%(value)s” is neither a date of birth (dd/mm/yyyy) nor a year of birth (for example "
                          "1985).") % {"value": text})
    born = _as_date(value)
    return born, born.year


def _as_year(value) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, datetime | date):
        return value.year
    text = _as_text(value)
    if not re.fullmatch(r"\d{4}", text):
        raise CellError(_("“%(value)s” is not a year; write its four digits, for example 2025.") % {"value": text})
    return int(text)


def _as_choice(value, choices: type[models.TextChoices]) -> str:
    text = _as_text(value)
    if not text:
        return ""
    found = _choice_map(choices).get(_key(text))
    if found is None:
        raise CellError(_("“%(value)s” is not one of the allowed values: %(allowed)s.")
                        % {"value": text, "allowed": ", ".join(vietnamese_labels(choices))})
    return found


def _as_choices(value, choices: type[models.TextChoices]) -> tuple[str, ...]:
    parts = [part for part in re.split(r"[,;\n]", _as_text(value)) if part.strip()]
    return tuple(sorted({_as_choice(part, choices) for part in parts}))


def _as_citizen_id(value) -> str:
    number = _whole_number(value)
    if number is not None:
        digits = str(number)
        # Every citizen ID starts with 0: eleven digits are twelve whose 0 Excel dropped.
        return f"0{digits}" if len(digits) == 11 else digits
    return "".join(_as_text(value).split())


def _as_phone(value) -> str:
    number = _whole_number(value)
    if number is not None:
        digits = str(number)
        # Vietnamese numbers start with 0 (mobile 10 digits, landline 11): Excel drops it.
        return f"0{digits}" if len(digits) in (9, 10) else digits
    return _as_text(value)


def _as_insurance(value) -> str:
    number = _whole_number(value)
    if number is not None:
        digits = str(number)
        return digits.zfill(10) if len(digits) == 9 else digits
    return "".join(_as_text(value).split()).upper()


def _as_code(value) -> str:
    number = _whole_number(value)
    return f"{number:05d}" if number is not None else _as_text(value)


def read_cell(column: Column, value):
    """The value of a cell for ``column``; raises CellError with a message for the officer."""
    kind = column.kind
    if kind in ("choice", "choices"):
        return (_as_choice if kind == "choice" else _as_choices)(value, column.choices)
    reader = {"text": _as_text, "code": _as_code, "date": _as_date, "birth": _as_birth, "year": _as_year,
              "citizen_id": _as_citizen_id, "phone": _as_phone, "insurance": _as_insurance}[kind]
    return reader(value)


def _empty(value) -> bool:
    return value in (None, "", ()) or value == (None, None)

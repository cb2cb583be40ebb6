"""Checks on the fields of a member that are more than a format: the citizen ID's structure."""

from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import legacy

from .choices import Sex


@cache
def citizen_id_province_codes() -> frozenset[str]:
    """The first three digits a citizen ID may start with: "0" + a province's GSO code.

    Citizen IDs name the province of birth registration as it was when they were issued,
    so they use the 63 provinces from before the July 2025 merger (codes 001 to 096).
    """
    return frozenset(f"0{province.code:0>2}" for province in legacy.Province.iter_all())


def _century_sex_digit(*, sex: str, birth_year: int) -> int:
    """Circular 59/2021/TT-BCA: 0/1 for a man/woman born in the 1900s, 2/3 in the 2000s,
    and so on by two per century."""
    century_offset = (birth_year // 100 - 19) * 2
    return century_offset + (1 if sex == Sex.FEMALE else 0)


def validate_citizen_id_format(value: str) -> None:
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("A citizen ID has exactly 12 digits."), code="citizen_id_format")
    if value[:3] not in citizen_id_province_codes():
        raise ValidationError(
            _("A citizen ID starts with a province code; %(code)s is not one.") % {"code": value[:3]},
            code="citizen_id_province",
        )


def citizen_id_mismatch(*, citizen_id: str, sex: str, birth_year: int | None) -> str | None:
    """Why ``citizen_id`` cannot belong to a person of ``sex`` born in ``birth_year``, or None.

    The 4th digit encodes sex and century of birth, the 5th and 6th the last two digits of
    the birth year: an ID that disagrees with them was typed wrong, or belongs to someone else.
    """
    if birth_year is None or not sex or len(citizen_id) != 12 or not citizen_id.isdigit():
        return None
    if not 1900 <= birth_year <= 2399:
        return None
    expected = _century_sex_digit(sex=sex, birth_year=birth_year)
    if int(citizen_id[3]) != expected:
        return str(
            _("The 4th digit of the citizen ID should be %(digit)s for a %(sex)s born in %(year)s.")
            % {"digit": expected, "sex": Sex(sex).label.lower(), "year": birth_year}
        )
    if citizen_id[4:6] != f"{birth_year % 100:02d}":
        return str(
            _("Digits 5 and 6 of the citizen ID should be %(digits)s, the last two digits of the birth year.")
            % {"digits": f"{birth_year % 100:02d}"}
        )
    return None

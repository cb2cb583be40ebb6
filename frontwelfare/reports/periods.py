"""Report periods: a month, a quarter, six months, a year, or any dates from one to another."""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """How a report's title names the period: "tháng 6 năm 2025", "quý II năm 2025"..."""
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("month %(month)s of %(year)s") % {"month": self.start.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            return _("quarter %(quarter)s of %(year)s") % {"quarter": ROMAN[(self.start.month - 1) // 3], "year": year}
        if self.kind == PeriodKind.HALF_YEAR:
            first_half = self.start.month == 1
            return (_("the first six months of %(year)s") if first_half
                    else _("the last six months of %(year)s")) % {"year": year}
        if self.kind == PeriodKind.YEAR:
            return _("the year %(year)s") % {"year": year}
        return _("%(start)s to %(end)s") % {"start": self.start.strftime("%d/%m/%Y"),
                                             "end": self.end.strftime("%d/%m/%Y")}


ROMAN = ("I", "II", "III", "IV")


def month(year: int, number: int) -> Period:
    return Period(PeriodKind.MONTH, datetime.date(year, number, 1),
                  datetime.date(year, number, calendar.monthrange(year, number)[1]))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(PeriodKind.QUARTER, datetime.date(year, first, 1), month(year, first + 2).end)


def half_year(year: int, number: int) -> Period:
    first = 1 if number == 1 else 7
    return Period(PeriodKind.HALF_YEAR, datetime.date(year, first, 1), month(year, first + 5).end)


def year(number: int) -> Period:
    return Period(PeriodKind.YEAR, datetime.date(number, 1, 1), datetime.date(number, 12, 31))


def date_range(start: datetime.date, end: datetime.date) -> Period:
    return Period(PeriodKind.RANGE, start, end)


def previous(period: Period) -> Period:
    """The period a year-end report compares ``period`` with: the same month, quarter, six months or
    year one year before; for dates from one to another, as many days just before them (a report on
    2014-2024 is compared with the eleven years before)."""
    if period.kind == PeriodKind.RANGE:
        length = period.end - period.start
        end = period.start - datetime.timedelta(days=1)
        return date_range(end - length, end)
    return Period(period.kind, _a_year_before(period.start), _a_year_before(period.end))


def _a_year_before(day: datetime.date) -> datetime.date:
    # 29 February a year before is the 28th.
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


def previous_month(today: datetime.date) -> Period:
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return month(last_day.year, last_day.month)


def previous_quarter(today: datetime.date) -> Period:
    current = (today.month - 1) // 3 + 1
    return quarter(today.year, current - 1) if current > 1 else quarter(today.year - 1, 4)


# -- a period from the fields of the request form (and of the API) ---------------------------------

# The first year a report may be about: the registry holds nothing older.
FIRST_YEAR = 2000
# The fields that name each kind of period (the page shows those of the kind chosen).
PERIOD_FIELDS = {
    PeriodKind.MONTH: ("year", "month"),
    PeriodKind.QUARTER: ("year", "quarter"),
    PeriodKind.HALF_YEAR: ("year", "half"),
    PeriodKind.YEAR: ("year",),
    PeriodKind.RANGE: ("period_start", "period_end"),
}
# How many of each numbered period a year has: the choices 1..n of its field.
IN_A_YEAR = {"month": 12, "quarter": 4, "half": 2}
_NUMBERED = {PeriodKind.MONTH: (month, "month"), PeriodKind.QUARTER: (quarter, "quarter"),
             PeriodKind.HALF_YEAR: (half_year, "half")}


def period_from_fields(period_kind: str, values: Mapping, *, today: datetime.date) -> Period:
    """The period that ``values`` (year, month, quarter, half, period_start, period_end, as parsed
    by the form or the API) describe for ``period_kind``; the fields of other kinds are ignored.

    Raises ValidationError keyed by field: a field the kind needs is missing, the dates are out of
    order, or the period has not started (on the field that sets its start, which the page shows).
    The numbers are taken as checked already (1..IN_A_YEAR, FIRST_YEAR..)."""
    missing = [name for name in PERIOD_FIELDS[period_kind] if values.get(name) is None]
    if missing:
        required = forms.Field.default_error_messages["required"]
        raise ValidationError({name: ValidationError(required, code="required") for name in missing})
    if period_kind == PeriodKind.RANGE:
        start, end = values["period_start"], values["period_end"]
        if end < start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        period = date_range(start, end)
    elif period_kind == PeriodKind.YEAR:
        period = year(values["year"])
    else:
        build, number = _NUMBERED[period_kind]
        period = build(values["year"], values[number])
    if period.start > today:
        field = "period_start" if period_kind == PeriodKind.RANGE else PERIOD_FIELDS[period_kind][-1]
        raise ValidationError({field: _("The period has not started yet.")})
    return period

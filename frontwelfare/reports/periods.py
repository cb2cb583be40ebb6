"""Report periods: a month, a quarter, six months, a year, or any dates from one to another."""

import calendar
import datetime
from dataclasses import dataclass

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


def previous_month(today: datetime.date) -> Period:
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return month(last_day.year, last_day.month)


def previous_quarter(today: datetime.date) -> Period:
    current = (today.month - 1) // 3 + 1
    return quarter(today.year, current - 1) if current > 1 else quarter(today.year - 1, 4)

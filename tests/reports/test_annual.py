"""The year-end report (frontwelfare.reports.annual): every domain's sections in the report's order,
under numbered parts, each table after its totals beside the previous period's and the change
(frontwelfare.reports.comparison)."""

import datetime

import pytest
from django.utils import translation

from frontwelfare.reports import figures, periods, registry
from frontwelfare.reports.annual import ANNUAL_REPORT, PARTS
from frontwelfare.reports.comparison import compared, comparison_table
from frontwelfare.reports.data import COUNT, MONEY, PERCENT, TEXT, Column, Section
from households.choices import Category

from ..households.factories import HouseholdFactory, HouseholdStatusFactory

YEAR_2025, YEAR_2024 = periods.year(2025), periods.year(2024)


def _table(title: str, total: list, *, columns=None) -> Section:
    columns = columns or [Column("Đơn vị", TEXT), Column("Hộ nghèo"), Column("Tiền", MONEY), Column("Tỷ lệ", PERCENT)]
    return Section(title=title, columns=columns, rows=[["Xã A", *total[1:]]], total=total)


@pytest.mark.parametrize(("period", "expected"), [
    (periods.year(2025), periods.year(2024)),
    (periods.quarter(2025, 1), periods.quarter(2024, 1)),
    (periods.month(2024, 2), periods.month(2023, 2)),
    # Ten years from 2014 are compared with the eleven years before, as many days.
    (periods.date_range(datetime.date(2014, 1, 1), datetime.date(2024, 12, 31)),
     periods.date_range(datetime.date(2003, 1, 1), datetime.date(2013, 12, 31))),
])
def test_a_period_is_compared_with_the_same_period_a_year_before_or_the_days_just_before(period, expected):
    assert periods.previous(period) == expected


def test_the_last_day_of_february_in_a_leap_year_is_compared_with_the_28th():
    day = datetime.date(2024, 2, 29)
    assert periods.previous(periods.date_range(day, day)).end == datetime.date(2024, 2, 28)
    assert periods.previous(periods.Period("month", datetime.date(2024, 2, 1), day)).end == datetime.date(2023, 2, 28)


def test_a_tables_totals_are_set_beside_the_previous_periods_with_the_change():
    now = _table("Hộ theo diện", ["Tổng cộng", 120, 30_000_000, 40])
    before = _table("Hộ theo diện", ["Tổng cộng", 150, 20_000_000, 50])

    with translation.override("en"):
        comparison = comparison_table(now, before, period=YEAR_2025, before=YEAR_2024)

    assert [column.label for column in comparison.columns] == [
        "Figure", "The year 2025", "The year 2024", "Up or down", "Up or down (%)"]
    # The percentage column is a share, not a quantity: it is not compared.
    assert comparison.rows == [["Hộ nghèo", 120, 150, -30, -20.0],
                               ["Tiền (dong)", 30_000_000, 20_000_000, 10_000_000, 50.0]]
    assert comparison.intro == ("Compared with the year 2024: Hộ nghèo 120 (down 30); "
                                "Tiền 30.000.000 ₫ (up 10.000.000 ₫).")


def test_a_figure_that_is_nothing_in_both_periods_is_left_out_and_a_table_of_nothing_is_not_compared():
    now = _table("Hộ theo diện", ["Tổng cộng", 0, 5, None])
    before = _table("Hộ theo diện", ["Tổng cộng", 0, 0, None])

    comparison = comparison_table(now, before, period=YEAR_2025, before=YEAR_2024)

    assert [row[1:4] for row in comparison.rows] == [[5, 0, 5]]
    assert comparison.rows[0][4] is None  # no share of nothing
    assert comparison_table(before, before, period=YEAR_2025, before=YEAR_2024) is None


def test_a_table_missing_from_the_previous_period_is_compared_with_nothing_and_one_without_totals_not_at_all():
    campaign = _table("Thu theo cuộc vận động", ["Tổng cộng", 3, 1_000, None])
    states = Section(title="Theo trạng thái", columns=[Column("Mô hình", TEXT), Column("Số", COUNT)],
                     rows=[["A", 1]])

    tables = compared([campaign, states], [], period=YEAR_2025, before=YEAR_2024)

    assert [table.title for table in tables][1:] == ["Thu theo cuộc vận động", "Theo trạng thái"]
    assert [row[1:3] for row in tables[0].rows] == [[3, 0], [1_000, 0]]


def test_the_same_totals_by_another_breakdown_are_compared_once():
    by_unit = _table("Mô hình theo đơn vị", ["Tổng cộng", 6, 0, None])
    by_field = _table("Mô hình theo lĩnh vực", ["Tổng cộng", 6, 0, None])

    tables = compared([by_unit, by_field], [], period=YEAR_2025, before=YEAR_2024)

    assert [table.title for table in tables][1:] == ["Mô hình theo đơn vị", "Mô hình theo lĩnh vực"]


def test_the_year_end_report_lists_every_domain_in_the_order_of_a_committees_report():
    spec = registry.kind(ANNUAL_REPORT)

    assert spec.compare_previous
    assert [name.split(".")[0] for name in spec.sections] == (
        ["households"] * 3 + ["housing"] * 3 + ["donations"] * 8 + ["models_registry"] * 3)
    assert [section.name for section in registry.sections_of(spec)] == list(spec.sections)
    assert [first for first, _heading in spec.part_headings] == [names[0] for _heading, names in PARTS]


@pytest.mark.django_db
def test_the_year_end_report_numbers_its_parts_and_compares_each_table_with_the_year_before(world):
    for year, poor in ((2024, 3), (2025, 1)):
        for _ in range(poor):
            HouseholdStatusFactory(household=HouseholdFactory(commune=world.commune), category=Category.POOR,
                                   year=year, decision_date=datetime.date(year, 3, 1))
    context = figures.report_context(unit=world.district, period=YEAR_2025)

    with translation.override("vi"):
        sections = figures.report_sections(registry.kind(ANNUAL_REPORT), context, progress=lambda percent: None)

    headings = [section.title for section in sections if not section.columns]
    assert [heading.split(".")[0] for heading in headings] == ["I", "II", "III", "IV", "V", "VI"]
    assert headings[0] == "I. HỘ NGHÈO, CẬN NGHÈO VÀ GIA ĐÌNH CHÍNH SÁCH"
    comparison, categories = sections[1], sections[2]
    assert categories.title == "Hộ theo diện"
    assert comparison.title == "Hộ theo diện: so với năm 2024"
    assert comparison.rows[0] == ["Hộ nghèo", 1, 3, -2, -66.7]
    assert comparison.intro == "So với năm 2024: Hộ nghèo 1 (giảm 2)."

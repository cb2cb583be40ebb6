"""Money and dates the way Vietnamese officials write them, in both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from frontwelfare.templatetags.frontwelfare import number, vnd
from frontwelfare.text import fold_diacritics


@pytest.mark.parametrize(("amount", "text"), [
    (30_000_000, "30.000.000 ₫"), (60_000_000, "60.000.000 ₫"), (0, "0 ₫"), (999, "999 ₫"),
    (1_000, "1.000 ₫"), (-1_500_000, "-1.500.000 ₫"), (110_000_000_000, "110.000.000.000 ₫"),
])
def test_amounts_print_in_whole_dong_with_dots(amount, text):
    assert vnd(amount) == text


def test_counts_print_with_dots():
    assert number(10051) == "10.051"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_print_day_month_year_in_both_languages(language):
    with translation.override(language):
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": datetime.date(2025, 6, 30)}))
    assert rendered == "30/06/2025"


@pytest.mark.parametrize(("text", "folded"), [
    ("Nguyễn Văn An", "nguyen van an"), ("Đặng Thị Đào", "dang thi dao"),
    ("Huyện Mỏ Cày Bắc", "huyen mo cay bac"), ("  Tỉnh   Lâm Đồng ", "tinh lam dong"),
])
def test_names_fold_without_diacritics(text, folded):
    assert fold_diacritics(text) == folded

"""The shared form fields: amounts in dong typed the way officials type them."""

import pytest
from django.core.exceptions import ValidationError

from frontwelfare.forms import VndField


@pytest.mark.parametrize(("typed", "dong"), [
    ("60.000.000", 60_000_000), ("60,000,000", 60_000_000), ("60 000 000", 60_000_000),
    ("60.000.000 ₫", 60_000_000), ("60000000", 60_000_000), ("60.000.000 VND", 60_000_000), ("500", 500),
    ("1.500.000đ", 1_500_000),
])
def test_amounts_typed_with_any_grouping_are_read_as_whole_dong(typed, dong):
    assert VndField().clean(typed) == dong


@pytest.mark.parametrize("typed", [
    "20.000.000,5", "20,000,000.50", "20.000.000,00", "1.5", "60.000,000", "6.00.000", "mười triệu", "60.000.0000",
])
def test_a_decimal_part_or_a_broken_grouping_is_refused_not_guessed(typed):
    # "20.000.000,5" read by dropping the separators would be 200.000.005 ₫.
    with pytest.raises(ValidationError) as error:
        VndField().clean(typed)
    assert error.value.error_list[0].code == "invalid"


def test_a_negative_amount_is_refused(english):
    with pytest.raises(ValidationError) as error:
        VndField().clean("-5.000")
    assert error.value.error_list[0].code == "min_value"

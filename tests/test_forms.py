"""The shared form fields: amounts in dong typed the way officials type them."""

import datetime

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


# -- dates: dd/mm/yyyy whatever the browser's language -----------------------------------------------

def _date_form():
    from django import forms

    from frontwelfare.forms import BootstrapMixin

    class DayForm(BootstrapMixin, forms.Form):
        day = forms.DateField()  # no widget said: the mixin gives every date field the same one

    return DayForm


@pytest.mark.parametrize("typed", ["12/02/2026", "12022026", "12.02.2026", "12-2-2026", "2026-02-12", " 12/2/2026 "])
def test_a_date_is_read_as_day_month_year_in_every_shape_it_is_typed(typed, english):
    form = _date_form()({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 2, 12)


@pytest.mark.parametrize("typed", ["31/02/2026", "12/13/2026", "02/30/2026", "1202202", "12 February"])
def test_a_date_that_does_not_exist_is_refused_saying_how_to_write_one(typed, english):
    form = _date_form()({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Enter a date that exists, as dd/mm/yyyy: for example 30/06/2025."]


def test_a_date_box_is_text_on_the_digit_keypad_and_shows_day_month_year(english):
    html = str(_date_form()(initial={"day": datetime.date(2026, 2, 12)})["day"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'value="12/02/2026"' in html


def _our_form_classes():
    from django import forms

    import frontwelfare.reports.forms  # noqa: F401 - their form classes are found as subclasses below
    import households.forms
    import households.views.transfer
    import housing.forms

    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("households", "housing", "frontwelfare"):
            found.append(cls)
    assert households.forms and households.views.transfer and housing.forms
    return found


def test_every_date_field_of_every_form_and_filter_gets_the_day_month_year_box():
    from django import forms
    from django_filters import FilterSet

    from frontwelfare.filters import StyledFilterSet
    from frontwelfare.forms import BootstrapMixin, DateInput
    from housing.forms import step_form_class
    from housing.workflow import STEPS

    with_dates = [cls for cls in _our_form_classes()
                  if any(isinstance(field, forms.DateField) for field in cls.base_fields.values())]
    assert len(with_dates) >= 6, "households, members, statuses, assessments, review, programmes, cases, reports"
    assert [cls for cls in with_dates if not issubclass(cls, BootstrapMixin)] == []

    step_dates = 0
    for step in STEPS.values():
        for field in step_form_class(step)().fields.values():
            if isinstance(field, forms.DateField):
                assert isinstance(field.widget, DateInput) and field.widget.input_type == "text", step.name
                step_dates += 1
    assert step_dates >= 7, "survey, start, completion, handover and the decisions' days"

    filtersets, todo = [], [FilterSet]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        filtersets.append(cls)
    for cls in filtersets:
        if any(issubclass(f.field_class, forms.DateField) for f in cls.base_filters.values()):
            assert issubclass(cls, StyledFilterSet), cls

"""Form pieces shared by every app's pages: widgets for phones, Bootstrap classes, money in VND."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest amount a form accepts: a trillion dong, far above any house or fund entry, and
# far below what a BigIntegerField holds.
MAX_VND = 10**12


class DateInput(forms.DateInput):
    """The phone's own date picker; it sends ISO dates, which Django always accepts."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class BootstrapMixin:
    """Bootstrap classes on every widget, and attributes that help phone keyboards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class VndField(forms.IntegerField):
    """Whole dong, typed the way officials write it: "60.000.000", "60 000 000", "60,000,000 ₫"
    or "60000000". Separators and the currency sign are dropped; a decimal part is refused,
    because VND has no minor unit."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a whole number of dong, for example 60.000.000."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_VND)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text box with the numeric keypad: type="number" would refuse the dots people type.
        return {"inputmode": "numeric", "autocomplete": "off"}

    # Digits grouped by threes with one kind of separator ("60.000.000", "60,000,000",
    # "60 000 000"), or none at all. Anything after the last group of three is a decimal part:
    # "20.000.000,5" must not become 200.000.005 ₫.
    GROUPED = re.compile(r"-?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*|-?\d+")

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"₫|VND|đ", "", value, flags=re.IGNORECASE).strip()
            if value and not self.GROUPED.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = re.sub(r"[\s.,]", "", value)
        return super().to_python(value)


def add_service_error(form, error: ValidationError) -> None:
    """Put what a service refused on ``form``: on the field it names when the form has that
    field, at the top of the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)

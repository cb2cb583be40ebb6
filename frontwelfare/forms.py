"""Form pieces shared by every app's pages: widgets for phones, Bootstrap classes, money in VND."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The largest amount a form accepts: a trillion dong, far above any house or fund entry, and
# far below what a BigIntegerField holds.
MAX_VND = 10**12


class QuickSelect(forms.Select):
    """A single select rendered in Python, straight from its choices. Django builds a dictionary and
    renders a template for each option, about 0.1 ms apiece: the unit filter of a province (170
    options) or of the administrator (760) cost a list page 20 to 80 ms. Same markup as
    forms.Select for a select without groups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option, mark_safe(" selected") if str(option) in chosen else "", label)
             for option, label in self.choices))
        attributes = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return format_html("<select{}>{}</select>", flatatt(attributes), options)


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the phone's language.

    Not ``type="date"``: the browser shows and reads that in the phone's locale (12/02/2026 is
    12 February on an English phone), and the page cannot change it. A text box with the digit
    keypad instead; ``frontwelfare/dates.js`` adds the slashes while typing, and the server also
    takes the eight digits alone ("12022026"), dots or dashes, and ISO dates.
    """

    input_type = "text"
    format = "%d/%m/%Y"
    # Checked by the browser before sending: the shapes value_from_datadict takes (with the
    # slashes escaped, as Chromium reads patterns with the "v" flag).
    PATTERN = r"\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2}"
    DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")
    SEPARATED = re.compile(r"(\d{1,2})[.\-](\d{1,2})[.\-](\d{4})")

    def __init__(self, attrs=None):
        super().__init__(attrs={
            "inputmode": "numeric", "placeholder": _("dd/mm/yyyy"), "autocomplete": "off", "maxlength": "10",
            "pattern": self.PATTERN, "data-date-input": "", **(attrs or {}),
        }, format=self.format)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            value = value.strip()
            found = self.DIGITS.fullmatch(value) or self.SEPARATED.fullmatch(value)
            if found:
                value = "/".join(found.groups())
        return value


DATE_INVALID = _("Enter a date that exists, as dd/mm/yyyy: for example 30/06/2025.")


def as_vietnamese_date(field: forms.Field) -> None:
    """Make a date field of any form (page form or filter) typed and read as dd/mm/yyyy."""
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        if not isinstance(field.widget, DateInput):
            field.widget = DateInput(attrs={"class": field.widget.attrs.get("class", "form-control")})
        field.error_messages = {**field.error_messages, "invalid": DATE_INVALID}


class BootstrapMixin:
    """Bootstrap classes on every widget, and attributes that help phone keyboards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            as_vietnamese_date(field)
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


# Django's Vietnamese catalogue leaves this one empty: a form field with a NUL character (one in a
# multipart post, which the NUL middleware leaves to the form) says it in the project's catalogue,
# under Django's msgid (marked here for makemessages; LOCALE_PATHS comes before Django's own).
DJANGO_MESSAGES = (gettext_noop("Null characters are not allowed."),)

import datetime

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import QuickSelect, as_vietnamese_date


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form fields carry Bootstrap's classes, for the list pages.

    ``page_fields`` names the filters a person sees on the page; the others (ids meant for
    the API) stay hidden there but still apply when present in the query string.
    """

    page_fields: tuple[str, ...] | None = None

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            as_vietnamese_date(field)
            if self.page_fields is not None and name not in self.page_fields:
                field.widget = forms.HiddenInput()
                continue
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

    @property
    def more_filters_set(self) -> bool:
        """Whether a filter after the first (the search box) is set: on a phone the page folds
        those away behind a button, and keeps them open when one of them is in use."""
        names = [field.name for field in self.form.visible_fields()][1:]
        return any(self.data.get(name) not in (None, "") for name in names)


class _UnitNames(ModelChoiceIterator):
    """A unit filter's options as (id, name) read straight from the rows: the administrator's
    filter has 760 units, and building a model instance for each cost a list page 10 ms."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class _UnitChoiceField(ModelChoiceField):
    iterator = _UnitNames


class UnitFilter(django_filters.ModelChoiceFilter):
    """A filter by one unit of ``queryset`` (units_to_filter_by), shown by name."""

    field_class = _UnitChoiceField


def units_to_filter_by(request):
    """The units a viewer may narrow the list to: their own and those below it. The
    administrator gets provinces and districts (the communes would be 13,000 options)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return AdministrativeUnit.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return AdministrativeUnit.objects.filter(era=Era.LEGACY, level__in=[Level.PROVINCE, Level.DISTRICT])
    if user.unit_id is None:
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.within(user.unit).order_by("level", "name")


class YesNoAny(forms.Select):
    """Django's NullBooleanSelect says "Unknown" for "don't filter"; a list filter means "any"."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")


def applied_filters(filterset) -> list[tuple[str, str]]:
    """The filters a bound FilterSet applies, as (label, value) to show: a choice by its label, a
    unit by its name, yes or no; the invalid ones, which it leaves out, left out here too."""
    form = filterset.form
    form.is_valid()
    applied = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif isinstance(value, datetime.date):
            text = value.strftime("%d/%m/%Y")  # as dates print everywhere (issue 2)
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            text = dict(field.choices).get(value, value)
        else:
            text = value
        applied.append((str(field.label), str(text)))
    return applied


# -- the limits every FilterSet's numbers and yes/no filters share; the API's schema states them ------------

FIRST_YEAR, LAST_YEAR = 2000, 2100


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A whole year from FIRST_YEAR to LAST_YEAR; any other value is refused (400 in the API)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number (the NumberFilter's decimal field would take 1.5)."""

    field_class = forms.IntegerField


class StrictNullBooleanField(forms.NullBooleanField):
    """Yes, no or nothing. Django's field reads any other value as nothing, so that a mistyped
    ``?has_pupil=yes`` would silently list everything: it is refused instead."""

    default_error_messages = {"invalid": _("Must be a valid boolean.")}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if value != "" else None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.BooleanFilter):
    """``true`` or ``false`` (absent or empty: any); anything else is refused (400 in the API)."""

    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoAny)
        super().__init__(*args, **kwargs)

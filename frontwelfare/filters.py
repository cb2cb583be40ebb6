import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.forms import as_vietnamese_date


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
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

    @property
    def more_filters_set(self) -> bool:
        """Whether a filter after the first (the search box) is set: on a phone the page folds
        those away behind a button, and keeps them open when one of them is in use."""
        names = [field.name for field in self.form.visible_fields()][1:]
        return any(self.data.get(name) not in (None, "") for name in names)


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
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            text = dict(field.choices).get(value, value)
        else:
            text = value
        applied.append((str(field.label), str(text)))
    return applied

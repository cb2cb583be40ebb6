import django_filters
from django import forms


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form fields carry Bootstrap's classes, for the list pages."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

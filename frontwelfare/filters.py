import django_filters
from django import forms


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
            if self.page_fields is not None and name not in self.page_fields:
                field.widget = forms.HiddenInput()
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

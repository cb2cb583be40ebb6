"""Template filters for the way Vietnamese officials write numbers and money."""

from django import template

register = template.Library()


def _group_thousands(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


@register.filter
def vnd(amount) -> str:
    """Whole dong with dots between thousands: 30000000 → "30.000.000 ₫"."""
    if amount is None or amount == "":
        return ""
    return f"{_group_thousands(int(amount))} ₫"


@register.filter
def number(value) -> str:
    """A count with dots between thousands: 10051 → "10.051"."""
    if value is None or value == "":
        return ""
    return _group_thousands(int(value))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or an empty list when the key is missing."""
    return mapping.get(key, []) if mapping else []


@register.filter
def widget(bound_field):
    """The field's widget, marked invalid (Bootstrap's red outline, and for screen readers)
    when the field has errors."""
    if not bound_field.errors:
        return bound_field.as_widget()
    classes = f"{bound_field.field.widget.attrs.get('class', '')} is-invalid".strip()
    return bound_field.as_widget(attrs={"class": classes, "aria-invalid": "true"})

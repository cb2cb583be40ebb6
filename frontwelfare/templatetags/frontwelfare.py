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

"""Template filters for the way Vietnamese officials write numbers and money."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from frontwelfare.submissions import KEY_FIELD, MADE_KEYS, new_key

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


@register.simple_tag(takes_context=True)
def submission_key(context):
    """The create form's one-time key (frontwelfare.submissions): the posted one when the form
    comes back with errors, so the corrected form is still the same submission; a new one for a
    form drawn again after its record was made (htmx's members section)."""
    request = context.get("request")
    posted = ""
    if request is not None and request.method == "POST" and not getattr(request, "submission_used", False):
        posted = request.POST.get(KEY_FIELD, "")
    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, posted[:64] or new_key())


@register.simple_tag(takes_context=True)
def submissions_made(context) -> str:
    """The keys of the forms saved since the last page, space-separated, told once: the page's
    script drops the copies of those forms it kept (frontwelfare/forms.js)."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None or MADE_KEYS not in session:
        return ""
    return " ".join(session.pop(MADE_KEYS))


@register.simple_tag
def session_idle_seconds() -> int:
    return settings.SESSION_COOKIE_AGE

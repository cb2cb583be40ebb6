"""The summary of a failed form at the top of every page (templates/includes/error_summary.html).

On a phone the field in error may sit screens below the button; base.html shows this summary at
the top of the page, with a link to each field, and its script moves the focus there.
"""

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext_lazy as _

register = template.Library()


def _entries(form: BaseForm, prefix: str = "") -> list[dict]:
    entries = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            # A page shows its main form's own errors above it; a formset's row shows them in
            # the row, possibly far below: link to the row's first field.
            if prefix:
                first = next((field for field in form.visible_fields()), None)
                entries.append({"label": prefix, "target": first.id_for_label if first else "",
                                "messages": messages})
            continue
        if name not in form.fields:
            continue
        field = form[name]
        # A hidden field cannot be focused; a group of checkboxes or radios is labelled for its first.
        target = "" if field.is_hidden else (field.id_for_label or f"{field.auto_id}_0")
        entries.append({"label": f"{prefix} · {field.label}" if prefix else field.label, "target": target,
                        "messages": messages})
    return entries


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    """Every field error of the bound forms and formsets in the context."""
    entries, seen = [], set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        # Every bound one, validated here if the view stopped at the first invalid form (as the
        # page's own field.errors would): the officer sees all there is to correct at once.
        if isinstance(value, BaseFormSet) and value.is_bound:
            label = getattr(value, "error_summary_label", _("Row %(number)s"))
            for number, form in enumerate(value.forms, start=1):
                entries += _entries(form, prefix=str(label) % {"number": number})
        elif isinstance(value, BaseForm) and value.is_bound:
            entries += _entries(value)
    return {"entries": entries}

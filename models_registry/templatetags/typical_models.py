"""Template filters of the typical-models pages."""

from django import template

from ..choices import ModelState

register = template.Library()

# Bootstrap's colours for a model's states: grey while the commune holds it, blue with the level
# above, amber once inspected or presented, green when recognised, red when not.
STATE_CLASSES = {
    ModelState.DRAFT: "text-bg-light border",
    ModelState.REGISTERED: "text-bg-secondary",
    ModelState.SUBMITTED: "text-bg-info",
    ModelState.RETURNED: "text-bg-warning",
    ModelState.PLANNED: "text-bg-primary",
    ModelState.INSPECTED: "text-bg-primary",
    ModelState.PRESENTED: "text-bg-dark",
    ModelState.RECOGNISED: "text-bg-success",
    ModelState.NOT_RECOGNISED: "text-bg-danger",
    ModelState.PROPOSED_HIGHER: "text-bg-success",
}


@register.filter
def model_state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-light")

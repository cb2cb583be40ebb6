"""Template filters of the housing pages."""

from django import template

from ..choices import CaseState

register = template.Library()

# Bootstrap's colours for the case states: grey while talked about, blue once approved,
# amber while building, green when done, red when refused.
STATE_CLASSES = {
    CaseState.PROPOSED: "text-bg-light border",
    CaseState.SURVEYED: "text-bg-info",
    CaseState.APPROVED: "text-bg-primary",
    CaseState.REJECTED: "text-bg-danger",
    CaseState.CONSTRUCTION_STARTED: "text-bg-warning",
    CaseState.COMPLETED: "text-bg-success",
    CaseState.HANDED_OVER: "text-bg-success",
    CaseState.CANCELLED: "text-bg-secondary",
}


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def percent_of(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is no whole), for bars."""
    return min(100, round(100 * part / whole)) if whole else 0


@register.filter
def support_level(programme, work_kind: str):
    """The programme's support level for ``work_kind``; None when it sets no limit."""
    return programme.support_for(work_kind)

"""Template filters of the report pages."""

from django import template

from ..choices import ReportStatus

register = template.Library()

# Bootstrap's colours for a report's status: grey while waiting, blue while being made, green
# when its file is there, red when it failed.
STATUS_CLASSES = {
    ReportStatus.QUEUED: "text-bg-secondary",
    ReportStatus.RUNNING: "text-bg-info",
    ReportStatus.DONE: "text-bg-success",
    ReportStatus.FAILED: "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")

"""The pages of a refused or failed request: 400, 403, 404, 500 and the CSRF failure.

They keep the site's layout and the user's language, say what happened and where to go next;
under /api/ they answer DRF's JSON shape instead. Out-of-scope records answer 404 by design, so
officers do meet these pages.
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from frontwelfare.middleware import chosen_language

ERRORS = {
    400: (
        _("The request could not be accepted"),
        _("It contained something this site does not accept, such as an invisible control character "
          "copied with a text. Check what you typed or pasted, and try again."),
    ),
    403: (
        _("You may not do this"),
        _("Your role or your unit does not allow this page or this action. If you think it should, "
          "ask your administrator."),
    ),
    404: (
        _("Page not found"),
        _("This page does not exist, or what it shows is outside your unit. Check the address, "
          "or look for the record in the list."),
    ),
    500: (
        _("Something went wrong on our side"),
        _("The error has been recorded. Try again in a few minutes; if it keeps happening, tell "
          "your administrator what you were doing."),
    ),
}
CSRF_FAILURE = (
    _("The form could not be sent"),
    _("The page was open for too long, or you signed out or in again in another tab. Go back, "
      "reload the page, and send the form again."),
)
# The list page of each part of the site, offered on an error page within that part.
SECTIONS = {
    "households": ("households:list", _("Households")),
    "housing": ("housing:case-list", _("Housing")),
    "reports": ("reports:list", _("Reports")),
    "models": ("models:board", _("Typical models")),
}


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _section(request) -> dict | None:
    first = request.path_info.strip("/").split("/", 1)[0]
    if first not in SECTIONS:
        return None
    url_name, label = SECTIONS[first]
    return {"url": reverse(url_name), "label": label}


def error_page(request, status: int, *, heading, explanation, detail="", template="error.html",
               with_request=True) -> HttpResponse:
    """The error page, or DRF's ``{"detail": ...}`` under /api/."""
    if _is_api(request):
        return JsonResponse({"detail": str(detail or heading)}, status=status)
    context = {"status": status, "title": heading, "explanation": explanation, "detail": detail,
               "section": _section(request)}
    # Without the request no context processor runs: no user, session or messages are read.
    html = render_to_string(template, context, request if with_request else None)
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    heading, explanation = ERRORS[400]
    return error_page(request, 400, heading=heading, explanation=explanation)


def permission_denied(request, exception=None):
    heading, explanation = ERRORS[403]
    # The services' refusals are sentences written for the user ("Only the commune's officers
    # may ..."): say which rule refused. A bare PermissionDenied has none.
    detail = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return error_page(request, 403, heading=heading, explanation=explanation, detail=detail)


def page_not_found(request, exception=None):
    heading, explanation = ERRORS[404]
    return error_page(request, 404, heading=heading, explanation=explanation)


def server_error(request):
    """A broken database is a common cause of a 500: this page reads neither the database nor
    the session (no user menu, no messages, no language switch), only the language cookie."""
    heading, explanation = ERRORS[500]
    with translation.override(chosen_language(request)):
        return error_page(request, 500, heading=heading, explanation=explanation, template="500.html",
                          with_request=False)


def csrf_failure(request, reason=""):
    """Django's reason ("CSRF token missing") is for the log, not for the officer."""
    heading, explanation = CSRF_FAILURE
    return error_page(request, 403, heading=heading, explanation=explanation)


class OneLineForExpectedRefusals(logging.Filter):
    """Django logs a PermissionDenied or BadRequest with its traceback, though it is an expected
    answer (a role refused, a NUL byte refused): keep the one line with the path and the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied | BadRequest):
            if str(exc):
                record.msg = f"{record.msg} ({str(exc).replace('%', '%%')})"
            record.exc_info = None
            record.exc_text = None
        return True

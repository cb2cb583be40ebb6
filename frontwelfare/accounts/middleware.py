from datetime import datetime
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "frontwelfare_signed_in_at"
# When the person last did something (a request that is user activity): the idle limit counts
# from it, and the page's warning asks how much of it is left (session_status).
SESSION_ACTIVE_KEY = "frontwelfare_active_at"


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_LIFETIME after sign-in, however active it stays.

    The idle limit is Django's own (SESSION_COOKIE_AGE, renewed by the person's activity: see
    _note_activity); this is the other half: a stolen or forgotten session cannot be kept alive
    for ever by use.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = timezone.now()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now.isoformat()
            elif now - datetime.fromisoformat(started) > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return _to_sign_in(request)
        response = self.get_response(request)
        if request.user.is_authenticated and getattr(request, "is_user_activity", True):
            _note_activity(request.session)
        return response


def _note_activity(session) -> None:
    """Starts the idle time again: the time of activity is written into the session, which Django
    then saves with a new expiry (SESSION_COOKIE_AGE from now), once a SESSION_RENEWAL_INTERVAL at
    most. A session is saved only when it changed (SESSION_SAVE_EVERY_REQUEST is off): on every
    request, that was a database write (and a Redis one) for each page read by every officer."""
    now = timezone.now()
    noted = session.get(SESSION_ACTIVE_KEY)
    if noted is None or now - datetime.fromisoformat(noted) >= settings.SESSION_RENEWAL_INTERVAL:
        session[SESSION_ACTIVE_KEY] = now.isoformat()


def idle_seconds_left(request) -> int:
    """Seconds until the session ends for idleness (0 when there is none)."""
    active = request.session.get(SESSION_ACTIVE_KEY) if request.user.is_authenticated else None
    if active is None:
        return 0
    idle = (timezone.now() - datetime.fromisoformat(active)).total_seconds()
    return max(0, int(settings.SESSION_COOKIE_AGE - idle))


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's, saying why when what was lost is a form sent after the session ended: the
    page's script kept what was typed in the tab (frontwelfare/forms.js) and puts it back
    once the same person has signed in again."""

    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and not request.headers.get("HX-Request"):
            messages.warning(request, _("Your session ended before the form was sent, so nothing was saved. "
                                        "Sign in again: what you typed will be put back in the form."))
        return super().handle_no_permission(request, view_func)


def _to_sign_in(request) -> HttpResponse:
    """The sign-in page, then back. A request htmx makes by itself (a report's progress) gets the
    whole page sent there (HX-Redirect), back to the page the person was on: following a plain
    redirect, htmx would draw the sign-in form inside the part of the page it was updating."""
    if not request.headers.get("HX-Request"):
        return redirect_to_login(request.get_full_path())
    page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
    response = HttpResponse(status=401)
    response["HX-Redirect"] = redirect_to_login(page)["Location"]
    return response


def not_user_activity(view):
    """Marks a view that pages call by themselves (htmx polling a report's progress): its
    requests are not the person's activity and do not renew the idle limit. Without this, a tab
    left open on a report that never finishes would keep the session of a shared office
    computer alive until the absolute limit."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.is_user_activity = False
        return view(request, *args, **kwargs)

    return wrapped

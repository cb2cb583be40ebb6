from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "frontwelfare_signed_in_at"


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_LIFETIME after sign-in, however active it stays.

    The idle limit is Django's own (SESSION_COOKIE_AGE renewed on every request); this is
    the other half: a stolen or forgotten session cannot be kept alive for ever by use.
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
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

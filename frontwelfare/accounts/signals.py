"""Every sign-in attempt also goes to the log (axes keeps them in its tables too)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .middleware import SESSION_ACTIVE_KEY, SESSION_STARTED_KEY

logger = logging.getLogger("frontwelfare.auth")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in ok username=%s address=%s", user.username, _address(request))
    if request is not None and hasattr(request, "session"):
        # The absolute lifetime counts from the sign-in itself, and so does the idle time: signing
        # in is the person's activity (the first page after it need not note it again).
        now = timezone.now().isoformat()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_ACTIVE_KEY] = now


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "sign-in failed username=%s address=%s", credentials.get("username", "?"), _address(request)
    )

"""Every sign-in attempt also goes to the log (axes keeps them in its tables too)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .middleware import SESSION_STARTED_KEY

logger = logging.getLogger("frontwelfare.auth")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in ok username=%s address=%s", user.username, _address(request))
    if request is not None and hasattr(request, "session"):
        # The absolute lifetime counts from the sign-in itself.
        request.session[SESSION_STARTED_KEY] = timezone.now().isoformat()


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "sign-in failed username=%s address=%s", credentials.get("username", "?"), _address(request)
    )

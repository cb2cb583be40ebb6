"""Sign-in throttling: django-axes with two limits and a lock that ends when it says.

- One username from one address: AXES_FAILURE_LIMIT failures lock that pair (axes' own rule).
- One username from any number of addresses: LOGIN_FAILURE_LIMIT_PER_USERNAME failures within
  the cool-off lock the username everywhere, so that many addresses cannot guess without end.
  Higher than the pair's limit, so that one person's mistakes lock only their own address.

Attempts made while locked are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is
off), so a lock ends AXES_COOLOFF_TIME after the failure that began it, whatever is tried
meanwhile, and the lock page can say when.
"""

import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format


def _failures_since(attempts, threshold: datetime) -> int:
    return attempts.filter(attempt_time__gte=threshold).aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler, plus the per-username limit across addresses."""

    def get_failures(self, request, credentials=None) -> int:
        """The pair's failures, or the pair's limit when the username's failures from every
        address reached theirs: axes compares this number with AXES_FAILURE_LIMIT."""
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and \
                self._username_failures(request, credentials) >= settings.LOGIN_FAILURE_LIMIT_PER_USERNAME:
            return limit
        return failures

    @staticmethod
    def _username_attempts(request, credentials):
        return AccessAttempt.objects.filter(username=get_client_username(request, credentials))

    def _username_failures(self, request, credentials) -> int:
        return _failures_since(self._username_attempts(request, credentials), _now(request) - get_cool_off(request))

    def lock_ends_at(self, request, credentials=None) -> datetime | None:
        """When the lock on this sign-in (pair or username) ends, or None if none holds."""
        cool_off = get_cool_off(request)
        threshold = _now(request) - cool_off
        ends = [
            _end(attempts, threshold, cool_off, limit)
            for attempts, limit in (
                *((pair, get_failure_limit(request, credentials))
                  for pair in self.filter_user_attempts(request, credentials)),
                (self._username_attempts(request, credentials), settings.LOGIN_FAILURE_LIMIT_PER_USERNAME),
            )
        ]
        return max((end for end in ends if end is not None), default=None)


def _now(request) -> datetime:
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def _end(attempts, threshold: datetime, cool_off: timedelta, limit: int) -> datetime | None:
    """The moment fewer than ``limit`` failures remain within the cool-off. Each attempt row
    counts its failures until its last one is ``cool_off`` old; newest rows leave last."""
    counted = 0
    for attempt_time, failures in attempts.filter(attempt_time__gte=threshold).order_by("-attempt_time") \
            .values_list("attempt_time", "failures_since_start"):
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return None


def _minute_after(moment: datetime) -> datetime:
    """The first whole minute at which ``moment`` has passed: a lock ending at 14:35:30 is
    over at 14:36, and "try again at 14:35" would fail once more."""
    seconds = math.ceil(moment.timestamp() / 60) * 60
    return datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def lockout_response(request, original_response=None, credentials=None):
    """The lock page (AXES_LOCKOUT_CALLABLE): what happened, and at what time (local, 24-hour)
    the user may try again."""
    ends = LoginThrottle().lock_ends_at(request, credentials)
    until = time_format(timezone.localtime(_minute_after(ends)), "H:i") if ends else None
    return render(request, "accounts/locked_out.html", {"until": until}, status=settings.AXES_HTTP_RESPONSE_CODE)

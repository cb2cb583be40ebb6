"""What the page's idle warning asks the server (frontwelfare/forms.js), and what a form sent
after the session ended is told."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ..factories import TEST_PASSWORD


def _sign_in(client, username="officer"):
    token = str(client.get(reverse("login")).context["csrf_token"])
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD,
                                              "csrfmiddlewaretoken": token}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_the_page_learns_how_long_the_session_has_left_without_renewing_it(client, world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _sign_in(client)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=26))
        assert client.get(reverse("session-status")).json() == {"remaining": 4 * 60}
        traveller.shift(timedelta(minutes=2))
        # Asking twice did not move the limit: 2 minutes are left, not 28.
        assert client.get(reverse("session-status")).json() == {"remaining": 2 * 60}


def test_staying_signed_in_from_the_page_starts_the_idle_time_again(world):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _sign_in(client)
        token = str(client.get(reverse("home")).context["csrf_token"])
        traveller.shift(timedelta(minutes=27))
        answer = client.post(reverse("session-status"), HTTP_X_CSRFTOKEN=token)
        assert answer.json() == {"remaining": 30 * 60}
        traveller.shift(timedelta(minutes=20))  # 47 minutes after the page, 20 after "stay"
        assert client.get(reverse("session-status")).json() == {"remaining": 10 * 60}
        assert client.get(reverse("home")).status_code == 200


def test_a_visitor_has_no_session_left(client):
    assert client.get(reverse("session-status")).json() == {"remaining": 0}
    assert client.post(reverse("session-status")).json() == {"remaining": 0}


def test_a_form_sent_after_the_session_ended_gets_the_sign_in_page_saying_so(world):
    """Not a CSRF failure: the CSRF token lives in its own cookie (CSRF_USE_SESSIONS is off), so
    the form's token is still good when the session has ended; the sign-in page says why."""
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _sign_in(client)
        token = str(client.get(reverse("households:create")).context["csrf_token"])
        traveller.shift(timedelta(minutes=31))
        response = client.post(reverse("households:create"), {"csrfmiddlewaretoken": token, "hamlet": "Ấp 1"})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={reverse('households:create')}"
        page = client.get(response["Location"]).content.decode()
    assert "chưa có gì được lưu" in page
    assert "đăng nhập lại" in page


def _session_writes(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum(query["sql"].startswith('UPDATE "django_session"') for query in captured.captured_queries)


def test_pages_read_within_a_minute_leave_the_session_unwritten_and_a_later_one_renews_it(client, world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _sign_in(client)  # which noted the activity
        assert _session_writes(client, reverse("home")) == 0
        traveller.shift(timedelta(seconds=50))
        assert _session_writes(client, reverse("households:list")) == 0
        assert client.get(reverse("session-status")).json() == {"remaining": 30 * 60 - 50}
        traveller.shift(timedelta(seconds=20))  # 70 s after the page that renewed it
        assert _session_writes(client, reverse("households:list")) == 1
        traveller.shift(timedelta(minutes=29, seconds=30))  # idle 29.5 minutes: still signed in
        assert client.get(reverse("session-status")).json() == {"remaining": 30}
        assert client.get(reverse("households:list")).status_code == 200

"""The people of the load test: officers of one province browsing the household registry.

tests/bench_load.py runs this file headless against gunicorn (see it for the targets and how the
users and their sessions are made). Each locust user is one officer from the JSON file named by
LOAD_USERS_FILE: {"session_cookie": name, "csrf_cookie": name, "pace": [low, high] seconds,
"users": [{"username", "role", "session", "csrf", "households": [ids in the officer's scope]}]}.

What an officer does, by weight (out of 100): what the registry work of a commune, district or
province looks like, mostly lists and households' pages, and the dashboard now and then.

    25  a household's page           /households/<id>/ (one of the officer's own)
    18  the household list            /households/
     8  its second page               /households/?page=2
    10  filtered                      /households/?category=poor&year=2025
    12  searched by a name            /households/?q=nguyen+van+hai (typed without diacritics)
     7  searched by 4 digits          /households/?q=4271 (of a citizen ID, as the mask shows)
    12  the dashboard                 /
     8  the API list                  /api/v1/households/ (a district's or province's own tool)

Pacing, not a fixed pause: each officer starts a request every 0.4 to 1.4 s (0.9 s on average,
drawn anew each time: "pace" in the file), the pause being what is left after the answer.
100 officers thus ask for about 110 requests a second whatever the server's speed, so that a
slower server is not rewarded with less load (with a fixed pause after each answer, the rate
falls as answers slow down).

A request fails unless it answers 200 with the page itself: a redirect (to the sign-in page) or
the sign-in form is a failure, as is any error or a timeout.
"""

import itertools
import json
import os
import random
import time
from pathlib import Path

from locust import FastHttpUser, task

_PLAN = json.loads(Path(os.environ["LOAD_USERS_FILE"]).read_text(encoding="utf-8"))
_OFFICERS = _PLAN["users"]
_NEXT_OFFICER = itertools.count()

# The words of the generated names (households.demo), as an officer types them: without diacritics.
SURNAMES = ["nguyen", "tran", "le", "pham", "huynh", "vo", "phan", "truong", "bui", "dang", "do", "ngo", "duong"]
MIDDLE = {"male": ["van", "minh", "huu", "thanh", "quoc"], "female": ["thi", "ngoc", "thu", "kim", "my"]}
GIVEN = {
    "male": ["an", "binh", "cuong", "dung", "hai", "hung", "khanh", "loc", "phuc", "son", "tam", "thanh", "vinh"],
    "female": ["anh", "bich", "cuc", "dung", "hanh", "hoa", "lan", "mai", "ngan", "nhung", "thao", "trinh", "yen"],
}
LOGIN_FORM = b'name="password"'


def a_name() -> str:
    """A whole name most times ("nguyen van hai"), else its middle and given names ("van hai")."""
    sex = random.choice(("male", "female"))
    words = [random.choice(MIDDLE[sex]), random.choice(GIVEN[sex])]
    if random.random() < 0.75:
        words.insert(0, random.choice(SURNAMES))
    return "+".join(words)


class Officer(FastHttpUser):
    def on_start(self):
        self.officer = _OFFICERS[next(_NEXT_OFFICER) % len(_OFFICERS)]
        # The session cookie is sent by hand: production marks it Secure, and this is plain HTTP.
        # No cookie jar, so nothing the server sets is added to (or doubles) it. The CSRF cookie a
        # browser would hold is sent too, so that pages with a form do not make a new one each time.
        self.client.client.cookiejar = None
        self.headers = {
            "Cookie": f"{_PLAN['session_cookie']}={self.officer['session']}; "
                      f"{_PLAN['csrf_cookie']}={self.officer['csrf']}",
            "Accept-Language": "vi",
        }
        self._started = time.monotonic()

    def wait_time(self) -> float:
        low, high = _PLAN["pace"]
        return max(0.0, random.uniform(low, high) - (time.monotonic() - self._started))

    def _get(self, path: str, name: str) -> None:
        self._started = time.monotonic()
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
            elif LOGIN_FORM in (response.content or b""):
                response.failure("the sign-in page")
            else:
                response.success()

    @task(25)
    def household_page(self):
        self._get(f"/households/{random.choice(self.officer['households'])}/", "household page")

    @task(18)
    def household_list(self):
        self._get("/households/", "list")

    @task(8)
    def household_list_page_2(self):
        self._get("/households/?page=2", "list, page 2")

    @task(10)
    def household_list_filtered(self):
        self._get("/households/?category=poor&year=2025", "list, poor in 2025")

    @task(12)
    def household_search_name(self):
        self._get(f"/households/?q={a_name()}", "search, name")

    @task(7)
    def household_search_digits(self):
        self._get(f"/households/?q={random.randrange(10_000):04d}", "search, 4 ID digits")

    @task(12)
    def dashboard(self):
        self._get("/", "dashboard")

    @task(8)
    def api_list(self):
        self._get("/api/v1/households/", "API list")

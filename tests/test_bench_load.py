"""The load test's own arithmetic (tests/bench_load.py): who the users are, and how a profile is read.
The load test itself runs in `make bench`, not here."""

from tests.bench_load import role_counts, summarise_profile

WORKER = 'process 11:"gunicorn: worker";SyncWorker.handle_request (gunicorn/workers/sync.py:184)'
HANDLER = "WSGIHandler.__call__ (django/core/handlers/wsgi.py:124)"
VIEW = "_get_response (django/core/handlers/base.py:197)"


def test_a_hundred_users_are_sixty_commune_twenty_five_district_and_fifteen_provincial():
    assert role_counts(100) == [("commune_officer", "xa", 60), ("district_member", "huyen", 25),
                                ("provincial_officer", "tinh", 15)]
    assert sum(count for *_, count in role_counts(7)) == 7


def test_profile_puts_each_stack_in_the_first_category_that_its_frames_fall_in(tmp_path):
    profile = tmp_path / "profile.txt"
    stacks = {
        # a query made while a template renders counts as SQL, and as inside a template
        f"{WORKER};{HANDLER};{VIEW};NodeList.render (django/template/base.py:1);"
        "Cursor.execute (psycopg/cursor.py:97)": 30,
        f"{WORKER};{HANDLER};{VIEW};Variable._resolve_lookup (django/template/base.py:2)": 20,
        f"{WORKER};{HANDLER};SessionMiddleware.process_response (django/contrib/sessions/middleware.py:3)": 10,
        f"{WORKER};{HANDLER};{VIEW};household_list_count (households/selectors.py:4)": 25,
        f"{WORKER};{HANDLER};CSPMiddleware.process_response (csp/middleware.py:5)": 10,
        f"{WORKER};Message.parse (gunicorn/http/message.py:6)": 5,
    }
    profile.write_text("".join(f"{stack} {count}\n" for stack, count in stacks.items()))

    summary = summarise_profile(profile)

    assert summary["samples"] == 100
    assert summary["shares"] == {
        "SQL: ORM and database driver (Python side)": 0.30,
        "view code (views, filters, forms, DRF, i18n)": 0.25,
        "templates": 0.20,
        "sessions, auth and cache (Redis)": 0.10,
        "middleware and request handling (outside the view)": 0.10,
        "gunicorn (HTTP parsing, access log)": 0.05,
    }
    assert summary["inside_templates"] == 0.50
    assert summary["top_functions"][0] == ("Cursor.execute (psycopg/cursor.py)", 0.30)
    assert ("household_list_count (households/selectors.py)", 0.25) in summary["top_our_functions"]
    assert summary["top_orm_callers"] == [("NodeList.render (django/template/base.py)", 0.30)]

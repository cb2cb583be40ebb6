"""What the tests of every file import share (households.imports, donations.imports): the check and
the save run as the page and then the worker run them (no worker here; the worker tests and the
e2e tests have a real one), the officer's client and posts, and the text of a page's table rows."""

import re

from django.conf import settings
from django.utils import translation

from frontwelfare.imports.choices import ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_check(record, run):
    """``record`` as its upload left it (being checked), checked by ``run`` (the import's
    ``*_run_check``) in the test's language."""
    return _ran(record, run, ImportStatus.CHECKING)


def run_save(record, run):
    """``record`` as its confirmation left it (being saved), saved by ``run`` (the import's
    ``*_run_save``) in the test's language."""
    return _ran(record, run, ImportStatus.SAVING)


def _ran(record, run, status):
    assert record.status == status
    run(record.pk, translation.get_language())
    record.refresh_from_db()
    return record


def signed_in_english(client, user):
    """``client`` signed in as ``user``, reading the pages in English."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def posting_with_tasks(client, tasks, capture_on_commit_callbacks, monkeypatch):
    """``post(url, data)``: ``client``'s post, then the ``tasks`` it queued, run in the test's
    process as the quick start runs them without Redis."""
    for task in tasks:
        monkeypatch.setattr(task, "apply_async", lambda args, task=task, **options: task.run(*args))

    def posting(url, data, *, client=client):
        with capture_on_commit_callbacks(execute=True):
            return client.post(url, data)
    return posting


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin:text.index(end, begin)]


def row_cells(html: str, row_marker: str) -> list[str]:
    """The text of each cell of the table row marked ``row_marker``."""
    row = between(html, row_marker, "</tr>")
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]

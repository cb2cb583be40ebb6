"""One record per submission: a create form or API create posted twice (a double tap on a slow
connection, a retry after a lost answer) makes one record.

Each create form carries a one-time key (``{% submission_key %}``, a hidden field); API clients
send the ``Idempotency-Key`` header. The key is written in the transaction that makes the record;
its unique (user, key) index makes the second of two simultaneous posts wait for the first, and
the second then answers with the record the first made.
"""

import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frontwelfare.accounts.models import Submission

KEY_FIELD = "submission_key"
KEY_HEADER = "Idempotency-Key"
# The keys of forms whose record was made, until the next page tells the browser (forms.js then
# drops the copy of the form it kept in the tab).
MADE_KEYS = "frontwelfare_submissions_made"
_KEY = re.compile(r"[\w-]{1,64}")
# How long a key answers with its record: a double tap comes within seconds and a client's retry
# after a lost answer within minutes; two days leaves room for a weekend's queued retries, and the
# table stays small (celery beat's submissions_forget_old_task deletes older keys every night).
KEPT_FOR = datetime.timedelta(days=2)


def new_key() -> str:
    return uuid.uuid4().hex


def key_of(request) -> str:
    """The request's one-time key: the header, else the form's field; "" when it sends none (a
    client that does not ask for the guarantee gets none)."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        data = getattr(request, "POST", None)
        key = data.get(KEY_FIELD, "") if data is not None else ""
    key = key.strip()
    if key and not _KEY.fullmatch(key):
        raise BadRequest(_("An Idempotency-Key is 1 to 64 letters, digits, “-” or “_”."))
    return key


def submit_once(request, make: Callable[[], Any], *, page: bool = False) -> tuple[Any, bool]:
    """``make()`` once per (user, key): (what it returned, True); a repeat of the key returns
    (the record made the first time, False). ``make`` returns the record it made, or anything
    else (a page with the form's errors, a 409) when it made nothing: the key is then left free
    for the corrected form. Raises ``DoesNotExist`` when the record made was deleted since.
    A ``page``'s key, once its record is made, is told to the next page the person sees."""
    actor, key = request.user, key_of(request)
    if not key:
        return make(), True
    result, first = _once(actor, key, make)
    if isinstance(result, models.Model):
        # A form drawn again by this request (htmx's members section) is a new submission.
        request.submission_used = True
        if page:
            request.session[MADE_KEYS] = [*request.session.get(MADE_KEYS, [])[-9:], key]
    return result, first


def _once(actor, key: str, make: Callable[[], Any]) -> tuple[Any, bool]:
    with transaction.atomic():
        if not _claim(actor, key):
            submission = Submission.objects.get(user=actor, key=key)
            if submission.made is None:
                raise ObjectDoesNotExist("The record this submission made is gone.")
            return submission.made, False
        result = make()
        if isinstance(result, models.Model):
            Submission.objects.filter(user=actor, key=key).update(
                content_type=ContentType.objects.get_for_model(result), object_id=result.pk)
        else:
            transaction.set_rollback(True)
        return result, True


def _claim(actor, key: str) -> bool:
    """Write the key; False when it was written before. ON CONFLICT DO NOTHING waits for a
    transaction that wrote the same key and has not ended: the second of two simultaneous posts
    goes on only once the first has committed (then it reads the record made) or rolled back
    (then it makes the record itself). One query, and no savepoint to recover from an error."""
    table = Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, key, created_at) VALUES (%s, %s, %s) "  # noqa: S608 (our own table name)
            "ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            [actor.pk, key, timezone.now()],
        )
        return cursor.fetchone() is not None


def made_once(request, make: Callable[[], models.Model]) -> models.Model:
    """For a page: ``make()`` under the form's one-time key; the record it made, or the one the
    same form made already (the page then answers the same way, its redirect to the record)."""
    return submit_once(request, make, page=True)[0]


def submissions_forget_old(*, now: datetime.datetime | None = None) -> int:
    """Delete the keys older than KEPT_FOR (in one statement); returns how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _by_model = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Big exports of the lists, made in the background like reports.

A list of a few thousand rows is written within the request (`at_once`); a bigger one (past the
setting EXPORT_AT_ONCE_MAX_ROWS, 2,000 rows by default: a province's XLSX of 10,000 households took
12 to 26 s, and three at once were killed by gunicorn's 30 s) becomes an Export, made by a Celery task
with the reports' machinery: queued after commit, acks_late, progress, the file written whole then
renamed (files.store_whole), a stale or failed one tried again, the page polled with htmx.

Not a report kind: a report belongs to a unit and a period and is shared by everyone whose scope
covers the unit, reused while its data is unchanged, and made of figures grouped by unit. An export
is rows of personal data as one person sees them (citizen IDs in full or masked by their role), so
it is theirs alone (Export.objects.visible_to), never reused for someone else, and written by the
list's own writer (the domain registers it: registry.ExportKindSpec).
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.queueing import send_or_else

from . import registry
from .background import STALE_AFTER, fail_queued, requeue, start_running
from .choices import ReportStatus
from .files import store_whole
from .models import Export

logger = logging.getLogger(__name__)


def at_once_max_rows() -> int:
    """The most rows written within the request: a workbook of 2,000 households and their members
    takes two to four seconds, well inside the web worker's 30 s even three at once."""
    return getattr(settings, "EXPORT_AT_ONCE_MAX_ROWS", 2_000)


def filters_of(spec: registry.ExportKindSpec, query) -> dict[str, str]:
    """The list's filters in ``query`` (a QueryDict): the values set, by name; the page number and
    anything else left out."""
    names = spec.filter_names
    return {name: query.get(name) for name in names if query.get(name) not in (None, "")}


@transaction.atomic
def export_request(*, actor, kind: str, file_format: str, filters: dict[str, str], row_count: int) -> Export:
    """The export of the list ``kind`` as ``actor`` sees it with ``filters``: the one of the same
    request still being made (a second click, a reload), or a new one, queued after commit."""
    spec = registry.export_kind(kind)
    if spec is None or file_format not in spec.formats:
        raise ValidationError(_("Choose a list and a format."))
    being_made = Export.objects.visible_to(actor).filter(
        kind=kind, format=file_format, filters=filters, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING),
        requested_at__gte=timezone.now() - STALE_AFTER).first()
    if being_made is not None:
        return being_made
    export = Export(kind=kind, format=file_format, filters=filters, requested_by=actor, role=actor.role,
                    unit_id=actor.unit_id, language=translation.get_language() or settings.LANGUAGE_CODE,
                    row_count=row_count)
    export.save()  # every value set here, none typed: kind and format are checked above
    transaction.on_commit(lambda: export_enqueue(export))
    return export


QUEUE_DOWN = gettext_lazy("The export service cannot be reached just now. Try again in a few minutes.")


def export_enqueue(export: Export) -> None:
    """Send the export to a worker; if the queue cannot be reached, it is failed with a message
    saying so (in the requester's language: the export is theirs alone)."""
    from .tasks import export_build_task

    send_or_else(export_build_task, (export.pk,), what=f"export {export.pk}",
                 unreachable=lambda: fail_queued(export, QUEUE_DOWN, language=export.language))


@transaction.atomic
def export_retry(*, actor, export: Export) -> Export:
    export = locked_in_scope(Export.objects, actor=actor, pk=export.pk)
    requeue(export, refusal=_("Only an export that failed can be tried again."), enqueue=export_enqueue)
    return export


class ScopeChanged(Exception):
    """The requester's role or unit changed, or they were deactivated, since they asked."""


def export_build(export_id: int) -> None:
    """Make the export's file (the worker's). The rows are read again through ``visible_to`` of the
    requester as they are now, with the filters re-applied (the unit chosen must still be theirs);
    a requester whose scope is no longer the one the export was asked in gets no file. Safe to run
    again (a task delivered twice after a worker died): a finished export is left as it is."""
    export = start_running(Export, export_id, related="requested_by")
    if export is None:
        return
    user = export.requested_by
    try:
        if not Export.objects.visible_to(user).filter(pk=export.pk).exists():
            raise ScopeChanged
        spec = registry.export_kind(export.kind)
        with translation.override(export.language):
            rows = spec.rows(user, export.filters)
            total = rows.count()
            content = spec.write(rows, user=user, filters=export.filters, file_format=export.format,
                                 progress=lambda done: _progress(export, done, total))
        name = store_whole(_file_name(export, spec), content)
    except Exception as exc:
        if not isinstance(exc, ScopeChanged):
            logger.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).exclude(status=ReportStatus.DONE).update(
            status=ReportStatus.FAILED, finished_at=timezone.now(), error=_failure_message(export, exc))
        return
    Export.objects.filter(pk=export_id).update(status=ReportStatus.DONE, progress=100, file=name, row_count=total,
                                               finished_at=timezone.now())


def _progress(export: Export, done: int, total: int) -> None:
    Export.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // max(total, 1)))


def _file_name(export: Export, spec: registry.ExportKindSpec) -> str:
    return f"exports/{export.pk}/{spec.file_word}-{timezone.localdate():%Y%m%d}.{export.format}"


def download_name(export: Export) -> str:
    """``ho-gia-dinh-20261206.xlsx``: the list's word and the day the file was made, as the file
    written at once is named."""
    spec = registry.export_kind(export.kind)
    word = spec.file_word if spec is not None else export.kind
    day = timezone.localtime(export.finished_at or export.requested_at)
    return f"{word}-{day:%Y%m%d}.{export.format}"


def _failure_message(export: Export, exc: Exception) -> str:
    with translation.override(export.language):
        if isinstance(exc, ScopeChanged):
            return _("Your role or unit changed since you asked for this export: ask for it again.")
        return _("The export could not be made (%(reason)s). Try again; if it fails again, tell the "
                 "administrator.") % {"reason": type(exc).__name__}


# An export is a copy of personal data outside the registry, made for the day's work: kept a week.
KEPT_FOR = datetime.timedelta(days=7)


def exports_forget_old() -> int:
    """Delete the exports asked for more than KEPT_FOR ago, with their files (beat's, every morning).
    Returns how many were deleted."""
    old = list(Export.objects.filter(requested_at__lt=timezone.now() - KEPT_FOR))
    for export in old:
        if export.file:
            export.file.delete(save=False)
    Export.objects.filter(pk__in=[export.pk for export in old]).delete()
    return len(old)

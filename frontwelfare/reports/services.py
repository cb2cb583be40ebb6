"""Asking for a report, and making it (which the Celery task does).

`report_request` checks the viewer may report on the unit, serves the finished file of the same
report when the data has not changed since, and otherwise queues the task once the transaction
has committed. `report_build` makes the file; `report_retry` queues a failed report again.
`reports_schedule_periodic` queues the monthly and quarterly reports nobody has to ask for.
`document_settings_save` keeps how a unit's committee signs its documents.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import locked_in_scope, unit_in_scope
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.db_routers import reading_for_reports
from frontwelfare.queueing import send_or_else
from frontwelfare.services import require_known, validated_save

from . import figures, periods, registry
from .background import STALE_AFTER, fail_queued, requeue, start_running
from .choices import PeriodKind, ReportFormat, ReportStatus
from .files import store_whole
from .models import DocumentSettings, Report
from .periods import Period

logger = logging.getLogger(__name__)
EARLIEST = datetime.date(2000, 1, 1)


@transaction.atomic
def report_request(*, actor, kind: str, unit, period: Period, file_format: str,
                   options: dict | None = None, number: int | None = None) -> Report:
    """The report of ``kind`` for ``unit`` (None: the whole country, by province) over ``period``,
    with the options of its kind chosen ({"programme": 12}; None or missing: not chosen) and the
    document ``number`` it is printed with (None: left blank): the finished one if nothing it counts
    (nor the unit's document settings, which it prints) has changed since it was made, the one
    already being made, or a new one, queued.

    Every option is checked here, whoever calls (the form, the API, the schedule): it must be one
    the kind takes, one ``actor`` may choose, and it must cover ``unit``."""
    chosen = _check_request(actor, kind, unit, period, file_format, options or {})
    stored = {name: value.pk for name, value in chosen.items()}
    if number is not None and number < 1:
        raise ValidationError({"number": _("The document number is a whole number from 1.")})
    same = Report.objects.filter(kind=kind, unit=unit, options=stored, period_start=period.start,
                                 period_end=period.end, format=file_format, number=number)
    version = figures.data_version(kind=kind, unit=unit, period=period, options=chosen)
    # A file made before the period ended says "made on" that day: for a period still running,
    # only today's file is served again.
    made_late_enough = Q(finished_at__date__gt=period.end) | Q(finished_at__date=timezone.localdate())
    done = same.filter(made_late_enough, status=ReportStatus.DONE, data_version=version).exclude(file="")
    signed_since = DocumentSettings.objects.filter(unit=unit).values_list("updated_at", flat=True).first() \
        if unit is not None else None
    if signed_since is not None:
        # A file made before the committee changed its signer or recipients prints the old ones.
        done = done.filter(finished_at__gte=signed_since)
    reusable = done.order_by("-finished_at").first() \
        or same.filter(status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING),
                       requested_at__gte=timezone.now() - STALE_AFTER).first()
    if reusable is not None:
        return reusable
    report = Report(kind=kind, unit=unit, options=stored, period_kind=period.kind, period_start=period.start,
                    period_end=period.end, format=file_format, number=number, requested_by=actor)
    report.full_clean()
    report.save()
    transaction.on_commit(lambda: report_enqueue(report))
    return report


def _check_request(actor, kind, unit, period, file_format, options: dict) -> dict:
    """Refuse what may not be asked; returns the chosen options' objects ({"programme": <Programme>})."""
    if unit is None:
        _check_whole_country(actor, kind)
    elif actor is not None and not unit_in_scope(actor, unit):
        raise PermissionDenied(_("You can ask for reports on your own unit and the units under it."))
    spec = registry.kind(kind)
    if spec is None or file_format not in ReportFormat.values:
        raise ValidationError(_("Choose a kind of report and a format."))
    if period.end < period.start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if period.start > timezone.localdate():
        raise ValidationError({"period_start": _("The period has not started yet.")})
    if period.start < EARLIEST:
        raise ValidationError({"period_start": _("Reports start from 2000.")})
    if period.kind == PeriodKind.RANGE and period.end > timezone.localdate():
        # A month, quarter or year still running is fine; dates typed by hand end by today.
        raise ValidationError({"period_end": _("The period cannot end after today.")})
    chosen = {name: value for name, value in options.items() if value not in (None, "")}
    for name in chosen:
        if name not in spec.options:
            raise ValidationError({name: _("This kind of report does not take this choice.")})
    return {name: registry.option(name).resolve(user=actor, unit=unit, value=value) for name, value in chosen.items()}


def _check_whole_country(actor, kind: str) -> None:
    """The whole country's report (no unit) is the central level's: asked for by the administrator
    (not by the schedule, which makes the reports of units), of a kind made for it. Refused on
    ``unit``, where the page and the API show it."""
    if actor is None or actor.role != Role.ADMINISTRATOR:
        raise ValidationError({"unit": _("Only the administrator can ask for a report on the whole country: "
                                         "choose your unit or one under it.")})
    spec = registry.kind(kind)
    if spec is not None and not spec.whole_country:
        raise ValidationError({"unit": _("This kind of report is made for one unit, not the whole country: "
                                         "choose a province or a district.")})


QUEUE_DOWN = gettext_lazy("The report service cannot be reached just now. Try again in a few minutes.")


def failed_for_queue_down(report: Report) -> bool:
    """Whether the report failed because the queue could not be reached (so that the page can say
    it in the reader's language; the stored message is Vietnamese)."""
    with translation.override("vi"):
        return report.status == ReportStatus.FAILED and report.error == str(QUEUE_DOWN)


def report_enqueue(report: Report) -> None:
    """Send the report to a worker. If the queue cannot be reached, the report is marked failed
    with a message the person can act on, and nothing else breaks."""
    from .tasks import report_build_task

    # Stored in Vietnamese, and read by everyone of the unit: like the reports themselves.
    send_or_else(report_build_task, (report.pk,), what=f"report {report.pk}",
                 unreachable=lambda: fail_queued(report, QUEUE_DOWN, language="vi"))


@transaction.atomic
def report_retry(*, actor, report: Report) -> Report:
    report = locked_in_scope(Report.objects, actor=actor, pk=report.pk)
    requeue(report, refusal=_("Only a report that failed can be tried again."), enqueue=report_enqueue)
    return report


def report_build(report_id: int) -> None:
    """Make the report's file. Run by the worker; safe to run again for the same report (a task
    delivered twice after a worker died): a finished report is left as it is."""
    report = start_running(Report, report_id, related="unit")
    if report is None:
        return
    try:
        # Formal reports are in Vietnamese, whoever asked.
        with translation.override("vi"), reading_for_reports():
            options = figures.stored_options(figures.kind_spec(report.kind), report.options)
            version = figures.data_version(kind=report.kind, unit=report.unit, period=report.period, options=options)
            data = figures.report_data(report, progress=lambda percent: _progress(report, percent))
            content = _write(report.format, data)
        name = store_whole(_file_name(report), content)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        # Not over a DONE one: another run of the same report may have finished meanwhile.
        Report.objects.filter(pk=report_id).exclude(status=ReportStatus.DONE).update(
            status=ReportStatus.FAILED, finished_at=timezone.now(),
                                                   error=_failure_message(exc))
        return
    Report.objects.filter(pk=report_id).update(status=ReportStatus.DONE, progress=100, file=name,
                                               data_version=version, finished_at=timezone.now())


def _progress(report: Report, percent: int) -> None:
    Report.objects.filter(pk=report.pk).update(progress=min(max(int(percent), 0), 99))
    # Test-only (set by frontwelfare.settings.test alone): a pause after each section, so that the
    # worker-killed test can kill the worker in the middle of a report.
    if delay := getattr(settings, "REPORT_TEST_DELAY", 0):
        time.sleep(delay)


def _write(file_format: str, data) -> bytes:
    # Each writer is imported when needed: WeasyPrint needs Pango on the machine, and a quick start
    # without it still makes Excel reports.
    if file_format == ReportFormat.XLSX:
        from .writers import xlsx

        return xlsx.write(data)
    if file_format == ReportFormat.DOCX:
        from .writers import docx

        return docx.write(data)
    from .writers import pdf

    return pdf.write(data)


def _file_name(report: Report) -> str:
    return f"reports/{report.pk}/{report.kind}-{report.unit_file_word}-{report.period_start:%Y%m%d}-" \
           f"{report.period_end:%Y%m%d}.{report.format}"


def _failure_message(exc: Exception) -> str:
    with translation.override("vi"):
        return str(_("The report could not be made (%(reason)s). Try again; if it fails again, tell the "
                     "administrator.") % {"reason": type(exc).__name__})


# -- the reports Celery beat makes ----------------------------------------------------------------


def reports_schedule_periodic(today: datetime.date) -> list[Report]:
    """Celery beat's daily run (tasks.reports_schedule_periodic_task): the reports of every kind
    registered as scheduled (the social-security summary), in XLSX, of the past month of every district
    and province that someone works on and, in the month after a quarter, of the past quarter too. On
    the 1st they are made; on a later day only those still missing (beat or Redis was down on the 1st,
    or the report was lost), so a month is never skipped and nothing is made twice.

    Nobody asks for these (``requested_by`` is empty); they show in the reports list of everyone whose
    scope covers their unit. Returns the reports made or found made for the periods due today."""
    wanted = [periods.previous_month(today)]
    quarter = periods.previous_quarter(today)
    if (today - quarter.end).days <= CATCH_UP_DAYS:
        wanted.append(quarter)
    scheduled = [spec.value for spec in registry.kinds() if spec.scheduled]
    return [_scheduled(kind, unit, period) for kind in scheduled for unit in _units_in_use() for period in wanted]


# How long after its period a missing scheduled report is still made: the month after.
CATCH_UP_DAYS = 31


def _scheduled(kind: str, unit, period: Period) -> Report:
    """The scheduled report of ``kind`` on ``unit`` over ``period`` (every option left unchosen):
    the one made (or being made) already, or a new one. A snapshot once made: later changes to the
    data do not make it again."""
    made = Report.objects.filter(kind=kind, unit=unit, options={}, period_start=period.start,
                                 period_end=period.end, format=ReportFormat.XLSX, requested_by=None) \
        .exclude(status=ReportStatus.FAILED).order_by("-requested_at").first()
    if made is not None and not made.is_stale:
        return made
    return report_request(actor=None, kind=kind, unit=unit, period=period, file_format=ReportFormat.XLSX)


def _units_in_use():
    """The districts and provinces an active user's scope covers: a district with a district member
    or with a provincial officer of its province, a province with a provincial officer. Not the
    hundreds nobody works on (nor everything the administrators see)."""
    users = User.objects.filter(is_active=True)
    districts = users.filter(role=Role.DISTRICT_MEMBER).values("unit_id")
    provinces = users.filter(role=Role.PROVINCIAL_OFFICER).values("unit_id")
    return (AdministrativeUnit.objects
            .filter(Q(level=Level.PROVINCE, pk__in=provinces)
                    | Q(level=Level.DISTRICT, pk__in=districts) | Q(level=Level.DISTRICT, province_id__in=provinces))
            .order_by("province_id", "level", "code"))


# -- how a unit's committee signs its documents ------------------------------------------------------


DOCUMENT_SETTINGS_FIELDS = ("signer", "signer_title", "symbol", "recipients")


def keeps_documents_of(user, unit) -> bool:
    """Whether ``user`` sets ``unit``'s document settings: the unit their role is granted (a commune
    officer's commune, a district member's district, a provincial officer's province), no other.
    The administrator, who has no unit, sets none."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and unit is not None
                and user.unit_id == unit.pk and user.role != Role.ADMINISTRATOR)


def document_settings_of(unit) -> DocumentSettings:
    """The unit's settings, or unsaved defaults (the report symbol, everything else blank)."""
    found = DocumentSettings.objects.filter(unit=unit).first() if unit is not None else None
    return found or DocumentSettings(unit=unit)


@transaction.atomic
def document_settings_save(*, actor, unit, **fields) -> DocumentSettings:
    """Save how ``unit``'s committee signs its documents (signer, signer_title, symbol, recipients).
    Only the people of the unit itself may (`keeps_documents_of`); the row is locked, so that two
    people saving at once each leave a whole row and a history line."""
    require_known(fields, DOCUMENT_SETTINGS_FIELDS, "document_settings_save")
    if not keeps_documents_of(actor, unit):
        raise PermissionDenied(_("Only the people of a unit set how its documents are signed."))
    settings_row = DocumentSettings.objects.select_for_update().filter(unit=unit).first() \
        or DocumentSettings(unit=unit)
    for name, value in fields.items():
        setattr(settings_row, name, value.strip() if isinstance(value, str) else value)
    settings_row.updated_by = actor
    validated_save(settings_row, actor=actor)
    return settings_row

"""A report asked for (or scheduled): what, for which unit and period, in which format, and how
far its making has got. The file is made by frontwelfare.reports.tasks.report_build_task.

An export (a big list as a file, reports.exports) is made the same way, but belongs to the person
who asked for it: see Export."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import ScopedQuerySet

from . import registry
from .background import STALE_AFTER
from .choices import ExportFormat, PeriodKind, ReportFormat, ReportStatus
from .documents import REPORT_SYMBOL
from .figures import unit_file_word, unit_label
from .periods import Period


class ReportQuerySet(ScopedQuerySet):
    # A report on the whole country has no unit: only the administrator, who sees everything, sees it.
    unit_path = "unit"


class Report(models.Model):
    # One of the kinds the domain apps register (reports.registry): a callable, so that the choices
    # are the kinds registered when a report is checked, not when this module was imported.
    kind = models.CharField(_("kind"), max_length=40, choices=registry.kind_choices)
    # Empty: the whole country, one row per province; only the administrator asks for it, only for
    # the kinds made for it (ReportKindSpec.whole_country), never the schedule (reports.services).
    unit = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    # The options of its kind chosen, by id ({"programme": 12}: the housing report of one programme;
    # none, every programme of the unit). The request checked each against the asker's scope and unit.
    options = models.JSONField(_("options"), default=dict, blank=True)
    period_kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices)
    period_start = models.DateField(pgettext_lazy("start of a period", "from"))
    period_end = models.DateField(pgettext_lazy("end of a period", "to"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    # The document's number in the committee's register ("Số: 12/BC-MTTQ"); empty: printed blank, for
    # the clerk to write in when the report is signed.
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True,
                                         validators=[MinValueValidator(1)])
    # Empty for the reports Celery beat makes by itself.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("asked for by"))
    requested_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What the data looked like when the file was made (reports.figures.data_version): the same
    # report asked for again while it is unchanged is served from this file.
    data_version = models.CharField(max_length=200, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "unit", "period_start", "period_end", "format", "status"],
                         name="report_same_request"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="report_period_in_order",
                                   violation_error_message=_("The period must end after it starts.")),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
            # The schedule makes reports of the units in use; the whole country's is asked for.
            models.CheckConstraint(condition=models.Q(unit__isnull=False) | models.Q(requested_by__isnull=False),
                                   name="report_whole_country_is_asked_for",
                                   violation_error_message=_("A scheduled report is made for a unit.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit_name} · {self.period.label}"

    @property
    def unit_name(self) -> str:
        """The unit's name, or "Toàn quốc" for the whole country's report."""
        return unit_label(self.unit)

    @property
    def unit_file_word(self) -> str:
        """The unit in the file's name: "huyen-mo-cay-bac", "toan-quoc"."""
        return unit_file_word(self.unit)

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start, self.period_end)

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Queued or running for so long that it has been lost (see reports.background.STALE_AFTER)."""

        return not self.is_finished and self.requested_at < timezone.now() - STALE_AFTER


class DocumentSettings(models.Model):
    """How a unit's standing committee signs its formal documents (reports.documents): who signs and
    as what, the symbol after the number ("BC-MTTQ") and who receives them. One row per unit, set by
    the people whose role is granted that unit (reports.services.document_settings_save); a unit
    without one prints blanks to fill in by hand."""

    unit = models.OneToOneField("areas.AdministrativeUnit", models.CASCADE, related_name="document_settings",
                                verbose_name=_("unit"))
    signer = models.CharField(_("signer's name"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True,
                                    help_text=_("For example Chủ tịch, Phó Chủ tịch"))
    symbol = models.CharField(
        _("document symbol"), max_length=30, default=REPORT_SYMBOL,
        validators=[RegexValidator(r"^[^\s/]+$", _("Write the symbol without spaces or slashes, like BC-MTTQ."))],
        help_text=_("Printed after the number: Số: 12/BC-MTTQ"))
    recipients = models.TextField(_("recipients (Nơi nhận)"), max_length=2000, blank=True,
                                  help_text=_("One per line; the office's copy (Lưu: VT.) is added last"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("changed by"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return f"{self.unit} · {self.symbol}"

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export holds the rows its requester saw, as they saw them (citizen IDs in full for
        the officers who work with the person, masked for others): it is theirs alone, not their
        unit's like a report, and only while they keep the role and unit it was made for. One
        indexed filter, like every scope rule."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        return self.filter(requested_by=user, role=user.role, unit_id=user.unit_id)


class Export(models.Model):
    """A list (the households', as filtered) written to a file by a Celery task, because it was too
    big to write within the request (reports.exports). The task applies the filters again through
    ``visible_to`` of the requester as they are when it runs."""

    kind = models.CharField(_("list"), max_length=40, choices=registry.export_choices)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    # The list's filters as its query string gave them ({"q": "nguyen", "year": "2025"}).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The headers' language: the requester's when they asked.
    language = models.CharField(max_length=8, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                     verbose_name=_("asked for by"))
    # The requester's scope when they asked: the file is served to them while it is still theirs.
    role = models.CharField(max_length=24, editable=False)
    unit = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, null=True, blank=True, related_name="+",
                             editable=False)
    requested_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "kind", "format", "status"], name="export_same_request")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="export_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_format_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Queued or running for so long that it has been lost (see reports.background.STALE_AFTER)."""

        return not self.is_finished and self.requested_at < timezone.now() - STALE_AFTER

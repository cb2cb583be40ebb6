"""The fixed lists of reports. Values are stored; labels are translated. The kinds of report are
not fixed here: the domain apps register them (reports.registry)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Six months")
    YEAR = "year", _("Year")
    RANGE = "range", _("From date to date")


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    """The formats of a list's export (reports.exports): a workbook, or a CSV file for other tools."""

    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV")

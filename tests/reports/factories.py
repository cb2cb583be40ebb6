"""Factories of the reports app. They write rows directly (no services), to set up tests fast;
tests of asking for a report go through reports.services."""

import datetime
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from frontwelfare.reports.choices import ExportFormat, PeriodKind, ReportFormat, ReportStatus
from frontwelfare.reports.models import Export, Report
from households.report_sections import SOCIAL_SECURITY

from ..factories import CommuneOfficerFactory, DistrictFactory


def tiny_xlsx(*cells: str) -> bytes:
    """A real workbook with ``cells`` in its first column: what a test looks for in a download."""
    workbook = Workbook()
    for row, value in enumerate(cells, start=1):
        workbook.active.cell(row=row, column=1, value=value)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


class ReportFactory(DjangoModelFactory):
    """A social-security report of the second quarter of 2025, queued, asked for by nobody (the
    schedule)."""

    class Meta:
        model = Report

    kind = SOCIAL_SECURITY
    unit = factory.SubFactory(DistrictFactory)
    period_kind = PeriodKind.QUARTER
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2025, 6, 30)
    format = ReportFormat.XLSX
    status = ReportStatus.QUEUED


class DoneReportFactory(ReportFactory):
    """A finished report whose file names its unit."""

    status = ReportStatus.DONE
    progress = 100
    data_version = "1-1-1-1"
    finished_at = factory.LazyFunction(timezone.now)

    @factory.lazy_attribute
    def file(self):
        return ContentFile(tiny_xlsx(self.unit.name), name="bao-cao.xlsx")


class ExportFactory(DjangoModelFactory):
    """An export of the household list, queued, asked for by a commune officer of a new commune
    (its role and unit are the requester's, as the service records them)."""

    class Meta:
        model = Export

    kind = "households"
    format = ExportFormat.XLSX
    filters = factory.LazyFunction(dict)
    language = "vi"
    requested_by = factory.SubFactory(CommuneOfficerFactory)
    role = factory.SelfAttribute("requested_by.role")
    unit = factory.SelfAttribute("requested_by.unit")
    row_count = 3000
    status = ReportStatus.QUEUED


class DoneExportFactory(ExportFactory):
    """A finished export whose file holds its search filter (``filters["q"]``, if any)."""

    status = ReportStatus.DONE
    progress = 100
    finished_at = factory.LazyFunction(timezone.now)

    @factory.lazy_attribute
    def file(self):
        return ContentFile(tiny_xlsx(self.filters.get("q", "")), name="ho-gia-dinh.xlsx")

"""The FilterSet of the reports list (the API's; the page lists every report in scope)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from frontwelfare.filters import IdFilter

from . import registry
from .choices import ReportFormat, ReportStatus
from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Report"), choices=registry.kind_choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    file_format = django_filters.ChoiceFilter(field_name="format", label=_("Format"), choices=ReportFormat.choices)
    # An id, not a choice of units: the list is limited to the viewer's scope already, and a unit
    # outside it simply lists nothing.
    unit = IdFilter(field_name="unit_id", label=_("Unit"),
                    help_text=_("Id of the unit the report is about (not the units below it)."))

    class Meta:
        model = Report
        fields = []

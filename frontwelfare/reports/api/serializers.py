"""Reports as JSON, and a request for one. Serializers parse; the rules are the request form's
(the units one may report on, the period built from its fields) and reports.services' (scope
again, a period that has started, an option only for the kinds that take it, one the caller may
choose and that covers the unit), which the view calls with what was parsed. The kinds and their
options are the domain apps' (reports.registry): nothing here names one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from frontwelfare.api import api_errors
from frontwelfare.areas.models import AdministrativeUnit

from .. import registry
from ..choices import PeriodKind, ReportFormat, ReportStatus
from ..forms import report_units
from ..models import DocumentSettings, Report
from ..pages import failure_message
from ..periods import FIRST_YEAR, IN_A_YEAR, PERIOD_FIELDS, period_from_fields

# -- a report -------------------------------------------------------------------------------------


class ReportUnitSerializer(serializers.ModelSerializer):
    """A province, district or commune, by id, GSO code and name."""

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]


class OptionFactSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PeriodKind.choices, read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("How the report's title names the period."))


class ReportSerializer(serializers.ModelSerializer):
    """A report: what, on which unit and period, how far its making has got, and its file."""

    unit = ReportUnitSerializer(read_only=True, allow_null=True,
                                help_text=_("Null for a report on the whole country (one row per province)."))
    options = serializers.DictField(
        child=serializers.IntegerField(), read_only=True,
        help_text=_("The options the report was asked with, by id (the housing report's programme)."))
    option_facts = serializers.SerializerMethodField(
        help_text=_("Each option of the report's kind, in words (the choice of none included)."))
    period = PeriodSerializer(read_only=True)
    file_format = serializers.ChoiceField(source="format", choices=ReportFormat.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.SerializerMethodField(
        help_text=_("Who asked for it; empty for a report made by the schedule."))
    error = serializers.SerializerMethodField(help_text=_("Why the report failed; empty otherwise."))
    download_url = serializers.SerializerMethodField(help_text=_("The file, once the report is done."))

    class Meta:
        model = Report
        fields = ["id", "kind", "kind_label", "unit", "options", "option_facts", "period", "file_format", "number",
                  "status",
                  "status_label",
                  "progress", "error", "requested_by", "requested_at", "started_at", "finished_at", "download_url"]

    @extend_schema_field(OptionFactSerializer(many=True))
    def get_option_facts(self, report) -> list[dict]:
        # Filled by figures.describe_options for the whole page at once (reports.api.views).
        return [{"label": str(label), "text": str(text)} for label, text in getattr(report, "option_facts", [])]

    def get_requested_by(self, report) -> str:
        user = report.requested_by
        return (user.get_full_name() or user.username) if user is not None else ""

    def get_error(self, report) -> str:
        return failure_message(report) if report.status == ReportStatus.FAILED else ""

    def get_download_url(self, report) -> str | None:
        if report.status != ReportStatus.DONE or not report.file:
            return None
        url = reverse("api:report-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ReportAskedSerializer(ReportSerializer):
    """The report a request was answered with: a new one, or one asked for earlier."""

    reused = serializers.BooleanField(
        read_only=True, help_text=_("True when the answer is a report asked for earlier: its finished file (nothing "
                                    "it counts has changed since), or the same report being made already."))
    message = serializers.CharField(read_only=True, help_text=_("What the page would say about it; may be empty."))

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "reused", "message"]


# -- asking for a report ----------------------------------------------------------------------------


def _number(name: str, label) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, min_value=1,
                                    max_value=IN_A_YEAR[name])


class ReportRequestSerializer(serializers.Serializer):
    """A request for a report, with the request form's fields: the period is given by
    ``period_kind`` and the fields of that kind (``year`` and ``month``, ``quarter`` or ``half``;
    ``year`` alone; or ``period_start`` and ``period_end``); the others are ignored."""

    kind = serializers.ChoiceField(label=_("Report"), choices=[])
    # Left out or null: the whole country, as the page's empty choice (reports.services refuses it
    # to anyone but the administrator, and for the kinds not made for it, under ``unit``).
    unit = serializers.PrimaryKeyRelatedField(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), required=False, allow_null=True, default=None,
        error_messages={"does_not_exist": _("Unit not found."), "incorrect_type": _("Unit not found.")},
        help_text=_("Your own unit or one below it (an administrator: a province or a district). An administrator "
                    "may leave it out or send null for the whole country, one row per province, with the kinds "
                    "that allow it (whole_country in /api/v1/reports/choices/)."),
    )
    period_kind = serializers.ChoiceField(label=_("Reporting period"), choices=PeriodKind.choices)
    year = serializers.IntegerField(label=_("Year"), required=False, allow_null=True, min_value=FIRST_YEAR,
                                    max_value=9999)
    month = _number("month", _("Month"))
    quarter = _number("quarter", _("Quarter"))
    half = _number("half", _("Six months"))
    period_start = serializers.DateField(label=_("From"), required=False, allow_null=True)
    period_end = serializers.DateField(label=_("To"), required=False, allow_null=True)
    file_format = serializers.ChoiceField(label=_("Format"), choices=ReportFormat.choices, default=ReportFormat.XLSX)
    number = serializers.IntegerField(
        label=_("Document number"), required=False, allow_null=True, default=None, min_value=1,
        max_value=2_147_483_647,
        help_text=_("Printed as Số: 12/BC-MTTQ in the PDF and Word files; null: left blank to write in by hand."))
    options = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), required=False, default=dict,
        help_text=_("The options of the kind, by id: e.g. {\"programme\": 12} for one housing programme (every "
                    "programme of the unit if left out). See /api/v1/reports/choices/."))

    def get_fields(self):
        fields = super().get_fields()
        fields["kind"].choices = registry.kind_choices()
        request = self.context.get("request")
        if request is not None:
            # The units the page offers; any other reads as missing (400 on ``unit``).
            fields["unit"].queryset = report_units(request.user)
        return fields

    def validate(self, attrs):
        errors = {}
        try:
            attrs["period"] = period_from_fields(attrs["period_kind"], attrs, today=timezone.localdate())
        except DjangoValidationError as error:
            errors.update(api_errors(error))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def request_arguments(self) -> dict:
        """What reports.api.views.report_ask passes on to the service."""
        data = self.validated_data
        return {"kind": data["kind"], "unit": data["unit"], "period": data["period"],
                "file_format": data["file_format"], "options": data["options"], "number": data["number"]}


# -- the fixed lists --------------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class PeriodKindChoiceSerializer(ChoiceSerializer):
    request_fields = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=_("The request's fields that give a period of this kind."))


class KindChoiceSerializer(ChoiceSerializer):
    options = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text=_("The options this kind takes (see option_labels)."))
    whole_country = serializers.BooleanField(
        read_only=True, help_text=_("Whether an administrator may ask for it on the whole country (no unit)."))


class ReportChoicesSerializer(serializers.Serializer):
    """The values a request takes and a report shows, with their labels in the caller's language."""

    kinds = KindChoiceSerializer(many=True, read_only=True)
    option_labels = ChoiceSerializer(many=True, read_only=True)
    file_formats = ChoiceSerializer(many=True, read_only=True)
    period_kinds = PeriodKindChoiceSerializer(many=True, read_only=True)
    statuses = ChoiceSerializer(many=True, read_only=True)
    first_year = serializers.IntegerField(read_only=True)

    @staticmethod
    def lists() -> dict:
        def labelled(choices):
            return [{"value": value, "label": str(label)} for value, label in choices.choices]

        return {
            "kinds": [{"value": spec.value, "label": str(spec.label), "options": list(spec.options),
                       "whole_country": spec.whole_country} for spec in registry.kinds()],
            "option_labels": [{"value": option.name, "label": str(option.label)} for option in registry.options()],
            "file_formats": labelled(ReportFormat), "statuses": labelled(ReportStatus),
            "period_kinds": [{"value": value, "label": str(label), "request_fields": list(PERIOD_FIELDS[value])}
                             for value, label in PeriodKind.choices],
            "first_year": FIRST_YEAR,
        }


# -- how the caller's unit signs its documents --------------------------------------------------------


class DocumentSettingsSerializer(serializers.ModelSerializer):
    """How the caller's unit's standing committee signs its PDF and Word reports."""

    unit = ReportUnitSerializer(read_only=True)
    updated_by = serializers.SerializerMethodField(help_text=_("Who saved them last; empty before."))
    # Empty until the settings are first saved (the unit's defaults are shown until then).
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = DocumentSettings
        fields = ["unit", "signer_title", "signer", "symbol", "recipients", "updated_by", "updated_at"]

    def get_updated_by(self, settings_row) -> str:
        user = settings_row.updated_by if settings_row.updated_by_id else None
        return (user.get_full_name() or user.username) if user is not None else ""

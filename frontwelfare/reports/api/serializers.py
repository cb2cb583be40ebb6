"""Reports as JSON, and a request for one. Serializers parse; the rules are the request form's
(the units one may report on, the period built from its fields, a programme that covers the unit)
and reports.services' (scope again, a period that has started, a programme only for the housing
report), which the view calls with what was parsed."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from frontwelfare.api import api_errors
from frontwelfare.areas.models import AdministrativeUnit
from housing.models import Programme

from ..choices import PeriodKind, ReportFormat, ReportKind, ReportStatus
from ..forms import NOT_COVERED, programme_covers, report_units
from ..models import Report
from ..pages import failure_message
from ..periods import FIRST_YEAR, IN_A_YEAR, PERIOD_FIELDS, period_from_fields

# -- a report -------------------------------------------------------------------------------------


class ReportUnitSerializer(serializers.ModelSerializer):
    """A province, district or commune, by id, GSO code and name."""

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]


class ReportProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "decision_number"]


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PeriodKind.choices, read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("How the report's title names the period."))


class ReportSerializer(serializers.ModelSerializer):
    """A report: what, on which unit and period, how far its making has got, and its file."""

    unit = ReportUnitSerializer(read_only=True)
    programme = ReportProgrammeSerializer(read_only=True, allow_null=True)
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
        fields = ["id", "kind", "kind_label", "unit", "programme", "period", "file_format", "status", "status_label",
                  "progress", "error", "requested_by", "requested_at", "started_at", "finished_at", "download_url"]

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


class ReportOptionsSerializer(serializers.Serializer):
    """What only some kinds of report take."""

    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Programme not found."), "incorrect_type": _("Programme not found.")},
        help_text=_("The housing report only: one programme's progress (every programme of the unit if left out)."),
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Out of scope reads as missing, as in the page's select.
            fields["programme"].queryset = Programme.objects.visible_to(request.user).select_related("unit")
        return fields


def _number(name: str, label) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, min_value=1,
                                    max_value=IN_A_YEAR[name])


class ReportRequestSerializer(serializers.Serializer):
    """A request for a report, with the request form's fields: the period is given by
    ``period_kind`` and the fields of that kind (``year`` and ``month``, ``quarter`` or ``half``;
    ``year`` alone; or ``period_start`` and ``period_end``); the others are ignored."""

    kind = serializers.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    unit = serializers.PrimaryKeyRelatedField(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(),
        error_messages={"does_not_exist": _("Unit not found."), "incorrect_type": _("Unit not found.")},
        help_text=_("Your own unit or one below it (an administrator: a province or a district)."),
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
    options = ReportOptionsSerializer(required=False, default=dict)

    def get_fields(self):
        fields = super().get_fields()
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
        programme = attrs["options"].get("programme")
        if programme is not None and not programme_covers(programme, attrs["unit"]):
            errors["options"] = {"programme": [NOT_COVERED]}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def request_arguments(self) -> dict:
        """What reports.api.views.report_ask passes on to the service."""
        data = self.validated_data
        return {"kind": data["kind"], "unit": data["unit"], "period": data["period"],
                "file_format": data["file_format"], "options": data["options"]}


# -- the fixed lists --------------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class PeriodKindChoiceSerializer(ChoiceSerializer):
    request_fields = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=_("The request's fields that give a period of this kind."))


class ReportChoicesSerializer(serializers.Serializer):
    """The values a request takes and a report shows, with their labels in the caller's language."""

    kinds = ChoiceSerializer(many=True, read_only=True)
    file_formats = ChoiceSerializer(many=True, read_only=True)
    period_kinds = PeriodKindChoiceSerializer(many=True, read_only=True)
    statuses = ChoiceSerializer(many=True, read_only=True)
    first_year = serializers.IntegerField(read_only=True)

    @staticmethod
    def lists() -> dict:
        def labelled(choices):
            return [{"value": value, "label": str(label)} for value, label in choices.choices]

        return {
            "kinds": labelled(ReportKind), "file_formats": labelled(ReportFormat), "statuses": labelled(ReportStatus),
            "period_kinds": [{"value": value, "label": str(label), "request_fields": list(PERIOD_FIELDS[value])}
                             for value, label in PeriodKind.choices],
            "first_year": FIRST_YEAR,
        }

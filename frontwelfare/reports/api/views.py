"""The reports API: ask for a report, follow its progress, download its file, try it again, and
the fixed lists a request is made of. The same scope and services as the pages (reports.pages).

Reads go through `Report.objects.visible_to` (ScopedViewSetMixin): a report on a unit outside the
caller's scope answers 404 like a missing one. A request names a unit the caller may report on
(the page's choices: any other is "Unit not found.", 400, as the page's form refuses it) and goes
through services.report_request, which checks the scope again (403, as on the page, should it
disagree); `ServiceErrorsMixin` turns what the services raise into 400, 403 and 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from frontwelfare.api import IDEMPOTENCY_KEY, ScopedViewSetMixin, ServiceErrorsMixin, api_errors, created_once

from .. import figures, services
from ..choices import ReportFormat, ReportStatus
from ..filters import ReportFilterSet
from ..forms import may_ask_for_reports
from ..models import Report
from ..pages import CONTENT_TYPES, report_file_response, reuse_note
from .serializers import (
    DocumentSettingsSerializer,
    ReportAskedSerializer,
    ReportChoicesSerializer,
    ReportRequestSerializer,
    ReportSerializer,
)


def report_ask(*, actor, kind: str, unit, period, file_format: str, options: dict, number: int | None) -> Report:
    """services.report_request, which checks the options (the kind takes them, the caller may
    choose them, they cover the unit); its refusal of an option is keyed under ``options``, where
    the caller gave it."""
    try:
        return services.report_request(actor=actor, kind=kind, unit=unit, period=period, file_format=file_format,
                                       options=options, number=number)
    except DjangoValidationError as error:
        detail = api_errors(error)
        refused = {name: detail.pop(name) for name in options if name in detail}
        if refused:
            detail["options"] = refused
        raise exceptions.ValidationError(detail) from error


class CanAskForReports(permissions.BasePermission):
    """Asking is for the people of a unit and the administrator, as on the page."""

    message = _("Your account has no unit to ask for reports on.")

    def has_permission(self, request, view):
        return view.action != "create" or may_ask_for_reports(request.user)


# The administrator has no unit, hence no document settings of their own.
NO_UNIT_OF_YOUR_OWN = OpenApiResponse(description=_("You have no unit of your own."))


@extend_schema_view(
    list=extend_schema(summary=_("List reports"),
                       description=_("The reports on units within your scope, asked for by anyone or made by the "
                                     "schedule, newest first.")),
    retrieve=extend_schema(summary=_("Show a report, its status and progress")),
    create=extend_schema(
        summary=_("Ask for a report"),
        description=_("The report is made in the background: follow its status and progress, then download its "
                      "file. If the same report was made earlier and nothing it counts has changed since, or is "
                      "being made already, that one is the answer (200, with reused true); otherwise a new one "
                      "is queued (201)."),
        request=ReportRequestSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: ReportAskedSerializer, 200: ReportAskedSerializer},
    ),
)
class ReportViewSet(ServiceErrorsMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Reports on the caller's unit and the units below it."""

    model = Report
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    permission_classes = [permissions.IsAuthenticated, CanAskForReports]
    lookup_value_regex = r"\d+"
    # A request's options are an object: JSON only (a form's fields cannot nest).
    parser_classes = [JSONParser]

    def prepare_queryset(self, queryset):
        return queryset.select_related("unit", "requested_by").order_by("-requested_at", "-id")

    def paginate_queryset(self, queryset):
        # The options in words, one query per option for the whole page (figures.describe_options).
        page = super().paginate_queryset(queryset)
        return figures.describe_options(page) if page is not None else None

    def get_object(self):
        return figures.describe_options([super().get_object()])[0]

    def _shown(self, report: Report, serializer_class=ReportSerializer, **extra) -> dict:
        """The report as retrieve shows it, read again within the caller's scope (the status has
        changed if the queue could not be reached)."""
        report = figures.describe_options([self.get_queryset().get(pk=report.pk)])[0]
        for name, value in extra.items():
            setattr(report, name, value)
        return serializer_class(report, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        asked_at = timezone.now()

        def shown(report, code) -> Response:
            note = reuse_note(report, asked_at)
            data = self._shown(report, ReportAskedSerializer, reused=note is not None, message=note or "")
            if not data["message"] and data["status"] == ReportStatus.FAILED:
                data["message"] = data["error"]
            return Response(data, status=code if note is None else status.HTTP_200_OK)

        return created_once(request, lambda: report_ask(actor=request.user, **serializer.request_arguments()), shown)

    @extend_schema(
        summary=_("Try a failed report again"),
        description=_("Only a report that failed (or was lost on its way) can be tried again."),
        request=None, responses=ReportSerializer,
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        report = services.report_retry(actor=request.user, report=self.get_object())
        return Response(self._shown(report))

    @extend_schema(
        summary=_("Download a finished report's file"),
        description=_("Answers 404 until the report is done."),
        responses={
            (200, CONTENT_TYPES[ReportFormat.XLSX]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, CONTENT_TYPES[ReportFormat.PDF]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, CONTENT_TYPES[ReportFormat.DOCX]): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return report_file_response(self.get_object())

    @extend_schema(
        summary=_("The kinds of report, formats, periods and statuses"),
        description=_("The values a request takes, with their labels in your language."),
        responses=ReportChoicesSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def choices(self, request):
        return Response(ReportChoicesSerializer(ReportChoicesSerializer.lists()).data)

    @extend_schema(
        summary=_("Your unit's document settings"),
        description=_("How your unit's standing committee signs its PDF and Word reports: the signer's title and "
                      "name, the symbol after the number, the recipients (one per line). Only your own unit's; "
                      "the administrator, who has no unit, gets 404."),
        methods=["GET"], responses={200: DocumentSettingsSerializer, 404: NO_UNIT_OF_YOUR_OWN},
    )
    @extend_schema(summary=_("Change your unit's document settings"), methods=["PUT"],
                   request=DocumentSettingsSerializer,
                   responses={200: DocumentSettingsSerializer, 404: NO_UNIT_OF_YOUR_OWN})
    @action(detail=False, methods=["get", "put"], url_path="document-settings", filter_backends=[],
            pagination_class=None)
    def document_settings(self, request):
        unit = request.user.unit
        if not services.keeps_documents_of(request.user, unit):
            raise Http404
        if request.method == "GET":
            return Response(DocumentSettingsSerializer(services.document_settings_of(unit)).data)
        serializer = DocumentSettingsSerializer(services.document_settings_of(unit), data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {name: serializer.validated_data[name] for name in services.DOCUMENT_SETTINGS_FIELDS
                  if name in serializer.validated_data}
        saved = services.document_settings_save(actor=request.user, unit=unit, **fields)
        return Response(DocumentSettingsSerializer(saved).data)

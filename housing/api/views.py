"""The housing API: programmes and house cases with the pages' scope, FilterSets and services.

Reads go through `visible_to` (ScopedViewSetMixin): an out-of-scope programme or case answers
404 like a missing one. Writes call housing.services, which check the role, the state and the
rules again under lock; `ServiceErrorsMixin` turns what they raise into 400, 403 and 404. The
permission classes below only ask the same housing.permissions and housing.workflow questions
as the pages, before the body is parsed, so a caller who may not act gets 403 rather than a
list of field errors.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from frontwelfare.api import IDEMPOTENCY_KEY, ScopedViewSetMixin, ServiceErrorsMixin, created_once
from housing import services
from housing.choices import Transition
from housing.filters import CaseFilterSet, ProgrammeFilterSet
from housing.models import CaseAttachment, CaseTransition, HousingCase, Programme
from housing.permissions import (
    NOT_PROGRAMME_MANAGER,
    NOT_PROPOSER,
    PROPOSAL_DECIDED,
    STEP_NOT_FOR_ROLE,
    can_manage_programme_of,
    is_commune_officer_of,
    programme_units_for,
)
from housing.selectors import programmes_with_figures
from housing.workflow import STEPS, attach_refusal, can_edit_proposal, may_take

from .serializers import (
    STEP_SERIALIZERS,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseCreateSerializer,
    CaseListSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    ProgrammeListSerializer,
    ProgrammeSerializer,
    ProgrammeWriteSerializer,
    TargetsSerializer,
)

# -- programmes -------------------------------------------------------------------------------------


class CanManageProgramme(permissions.BasePermission):
    """Everyone reads the programmes they see; creating and changing one is for the committee
    that runs it (`can_manage_programme_of`). housing.services checks it again."""

    message = NOT_PROGRAMME_MANAGER

    def has_permission(self, request, view):
        if view.action == "create":
            return programme_units_for(request.user).exists()
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_manage_programme_of(request.user, obj.unit)


@extend_schema_view(
    list=extend_schema(summary=_("List housing programmes"), responses=ProgrammeListSerializer),
    retrieve=extend_schema(summary=_("Show a programme with its targets and progress")),
    create=extend_schema(summary=_("Create a housing programme"), request=ProgrammeWriteSerializer,
                         parameters=[IDEMPOTENCY_KEY], responses={201: ProgrammeSerializer, 200: ProgrammeSerializer}),
    update=extend_schema(summary=_("Change a programme"), request=ProgrammeWriteSerializer,
                         responses=ProgrammeSerializer),
    partial_update=extend_schema(summary=_("Change some of a programme's fields"), request=ProgrammeWriteSerializer,
                                 responses=ProgrammeSerializer),
)
class ProgrammeViewSet(ServiceErrorsMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Housing programmes run by the caller's unit, by the units above it and (for a province)
    by its districts. Progress and targets are shown for the units the caller covers."""

    model = Programme
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    permission_classes = [permissions.IsAuthenticated, CanManageProgramme]

    def prepare_queryset(self, queryset):
        if self.action == "list":
            queryset = programmes_with_figures(queryset, user=self.request.user)
        else:  # one programme: its figures come with its progress (ProgrammeSerializer)
            queryset = queryset.select_related("unit", "created_by")
        return queryset.order_by("-deadline", "name")

    def get_serializer_class(self):
        return ProgrammeListSerializer if self.action == "list" else ProgrammeSerializer

    def _shown(self, programme: Programme, *, status_code=status.HTTP_200_OK) -> Response:
        """The programme as retrieve shows it, read again within the caller's scope."""
        programme = self.get_queryset().get(pk=programme.pk)
        return Response(ProgrammeSerializer(programme, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = ProgrammeWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return created_once(
            request, lambda: services.programme_create(actor=request.user, **serializer.validated_data),
            lambda programme, code: self._shown(programme, status_code=code),
        )

    def update(self, request, *args, partial=False, **kwargs):
        programme = self.get_object()
        serializer = ProgrammeWriteSerializer(programme, data=request.data, partial=partial,
                                              context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        programme = services.programme_update(actor=request.user, programme=programme, **serializer.validated_data)
        return self._shown(programme)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary=_("Set a programme's targets"),
        description=_("Replaces every target of the programme. Where a unit (or the programme) has a target and "
                      "the units below it have targets too, theirs must add up to it."),
        request=TargetsSerializer, responses=ProgrammeSerializer,
    )
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        programme = self.get_object()
        serializer = TargetsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.programme_targets_set(actor=request.user, programme=programme, targets=serializer.targets_by_unit())
        return self._shown(programme)


# -- cases ------------------------------------------------------------------------------------------


class CanWorkOnCase(permissions.BasePermission):
    """The pages' checks before a form is shown: proposing and attaching files are for the
    commune's Front officers, changing the proposal for them until the district decides, and
    each workflow step for its role (`may_take`). The state is judged by the service (400)."""

    def has_permission(self, request, view):
        if view.action == "create" and not is_commune_officer_of(request.user, request.user.unit_id):
            self.message = NOT_PROPOSER
            return False
        return True

    def has_object_permission(self, request, view, case):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "partial_update":
            self.message = PROPOSAL_DECIDED
            return can_edit_proposal(request.user, case)
        if view.action == "attachments":
            refusal = attach_refusal(request.user, case)
            if isinstance(refusal, PermissionDenied):
                self.message = str(refusal)
                return False
            return True  # a closed case is the service's 400, as for a step
        if view.action in STEPS:
            self.message = STEP_NOT_FOR_ROLE
            return may_take(request.user, case, STEPS[view.action])
        return False


def _step_schema(step: str):
    return extend_schema(summary=STEPS[step].name.label, request=STEP_SERIALIZERS[step], responses=CaseSerializer)


@extend_schema_view(
    list=extend_schema(summary=_("List house cases"), responses=CaseListSerializer),
    retrieve=extend_schema(summary=_("Show a house case with its steps and attachments")),
    create=extend_schema(summary=_("Propose a house for a household"), request=CaseCreateSerializer,
                         parameters=[IDEMPOTENCY_KEY], responses={201: CaseSerializer, 200: CaseSerializer}),
    partial_update=extend_schema(summary=_("Change the proposal and its funding plan"),
                                 request=CaseUpdateSerializer, responses=CaseSerializer),
)
class CaseViewSet(ServiceErrorsMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """House cases of the communes within the caller's unit, and their workflow. Each step is
    an action of its own, offered in a case's ``available_steps`` to those who may take it."""

    model = HousingCase
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    permission_classes = [permissions.IsAuthenticated, CanWorkOnCase]

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("household", "commune", "programme")
        if self.action != "list":
            queryset = queryset.select_related("proposed_by").prefetch_related(
                Prefetch("transitions", queryset=CaseTransition.objects.select_related("actor")),
                Prefetch("attachments", queryset=CaseAttachment.objects.select_related("uploaded_by")),
            )
        return queryset.order_by("-updated_at", "-id")

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def _shown(self, case: HousingCase, *, status_code=status.HTTP_200_OK) -> Response:
        """The case as retrieve shows it, read again within the caller's scope."""
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return created_once(
            request,
            lambda: services.case_propose(actor=request.user, household=serializer.validated_data["household"],
                                          programme=serializer.validated_data["programme"],
                                          data=serializer.case_data(),
                                          proposed_on=serializer.validated_data.get("proposed_on")),
            lambda case, code: self._shown(case, status_code=code),
        )

    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        serializer = CaseUpdateSerializer(case, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        case = services.case_update(actor=request.user, case=case, **serializer.validated_data)
        return self._shown(case)

    def _advance(self, request, step: str) -> Response:
        case = self.get_object()
        serializer = STEP_SERIALIZERS[step](data=request.data)
        serializer.is_valid(raise_exception=True)
        services.case_advance(
            actor=request.user, case=case, step=step, note=serializer.validated_data["note"],
            handover_record=serializer.validated_data.get("handover_record"),
            **serializer.step_values(STEPS[step]),
        )
        return self._shown(case)

    @_step_schema(Transition.SURVEY)
    @action(detail=True, methods=["post"])
    def survey(self, request, pk=None):
        return self._advance(request, Transition.SURVEY)

    @_step_schema(Transition.APPROVE)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._advance(request, Transition.APPROVE)

    @_step_schema(Transition.REJECT)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._advance(request, Transition.REJECT)

    @_step_schema(Transition.START)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._advance(request, Transition.START)

    @_step_schema(Transition.COMPLETE)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._advance(request, Transition.COMPLETE)

    @_step_schema(Transition.HAND_OVER)
    @action(detail=True, methods=["post"], url_path="hand-over",
            parser_classes=[MultiPartParser, FormParser, JSONParser])
    def hand_over(self, request, pk=None):
        return self._advance(request, Transition.HAND_OVER)

    @_step_schema(Transition.CANCEL)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._advance(request, Transition.CANCEL)

    @extend_schema(
        summary=_("Attach a photo or document to a case"),
        description=_("Photos (JPEG, PNG, WebP) and PDF documents, judged by their content; the name's extension "
                      "must agree with it."),
        request=AttachmentUploadSerializer, parameters=[IDEMPOTENCY_KEY],
        responses={201: AttachmentSerializer, 200: AttachmentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        case = self.get_object()
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def shown(attachment, code) -> Response:
            attachment = CaseAttachment.objects.visible_to(request.user).select_related("uploaded_by").get(
                pk=attachment.pk)
            return Response(AttachmentSerializer(attachment, context=self.get_serializer_context()).data, status=code)

        return created_once(
            request, lambda: services.attachment_add(actor=request.user, case=case,
                                                     kind=serializer.validated_data["kind"],
                                                     uploaded_file=serializer.validated_data["file"]),
            shown,
        )


"""The typical models' API: rounds, models and their workflow, agency meetings and recognition
notices, with the pages' scope, FilterSets and services (models_registry.services).

Reads go through `visible_to` (ScopedViewSetMixin): out of scope answers 404 like missing. Writes
call models_registry.services, which check the role, the state, the deadline and every rule again
under lock; `ServiceErrorsMixin` turns what they raise into 400, 403 and 404, so no rule is written
here. The permission classes only ask models_registry.permissions and models_registry.workflow the
pages' questions before a body is parsed, so that a caller in scope who may not act gets 403 (with
the service's words) rather than a list of field errors.

Shapes:
- ``/models/rounds/``: list, create (a round of the caller's unit), retrieve, partial update (its
  dates); ``criteria/`` (a new list, versioned once an inspection used the old one), ``reopen/``,
  ``synthesis/`` (by commune and field), ``send/`` (the synthesis to the province), ``board/``.
- ``/models/models/``: list, create (a draft of the caller's commune), retrieve (with
  ``available_steps``), partial update and delete while the commune holds it;
  ``steps/<step>/`` for the steps taken with a note; ``plan/``, ``inspection/`` and ``decision/``
  for those taken by recording something; ``attachments/``, ``visits/``, ``media/``, ``awards/``
  and ``support/`` add a record to the model.
- ``/models/meetings/`` and ``/models/notices/``: the level above's records; POST records one.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from donations.api.views import LedgerViewSet, _create_schema
from donations.models import Fund
from frontwelfare.accounts.choices import Role
from frontwelfare.api import IDEMPOTENCY_KEY, created_once
from frontwelfare.reports.models import Report
from models_registry import selectors, services
from models_registry.filters import RoundFilterSet, TypicalModelFilterSet
from models_registry.models import (
    Award,
    Criterion,
    MediaCoverage,
    Meeting,
    MeetingItem,
    ModelAttachment,
    ModelStep,
    ModelSupport,
    Notice,
    Reopening,
    Round,
    Score,
    StudyVisit,
    TypicalModel,
)
from models_registry.permissions import (
    NOT_LEVEL_ABOVE,
    NOT_MODEL_OFFICER,
    NOT_REGISTERING_OFFICER,
    STEP_NOT_FOR_ROLE,
    is_approver_of,
    is_commune_officer_of,
    runs_round,
)
from models_registry.workflow import STEPS, can_edit, can_record_replication, may_take

from .serializers import (
    DIRECT_STEPS,
    AwardBodySerializer,
    AwardSerializer,
    BoardSerializer,
    CriteriaSerializer,
    DecisionBodySerializer,
    InspectionBodySerializer,
    MediaBodySerializer,
    MediaCoverageSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    ModelAttachmentSerializer,
    ModelAttachmentUploadSerializer,
    ModelSupportSerializer,
    NoticeCreateSerializer,
    NoticeSerializer,
    PlanSerializer,
    ReopenSerializer,
    RoundCreateSerializer,
    RoundDatesSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    StepBodySerializer,
    StudyVisitBodySerializer,
    StudyVisitSerializer,
    SupportBodySerializer,
    SynthesisSerializer,
    TypicalModelCreateSerializer,
    TypicalModelDetailSerializer,
    TypicalModelSerializer,
    TypicalModelWriteSerializer,
)

LEVEL_ABOVE_RECORDS = _("Agency meetings are the records of the level above; a model's "
                        "page shows the decision on it.")


def _seen(model, user, column: str):
    """Whether ``user`` sees the ``model`` row named by ``column`` of the row being read (a fund, a
    report), in the same query."""
    return Exists(model.objects.visible_to(user).filter(pk=OuterRef(column)))


# -- rounds ---------------------------------------------------------------------------------------------


class CanRunRound(permissions.BasePermission):
    """Everyone reads the rounds they see; a round is set up, changed, reopened and sent by the
    committee that runs it (`runs_round`). models_registry.services checks it again."""

    message = NOT_LEVEL_ABOVE
    MANAGING = {"partial_update", "criteria", "reopen", "send"}

    def has_permission(self, request, view):
        return view.action != "create" or runs_round(request.user, request.user.unit)

    def has_object_permission(self, request, view, round_):
        return view.action not in self.MANAGING or runs_round(request.user, round_.unit)


@extend_schema_view(
    list=extend_schema(summary=_("List the rounds of typical models")),
    retrieve=extend_schema(summary=_("Show a round with its criteria, reopenings and synthesis")),
    create=_create_schema(_("Set up the round of a year"), RoundCreateSerializer, RoundDetailSerializer,
                          description=_("A round of the caller's own unit (a district; a province for the current "
                                        "units), with its dates; its criteria are those of the unit's previous "
                                        "round, or the defaults.")),
    partial_update=extend_schema(summary=_("Change a round's dates"), request=RoundDatesSerializer,
                                 responses=RoundDetailSerializer),
)
class RoundViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The rounds of the caller's unit, of the units above it and of those below it."""

    model = Round
    list_serializer_class = RoundSerializer
    detail_serializer_class = RoundDetailSerializer
    filterset_class = RoundFilterSet
    permission_classes = [permissions.IsAuthenticated, CanRunRound]

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("unit")
        if self.action not in ("list", "synthesis", "board"):
            user = self.request.user
            queryset = queryset.select_related("created_by", "synthesis_sent_by").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("version", "position")),
                Prefetch("reopenings", to_attr="reopenings_seen", queryset=Reopening.objects.visible_to(user)
                         .select_related("commune", "reopened_by").order_by("-reopened_at", "-pk")),
            ).annotate(xlsx_seen=_seen(Report, user, "synthesis_xlsx_id"),
                       pdf_seen=_seen(Report, user, "synthesis_pdf_id"))
        return queryset.order_by("-year", "unit__code", "pk")

    def create(self, request, *args, **kwargs):
        return self.create_with(RoundCreateSerializer, lambda serializer: services.round_create(
            actor=request.user, unit=request.user.unit, **serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        round_ = self.get_object()
        body = RoundDatesSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return self.shown(services.round_update(actor=request.user, round_=round_, **body.validated_data))

    @extend_schema(
        summary=_("Set a round's criteria"),
        description=_("Replaces the criteria in force, in the order given; their weights add up to 100. Once an "
                      "inspection has been scored against them, a new version is made instead, and that inspection "
                      "keeps the version it used."),
        request=CriteriaSerializer, responses=RoundDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def criteria(self, request, pk=None):
        round_ = self.get_object()
        body = CriteriaSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.criteria_set(actor=request.user, round_=round_, criteria=body.rows())
        return self.shown(round_)

    @extend_schema(
        summary=_("Reopen a round for one commune"),
        description=_("After the deadline, the commune may register and submit until the day given; the reason is "
                      "recorded with who reopened it."),
        request=ReopenSerializer, responses=RoundDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        round_ = self.get_object()
        body = ReopenSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.round_reopen(actor=request.user, round_=round_, **body.validated_data)
        return self.shown(round_)

    @extend_schema(
        summary=_("Show a round's synthesis"),
        description=_("Every registration of the round (registered and later) by commune and field, with the "
                      "communes that registered none; only the communes the caller sees."),
        responses=SynthesisSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def synthesis(self, request, pk=None):
        round_ = self.get_object()
        rows = selectors.round_synthesis(round_, user=request.user)
        return Response(SynthesisSerializer({"round": round_, "rows": rows}).data)

    @extend_schema(
        summary=_("Send a round's synthesis to the province"),
        description=_("The synthesis is frozen as two reports (XLSX and PDF) made in the background, which the "
                      "province reads; sent again, they are made again."),
        request=None, responses=RoundDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self.shown(services.synthesis_send(actor=request.user, round_=self.get_object()))

    @extend_schema(summary=_("Count a round's models by state"),
                   description=_("The round's models the caller sees, drafts included."), responses=BoardSerializer)
    @action(detail=True, methods=["get"], filterset_class=None)
    def board(self, request, pk=None):
        round_ = self.get_object()
        states = selectors.state_counts(TypicalModel.objects.visible_to(request.user).filter(round=round_))
        return Response(BoardSerializer({"round": round_, "total": sum(states.values()), "states": states}).data)


# -- models ---------------------------------------------------------------------------------------------


def _direct_step(request, view, model):
    return may_take(request.user, model, STEPS[view.kwargs["step"]])


def _above(request, view, model):
    return is_approver_of(request.user, model.commune)


# What each write on a model asks before its body is read, and the words of a refusal: the
# service's own (the attachments' and the steps' finer rules are the service's, under lock).
MODEL_WRITES = {
    "partial_update": (lambda request, view, model: can_edit(request.user, model), NOT_MODEL_OFFICER),
    "destroy": (lambda request, view, model: is_commune_officer_of(request.user, model.commune_id), NOT_MODEL_OFFICER),
    "step": (_direct_step, STEP_NOT_FOR_ROLE),
    "attachments": (lambda request, view, model: is_commune_officer_of(request.user, model.commune_id)
                    or is_approver_of(request.user, model.commune), NOT_MODEL_OFFICER),
    "plan": (_above, STEP_NOT_FOR_ROLE),
    "inspection": (_above, STEP_NOT_FOR_ROLE),
    "decision": (_above, STEP_NOT_FOR_ROLE),
    "visits": (lambda request, view, model: can_record_replication(request.user, model), NOT_MODEL_OFFICER),
    "media": (lambda request, view, model: can_record_replication(request.user, model), NOT_MODEL_OFFICER),
    "awards": (_above, NOT_LEVEL_ABOVE),
    "support": (_above, NOT_LEVEL_ABOVE),
}


class CanWorkOnModel(permissions.BasePermission):
    """The pages' checks before a form is shown: registering is for a commune's Front officers,
    changing the registration for them while they hold it, each step for its role (`may_take`),
    the level above's records for the level above (`is_approver_of`)."""

    def has_permission(self, request, view):
        if view.action == "create" and not is_commune_officer_of(request.user, request.user.unit_id):
            self.message = NOT_REGISTERING_OFFICER
            return False
        return True

    def has_object_permission(self, request, view, model):
        if request.method in permissions.SAFE_METHODS:
            return True
        check, self.message = MODEL_WRITES[view.action]
        return check(request, view, model)


STEP_PARAMETER = OpenApiParameter("step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=DIRECT_STEPS,
                                  description=_("A step taken with a note: register and submit (the commune), "
                                                "return and propose for a higher award (the level above)."))


def _added_schema(summary, request, response, **kwargs):
    return extend_schema(summary=summary, request=request, parameters=[IDEMPOTENCY_KEY],
                         responses={201: response, 200: response}, **kwargs)


def _recorded_schema(summary, request, **kwargs):
    return extend_schema(summary=summary, request=request, responses=TypicalModelDetailSerializer, **kwargs)


@extend_schema_view(
    list=extend_schema(summary=_("List typical models")),
    retrieve=extend_schema(summary=_("Show a typical model with its steps, inspection, decision and replication")),
    create=_create_schema(_("Register a typical model (a draft)"), TypicalModelCreateSerializer,
                          TypicalModelDetailSerializer,
                          description=_("A draft of the caller's own commune in the year's round; then register "
                                        "and submit it with steps/register/ and steps/submit/.")),
    partial_update=extend_schema(summary=_("Change a model's registration"), request=TypicalModelWriteSerializer,
                                 responses=TypicalModelDetailSerializer,
                                 description=_("While the commune holds it: a draft, registered, or returned with "
                                               "a comment.")),
    destroy=extend_schema(summary=_("Throw a draft away")),
)
class TypicalModelViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The models of the communes within the caller's unit, and their workflow. The steps the
    caller may take now are in a model's ``available_steps``."""

    model = TypicalModel
    list_serializer_class = TypicalModelSerializer
    detail_serializer_class = TypicalModelDetailSerializer
    filterset_class = TypicalModelFilterSet
    permission_classes = [permissions.IsAuthenticated, CanWorkOnModel]

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("round", "commune", "leader_organisation")
        if self.action != "list":
            queryset = self._with_records(queryset)
        return queryset.order_by("-round__year", "commune__code", "name", "pk")

    def _with_records(self, queryset):
        """What the detail shows, each read through its own scope where it differs from the model's."""
        user = self.request.user
        return queryset.select_related(
            "created_by", "planned_inspection", "inspection__recorded_by", "meeting_item__meeting",
        ).prefetch_related(
            Prefetch("steps", queryset=ModelStep.objects.select_related("actor")),
            Prefetch("attachments", queryset=ModelAttachment.objects.select_related("uploaded_by")),
            Prefetch("inspection__scores", queryset=Score.objects.select_related("criterion")),
            Prefetch("notices", to_attr="notices_seen",
                     queryset=Notice.objects.visible_to(user).order_by("issued_on", "number")),
            Prefetch("awards", queryset=Award.objects.select_related("fund").annotate(
                fund_seen=_seen(Fund, user, "fund_id"))),
            Prefetch("support", queryset=ModelSupport.objects.select_related("fund").annotate(
                fund_seen=_seen(Fund, user, "fund_id"))),
            Prefetch("study_visits", queryset=StudyVisit.objects.select_related("visiting_unit")),
            "media",
        )

    def detail_context(self, model):
        return {"replication": selectors.replication_of(model)}

    def create(self, request, *args, **kwargs):
        return self.create_with(TypicalModelCreateSerializer, lambda serializer: services.model_create(
            actor=request.user, **serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        model = self.get_object()
        body = TypicalModelWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self.shown(services.model_update(actor=request.user, model=model, **body.validated_data))

    def destroy(self, request, *args, **kwargs):
        services.model_delete(actor=request.user, model=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Take a step on a model"),
        description=_("The steps taken with a note: register and submit (the commune; refused after the round's "
                      "deadline unless it was reopened for the commune, except a returned model submitted again), "
                      "return to the commune and propose for a higher award (the level above; with the reason). "
                      "The others are taken by plan/, inspection/, the meeting (/models/meetings/) and decision/."),
        parameters=[STEP_PARAMETER], request=StepBodySerializer, responses=TypicalModelDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path=rf"steps/(?P<step>{'|'.join(DIRECT_STEPS)})", url_name="step")
    def step(self, request, pk=None, step=None):
        model = self.get_object()
        body = StepBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.model_advance(actor=request.user, model=model, step=step, **body.validated_data))

    @_added_schema(_("Attach a photo or document to a model"), ModelAttachmentUploadSerializer,
                   ModelAttachmentSerializer,
                   description=_("Photos (JPEG, PNG, WebP) and PDF documents, judged by their content; the name's "
                                 "extension must agree with it."))
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        model = self.get_object()
        body = ModelAttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._added(ModelAttachment, ModelAttachmentSerializer, lambda: services.attachment_add(
            actor=request.user, model=model, kind=body.validated_data["kind"],
            uploaded_file=body.validated_data["file"]), related=("uploaded_by",))

    @_recorded_schema(_("Put a model on the inspection plan"), PlanSerializer,
                      description=_("A submitted model, with the officers assigned and the day planned; it is then "
                                    "planned for inspection."))
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        model = self.get_object()
        body = PlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_plan(actor=request.user, model=model, **body.validated_data)
        return self.shown(model)

    @_recorded_schema(_("Record a model's inspection with its scores"), InspectionBodySerializer,
                      description=_("A planned model: a score for every criterion of the round's version in force, "
                                    "each from 0 to its weight; the inspection keeps that version."))
    @action(detail=True, methods=["post"])
    def inspection(self, request, pk=None):
        model = self.get_object()
        body = InspectionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        services.inspection_record(actor=request.user, model=model, inspected_on=values["inspected_on"],
                                   officers=values["officers"], findings=values["findings"],
                                   scores=body.scores_by_criterion())
        return self.shown(model)

    @_recorded_schema(_("Record the meeting's decision on a model"), DecisionBodySerializer,
                      description=_("A model presented at an agency meeting: recognised, not recognised, or "
                                    "recognised and proposed for a higher award; dated the day of the meeting."))
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        model = self.get_object()
        body = DecisionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.shown(services.meeting_decide(actor=request.user, model=model, **body.validated_data))

    @_added_schema(_("Record a study visit to a recognised model"), StudyVisitBodySerializer, StudyVisitSerializer)
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        model = self.get_object()
        body = StudyVisitBodySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._added(StudyVisit, StudyVisitSerializer, lambda: services.study_visit_record(
            actor=request.user, model=model, **body.validated_data), related=("visiting_unit",))

    @_added_schema(_("Record media coverage of a recognised model"), MediaBodySerializer, MediaCoverageSerializer)
    @action(detail=True, methods=["post"])
    def media(self, request, pk=None):
        model = self.get_object()
        body = MediaBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._added(MediaCoverage, MediaCoverageSerializer, lambda: services.media_record(
            actor=request.user, model=model, **body.validated_data))

    @_added_schema(_("Give a recognised model a commendation or award"), AwardBodySerializer, AwardSerializer,
                   description=_("Money is paid out of a fund of the caller's unit as a disbursement: refused whole "
                                 "when its earmark holds less."))
    @action(detail=True, methods=["post"])
    def awards(self, request, pk=None):
        model = self.get_object()
        body = AwardBodySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._added(Award, AwardSerializer, lambda: services.award_give(
            actor=request.user, model=model, **body.validated_data), related=("fund",), paid=True)

    @_added_schema(_("Record support given to a model"), SupportBodySerializer, ModelSupportSerializer,
                   description=_("Advice, information, resources, or funds paid out of a fund of the caller's unit "
                                 "as a disbursement: refused whole when its earmark holds less."))
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        model = self.get_object()
        body = SupportBodySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._added(ModelSupport, ModelSupportSerializer, lambda: services.support_give(
            actor=request.user, model=model, **body.validated_data), related=("fund",), paid=True)

    def _added(self, record_model, serializer_class, make, *, related=(), paid=False) -> Response:
        """A record added to the model by ``make()`` (a service), at most once per Idempotency-Key,
        answered as the model's page shows it: read again within the caller's scope."""
        def shown(record, code) -> Response:
            records = record_model.objects.visible_to(self.request.user).select_related(*related)
            if paid:
                records = records.annotate(fund_seen=_seen(Fund, self.request.user, "fund_id"))
            return Response(serializer_class(records.get(pk=record.pk), context=self.get_serializer_context()).data,
                            status=code)

        return created_once(self.request, make, shown)


# -- meetings and notices ---------------------------------------------------------------------------------


class LevelAboveRecords(permissions.BasePermission):
    """Agency meetings are read by the level above and the province above it (`visible_to`), and
    recorded by the committee that runs the round (models_registry.services)."""

    def has_permission(self, request, view):
        if view.action == "create":
            self.message = NOT_LEVEL_ABOVE
            return runs_round(request.user, request.user.unit)
        # One record is judged once it is read (LevelAboveRecordMixin): 404 outside, like missing.
        self.message = LEVEL_ABOVE_RECORDS
        return view.action == "retrieve" or request.user.role != Role.COMMUNE_OFFICER


class LevelAboveRecordMixin:
    """A meeting that presented one of the caller's models but is not theirs to read (a commune's
    officers) answers 403, as its page does; any other they do not see, 404, like a missing one."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            pk = str(self.kwargs.get("pk", ""))
            if pk.isascii() and pk.isdigit() and MeetingItem.objects.visible_to(self.request.user).filter(
                    meeting_id=int(pk)).exists():
                raise PermissionDenied(LEVEL_ABOVE_RECORDS) from None
            raise


@extend_schema_view(
    list=extend_schema(summary=_("List agency meetings")),
    retrieve=extend_schema(summary=_("Show an agency meeting with the models presented")),
    create=_create_schema(_("Record an agency meeting"), MeetingCreateSerializer, MeetingDetailSerializer,
                          description=_("The round's inspected models presented, each with its inspection's score; "
                                        "each is then presented, on the meeting's day. The decision on each is "
                                        "recorded at /models/models/{id}/decision/.")),
)
class MeetingViewSet(LevelAboveRecordMixin, mixins.ListModelMixin, LedgerViewSet):
    """The agency meetings of the caller's unit (and, for a province, of its districts)."""

    model = Meeting
    list_serializer_class = MeetingSerializer
    detail_serializer_class = MeetingDetailSerializer
    permission_classes = [permissions.IsAuthenticated, LevelAboveRecords]

    def prepare_queryset(self, queryset):
        queryset = queryset.select_related("round__unit", "created_by")
        if self.action != "list":
            queryset = queryset.prefetch_related(Prefetch(
                "items", to_attr="items_seen",
                queryset=MeetingItem.objects.visible_to(self.request.user).select_related("model__commune")))
        return queryset.order_by("-held_on", "-pk")

    def create(self, request, *args, **kwargs):
        def make(serializer):
            values = serializer.validated_data
            return services.meeting_record(actor=request.user, round_=values["round"], held_on=values["held_on"],
                                           chaired_by=values["chaired_by"], participants=values["participants"],
                                           models=values["models"])

        return self.create_with(MeetingCreateSerializer, make)


class IssuesNotices(permissions.BasePermission):
    """Notices are issued by the committee that runs the round (models_registry.services), and read by
    whoever sees them (`visible_to`: the communes they are addressed to among them)."""

    message = NOT_LEVEL_ABOVE

    def has_permission(self, request, view):
        return view.action != "create" or runs_round(request.user, request.user.unit)


@extend_schema_view(
    list=extend_schema(summary=_("List recognition notices")),
    retrieve=extend_schema(summary=_("Show a recognition notice")),
    create=_create_schema(_("Issue a recognition notice"), NoticeCreateSerializer, NoticeSerializer,
                          description=_("Its number and symbol, date, signer and recipients, and the round's "
                                        "recognised models it names.")),
)
class NoticeViewSet(mixins.ListModelMixin, LedgerViewSet):
    """The recognition notices the caller sees: of their unit, the units above and, for a province,
    of its districts; a commune reads those addressed to it, naming only the models it sees."""

    model = Notice
    list_serializer_class = NoticeSerializer
    detail_serializer_class = NoticeSerializer
    permission_classes = [permissions.IsAuthenticated, IssuesNotices]

    def prepare_queryset(self, queryset):
        models = TypicalModel.objects.visible_to(self.request.user).select_related("commune").order_by(
            "commune__code", "name")
        return queryset.select_related("round__unit").prefetch_related(
            Prefetch("recognised_models", queryset=models, to_attr="models_seen"),
        ).order_by("-issued_on", "-number", "-pk")

    def create(self, request, *args, **kwargs):
        def make(serializer):
            values = dict(serializer.validated_data)
            return services.notice_issue(actor=request.user, round_=values.pop("round"), models=values.pop("models"),
                                         **values)

        return self.create_with(NoticeCreateSerializer, make)

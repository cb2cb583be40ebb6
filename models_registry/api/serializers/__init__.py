"""Typical models as JSON: rounds, models with their steps, inspection, decision, awards, support and
replication, agency meetings and recognition notices. Serializers read and parse; every rule is in
models_registry.services (and the models), which the views call with what these parsed.

Records that hang off a visible record are shown only where their own ``visible_to`` lets the
caller see them (a reopening of another commune, a fund of the level above, a notice), read with
the record by the viewsets' querysets.
"""

from .meetings import (
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingItemSerializer,
    MeetingSerializer,
    NoticeCreateSerializer,
    NoticeSerializer,
)
from .rounds import (
    BoardSerializer,
    CriteriaSerializer,
    CriterionSerializer,
    ReopeningSerializer,
    ReopenSerializer,
    RoundCreateSerializer,
    RoundDatesSerializer,
    RoundDetailSerializer,
    RoundRefSerializer,
    RoundSerializer,
    SynthesisSerializer,
)
from .typical_models import (
    DIRECT_STEPS,
    AwardBodySerializer,
    AwardSerializer,
    DecisionBodySerializer,
    InspectionBodySerializer,
    MediaBodySerializer,
    MediaCoverageSerializer,
    ModelAttachmentSerializer,
    ModelAttachmentUploadSerializer,
    ModelAvailableStepSerializer,
    ModelRefSerializer,
    ModelSupportSerializer,
    PlanSerializer,
    StepBodySerializer,
    StudyVisitBodySerializer,
    StudyVisitSerializer,
    SupportBodySerializer,
    TypicalModelCreateSerializer,
    TypicalModelDetailSerializer,
    TypicalModelSerializer,
    TypicalModelWriteSerializer,
)

__all__ = [
    "DIRECT_STEPS", "AwardBodySerializer", "AwardSerializer", "BoardSerializer", "CriteriaSerializer",
    "CriterionSerializer", "DecisionBodySerializer", "InspectionBodySerializer", "MediaBodySerializer",
    "MediaCoverageSerializer", "MeetingCreateSerializer", "MeetingDetailSerializer", "MeetingItemSerializer",
    "MeetingSerializer", "ModelAttachmentSerializer", "ModelAttachmentUploadSerializer",
    "ModelAvailableStepSerializer", "ModelRefSerializer", "ModelSupportSerializer", "NoticeCreateSerializer",
    "NoticeSerializer", "PlanSerializer", "ReopenSerializer", "ReopeningSerializer", "RoundCreateSerializer",
    "RoundDatesSerializer", "RoundDetailSerializer", "RoundRefSerializer", "RoundSerializer", "StepBodySerializer",
    "StudyVisitBodySerializer", "StudyVisitSerializer", "SupportBodySerializer", "SynthesisSerializer",
    "TypicalModelCreateSerializer", "TypicalModelDetailSerializer", "TypicalModelSerializer",
    "TypicalModelWriteSerializer",
]

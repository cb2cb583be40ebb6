"""The typical models (mô hình điển hình) of the communes, year by year: the round run by the level
above, each model's registration and steps, its inspection and scores, the agency meeting, the
recognition notice, awards and support, and how it was replicated."""

from .inspections import Inspection, PlannedInspection, Score
from .recognition import Award, Meeting, MeetingItem, ModelSupport, Notice
from .registrations import ModelAttachment, ModelStep, TypicalModel
from .replication import MediaCoverage, StudyVisit
from .rounds import DEFAULT_CRITERIA, Criterion, Reopening, Round, default_deadline

__all__ = [
    "DEFAULT_CRITERIA", "Award", "Criterion", "Inspection", "MediaCoverage", "Meeting", "MeetingItem",
    "ModelAttachment", "ModelStep", "ModelSupport", "Notice", "PlannedInspection", "Reopening", "Round", "Score",
    "StudyVisit", "TypicalModel", "default_deadline",
]

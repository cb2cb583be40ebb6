"""The fixed lists of the housing app. Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    GREAT_SOLIDARITY = "great_solidarity", _("Great Solidarity house")
    GRATITUDE = "gratitude", _("Gratitude house")
    CHARITY = "charity", _("Charity house")
    TEMPORARY_HOUSES = "temporary_houses", _("Elimination of temporary and dilapidated houses")
    MILITARY_CIVILIAN_TET = "military_civilian_tet", _("Military-Civilian Tet")
    OTHER = "other", _("Other")


class WorkKind(models.TextChoices):
    NEW_BUILD = "new_build", _("New build")
    REPAIR = "repair", _("Repair")


class CaseState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SURVEYED = "surveyed", _("Surveyed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CONSTRUCTION_STARTED = "construction_started", _("Under construction")
    COMPLETED = "completed", _("Completed")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


# A case in one of these states is finished with: a household may have a new case in the same
# programme only once its earlier one is here.
CLOSED_STATES = (CaseState.REJECTED, CaseState.CANCELLED, CaseState.HANDED_OVER)
# The district has agreed to the house and has not withdrawn: its money is committed.
APPROVED_STATES = (CaseState.APPROVED, CaseState.CONSTRUCTION_STARTED, CaseState.COMPLETED, CaseState.HANDED_OVER)
# The house stands, whether or not the keys have been handed over yet.
FINISHED_STATES = (CaseState.COMPLETED, CaseState.HANDED_OVER)


class Transition(models.TextChoices):
    """The named steps of a case; housing.workflow says who takes each, from which states."""

    SURVEY = "survey", _("Record the survey")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    START = "start", _("Start construction")
    COMPLETE = "complete", _("Record completion")
    HAND_OVER = "hand_over", _("Hand over")
    CANCEL = "cancel", _("Cancel the case")


class FundingSource(models.TextChoices):
    """Where a house's money comes from. Each is a column of the case (see HousingCase)."""

    STATE_BUDGET = "state_budget", _("State budget")
    FUND_FOR_THE_POOR = "fund_for_the_poor", _("Fund for the Poor")
    SPONSOR = "sponsor", _("Sponsor")
    ARMY = "army", _("Army unit")
    FAMILY = "family", _("Family's own money")


# The sources that are support given to the family; the family's own money is not.
SUPPORT_SOURCES = (FundingSource.STATE_BUDGET, FundingSource.FUND_FOR_THE_POOR, FundingSource.SPONSOR,
                   FundingSource.ARMY)


class AttachmentKind(models.TextChoices):
    PHOTO_BEFORE = "photo_before", _("Photo before construction")
    PHOTO_DURING = "photo_during", _("Photo during construction")
    PHOTO_AFTER = "photo_after", _("Photo after construction")
    DOCUMENT = "document", _("Document")
    HANDOVER_RECORD = "handover_record", _("Handover record")


PHOTO_KINDS = (AttachmentKind.PHOTO_BEFORE, AttachmentKind.PHOTO_DURING, AttachmentKind.PHOTO_AFTER)

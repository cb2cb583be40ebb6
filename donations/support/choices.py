from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipients(models.TextChoices):
    """Whom a kind of support is given to, one line of a batch each."""

    HOUSEHOLD = "household", _("Per household")
    PUPIL = "pupil", _("Per pupil")


class Details(models.TextChoices):
    """What a recipient's line records beyond the household, by kind of support."""

    NONE = "", _("Nothing more")
    SCHOOL = "school", _("The pupil's school, grade and school year")
    INSURANCE_CARD = "insurance_card", _("The health-insurance card's number and validity")
    GOODS = "goods", _("What was given")


class BatchState(models.TextChoices):
    """A batch is drawn up (draft), its recipients confirmed after the duplicate check (confirmed),
    handed out and closed: then its delivered lines are posted to the fund."""

    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    CLOSED = "closed", _("Closed")


class Delivery(models.TextChoices):
    PENDING = "pending", _("Not yet handed over")
    DELIVERED = "delivered", _("Delivered")
    REPRESENTATIVE = "representative", _("Delivered to a representative")
    NOT_FOUND = "not_found", _("Not found")
    REFUSED = "refused", _("Refused")


# What counts as given: these lines are posted to the fund when the batch closes.
DELIVERED = (Delivery.DELIVERED, Delivery.REPRESENTATIVE)


class ActivityKind(models.TextChoices):
    MEDICAL_EXAMINATION = "medical_examination", _("Free medical examination and medicine")
    LEGAL_AID = "legal_aid", _("Legal aid")
    CONSULTATION = "consultation", _("Consultation meeting")
    HEART_SURGERY = "heart_surgery", _("Heart surgery")
    CATARACT_SURGERY = "cataract_surgery", _("Cataract surgery")
    CORRECTIVE_SURGERY = "corrective_surgery", _("Corrective surgery (cleft lip and palate, burns)")
    STUDY_FUND = "study_fund", _("Study fund for poor pupils")
    OTHER = "other", _("Other activity")

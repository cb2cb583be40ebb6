from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    FOR_THE_POOR = "for_the_poor", _("Fund for the Poor")
    RELIEF = "relief", _("Relief fund")
    SCHOLARSHIP = "scholarship", _("Scholarship fund")
    CAMPAIGN = "campaign", _("A campaign's own fund")
    OTHER = "other", _("Other fund")


class Earmark(models.TextChoices):
    """What a donor restricted their money to. Money of one earmark pays only for that purpose;
    unrestricted money (NONE) pays for any."""

    NONE = "none", _("Unrestricted")
    HOUSING = "housing", _("Housing")
    SCHOLARSHIPS = "scholarships", _("Scholarships")
    TET_GIFTS = "tet_gifts", _("Tet gifts")
    DISASTER_RELIEF = "disaster_relief", _("Disaster relief")


class PostingKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DISBURSEMENT = "disbursement", _("Disbursement")
    TRANSFER = "transfer", _("Transfer between funds")
    REVERSAL = "reversal", _("Reversal")


class Party(models.TextChoices):
    """Who a line's money belongs to: a fund (and earmark), or the world outside the Front's funds."""

    FUND = "fund", _("Fund")
    DONOR = "donor", _("Donor")
    RECIPIENT = "recipient", _("Recipient")

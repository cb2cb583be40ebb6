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


class DonorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    BUSINESS = "business", _("Business")
    ORGANISATION = "organisation", _("Organisation")
    MEMBER_ORGANISATION = "member_organisation", _("Member organisation of the Front")
    # An agency collecting from its staff: the money is credited to the agency (hard credit); the
    # people it lists are soft credits on the receipt.
    AGENCY = "agency", _("Agency collecting from its staff")
    FOREIGN = "foreign", _("Foreign organisation")


class MemberOrganisation(models.TextChoices):
    """The Front's member organisations that give and collect (issue 14 makes them records)."""

    RED_CROSS = "red_cross", _("Red Cross Society")
    WOMENS_UNION = "womens_union", _("Women's Union")
    FARMERS = "farmers", _("Farmers' Association")
    VETERANS = "veterans", _("Veterans' Association")
    YOUTH_UNION = "youth_union", _("Youth Union")
    EDUCATION_PROMOTION = "education_promotion", _("Education Promotion Association")
    POOR_PATIENTS = "poor_patients", _("Association for Poor Patients")
    ELDERLY = "elderly", _("Elderly Association")
    OTHER = "other", _("Other organisation")


class CampaignKind(models.TextChoices):
    MONTH_FOR_THE_POOR = "month_for_the_poor", _("Month for the Poor")
    TET = "tet", _("Tet campaign")
    DISASTER = "disaster", _("Disaster appeal")
    OTHER = "other", _("Other campaign")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    IN_KIND = "in_kind", _("In kind")


class Purpose(models.TextChoices):
    """What money was spent on: a spending decision's line, and the fund statement's rows."""

    HOUSING = "housing", _("Houses for the poor")
    TET_GIFTS = "tet_gifts", _("Tet and occasion gifts")
    SCHOLARSHIPS = "scholarships", _("Scholarships and school supplies")
    LIVELIHOOD = "livelihood", _("Livelihood support")
    MEDICAL = "medical", _("Medical aid")
    DISASTER_RELIEF = "disaster_relief", _("Disaster relief")
    COMMUNITY_WORK = "community_work", _("Community works")
    TYPICAL_MODELS = "typical_models", _("Typical models and awards")
    OTHER = "other", _("Other")

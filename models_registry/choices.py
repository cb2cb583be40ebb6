"""The fixed lists of the typical-models app. Values are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    """The field (lĩnh vực) a model works in."""

    ECONOMY = "economy", _("Economy")
    CULTURE_SOCIETY = "culture_society", _("Culture and society")
    SECURITY_ORDER = "security_order", _("Security and order")
    PARTY_GOVERNMENT = "party_government", _("Building the Party and government")
    SOCIAL_SECURITY = "social_security", _("Social security")
    ENVIRONMENT = "environment", _("Environment and new rural areas")


class ModelState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTERED = "registered", _("Registered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    PLANNED = "planned", _("Planned for inspection")
    INSPECTED = "inspected", _("Inspected")
    PRESENTED = "presented", _("Presented")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    PROPOSED_HIGHER = "proposed_higher", _("Proposed for a higher award")


# The commune may still change the registration (its fields and files) in these states.
COMMUNE_EDITABLE_STATES = (ModelState.DRAFT, ModelState.REGISTERED, ModelState.RETURNED)
# Recognised, whether or not proposed for a higher award since: a model others may replicate.
RECOGNISED_STATES = (ModelState.RECOGNISED, ModelState.PROPOSED_HIGHER)
# Registered with the level above (sent, and not taken back to draft).
REGISTERED_STATES = (ModelState.REGISTERED, ModelState.SUBMITTED, ModelState.RETURNED, ModelState.PLANNED,
                     ModelState.INSPECTED, ModelState.PRESENTED, ModelState.RECOGNISED, ModelState.NOT_RECOGNISED,
                     ModelState.PROPOSED_HIGHER)
# The level above has the registration: everything from submission on.
SUBMITTED_STATES = (ModelState.SUBMITTED, ModelState.PLANNED, ModelState.INSPECTED, ModelState.PRESENTED,
                    ModelState.RECOGNISED, ModelState.NOT_RECOGNISED, ModelState.PROPOSED_HIGHER)
INSPECTED_STATES = (ModelState.INSPECTED, ModelState.PRESENTED, ModelState.RECOGNISED, ModelState.NOT_RECOGNISED,
                    ModelState.PROPOSED_HIGHER)


class Transition(models.TextChoices):
    """The named steps of a model; models_registry.workflow says who takes each, from which states."""

    REGISTER = "register", _("Register")
    SUBMIT = "submit", _("Submit to the level above")
    RETURN = "return", _("Return to the commune")
    PLAN = "plan", _("Plan an inspection")
    INSPECT = "inspect", _("Record the inspection")
    PRESENT = "present", _("Present at the agency meeting")
    RECOGNISE = "recognise", _("Recognise")
    NOT_RECOGNISE = "not_recognise", _("Do not recognise")
    PROPOSE_HIGHER = "propose_higher", _("Propose for a higher award")


class Decision(models.TextChoices):
    """The agency meeting's decision on a model presented."""

    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    PROPOSED_HIGHER = "proposed_higher", _("Recognised and proposed for a higher award")


class SupportKind(models.TextChoices):
    """What the level above gives a model."""

    ADVICE = "advice", _("Advice")
    INFORMATION = "information", _("Information")
    RESOURCES = "resources", _("Resources")
    FUNDS = "funds", _("Funds")


class AwardKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate of merit")
    MONEY = "money", _("Money award")
    CERTIFICATE_AND_MONEY = "certificate_and_money", _("Certificate of merit with money")


AWARDS_WITH_MONEY = (AwardKind.MONEY, AwardKind.CERTIFICATE_AND_MONEY)


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    INSPECTION_PHOTO = "inspection_photo", _("Photo of the inspection")
    MINUTES = "minutes", _("Minutes of the meeting")
    FINAL_REPORT = "final_report", _("Final report")


PHOTO_KINDS = (AttachmentKind.PHOTO, AttachmentKind.INSPECTION_PHOTO)

"""Support handed to households: kinds of support, distribution batches (đợt trao) and their
recipients; the Front's member organisations, their members and their activities.

A batch draws on a fund's earmark, or records what a donor gave directly (money that never passes
through a Front fund but is reported through the Front). Its recipients are chosen by the
households' filters, checked against every other batch of the same kind and occasion (the
duplicate-benefit check), handed out with a signature sheet, and recorded one by one; when it is
closed, only the delivered lines are posted to the fund (`donations.services`), one disbursement
line per recipient, so each household's help traces back to its donors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import OwnedQuerySet, ScopedQuerySet, owned_q, scope_q
from frontwelfare.imports.models import FileImport
from frontwelfare.text import fold_diacritics

from ..choices import Earmark, MemberOrganisation, Purpose
from .choices import ActivityKind, BatchState, Delivery, Details, Recipients


def occasion_key(occasion: str) -> str:
    """What two batches' occasions are compared by: without diacritics, case or spacing, so that
    "Quà Tết Bính Ngọ 2026" at the district and "quà tết bính ngọ  2026" at a commune match."""
    return "".join(fold_diacritics(occasion).split())


class SupportKindQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The kinds ``user`` may meet: the nationwide ones and those added by their unit, a unit
        above it or a unit below it (a province reads its communes' batches of a commune's own
        kind); every kind for the administrator."""
        if getattr(user, "role", None) == Role.ADMINISTRATOR and user.is_active:
            # owned_q is an empty Q for the administrator, which an OR would drop: said plainly.
            return self.all()
        return self.filter(models.Q(unit__isnull=True) | owned_q(user, "unit"))

    def available_to(self, unit):
        """The kinds a unit may use: the nationwide ones and those its own committee or a
        committee above it added."""
        if unit is None:
            return self.filter(unit__isnull=True)
        above = [pk for pk in (unit.pk, unit.district_id, unit.province_id) if pk]
        return self.filter(models.Q(unit__isnull=True) | models.Q(unit__in=above))


class SupportKind(models.Model):
    """A kind of support (quà Tết, học bổng, hỗ trợ sinh kế…): data, in Vietnamese and English.
    The nationwide kinds come with the app (migration); a committee may add its own (``unit``)."""

    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="support_kinds", verbose_name=_("added by unit"))
    code = models.SlugField(_("code"), max_length=40)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    purpose = models.CharField(_("spending purpose"), max_length=32, choices=Purpose.choices, help_text=_(
        "How the fund statement counts the money given: the purpose of its disbursement lines."))
    recipients = models.CharField(_("given"), max_length=16, choices=Recipients.choices,
                                  default=Recipients.HOUSEHOLD)
    details = models.CharField(_("recorded for each recipient"), max_length=20, choices=Details.choices,
                               blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SupportKindQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of support")
        verbose_name_plural = _("kinds of support")
        ordering = ["unit_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=models.Q(unit__isnull=True),
                                    name="donations_support_kind_code_once_nationwide"),
            models.UniqueConstraint(fields=["unit", "code"], name="donations_support_kind_code_once_in_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the page (Vietnamese unless the viewer chose English)."""
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


# -- member organisations --------------------------------------------------------------------------


class OrganisationQuerySet(ScopedQuerySet):
    """A member organisation of a unit is seen by that unit's officers and the units above."""

    unit_path = "unit"


class Organisation(models.Model):
    """A member organisation of the Front in a unit (the commune's Red Cross, the district's
    Women's Union…), or a mass organisation generally (kind "other")."""

    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="organisations",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=32, choices=MemberOrganisation.choices)
    name = models.CharField(_("name"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["unit__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="donations_organisation_name_once",
                                               violation_error_message=_("This unit already has an organisation "
                                                                         "of this name."))]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(ScopedQuerySet):
    unit_path = "organisation__unit"


class Membership(models.Model):
    """How many members an organisation had in a year (as it reported at the year's end)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"))

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("number of members")
        verbose_name_plural = _("numbers of members")
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"],
                                               name="donations_membership_once_a_year",
                                               violation_error_message=_("The members of this year are "
                                                                         "already recorded."))]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.year}"


class ActivityQuerySet(ScopedQuerySet):
    unit_path = "unit"


class Activity(models.Model):
    """What an organisation did for people: a free medical examination day, a legal-aid session,
    a consultation meeting, a surgery programme, a study fund. One record may stand for many
    sessions, cases or operations of a period (``occurrences``): a province reports its Red Cross's
    363 examinations of ten years as one line as often as one day's."""

    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("unit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="activities", verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    name = models.CharField(_("name"), max_length=255)
    starts_on = models.DateField(_("date or first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True,
                               help_text=_("For a programme over a period; empty for one day."))
    occurrences = models.PositiveIntegerField(_("sessions, cases or operations"), default=1)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    households = models.ManyToManyField("households.Household", blank=True, related_name="activities",
                                        verbose_name=_("households of the registry served"))
    value = models.BigIntegerField(_("value (VND)"), default=0)
    funders = models.CharField(_("funded by"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["unit", "starts_on"], name="donations_activity_unit_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True)
                                   | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="donations_activity_ends_after_it_starts",
                                   violation_error_message=_("The last day is on or after the first.")),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="donations_activity_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


# -- distribution batches --------------------------------------------------------------------------


# A batch's two rules across fields, said by the model's constraints and, on their fields, by its form.
FUND_OR_DONOR = _("Choose the fund the batch draws on, or the donor who gives directly.")
GOODS_DESCRIBED = _("Describe the goods given in kind.")


class BatchQuerySet(OwnedQuerySet):
    """A batch of a unit is seen by that unit, the units above and the units below it (a district's
    Tet batch is handed out by its communes); which of its recipients each sees is the households'
    scope (`RecipientQuerySet`)."""

    owner_path = "unit"


class Batch(models.Model):
    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="support_batches",
                             verbose_name=_("unit"))
    kind = models.ForeignKey(SupportKind, on_delete=models.PROTECT, related_name="batches",
                             verbose_name=_("kind of support"))
    occasion = models.CharField(_("occasion"), max_length=255, help_text=_("e.g. Quà Tết Bính Ngọ 2026"))
    # The occasion folded (occasion_key): the duplicate-benefit check compares batches by it.
    occasion_key = models.CharField(max_length=255, editable=False)
    happened_on = models.DateField(_("date of handing over"))
    fund = models.ForeignKey("donations.Fund", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="support_batches", verbose_name=_("fund"))
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices, default=Earmark.NONE)
    # Or given directly by a donor: reported through the Front, never in a Front fund.
    donor = models.ForeignKey("donations.Donor", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="support_batches", verbose_name=_("given directly by"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="batches", verbose_name=_("member organisation"))
    value = models.BigIntegerField(_("value per recipient (VND)"))
    in_kind = models.BooleanField(_("in kind"), default=False)
    goods = models.CharField(_("goods given"), max_length=500, blank=True,
                             help_text=_("What each recipient receives, when in kind: valued above in đồng."))
    state = models.CharField(_("state"), max_length=16, choices=BatchState.choices, default=BatchState.DRAFT)
    # Confirming recipients already helped for the same occasion needs a reason, kept here.
    duplicate_reason = models.CharField(_("reason for helping twice"), max_length=500, blank=True)
    duplicates_at_confirmation = models.PositiveIntegerField(default=0, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # A big batch (a province's Tet gifts) is closed by a worker (`services.batch_close_request`):
    # when it was asked for, and why the last attempt was refused, for the batch's page.
    closing_since = models.DateTimeField(_("closing since"), null=True, blank=True)
    close_error = models.CharField(_("why closing was refused"), max_length=1000, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    posting = models.OneToOneField("donations.Posting", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="support_batch", verbose_name=_("posting"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribution batch")
        verbose_name_plural = _("distribution batches")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["kind", "occasion_key"], name="donations_batch_occasion")]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="donations_batch_value_positive",
                                   violation_error_message=_("Enter a value of at least 1 đồng.")),
            # From a fund, or given directly by a donor: one of the two.
            models.CheckConstraint(condition=models.Q(fund__isnull=True) ^ models.Q(donor__isnull=True),
                                   name="donations_batch_fund_or_donor",
                                   violation_error_message=FUND_OR_DONOR),
            models.CheckConstraint(condition=models.Q(in_kind=False) | ~models.Q(goods=""),
                                   name="donations_batch_in_kind_described",
                                   violation_error_message=GOODS_DESCRIBED),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} · {self.kind}"

    def save(self, *args, **kwargs):
        self.occasion_key = occasion_key(self.occasion)
        super().save(*args, **kwargs)

    @property
    def per_pupil(self) -> bool:
        return self.kind.recipients == Recipients.PUPIL


class RecipientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A batch's lines are seen where their households are — a commune officer sees their
        commune's recipients of the district's batch, not its other communes' — and only on a
        batch the viewer sees: the commune a family has moved to does not see its old commune's
        batch, nor that line; the old commune no longer sees the family, nor that line either
        (`services.batch_close` leaves such a line out)."""
        return self.filter(owned_q(user, "batch__unit") & scope_q(user, "household__commune"))

    def standing(self):
        """The lines not removed from their batch."""
        return self.filter(removed=False)


class Recipient(models.Model):
    """One line of a batch: a household (or one of its pupils) and what it is given, its delivery,
    and the posted line of the fund once the batch is closed."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("batch"))
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="support",
                                  verbose_name=_("household"))
    pupil = models.ForeignKey("households.Member", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="support", verbose_name=_("pupil"))
    value = models.BigIntegerField(_("value (VND)"))
    # What the kind records for each line (SupportKind.details).
    school = models.CharField(_("school"), max_length=255, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    school_year = models.CharField(_("school year"), max_length=9, blank=True, help_text=_("e.g. 2025-2026"))
    card_number = models.CharField(_("card number"), max_length=20, blank=True)
    card_valid_until = models.DateField(_("card valid until"), null=True, blank=True)
    goods = models.CharField(_("what was given"), max_length=500, blank=True)
    # Chosen by hand rather than by the batch's filters, or taken out of it, each with a reason.
    added_reason = models.CharField(_("reason for adding"), max_length=500, blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    removed_reason = models.CharField(_("reason for removing"), max_length=500, blank=True)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.PENDING)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    representative = models.CharField(_("received by"), max_length=150, blank=True)
    delivery_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                             blank=True, related_name="+", verbose_name=_("delivery recorded by"))
    delivery_recorded_at = models.DateTimeField(_("delivery recorded at"), null=True, blank=True)
    # The fund's disbursement line paying this recipient, once the batch is closed.
    line = models.OneToOneField("donations.PostingLine", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="support_recipient", verbose_name=_("ledger line"))

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["batch", "household__hamlet", "pk"]
        indexes = [
            # The duplicate-benefit check and the household's timeline read a household's lines.
            models.Index(fields=["household", "batch"], name="donations_recipient_household"),
            models.Index(fields=["batch", "delivery"], name="donations_recipient_delivery"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["batch", "household"], condition=models.Q(pupil__isnull=True),
                                    name="donations_recipient_household_once"),
            models.UniqueConstraint(fields=["batch", "pupil"], condition=models.Q(pupil__isnull=False),
                                    name="donations_recipient_pupil_once"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="donations_recipient_value_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=["delivered", "representative"], delivered_on__isnull=False)
                | ~models.Q(delivery__in=["delivered", "representative"]),
                name="donations_recipient_delivered_dated"),
            models.CheckConstraint(condition=~models.Q(delivery="representative") | ~models.Q(representative=""),
                                   name="donations_recipient_representative_named"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.household_id}"


class BatchImportQuerySet(ScopedQuerySet):
    """An import into a batch is seen where the batch is kept: its unit and the units above."""

    unit_path = "batch__unit"


class BatchImport(FileImport):
    """A member organisation's own list of recipients (XLSX), read into a draft batch: checked and
    shown before anything is written, then added all together or not at all."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="imports", verbose_name=_("batch"))
    file = models.FileField(_("file"), upload_to="imports/batches/%Y/%m/", blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    objects = BatchImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient list import")
        verbose_name_plural = _("recipient list imports")
        ordering = ["-uploaded_at"]


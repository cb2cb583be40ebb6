"""Housing: programmes with their targets, and one case per house to build or repair.

A programme belongs to the province or district that runs it; a case belongs to the commune
of its household, like every household record.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import OwnedQuerySet, ScopedQuerySet, covers_q, within_q
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.validation import CheckedInOneQuery

from .choices import CLOSED_STATES, AttachmentKind, CaseState, FundingSource, ProgrammeKind, Transition, WorkKind

# The case column that holds each source's amount.
FUNDING_FIELDS = {
    FundingSource.STATE_BUDGET: "state_budget",
    FundingSource.FUND_FOR_THE_POOR: "fund_for_the_poor",
    FundingSource.SPONSOR: "sponsor_amount",
    FundingSource.ARMY: "army_amount",
    FundingSource.FAMILY: "family_amount",
}
SUPPORT_FIELDS = ("state_budget", "fund_for_the_poor", "sponsor_amount", "army_amount")


class ProgrammeQuerySet(OwnedQuerySet):
    """A programme is owned by the province or district that runs it (`owned_q`): a commune
    officer sees its district's and province's programmes, a district member its own and its
    province's, a provincial officer all of its province's. Which cases and figures of a
    programme a viewer sees is a separate rule: their scope (`scope_q`)."""

    owner_path = "unit"

    def counted_in(self, unit):
        """The programmes that count something in ``unit``'s reports: run by it or by a unit above
        it (the scope module's `covers_q`, what `covering` returns), or by a unit within it (a
        province's report counts its districts' programmes: `within_q`). Programme.is_counted_in
        asks it of one programme.

        A current-era commune's report counts the houses of the former communes that became it (in
        whole or, by hamlet, in part): the programmes of their former districts and provinces too."""
        counted = covers_q(unit, "unit") | within_q(unit, "unit")
        if unit is not None and unit.era == Era.CURRENT and unit.level == Level.COMMUNE:
            former = AdministrativeUnit.objects.filter(successors=unit)
            counted |= (models.Q(unit__in=former.values("district_id"))
                        | models.Q(unit__in=former.values("province_id")))
        return self.filter(counted)


class Programme(CheckedInOneQuery, models.Model):
    """A housing programme decided by a document, run by a province or a district, with a
    support level per kind of work, a deadline and targets for the units below it."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    decision_number = models.CharField(_("decision number"), max_length=50, help_text=_("For example 781/QĐ-UBND"))
    decision_date = models.DateField(_("decision date"))
    decision_issuer = models.CharField(
        _("issued by"), max_length=255, help_text=_("For example Ủy ban nhân dân tỉnh Bến Tre"),
    )
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="housing_programmes",
        verbose_name=_("unit covered"), limit_choices_to={"level__in": [Level.PROVINCE, Level.DISTRICT]},
    )
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline"))
    # The most a case may receive as support (every source but the family's own money); empty
    # when the programme sets no limit for that kind of work.
    new_build_support = models.BigIntegerField(_("support per new house (VND)"), null=True, blank=True)
    repair_support = models.BigIntegerField(_("support per repair (VND)"), null=True, blank=True)
    new_build_target = models.PositiveIntegerField(_("new houses planned"), null=True, blank=True)
    repair_target = models.PositiveIntegerField(_("repairs planned"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing programme")
        verbose_name_plural = _("housing programmes")
        ordering = ["-deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("start_date")),
                name="housing_programme_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(models.Q(new_build_support__isnull=True) | models.Q(new_build_support__gte=0))
                & (models.Q(repair_support__isnull=True) | models.Q(repair_support__gte=0)),
                name="housing_programme_support_not_negative",
                violation_error_message=_("A support level cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.unit_id and self.unit.level not in (Level.PROVINCE, Level.DISTRICT):
            raise ValidationError({"unit": _("A programme covers a province or a district.")})

    def is_counted_in(self, unit) -> bool:
        """Whether the programme counts anything in ``unit``'s reports (ProgrammeQuerySet.counted_in):
        one query."""
        return Programme.objects.counted_in(unit).filter(pk=self.pk).exists()

    def support_for(self, work_kind: str) -> int | None:
        return self.new_build_support if work_kind == WorkKind.NEW_BUILD else self.repair_support

    def days_left(self, today=None) -> int:
        """Days until the deadline; negative once it has passed."""
        return (self.deadline - (today or timezone.localdate())).days


class ProgrammeTarget(CheckedInOneQuery, models.Model):
    """How many new houses and repairs a programme plans in one district or commune."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="targets", verbose_name=_("programme"))
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="+", verbose_name=_("unit"),
    )
    new_builds = models.PositiveIntegerField(_("new houses"), default=0)
    repairs = models.PositiveIntegerField(_("repairs"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["programme", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit"], name="housing_target_unique_unit",
                violation_error_message=_("The programme already has a target for this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.new_builds} + {self.repairs}"


class HousingCaseQuerySet(ScopedQuerySet):
    unit_path = "commune"

    def open(self):
        return self.exclude(state__in=CLOSED_STATES)

    def overdue(self, today=None):
        """Cases still open after their programme's deadline (`HousingCase.is_overdue` for a row in hand)."""
        return self.open().filter(programme__deadline__lt=today or timezone.localdate())


class HousingCase(CheckedInOneQuery, models.Model):
    """One household's house to build or repair under a programme, from proposal to handover.

    The funding plan is one column per source. "Support" is every source but the family's
    own money; it may not exceed the programme's support level for the kind of work, and
    support plus the family's money must cover the estimated cost. Neighbours' labour days are
    recorded but are not money. The state moves only through housing.services.case_advance.
    """

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="cases", verbose_name=_("programme"))
    household = models.ForeignKey(
        "households.Household", models.PROTECT, related_name="housing_cases", verbose_name=_("household"),
    )
    # The household's commune, kept on the case so that scope and the progress tables are one
    # indexed column, not a join through the household.
    commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="+", verbose_name=_("commune"), editable=False,
    )
    work_kind = models.CharField(_("kind of work"), max_length=16, choices=WorkKind.choices)
    state = models.CharField(_("state"), max_length=24, choices=CaseState.choices, default=CaseState.PROPOSED,
                             editable=False)
    current_condition = models.TextField(_("current condition of the house"))
    estimated_cost = models.BigIntegerField(_("estimated cost (VND)"))
    state_budget = models.BigIntegerField(_("state budget (VND)"), default=0)
    fund_for_the_poor = models.BigIntegerField(_("Fund for the Poor (VND)"), default=0)
    sponsor_amount = models.BigIntegerField(_("sponsor (VND)"), default=0)
    sponsor_name = models.CharField(_("sponsor's name"), max_length=255, blank=True)
    army_amount = models.BigIntegerField(_("army unit (VND)"), default=0)
    army_unit = models.CharField(_("army unit's name"), max_length=255, blank=True)
    family_amount = models.BigIntegerField(_("family's own money (VND)"), default=0)
    labour_days = models.PositiveIntegerField(_("neighbours' labour days"), default=0)

    survey_date = models.DateField(_("survey date"), null=True, blank=True, editable=False)
    survey_findings = models.TextField(_("survey findings"), blank=True, editable=False)
    start_date = models.DateField(_("construction start date"), null=True, blank=True, editable=False)
    completion_date = models.DateField(_("completion date"), null=True, blank=True, editable=False)
    final_cost = models.BigIntegerField(_("final cost (VND)"), null=True, blank=True, editable=False)
    handover_date = models.DateField(_("handover date"), null=True, blank=True, editable=False)
    # Set when the household had a new house in the five years before this proposal.
    recent_new_house = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("new house in the last five years"),
    )

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("proposed by"), editable=False,
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HousingCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("house case")
        verbose_name_plural = _("house cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "household"], condition=~models.Q(state__in=CLOSED_STATES),
                name="housing_case_one_open_per_programme",
                violation_error_message=_("This household already has an open case in this programme."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_cost__gt=0), name="housing_case_cost_positive",
                violation_error_message=_("The estimated cost must be more than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(state_budget__gte=0, fund_for_the_poor__gte=0, sponsor_amount__gte=0,
                                   army_amount__gte=0, family_amount__gte=0),
                name="housing_case_amounts_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_cost__lte=models.F("state_budget") + models.F("fund_for_the_poor")
                                   + models.F("sponsor_amount") + models.F("army_amount")
                                   + models.F("family_amount")),
                name="housing_case_plan_covers_cost",
                violation_error_message=_("The funding plan must cover the estimated cost."),
            ),
            models.CheckConstraint(
                condition=models.Q(sponsor_amount=0) | ~models.Q(sponsor_name=""), name="housing_case_sponsor_named",
                violation_error_message=_("Name the sponsor."),
            ),
            models.CheckConstraint(
                condition=models.Q(army_amount=0) | ~models.Q(army_unit=""), name="housing_case_army_unit_named",
                violation_error_message=_("Name the army unit."),
            ),
            models.CheckConstraint(
                condition=models.Q(completion_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(completion_date__gte=models.F("start_date")),
                name="housing_case_completed_after_start",
                violation_error_message=_("Construction cannot be completed before it started."),
            ),
            models.CheckConstraint(
                condition=models.Q(handover_date__isnull=True) | models.Q(completion_date__isnull=True)
                | models.Q(handover_date__gte=models.F("completion_date")),
                name="housing_case_handed_over_after_completion",
                violation_error_message=_("A house cannot be handed over before it is completed."),
            ),
            models.CheckConstraint(
                condition=models.Q(final_cost__isnull=True) | models.Q(final_cost__gt=0),
                name="housing_case_final_cost_positive",
                violation_error_message=_("The final cost must be more than zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "commune", "state"], name="housing_case_progress"),
            models.Index(fields=["commune", "state"], name="housing_case_commune_state"),
            # The lists' order (newest change first): a province's or district's first page reads
            # 50 entries of this index instead of sorting every case in scope.
            models.Index(fields=["-updated_at", "-id"], name="housing_case_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.household}"

    def clean(self):
        errors = {}
        if self.sponsor_amount and not self.sponsor_name.strip():
            errors["sponsor_name"] = _("Name the sponsor.")
        if self.army_amount and not self.army_unit.strip():
            errors["army_unit"] = _("Name the army unit.")
        if errors:
            raise ValidationError(errors)

    @property
    def support_total(self) -> int:
        return sum(getattr(self, name) for name in SUPPORT_FIELDS)

    @property
    def plan_total(self) -> int:
        return self.support_total + self.family_amount

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def is_overdue(self) -> bool:
        """Still open after the programme's deadline: `HousingCaseQuerySet.overdue` for a row in hand,
        read by the list filter, the pages and the API alike."""
        return self.is_open and self.programme.deadline < timezone.localdate()

    def funding_lines(self) -> list[tuple[str, int, str]]:
        """(source label, amount, name) of each source with money, for pages and files."""
        names = {FundingSource.SPONSOR: self.sponsor_name, FundingSource.ARMY: self.army_unit}
        return [(str(source.label), getattr(self, field), names.get(source, ""))
                for source, field in FUNDING_FIELDS.items() if getattr(self, field)]


class CaseTransition(models.Model):
    """One step of a case's workflow: who took it, the day it happened, when it was entered, from
    which state to which, and why. Written by housing.services (case_propose, case_advance) only;
    never changed afterwards.

    Officers often enter work days or months after it happened, and whole past programmes are
    entered at once: reports and dashboards count a step on ``happened_on``, never on ``at``.
    """

    case = models.ForeignKey(HousingCase, models.CASCADE, related_name="transitions", verbose_name=_("case"))
    # Empty for the proposal itself, the case's first entry.
    name = models.CharField(_("step"), max_length=16, choices=Transition.choices, blank=True)
    from_state = models.CharField(_("from"), max_length=24, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=CaseState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    # The day the step happened: the step's own date on the case (survey, start, completion,
    # handover), or the day of the decision (proposal, approval, rejection, cancellation).
    happened_on = models.DateField(_("day it happened"))
    at = models.DateTimeField(_("entered at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["happened_on", "id"]
        indexes = [
            # A case's last step by a given day (the reports' stage at the end of a past period).
            models.Index(fields=["case", "-happened_on", "-id"], name="housing_step_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


def attachment_path(attachment: "CaseAttachment", filename: str) -> str:
    """A name the server makes: the case's folder and a random name with the checked extension.
    The uploader's file name is kept in ``original_name`` for display only."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"housing/cases/{attachment.case_id}/{uuid.uuid4().hex}{extension}"


class CaseAttachmentQuerySet(ScopedQuerySet):
    unit_path = "case__commune"


class CaseAttachment(CheckedInOneQuery, models.Model):
    """A photo or document of a case, checked by its content (housing.attachments) before it
    is stored, and served only to those who may see the case."""

    case = models.ForeignKey(HousingCase, models.CASCADE, related_name="attachments", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    # A small JPEG of a photo, for pages read on a phone over a weak connection.
    thumbnail = models.FileField(_("thumbnail"), upload_to=attachment_path, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = CaseAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def delete_files(self) -> None:
        """Remove the stored files (when the row that would name them is not saved after all)."""
        for stored in (self.file, self.thumbnail):
            if stored:
                stored.delete(save=False)

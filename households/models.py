"""The household registry: households, their members, yearly categories, policy types and
poverty assessments. Every row belongs to one commune, through its household."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import ScopedQuerySet
from frontwelfare.areas.choices import Level
from frontwelfare.imports.models import FileImport
from frontwelfare.validation import CheckedInOneQuery

from .choices import (
    POVERTY_CATEGORIES,
    AreaKind,
    Category,
    Classification,
    Disability,
    Ethnicity,
    Indicator,
    PolicyType,
    Relation,
    SchoolLevel,
    Sex,
)
from .validators import citizen_id_mismatch, validate_citizen_id_format

FIRST_BIRTH_YEAR = 1900
LAST_BIRTH_YEAR = 2100

phone_validator = RegexValidator(
    r"^\+?[0-9 .]{8,15}$", _("Enter a phone number of 8 to 15 digits, for example 0912 345 678.")
)
health_insurance_validator = RegexValidator(
    r"^([A-Z]{2}[0-9]{13}|[0-9]{10})$",
    _("A health-insurance card number is 2 capital letters and 13 digits, or a 10-digit social insurance number."),
)


class HouseholdQuerySet(ScopedQuerySet):
    unit_path = "commune"


# What households.tallies derives from a household's members (never typed, never in the history).
SUMMARY_FIELDS = ("member_count", "disabled_count", "pupil_count")


class Household(CheckedInOneQuery, models.Model):
    """A household (hộ gia đình) of one commune, identified there by a generated code."""

    commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="households", verbose_name=_("commune"),
        limit_choices_to={"level": Level.COMMUNE},
    )
    code = models.CharField(_("household code"), max_length=20, editable=False)
    hamlet = models.CharField(_("hamlet"), max_length=100, help_text=_("Ấp, thôn or khu phố."))
    # For a household of a former commune split between several current ones in 2025: the current
    # commune its hamlet was assigned to (HamletAssignment, kept by households.services). Its
    # `commune` stays: history is never rewritten; the reports of current units read this.
    assigned_commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("assigned current commune"),
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    notes = models.TextField(_("notes"), blank=True)
    # Kept by the services whenever the head changes, so lists sort and show it without a join.
    head_name = models.CharField(_("head of household"), max_length=150, blank=True, editable=False)
    # Kept from the members by households.tallies whenever they change, so that a list of fifty
    # households at national scale reads fifty rows, not their six million members.
    member_count = models.PositiveSmallIntegerField(_("members"), default=0, editable=False)
    disabled_count = models.PositiveSmallIntegerField(default=0, editable=False)
    pupil_count = models.PositiveSmallIntegerField(default=0, editable=False)
    consent_purpose = models.CharField(
        _("purpose of processing personal data"), max_length=255,
    )
    consent_date = models.DateField(_("date of consent"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("consent recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "assigned_commune", *SUMMARY_FIELDS])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["commune", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="households_household_unique_code",
                violation_error_message=_("This household code is already used in the commune."),
            ),
        ]
        indexes = [models.Index(fields=["commune", "hamlet"], name="households_household_hamlet")]

    def __str__(self) -> str:
        return f"{self.code} - {self.head_name}" if self.head_name else self.code

    def clean(self):
        if self.consent_date and self.consent_date > timezone.localdate():
            raise ValidationError({"consent_date": _("The date of consent cannot be in the future.")})


class MemberQuerySet(ScopedQuerySet):
    unit_path = "household__commune"


class Member(CheckedInOneQuery, models.Model):
    """A person of a household. Personal data of a vulnerable person: health and disability are
    sensitive data under Law 91/2025/QH15, and the citizen ID is shown masked to most users."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="members", verbose_name=_("household"))
    full_name = models.CharField(_("full name"), max_length=150)
    full_name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        validators=[MinValueValidator(FIRST_BIRTH_YEAR), MaxValueValidator(LAST_BIRTH_YEAR)],
        help_text=_("If the date is not known."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, blank=True, validators=[validate_citizen_id_format],
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.KINH)
    disability = models.CharField(_("disability"), max_length=20, choices=Disability.choices, blank=True)
    school_level = models.CharField(_("pupil or student"), max_length=20, choices=SchoolLevel.choices, blank=True)
    health_insurance_number = models.CharField(
        _("health-insurance card number"), max_length=15, blank=True, validators=[health_insurance_validator],
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "id"]
        constraints = [
            # One person, one record, across every commune. Its message answers for the whole
            # country, so it says no more than that: not where, not whose.
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~models.Q(citizen_id=""), name="households_member_unique_citizen_id",
                violation_error_message=_("This citizen ID is already registered; the Front committee of your "
                                          "district (or province) can tell you where."),
                # "unique" files the error under the citizen_id field rather than the whole form.
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relation=Relation.HEAD),
                name="households_member_one_head",
                violation_error_message=_("The household already has a head."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__gte=FIRST_BIRTH_YEAR, birth_year__lte=LAST_BIRTH_YEAR),
                name="households_member_birth_year_range",
                violation_error_message=_("The year of birth is out of range."),
            ),
        ]
        indexes = [models.Index(fields=["full_name_folded", "birth_year"], name="households_member_name_year")]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("The date of birth cannot be in the future.")
        elif self.birth_year and self.birth_year > today.year:
            errors["birth_year"] = _("The year of birth cannot be in the future.")
        elif self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            errors["birth_year"] = _("The year of birth must be the year of the date of birth.")
        if self.citizen_id and not errors:
            mismatch = citizen_id_mismatch(citizen_id=self.citizen_id, sex=self.sex, birth_year=self.birth_year)
            if mismatch:
                errors["citizen_id"] = mismatch
        if errors:
            raise ValidationError(errors)

    @property
    def is_head(self) -> bool:
        return self.relation == Relation.HEAD


class StatusQuerySet(ScopedQuerySet):
    unit_path = "household__commune"


class HouseholdStatus(CheckedInOneQuery, models.Model):
    """A household's category in one year, as the commune's decision recognised it."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="statuses", verbose_name=_("household"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    history = HistoricalRecords()
    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly status")
        verbose_name_plural = _("yearly statuses")
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year", "category"], name="households_status_unique_category",
                violation_error_message=_("The household already has this category in this year."),
            ),
            models.UniqueConstraint(
                fields=["household", "year"], condition=models.Q(category__in=POVERTY_CATEGORIES),
                name="households_status_one_poverty_category",
                violation_error_message=_("A household is poor, near-poor or newly escaped poverty, not two of them."),
            ),
        ]
        indexes = [models.Index(fields=["year", "category"], name="households_status_year_cat")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_category_display()}"


class PolicyQuerySet(ScopedQuerySet):
    unit_path = "household__commune"


class HouseholdPolicy(CheckedInOneQuery, models.Model):
    """A policy-family type of a household (gia đình chính sách); recognised once, not yearly."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="policies", verbose_name=_("household"))
    policy_type = models.CharField(_("policy type"), max_length=32, choices=PolicyType.choices)

    history = HistoricalRecords()
    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy type")
        verbose_name_plural = _("policy types")
        ordering = ["policy_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "policy_type"], name="households_policy_unique",
                violation_error_message=_("The household already has this policy type."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_policy_type_display()


class PovertyStandard(models.Model):
    """A multidimensional poverty standard, in force between two dates. Data, not code: the
    next standard is a new row, and assessments keep the one they were made under."""

    name = models.CharField(_("name"), max_length=150)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    rural_income_line = models.BigIntegerField(_("rural income line (VND per person per month)"))
    urban_income_line = models.BigIntegerField(_("urban income line (VND per person per month)"))
    poor_min_deprivations = models.PositiveSmallIntegerField(
        _("deprivations that make a household poor"),
        help_text=_("A household at or under the income line lacking at least this many indicators is poor."),
    )
    indicators = models.JSONField(_("indicators"), help_text=_("Codes of the deprivation indicators it measures."))

    # It decides who is poor: every change to a line or a threshold answers who, when and what.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="households_standard_valid_range",
                violation_error_message=_("A standard cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    def clean(self):
        unknown = set(self.indicators or []) - set(Indicator.values)
        if unknown:
            message = _("Unknown indicators: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            raise ValidationError({"indicators": message})

    def income_line(self, area_kind: str) -> int:
        return self.urban_income_line if area_kind == AreaKind.URBAN else self.rural_income_line


class AssessmentQuerySet(ScopedQuerySet):
    unit_path = "household__commune"


class PovertyAssessment(CheckedInOneQuery, models.Model):
    """One survey of a household against the standard in force: the income and the lacking
    indicators, the classification the standard gives, and what the officer confirmed."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="assessments", verbose_name=_("household"),
    )
    standard = models.ForeignKey(PovertyStandard, models.PROTECT, related_name="+", verbose_name=_("standard"))
    assessed_on = models.DateField(_("assessed on"))
    area_kind = models.CharField(_("area"), max_length=8, choices=AreaKind.choices)
    monthly_income_per_person = models.BigIntegerField(
        _("monthly income per person (VND)"), validators=[MinValueValidator(0)],
    )
    deprivations = models.JSONField(_("lacking indicators"), default=list, blank=True)
    proposed = models.CharField(_("proposed classification"), max_length=12, choices=Classification.choices)
    confirmed = models.CharField(_("confirmed classification"), max_length=12, choices=Classification.choices,
                                 blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("assessed by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty assessment")
        verbose_name_plural = _("poverty assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_income_per_person__gte=0), name="households_assessment_income_positive",
                violation_error_message=_("Income cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on:%d/%m/%Y}: {self.get_proposed_display()}"

    def clean(self):
        if self.standard_id is None:
            return
        unknown = set(self.deprivations or []) - set(self.standard.indicators)
        if unknown:
            raise ValidationError({"deprivations": _("These indicators are not part of the standard: %(codes)s")
                                   % {"codes": ", ".join(sorted(unknown))}})
        if not (self.standard.valid_from <= self.assessed_on
                and (self.standard.valid_until is None or self.assessed_on <= self.standard.valid_until)):
            raise ValidationError({"assessed_on": _("The standard was not in force on this date.")})

    @property
    def deprivation_labels(self) -> list[str]:
        return [str(Indicator(code).label) for code in self.deprivations if code in Indicator.values]


class ImportQuerySet(ScopedQuerySet):
    unit_path = "commune"


class HouseholdImport(FileImport):
    """An uploaded spreadsheet of households, checked row by row before anything is saved.

    The file is kept until the officer confirms or cancels; confirming checks it again
    (the registry may have changed meanwhile) and saves all of it or none of it. Checking and
    saving run in a Celery task (status checking, saving) that updates ``progress``
    (frontwelfare.imports, the machinery every import shares).
    """

    commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="+", verbose_name=_("commune"),
    )
    file = models.FileField(_("file"), upload_to="imports/households/%Y/%m/", blank=True)
    household_count = models.PositiveIntegerField(_("households"), default=0)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-uploaded_at"]


class HouseholdTally(models.Model):
    """How many households and members a commune has: derived from the registry by
    households.tallies (never typed), so that the number above a list of a province, or of the
    country, is read from its communes' rows rather than counted from a million households."""

    commune = models.OneToOneField("areas.AdministrativeUnit", models.CASCADE, primary_key=True, related_name="+")
    households = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("household tally")
        verbose_name_plural = _("household tallies")

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.households}"


class CategoryTally(models.Model):
    """How many households of a commune had a category in a year, by the date of the decision that
    recognised it: derived by households.tallies. The list's category cards read it, and so do the
    summary report and the dashboard ("status for the year decided by the end of the period")."""

    commune = models.ForeignKey("areas.AdministrativeUnit", models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    decision_date = models.DateField()
    households = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("category tally")
        verbose_name_plural = _("category tallies")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "category", "decision_date"],
                                    name="households_category_tally_unique"),
        ]
        indexes = [models.Index(fields=["year", "commune"], name="households_tally_year_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.year} {self.category} {self.decision_date}: {self.households}"


class HamletAssignmentQuerySet(ScopedQuerySet):
    unit_path = "former_commune"


class HamletAssignment(models.Model):
    """Which current commune the households of one hamlet of a former commune split between several
    in 2025 now belong to, as the province decided it (households.services.hamlets_assign). The
    reports of current units count those households there; the households keep their commune."""

    former_commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="+", verbose_name=_("former commune"),
    )
    hamlet = models.CharField(_("hamlet"), max_length=100)
    current_commune = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, related_name="+", verbose_name=_("current commune"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    history = HistoricalRecords()
    objects = HamletAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("hamlet assignment")
        verbose_name_plural = _("hamlet assignments")
        ordering = ["former_commune", "hamlet"]
        constraints = [
            models.UniqueConstraint(
                fields=["former_commune", "hamlet"], name="households_hamlet_assignment_unique",
                violation_error_message=_("This hamlet of the former commune is already assigned."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.former_commune} / {self.hamlet} → {self.current_commune}"

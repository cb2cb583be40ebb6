"""The yearly round of a level above its communes: the deadline for registering, the criteria
inspections score against (versioned), and the communes for which it was reopened."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import OwnedQuerySet, ScopedQuerySet
from frontwelfare.areas.choices import Level
from frontwelfare.validation import CheckedInOneQuery


def default_deadline(year: int) -> datetime.date:
    """Communes register their models by the end of the first quarter."""
    return datetime.date(year, 3, 31)


class RoundQuerySet(OwnedQuerySet):
    """A round is run by a district (a province, for the communes of the current units): its
    communes' officers see it, as do the units above (`owned_q`)."""

    owner_path = "unit"


class Round(CheckedInOneQuery, models.Model):
    """One year's registration of typical models by the communes of a district (before the 2025
    reform) or of a province (current units, which have no district), with its dates.

    Created when the first of its communes registers, or by the level above when it sets its dates;
    the deadline is 31 March unless the level above sets another."""

    unit = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, related_name="model_rounds",
                             verbose_name=_("run by"),
                             limit_choices_to={"level__in": [Level.PROVINCE, Level.DISTRICT]})
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("registration deadline"))
    mid_year_review_on = models.DateField(_("mid-year review"), null=True, blank=True)
    final_report_on = models.DateField(_("final report due"), null=True, blank=True)
    # The criteria version new inspections score against (see Criterion).
    criteria_version = models.PositiveSmallIntegerField(_("criteria version"), default=1, editable=False)
    # "Send to the province": the synthesis frozen as reports (frontwelfare.reports) the province reads.
    synthesis_sent_at = models.DateTimeField(_("synthesis sent at"), null=True, blank=True, editable=False)
    synthesis_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("synthesis sent by"), editable=False)
    synthesis_xlsx = models.ForeignKey("reports.Report", models.SET_NULL, null=True, blank=True, related_name="+",
                                       editable=False)
    synthesis_pdf = models.ForeignKey("reports.Report", models.SET_NULL, null=True, blank=True, related_name="+",
                                      editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round of typical models")
        verbose_name_plural = _("rounds of typical models")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="models_round_once_a_year",
                                    violation_error_message=_("This unit already has a round for this year.")),
            models.CheckConstraint(
                condition=models.Q(mid_year_review_on__isnull=True) | models.Q(mid_year_review_on__gte=models.F(
                    "deadline")),
                name="models_round_review_after_deadline",
                violation_error_message=_("The mid-year review cannot be before the registration deadline.")),
            models.CheckConstraint(
                condition=models.Q(final_report_on__isnull=True) | models.Q(final_report_on__gte=models.F(
                    "deadline")),
                name="models_round_final_after_deadline",
                violation_error_message=_("The final report cannot be due before the registration deadline.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class CriterionQuerySet(OwnedQuerySet):
    owner_path = "round__unit"


class Criterion(models.Model):
    """One criterion of a round's scoring, in one version: its weight is the most points it gives,
    and a version's weights add up to 100. A version that has scored an inspection is never changed:
    changing the criteria then makes the next version, and each inspection keeps the one it used."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="criteria", verbose_name=_("round"))
    version = models.PositiveSmallIntegerField(_("version"))
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("criterion"), max_length=200)
    description = models.CharField(_("what is looked at"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version", "position"], name="models_criterion_position_once"),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100), name="models_criterion_weight",
                                   violation_error_message=_("A weight is from 1 to 100 points.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


# The criteria a round starts with when no earlier round of its unit has any: (name, what is
# looked at, weight). Vietnamese, as the score sheet is printed; a committee changes them as data.
DEFAULT_CRITERIA = (
    ("Hiệu quả", "Kết quả đạt được so với mục tiêu đăng ký", 30),
    ("Sức lan tỏa và khả năng nhân rộng", "Số nơi học tập, nhân rộng; tuyên truyền", 25),
    ("Sự tham gia của cộng đồng", "Số người, hộ, tổ chức tham gia và đóng góp", 20),
    ("Tính bền vững", "Duy trì, nguồn lực lâu dài", 15),
    ("Tính sáng tạo", "Cách làm mới, phù hợp địa phương", 10),
)


class ReopeningQuerySet(ScopedQuerySet):
    unit_path = "commune"


class Reopening(models.Model):
    """The round opened again for one commune after its deadline, until a day, by the level above,
    with the reason: the commune may register (and submit) until then."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="reopenings", verbose_name=_("round"))
    commune = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    until = models.DateField(_("open until"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("reopened by"))
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)

    objects = ReopeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["-reopened_at"]
        indexes = [models.Index(fields=["round", "commune", "-until"], name="models_reopening_latest")]

    def __str__(self) -> str:
        return f"{self.commune} → {self.until}"

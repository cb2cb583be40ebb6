"""The level above's inspection plan for a round, and each inspection on site with its scores."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import ScopedQuerySet

from .registrations import TypicalModel
from .rounds import Criterion


class PlannedInspectionQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class PlannedInspection(models.Model):
    """A line of the round's inspection plan: a model to inspect, the officers in charge of movement
    work assigned to it, and the day planned. The plan of a round is its lines."""

    model = models.OneToOneField(TypicalModel, models.CASCADE, related_name="planned_inspection",
                                 verbose_name=_("model"))
    officers = models.CharField(_("officers assigned"), max_length=500)
    planned_on = models.DateField(_("planned for"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = PlannedInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned inspection")
        verbose_name_plural = _("inspection plan")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"{self.model} · {self.planned_on}"


class InspectionQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class Inspection(models.Model):
    """The inspection of a model on site: the day, the officers, what they found, and a score for
    each criterion of the version of the round's criteria it was scored against."""

    model = models.OneToOneField(TypicalModel, models.CASCADE, related_name="inspection", verbose_name=_("model"))
    inspected_on = models.DateField(_("inspected on"))
    officers = models.CharField(_("officers"), max_length=500)
    findings = models.TextField(_("findings"))
    criteria_version = models.PositiveSmallIntegerField(_("criteria version"))
    total_score = models.PositiveSmallIntegerField(_("total score"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["inspected_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(total_score__lte=100),
                                              name="models_inspection_total_at_most_100")]

    def __str__(self) -> str:
        return f"{self.model} · {self.inspected_on}"


class ScoreQuerySet(ScopedQuerySet):
    unit_path = "inspection__model__commune"


class Score(models.Model):
    """Points given for one criterion, from 0 to its weight."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="scores", verbose_name=_("inspection"))
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="scores", verbose_name=_("criterion"))
    points = models.PositiveSmallIntegerField(_("points"))

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "criterion"], name="models_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.points}"

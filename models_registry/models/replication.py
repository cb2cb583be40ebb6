"""How a recognised model spreads: study visits by other units and coverage in the media. The
communes that registered a replica are the model's `replicas` (TypicalModel.replicates)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import ScopedQuerySet

from .registrations import TypicalModel


class StudyVisitQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class StudyVisit(models.Model):
    """A unit that came to learn from the model: which, when, how many people."""

    model = models.ForeignKey(TypicalModel, models.CASCADE, related_name="study_visits", verbose_name=_("model"))
    visiting_unit = models.ForeignKey("areas.AdministrativeUnit", models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("visiting unit"))
    visitors = models.CharField(_("visitors"), max_length=255, blank=True,
                                help_text=_("Who came, when it is not a unit of the list"))
    visited_on = models.DateField(_("visited on"))
    people = models.PositiveIntegerField(_("number of people"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = StudyVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        ordering = ["-visited_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(visiting_unit__isnull=False) | ~models.Q(visitors=""), name="models_visit_named",
            violation_error_message=_("Say which unit or who visited."))]

    def __str__(self) -> str:
        return f"{self.visiting_unit or self.visitors} · {self.visited_on}"

    @property
    def visitor(self) -> str:
        return str(self.visiting_unit) if self.visiting_unit_id else self.visitors


class MediaCoverageQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class MediaCoverage(models.Model):
    """An article, broadcast or post about the model."""

    model = models.ForeignKey(TypicalModel, models.CASCADE, related_name="media", verbose_name=_("model"))
    outlet = models.CharField(_("outlet"), max_length=255)
    title = models.CharField(_("title"), max_length=500)
    published_on = models.DateField(_("published on"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MediaCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"

from django.db import models
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import within_q

from .choices import DivisionType, Era, Level


class AdministrativeUnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrative units are public reference data (GSO codes and names): every
        signed-in user may read all of them. What a user may *act on* is `within(user.unit)`.
        """
        if not user.is_authenticated:
            return self.none()
        return self

    def within(self, unit: "AdministrativeUnit"):
        """The unit and every unit below it (`within_q`)."""
        return self.filter(within_q(unit, ""))

    def below(self, unit: "AdministrativeUnit"):
        return self.within(unit).exclude(pk=unit.pk)

    # "Split" is defined here only: `split()`, `unmapped()` and `AdministrativeUnit.is_split` say the same.
    # A former commune with no single current commune is either split between several (it has
    # successors: the province assigns its households by hamlet) or one of the few the official data
    # maps to nothing (no successor: nothing to assign it to; its records stay under its own name).

    def _without_current_commune(self):
        return self.filter(era=Era.LEGACY, level=Level.COMMUNE, current_commune__isnull=True)

    def split(self):
        """The former communes divided on 1 July 2025 between several current communes."""
        return self._without_current_commune().filter(_has_successors())

    def unmapped(self):
        """The former communes the official data maps to no current commune."""
        return self._without_current_commune().filter(~_has_successors())


def _has_successors() -> models.Exists:
    through = AdministrativeUnit.successors.through
    return models.Exists(through.objects.filter(from_administrativeunit_id=models.OuterRef("pk")))


class AdministrativeUnit(models.Model):
    """A province, district or commune with its official GSO code, in one of two eras.

    Each row carries its province and (for communes) its district, and a province or
    district row points at itself, so "everything under unit X" is a single indexed filter
    (`province_id = X` or `district_id = X`), never a walk up the tree.
    """

    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    code = models.CharField(_("GSO code"), max_length=5)
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(
        _("name without diacritics"), max_length=100, db_index=True, editable=False
    )
    division_type = models.CharField(_("type"), max_length=24, choices=DivisionType.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    district = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors",
        verbose_name=_("successor units"),
        help_text=_("For a unit before 1 July 2025: the current units it became part of."),
    )
    # The mapping across the 2025 reform, denormalised so that "every record of current province X,
    # whichever era it was entered in" is one indexed filter (`current_province_id = X`).
    current_province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", db_index=True,
        verbose_name=_("current province"),
        help_text=_("The province (from 1 July 2025) this unit lies in now."),
    )
    current_commune = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("current commune"),
        help_text=_("For a commune: the commune (from 1 July 2025) it is or became; empty for a former "
                    "commune split between several, whose households the province assigns by hamlet."),
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["era", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["era", "level", "code"], name="areas_unit_unique_code",
                violation_error_message=_("A unit with this code already exists in this era."),
            ),
            models.CheckConstraint(
                condition=~models.Q(era=Era.CURRENT, level=Level.DISTRICT),
                name="areas_unit_no_current_districts",
                violation_error_message=_("Districts were abolished on 1 July 2025."),
            ),
        ]
        indexes = [models.Index(fields=["era", "level", "name_folded"], name="areas_unit_level_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_split(self) -> bool:
        """A former commune split between several current communes (`AdministrativeUnitQuerySet.split`):
        no single `current_commune`, and successors. No query unless it has no current commune."""
        if self.era != Era.LEGACY or self.level != Level.COMMUNE or self.current_commune_id is not None:
            return False
        return self.successors.exists()

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ROLE_UNIT_LEVEL, Role
from .scope import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    unit_path = "unit"


class FrontWelfareUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Their role and unit decide what they see everywhere.

    A commune officer is granted a commune, a district member a district, a provincial
    officer a province; an administrator has no unit and sees everything.
    """

    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("administrative unit"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = FrontWelfareUserManager()
    # The change history of who held which role and unit; passwords and login times are
    # not history anyone needs to read.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.ADMINISTRATOR, unit__isnull=True)
                    | (~models.Q(role=Role.ADMINISTRATOR) & models.Q(unit__isnull=False))
                ),
                name="accounts_user_unit_matches_role",
                violation_error_message=_(
                    "An administrator has no unit; every other role needs one."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        expected_level = ROLE_UNIT_LEVEL.get(self.role)
        if expected_level is None:
            if self.unit_id is not None:
                raise ValidationError({"unit": _("An administrator has no unit.")})
            return
        if self.unit_id is None:
            raise ValidationError({"unit": _("Choose the unit this user works for.")})
        if self.unit.level != expected_level:
            raise ValidationError(
                {"unit": _("A %(role)s must be given a %(level)s.")
                 % {"role": self.get_role_display().lower(), "level": self.unit.get_level_display().lower()}}
            )

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names first ("Nguyễn Văn An")."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def oversees_units(self) -> bool:
        """Whether units and people lie below this user's own (a district, a province, the
        country): the directory pages of units and users serve them, not a commune officer."""
        return self.role != Role.COMMUNE_OFFICER

    def sync_staff_flags(self) -> None:
        """Only administrators enter the Django admin; the flags follow the role."""
        self.is_staff = self.is_superuser = self.role == Role.ADMINISTRATOR


class Submission(models.Model):
    """A create form or API create sent once, by its one-time key: the form's hidden
    ``submission_key`` or the API's ``Idempotency-Key`` header. The row is written in the
    transaction that makes the record, and its unique (user, key) makes a second post of the same
    key wait for the first and then answer with the record already made (`frontwelfare.submissions`)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    made = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="accounts_submission_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"

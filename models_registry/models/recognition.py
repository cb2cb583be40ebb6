"""The agency meeting and its decisions, the numbered recognition notice, the commendations and
awards, and the support the level above gives a model (money among it, paid out of a fund)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from donations.choices import Earmark
from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import ScopedQuerySet, scope_q

from ..choices import AwardKind, Decision, SupportKind
from ..permissions import round_unit_of
from .registrations import TypicalModel
from .rounds import Round


class MeetingQuerySet(ScopedQuerySet):
    """A meeting of the level above is seen by that level and the province above it."""

    unit_path = "round__unit"


class Meeting(models.Model):
    """The agency meeting (họp cơ quan) where each inspected model is presented with its score and
    decided on. Its minutes are a file checked like any attachment."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="meetings", verbose_name=_("round"))
    held_on = models.DateField(_("held on"))
    chaired_by = models.CharField(_("chaired by"), max_length=255)
    participants = models.TextField(_("participants"))
    minutes = models.FileField(_("minutes"), upload_to="models/meetings/", max_length=255, blank=True)
    minutes_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency meeting")
        verbose_name_plural = _("agency meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.round} · {self.held_on}"


class MeetingItemQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class MeetingItem(models.Model):
    """A model presented at a meeting, with the score it brought and the meeting's decision (empty
    until decided)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items", verbose_name=_("meeting"))
    model = models.OneToOneField(TypicalModel, models.PROTECT, related_name="meeting_item", verbose_name=_("model"))
    score = models.PositiveSmallIntegerField(_("score"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = MeetingItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("model presented")
        verbose_name_plural = _("models presented")
        ordering = ["-score", "id"]

    def __str__(self) -> str:
        return f"{self.model} · {self.score}"


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notice is read by the committee that issued it and the units above it (`scope_q` on the
        round's unit), and by the communes it is addressed to: those of its round (a commune officer
        whose commune's round it is, `round_unit_of`) — not by a district under a province that also
        runs a round for its communes without a district."""
        if getattr(user, "role", None) == Role.COMMUNE_OFFICER and user.is_active and user.unit_id:
            return self.filter(round__unit=round_unit_of(user.unit))
        return self.filter(scope_q(user, "round__unit"))


class Notice(models.Model):
    """The notice recognising the round's models (thông báo công nhận): its number and symbol
    ("15/TB-MTTQ"), the day, who signs it and as what, who receives it, and the models."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="notices", verbose_name=_("round"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=40, default="TB-MTTQ")
    issued_on = models.DateField(_("issued on"))
    signer = models.CharField(_("signed by"), max_length=255)
    signer_title = models.CharField(_("signer's title"), max_length=255, help_text=_("For example PHÓ CHỦ TỊCH"))
    recipients = models.TextField(_("recipients (Nơi nhận)"), help_text=_("One per line"))
    recognised_models = models.ManyToManyField(TypicalModel, related_name="notices",
                                               verbose_name=_("models recognised"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition notice")
        verbose_name_plural = _("recognition notices")
        ordering = ["-issued_on", "-number"]
        constraints = [models.UniqueConstraint(
            fields=["round", "number", "symbol"], name="models_notice_number_once",
            violation_error_message=_("This round already has a notice of this number."))]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class AwardQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class Award(models.Model):
    """A commendation or award given to a recognised model: a certificate of merit, money (paid out
    of a fund, one disbursement `posting`), or both."""

    model = models.ForeignKey(TypicalModel, models.PROTECT, related_name="awards", verbose_name=_("model"))
    notice = models.ForeignKey(Notice, models.PROTECT, null=True, blank=True, related_name="awards",
                               verbose_name=_("notice"))
    kind = models.CharField(_("kind"), max_length=24, choices=AwardKind.choices)
    title = models.CharField(_("title"), max_length=255, help_text=_("For example Giấy khen"))
    awarded_on = models.DateField(_("awarded on"))
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    fund = models.ForeignKey("donations.Fund", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("paid from fund"))
    earmark = models.CharField(_("earmark"), max_length=24, choices=Earmark.choices, default=Earmark.NONE)
    posting = models.OneToOneField("donations.Posting", models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["awarded_on", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="models_award_amount_positive",
            violation_error_message=_("Enter an amount of at least 1 đồng, in whole đồng."))]

    def __str__(self) -> str:
        return f"{self.title} · {self.model}"

    @property
    def has_certificate(self) -> bool:
        return self.kind in (AwardKind.CERTIFICATE, AwardKind.CERTIFICATE_AND_MONEY)


class ModelSupportQuerySet(ScopedQuerySet):
    unit_path = "model__commune"


class ModelSupport(models.Model):
    """Support the level above gives a model: advice, information, resources or funds; funds are
    paid out of a fund's earmark as one disbursement (`posting`)."""

    model = models.ForeignKey(TypicalModel, models.PROTECT, related_name="support", verbose_name=_("model"))
    kind = models.CharField(_("kind"), max_length=16, choices=SupportKind.choices)
    given_on = models.DateField(_("given on"))
    description = models.TextField(_("description"))
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    fund = models.ForeignKey("donations.Fund", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("paid from fund"))
    earmark = models.CharField(_("earmark"), max_length=24, choices=Earmark.choices, default=Earmark.NONE)
    posting = models.OneToOneField("donations.Posting", models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ModelSupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support to a model")
        verbose_name_plural = _("support to models")
        ordering = ["given_on", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="models_support_amount_positive",
            violation_error_message=_("Enter an amount of at least 1 đồng, in whole đồng."))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.model}"

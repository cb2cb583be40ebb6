"""Funds and their ledger.

A fund belongs to a commune, district or province. Its money is never a number typed in: every
movement is a posting of two or more lines whose amounts sum to zero, each line on a fund and
earmark or on the outside world (a donor, a recipient), and a balance is the sum of a fund's
lines. Postings and lines are append-only: the database refuses UPDATE and DELETE on them
(a trigger, migration 0001) and so does the model layer (for SQLite, the quick start). A mistake
is corrected by a reversing posting that names the one it reverses.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.scope import ScopedQuerySet

from .choices import Earmark, FundKind, Party, PostingKind


class LedgerChangeRefused(Exception):
    """An attempt to change or delete a posted row: the ledger is append-only."""


class FundQuerySet(ScopedQuerySet):
    """A fund is seen by the officers of its unit and of the units above it (`scope_q`), not by
    those below or beside."""

    unit_path = "unit"


class Fund(models.Model):
    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="funds",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=32, choices=FundKind.choices)
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["unit__code", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="donations_fund_unique_name")]

    def __str__(self) -> str:
        return self.name


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes: a ledger row, once written, stays as it is."""

    def update(self, **kwargs):
        raise LedgerChangeRefused("Ledger rows are never updated: post a reversal instead.")

    def delete(self):
        raise LedgerChangeRefused("Ledger rows are never deleted: post a reversal instead.")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again, or deleting it, is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerChangeRefused("Ledger rows are never updated: post a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerChangeRefused("Ledger rows are never deleted: post a reversal instead.")


class Posting(AppendOnlyModel):
    """One movement of money: its lines sum to zero. ``happened_on`` is the day of the receipt,
    decision or transfer (what reports count by); ``recorded_at`` when it was entered."""

    kind = models.CharField(_("kind"), max_length=16, choices=PostingKind.choices)
    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="postings",
                             verbose_name=_("posted by unit"))
    happened_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=PostingKind.REVERSAL, reverses__isnull=False)
                | (~models.Q(kind=PostingKind.REVERSAL) & models.Q(reverses__isnull=True)),
                name="donations_posting_reversal_names_its_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class PostingLine(AppendOnlyModel):
    """One side of a posting: money into (positive) or out of (negative) a fund's earmark, or the
    outside world's side of it (a donor giving: negative; a recipient paid: positive)."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lines", verbose_name=_("posting"))
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="lines",
                             verbose_name=_("fund"))
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"))
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("posting line")
        verbose_name_plural = _("posting lines")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="donations_line_amount_not_zero"),
            # A fund's line has an earmark (Earmark.NONE for unrestricted money); the outside world's has neither.
            models.CheckConstraint(
                condition=(models.Q(party=Party.FUND, fund__isnull=False) & ~models.Q(earmark=""))
                | (~models.Q(party=Party.FUND) & models.Q(fund__isnull=True, earmark="")),
                name="donations_line_fund_and_earmark_together",
            ),
        ]
        # A balance is a sum over one fund's lines, per earmark, read from this index alone.
        indexes = [models.Index(fields=["fund", "earmark"], include=["amount"], name="donations_line_balance")]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.amount:+,}"

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
from simple_history.models import HistoricalRecords

from frontwelfare.accounts.scope import OwnedQuerySet, ScopedQuerySet, scope_q
from frontwelfare.imports.models import FileImport
from frontwelfare.text import fold_diacritics

from .choices import (
    CampaignKind,
    DonorKind,
    Earmark,
    FundKind,
    MemberOrganisation,
    Party,
    PaymentMethod,
    PostingKind,
    Purpose,
)


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


class PostingQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """The postings of a unit in ``user``'s scope, and those touching a fund in it (a district's
        transfer into a commune's fund is seen by the commune)."""
        return self.filter(scope_q(user, "unit") | models.Q(
            models.Exists(PostingLine.objects.filter(models.Q(posting=models.OuterRef("pk")),
                                                     scope_q(user, "fund__unit")))))


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

    objects = PostingQuerySet.as_manager()

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
    # What a disbursement's pair of lines paid for, and to whom: a household (its support timeline,
    # "which donors reached it"), a house case (the housing link), or a work described in words.
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices, blank=True)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="ledger_lines", verbose_name=_("household"))
    case = models.ForeignKey("housing.HousingCase", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="ledger_lines", verbose_name=_("house case"))

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
        indexes = [
            models.Index(fields=["fund", "earmark"], include=["amount"], name="donations_line_balance"),
            # A fund's latest line (the fund statement's data version), one probe per fund.
            models.Index(fields=["fund", "id"], name="donations_line_fund_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.amount:+,}"


class Trace(AppendOnlyModel):
    """Which receipt a fund line's money is: every fund line is split over the receipts (receipt
    postings) it came from or drew on, the parts summing to the line's amount. A receipt puts its
    own money in; a payment draws on the receipts still holding money in that fund and earmark,
    oldest first (earmarked money is only ever in its earmark, so it draws on receipts of that
    earmark); a transfer carries the receipts it drew on to the fund it pays into; a reversal
    undoes its posting's parts. So a receipt's money can be followed to the households and works
    it paid for, and a household's help back to its donors."""

    line = models.ForeignKey(PostingLine, on_delete=models.PROTECT, related_name="traces", verbose_name=_("line"))
    source = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="traced_lines",
                               verbose_name=_("receipt posting"))
    # The line's fund and earmark, copied so that what a receipt still holds in a fund is one
    # index range (donations_trace_holding).
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund"))
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices)
    amount = models.BigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("trace")
        verbose_name_plural = _("traces")
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="donations_trace_amount_not_zero")]
        indexes = [
            models.Index(fields=["fund", "earmark", "source"], include=["amount"], name="donations_trace_holding"),
            models.Index(fields=["source"], name="donations_trace_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.amount:+,}"


# -- donors, campaigns, pledges -------------------------------------------------------------------


class DonorQuerySet(ScopedQuerySet):
    """A donor is kept by the unit that recorded it, and seen by that unit and the units above."""

    unit_path = "unit"


class Donor(models.Model):
    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="donors",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=32, choices=DonorKind.choices)
    member_organisation = models.CharField(_("member organisation"), max_length=32,
                                           choices=MemberOrganisation.choices, blank=True)
    name = models.CharField(_("name"), max_length=255)
    # The name without diacritics, lower-cased: what the duplicate check and the search compare.
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    anonymous = models.BooleanField(_("not to be published"), default=False, help_text=_(
        "The donor asked not to be named on the public pages: shown there as “An anonymous donor”."))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DonorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "name_folded"])

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name_folded", "pk"]
        indexes = [models.Index(fields=["unit", "name_folded"], name="donations_donor_unit_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=DonorKind.MEMBER_ORGANISATION) | models.Q(member_organisation=""),
                name="donations_donor_member_organisation_only_for_its_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold_diacritics(self.name)
        super().save(*args, **kwargs)


class CampaignQuerySet(OwnedQuerySet):
    """A campaign of a unit is seen by that unit, the units below it (who collect for it) and above."""

    owner_path = "unit"


class Campaign(models.Model):
    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="campaigns",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=32, choices=CampaignKind.choices)
    name = models.CharField(_("name"), max_length=255)
    # Donors write it in their transfer's note ("VNN2025 ung ho"): the bank statement import
    # matches a credit to the campaign by it.
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_(
        "Letters and digits donors write in the bank transfer's note, e.g. VNN2025."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target = models.BigIntegerField(_("target (VND)"), default=0)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("fund"),
                             help_text=_("The fund its money goes into."))
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices, default=Earmark.NONE)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="donations_campaign_ends_after_it_starts",
                                   violation_error_message=_("A campaign ends on or after the day it starts.")),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="donations_campaign_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class PledgeQuerySet(ScopedQuerySet):
    unit_path = "unit"


class Pledge(models.Model):
    """Money announced (at a ceremony), not received: a receipt may settle all or part of it."""

    unit = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="pledges",
                             verbose_name=_("unit"))
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pledges",
                                 verbose_name=_("campaign"))
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor"))
    amount = models.BigIntegerField(_("amount (VND)"))
    pledged_on = models.DateField(_("pledged on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-pledged_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donations_pledge_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.donor}: {self.amount:,}"


# -- receipts and spending decisions: the documents behind postings ----------------------------------


class ReceiptQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """A receipt is seen where its fund is: by the fund's unit and the units above."""

    unit_path = "fund__unit"


class Receipt(AppendOnlyModel):
    """A receipt (phiếu thu): the document of money in, numbered without gaps per fund and year
    (`number`, e.g. PT-2025-000123). Written once with its posting; a mistake is corrected by
    reversing the posting (the receipt stays, marked) and recording it again."""

    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="receipt",
                                   verbose_name=_("posting"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("fund"))
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=32)
    happened_on = models.DateField(_("date"))
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("donor"))
    amount = models.BigIntegerField(_("amount (VND)"))
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    in_kind_description = models.CharField(_("goods given"), max_length=500, blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
                                 verbose_name=_("campaign"))
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
                               verbose_name=_("settles pledge"))
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices, default=Earmark.NONE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    attached_documents = models.PositiveSmallIntegerField(_("attached documents"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "sequence"], name="donations_receipt_number_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donations_receipt_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(method=PaymentMethod.IN_KIND) | ~models.Q(in_kind_description=""),
                name="donations_receipt_in_kind_described",
            ),
        ]
        indexes = [
            models.Index(fields=["number"], name="donations_receipt_number"),
            # The same bank credit is recorded once per fund while its receipt stands (a reversed
            # one may be recorded again): services.receipt_record checks it under the fund's lock,
            # as a unique constraint could not tell a reversed receipt from a standing one.
            models.Index(fields=["bank_reference"], name="donations_receipt_bank_ref"),
            models.Index(fields=["campaign", "happened_on"], name="donations_receipt_campaign"),
        ]

    def __str__(self) -> str:
        return self.number


class SoftCredit(AppendOnlyModel):
    """A person an agency's receipt lists as having given (the agency holds the hard credit)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="soft_credits",
                                verbose_name=_("receipt"))
    name = models.CharField(_("name"), max_length=255)
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)

    class Meta:
        verbose_name = _("soft credit")
        verbose_name_plural = _("soft credits")

    def __str__(self) -> str:
        return self.name


class ReceiptSeries(models.Model):
    """The last number given to a receipt of a fund in a year. The row is locked while a receipt is
    numbered and written, in the receipt's transaction: a receipt that fails rolls its number back,
    and two clerks never get the same number (see `services.receipt_record`)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="donations_receipt_series_once")]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.year}: {self.last}"


class SpendingDecisionQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """A decision is seen where its fund is: by the fund's unit and the units above."""

    unit_path = "fund__unit"


class SpendingDecision(AppendOnlyModel):
    """A spending decision (quyết định chi) of the fund's unit: its lines are the posting's, each
    citing it. Corrected by reversing the posting."""

    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="decision",
                                   verbose_name=_("posting"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("fund"))
    number = models.CharField(_("decision number"), max_length=64, help_text=_("e.g. 15/QĐ-MTTQ"))
    decided_on = models.DateField(_("decided on"))
    signer = models.CharField(_("signed by"), max_length=255)
    earmark = models.CharField(_("earmark"), max_length=32, choices=Earmark.choices, default=Earmark.NONE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SpendingDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("spending decision")
        verbose_name_plural = _("spending decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["fund", "number"], name="donations_decision_number_once",
                                               violation_error_message=_("This fund already has a decision of "
                                                                         "this number."))]

    def __str__(self) -> str:
        return self.number


# -- the bank statement import ---------------------------------------------------------------------


class StatementImportQuerySet(ScopedQuerySet):
    """An import of a fund's statement is seen where the fund is: its unit and the units above."""

    unit_path = "fund__unit"


class StatementImport(FileImport):
    """A bank's statement of a fund's account, uploaded to record its credits as receipts: each
    credit line a receipt (bank transfer, with the bank's reference), checked and shown before
    anything is recorded, then recorded all together or not at all (donations.imports; the steps
    are every import's, frontwelfare.imports)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="statement_imports",
                             verbose_name=_("fund"))
    file = models.FileField(_("file"), upload_to="imports/statements/%Y/%m/", blank=True)
    credit_count = models.PositiveIntegerField(_("credits"), default=0)
    skipped_count = models.PositiveIntegerField(_("lines skipped"), default=0,
                                                help_text=_("Debits, balances and totals: not receipts."))
    total = models.BigIntegerField(_("total credited (VND)"), default=0)
    new_donor_count = models.PositiveIntegerField(_("new donors"), default=0)

    objects = StatementImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-uploaded_at"]


# Support to households and the member organisations' work (issue 14) live in their own module;
# imported here so that Django finds them as this app's models.
from .support.models import (  # noqa: E402,F401
    Activity,
    Batch,
    BatchImport,
    Membership,
    Organisation,
    Recipient,
    SupportKind,
)

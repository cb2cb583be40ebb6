"""Checking a statement's lines: each credit a proposed receipt, its donor and campaign found.

Rules (and the choices made where the issue left them open):

- A line with money in (``Ghi có``) is a credit: a proposed receipt. A line without (a debit, an
  opening or closing balance) is left out, counted, and is no error. A credit with neither a date
  nor a reference is the bank's total or balance line: left out too, with a warning saying so.
- Errors (nothing can be recorded until they are corrected): a date that is not one, an amount
  that is not a whole positive number of đồng, a missing or too long reference, a reference on an
  earlier line of the file, a reference already recorded for this fund (the database also refuses
  it: `Receipt`'s constraint), a missing payer's name.
- The campaign: the code of a campaign the officer sees and that covers the fund's unit (the
  campaigns `receipt_record` accepts for this fund) written in the note as a word of its own
  ("VNN2025 ung ho", "UNG HO VNN2025-NGUYEN VAN AN"). None found, or several different ones, is a
  warning: the receipt then has no campaign, and its money no earmark (unrestricted). The
  campaign's earmark is the receipt's.
- The donor: one of the officer's donors (`Donor.objects.visible_to`) of the same name without
  diacritics or case ("NGUYEN VAN AN" is "Nguyễn Văn An"); of several, the one kept by the
  officer's own unit, then the oldest, with a warning. None: a new donor, recorded when the
  import is confirmed (`donor_create`), one per name however many lines it sent: a business when
  its name says so (công ty, TNHH, doanh nghiệp, ngân hàng, hợp tác xã, company, ltd…),
  otherwise an individual; a name in capitals only, as banks write it, is written as a name
  ("NGUYEN VAN AN" → "Nguyen Van An"). The officer can correct a donor afterwards.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from frontwelfare.imports.cells import CellError, as_text, blank
from frontwelfare.imports.problems import CheckResult, Problem
from frontwelfare.imports.reading import SheetRow
from frontwelfare.templatetags.frontwelfare import vnd
from frontwelfare.text import fold_diacritics

from ..choices import DonorKind
from ..models import Campaign, Donor, Fund, Receipt
from ..selectors import receipts_of_bank_references
from ..services import receipt_earmark
from .columns import COLUMN, COLUMNS, read_amount, read_date

REFERENCE_LENGTH = Receipt._meta.get_field("bank_reference").max_length
NOTE_LENGTH = Receipt._meta.get_field("note").max_length
NAME_LENGTH = Donor._meta.get_field("name").max_length
_BUSINESS_WORDS = ("cong ty", "cty", "tnhh", "co phan", "doanh nghiep", "dntn", "hop tac xa", "htx", "ngan hang",
                   "tap doan", "chi nhanh", "company", "co ltd", "ltd", "jsc", "corp", "corporation", "inc", "llc")


@dataclass(frozen=True)
class NewDonor:
    """A donor the import will record: none of the officer's donors has this name."""

    name: str
    kind: str


@dataclass
class ProposedReceipt:
    """A credit line as the receipt it will be. A line with errors has what could be read."""

    row: int
    happened_on: date | None
    bank_reference: str
    amount: int | None
    payer: str
    note: str
    donor: Donor | None = None
    new_donor: NewDonor | None = None
    campaign: Campaign | None = None

    @property
    def earmark(self) -> str:
        return receipt_earmark(self.campaign)

    @property
    def donor_name(self) -> str:
        if self.donor is not None:
            return self.donor.name
        return self.new_donor.name if self.new_donor is not None else ""


@dataclass
class StatementCheck(CheckResult):
    """The statement's credits as proposed receipts, the lines left out, and every problem."""

    receipts: list[ProposedReceipt] = field(default_factory=list)
    skipped: int = 0

    @property
    def total(self) -> int:
        return sum(receipt.amount or 0 for receipt in self.receipts)

    @property
    def new_donors(self) -> list[NewDonor]:
        return list({receipt.new_donor for receipt in self.receipts if receipt.new_donor is not None})


def donor_kind_of(name: str) -> str:
    """A new donor's kind from its name: a business when the name says so, else an individual."""
    words = f" {' '.join(re.findall(r'[a-z0-9]+', fold_diacritics(name)))} "
    return DonorKind.BUSINESS if any(f" {word} " in words for word in _BUSINESS_WORDS) else DonorKind.INDIVIDUAL


def donor_name_of(payer: str, kind: str) -> str:
    """The name a new donor is recorded under: a person's name in capitals written as a name."""
    if kind == DonorKind.INDIVIDUAL and payer == payer.upper() and payer != payer.lower():
        return " ".join(word.capitalize() for word in payer.split())
    return payer


def _code_pattern(code: str) -> str:
    """A campaign's code as a word of its own in a folded note: not inside a longer word or
    number ("VNN2025" in "vnn2025 ung ho" and "vnn2025ungho", not in "avnn2025" or "vnn20251")."""
    folded = code.lower()
    before = r"(?<![a-z])" if folded[:1].isalpha() else r"(?<![0-9])"
    after = r"(?![a-z])" if folded[-1:].isalpha() else r"(?![0-9])"
    return f"{before}{re.escape(folded)}{after}"


class _Checker:
    """Checks the lines of one statement for one fund; collects problems instead of stopping."""

    def __init__(self, *, actor, fund: Fund, progress: Callable[[float], None]):
        self.actor = actor
        self.fund = fund
        self.progress = progress
        self.problems: dict[tuple, Problem] = {}

    def error(self, row: int, key: str, message: str, *, warning: bool = False) -> None:
        header = COLUMN[key].header if key else ""
        self.problems.setdefault((row, header, str(message)), Problem(row, header, str(message), warning))

    def run(self, rows: list[SheetRow]) -> StatementCheck:
        receipts, skipped = [], 0
        for index, row in enumerate(rows, start=1):
            proposed = self._line(row)
            if proposed is None:
                skipped += 1
            else:
                receipts.append(proposed)
            if index % 1000 == 0:
                self.progress(0.7 * index / len(rows))
        self._check_references(receipts)
        self._match_campaigns(receipts)
        self._match_donors(receipts)
        order = {column.header: index for index, column in enumerate(COLUMNS)}
        problems = sorted(self.problems.values(), key=lambda p: (p.row or 0, order.get(p.column, -1)))
        return StatementCheck(row_count=len(rows), problems=problems, receipts=receipts, skipped=skipped)

    def _read(self, row: SheetRow, key: str, reader):
        try:
            return reader(row.cells.get(key)), True
        except CellError as exc:
            self.error(row.number, key, str(exc))
            return None, False

    def _line(self, row: SheetRow) -> ProposedReceipt | None:
        """The line's proposed receipt, or None for a line that is not a credit."""
        cells = row.cells
        credit, readable = self._read(row, "credit", read_amount)
        if readable and not credit:
            return None  # a debit, or a balance: not money in
        reference = as_text(cells.get("reference"))
        if blank(cells.get("date")) and not reference:
            self.error(row.number, "", _("A line with money in but neither a date nor a reference is taken for the "
                                         "bank's total or balance, and left out."), warning=True)
            return None
        if credit is not None and credit < 0:
            self.error(row.number, "credit", _("Money in is a positive amount; a negative one is money out (Ghi nợ)."))
        happened_on, _readable = self._read(row, "date", read_date)
        if blank(cells.get("date")):
            self.error(row.number, "date", _("This cell must be filled in."))
        if not reference:
            self.error(row.number, "reference", _("The bank's reference of the transfer is missing: every receipt "
                                                   "of a transfer keeps it, so that it is never recorded twice."))
        elif len(reference) > REFERENCE_LENGTH:
            self.error(row.number, "reference", _("A bank reference has at most %(length)s characters.")
                       % {"length": REFERENCE_LENGTH})
        payer = as_text(cells.get("payer"))[:NAME_LENGTH]
        if not payer:
            self.error(row.number, "payer", _("Who sent the money is missing: write the payer's name (the note "
                                               "often gives it)."))
        return ProposedReceipt(row=row.number, happened_on=happened_on, bank_reference=reference,
                               amount=credit if readable else None, payer=payer,
                               note=as_text(cells.get("note"))[:NOTE_LENGTH])

    def _check_references(self, receipts: list[ProposedReceipt]) -> None:
        """Each reference once in the file, and not yet recorded for this fund (one query)."""
        first_row: dict[str, int] = {}
        for receipt in receipts:
            reference = receipt.bank_reference
            if not reference or len(reference) > REFERENCE_LENGTH:
                continue
            if reference in first_row:
                self.error(receipt.row, "reference", _("This bank reference is also on row %(row)s: a transfer is "
                                                       "recorded once.") % {"row": first_row[reference]})
            else:
                first_row[reference] = receipt.row
        if not first_row:
            return
        recorded = receipts_of_bank_references(self.fund, first_row).values_list(
            "bank_reference", "number", "happened_on", "amount")
        for reference, number, happened_on, amount in recorded:
            self.error(first_row[reference], "reference", _(
                "This transfer is already recorded in the fund: receipt %(number)s of %(date)s, %(amount)s.")
                % {"number": number, "date": happened_on.strftime("%d/%m/%Y"), "amount": vnd(amount)})

    def _match_campaigns(self, receipts: list[ProposedReceipt]) -> None:
        """Each note's campaign code, among the campaigns this fund collects for (one query)."""
        campaigns = {campaign.code.lower(): campaign for campaign in Campaign.objects.visible_to(self.actor)
                     .covering(self.fund.unit) if campaign.code}
        # Longest first, so that a code that extends another ("VNN2025B") is found whole.
        pattern = re.compile("|".join(_code_pattern(code) for code in sorted(campaigns, key=len, reverse=True))) \
            if campaigns else None
        for receipt in receipts:
            found = {match.lower(): None for match in pattern.findall(fold_diacritics(receipt.note))} \
                if pattern else {}
            if len(found) == 1:
                receipt.campaign = campaigns[next(iter(found))]
            elif found:
                self.error(receipt.row, "note", _("The note names several campaigns (%(codes)s): the receipt will "
                                                  "have none, and its money will be unrestricted.")
                           % {"codes": ", ".join(campaigns[code].code for code in found)}, warning=True)
            else:
                self.error(receipt.row, "note", _("No campaign's code in the note: the receipt will have no "
                                                  "campaign, and its money will be unrestricted."), warning=True)

    def _match_donors(self, receipts: list[ProposedReceipt]) -> None:
        """Each payer among the officer's donors by name without diacritics (one query), or a new donor."""
        names = {fold_diacritics(receipt.payer) for receipt in receipts if receipt.payer}
        known: dict[str, list[Donor]] = {}
        for donor in Donor.objects.visible_to(self.actor).filter(name_folded__in=names).select_related("unit") \
                .order_by("pk"):
            known.setdefault(donor.name_folded, []).append(donor)
        own = self.actor.unit_id
        new: dict[str, NewDonor] = {}
        for receipt in receipts:
            if not receipt.payer:
                continue
            folded = fold_diacritics(receipt.payer)
            donors = sorted(known.get(folded, []), key=lambda donor: (donor.unit_id != own, donor.pk))
            if donors:
                receipt.donor = donors[0]
                if len(donors) > 1:
                    message = _("%(count)s of your donors have this name: the receipt goes to the one of %(unit)s "
                                "recorded first. Check that it is the right one.")
                    self.error(receipt.row, "payer", message % {"count": len(donors), "unit": donors[0].unit.name},
                               warning=True)
            else:
                kind = donor_kind_of(receipt.payer)
                receipt.new_donor = new.setdefault(folded, NewDonor(donor_name_of(receipt.payer, kind), kind))


def check_statement(rows: list[SheetRow], *, actor, fund: Fund,
                    progress: Callable[[float], None] = lambda fraction: None) -> StatementCheck:
    """Every problem of a statement's ``rows`` as receipts of ``fund``, and the proposed receipts;
    ``progress`` is told the fraction done now and then."""
    return _Checker(actor=actor, fund=fund, progress=progress).run(rows)

"""Checking a member organisation's list: each row a recipient of the batch, its household (and
pupil) found in the registry.

Rules (and the choices made where the issue left them open):

- The household: by its code (Mã hộ), or by the head's name and the hamlet, among the households of
  the batch's unit that the officer sees (`Household.objects.visible_to`); names and hamlets are
  compared without diacritics, case or spacing. Whatever of code, name and hamlet a row gives must
  all match. None found is "not found", whether or not such a household exists out of the
  officer's sight (nothing is told of it); several found is an error asking for the code.
- For a kind given per pupil, the pupil's name is found among the household's members (without
  diacritics); one line per pupil. For a kind given per household a pupil's name is left out, with
  a warning.
- The value: whole đồng (read as the statement's amounts), at least 1; empty: the batch's value.
  The goods: empty, the batch's. The school, grade, school year, card number and card's validity
  are read when given, within their fields' lengths.
- A household (a pupil) already standing in the batch, or listed twice, is an error on its row
  (the second). Errors block the whole list; nothing is added until every row is correct.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import within_q
from frontwelfare.imports.cells import CellError, as_date, as_text, fold_key
from frontwelfare.imports.problems import CheckResult, Problem
from frontwelfare.imports.reading import SheetRow
from frontwelfare.text import fold_diacritics
from households.choices import Relation
from households.models import Household, Member

from ...imports.columns import read_amount
from ..choices import BatchState
from ..models import Batch, Recipient
from .columns import COLUMN, COLUMNS

_LENGTHS = {name: Recipient._meta.get_field(name).max_length
            for name in ("school", "grade", "school_year", "card_number", "goods")}


@dataclass
class ListedLine:
    """A row as the line it will be. A row with errors has what could be read."""

    row: int
    code: str
    head: str
    hamlet: str
    pupil_name: str
    value: int | None
    details: dict
    note: str
    household: Household | None = None
    pupil: Member | None = None


@dataclass
class ListCheck(CheckResult):
    lines: list[ListedLine] = field(default_factory=list)
    per_pupil: bool = False

    @property
    def found(self) -> int:
        """How many rows' recipients were found in the registry: every row, once the list is valid."""
        return sum(1 for line in self.lines if line.household is not None
                   and (line.pupil is not None or not self.per_pupil))


def not_draft_problem(batch: Batch) -> Problem:
    return Problem(None, "", _("This batch is %(state)s: a list is imported only into a draft batch.")
                   % {"state": batch.get_state_display().lower()})


class _Checker:
    def __init__(self, *, actor, batch: Batch, progress: Callable[[float], None]):
        self.actor, self.batch, self.progress = actor, batch, progress
        self.problems: dict[tuple, Problem] = {}

    def error(self, row: int | None, key: str, message: str, *, warning: bool = False) -> None:
        header = COLUMN[key].header if key else ""
        self.problems.setdefault((row, header, str(message)), Problem(row, header, str(message), warning))

    def run(self, rows: list[SheetRow]) -> ListCheck:
        if self.batch.state != BatchState.DRAFT:
            problem = not_draft_problem(self.batch)
            self.problems[(None, "", problem.message)] = problem
        lines = [self._line(row) for row in rows]
        self.progress(0.4)
        self._find_households(lines)
        self.progress(0.7)
        if self.batch.per_pupil:
            self._find_pupils(lines)
        self._check_twice_and_standing(lines)
        order = {column.header: index for index, column in enumerate(COLUMNS)}
        problems = sorted(self.problems.values(), key=lambda p: (p.row or 0, order.get(p.column, -1)))
        return ListCheck(row_count=len(rows), problems=problems, lines=lines, per_pupil=self.batch.per_pupil)

    def _text(self, row: SheetRow, key: str) -> str:
        text = as_text(row.cells.get(key))
        length = _LENGTHS.get(key)
        if length and len(text) > length:
            self.error(row.number, key, _("At most %(length)s characters.") % {"length": length})
        return text

    def _line(self, row: SheetRow) -> ListedLine:
        code, head, hamlet = (as_text(row.cells.get(key)) for key in ("code", "head", "hamlet"))
        if not code and not (head and hamlet):
            self.error(row.number, "code", _("Write the household's code, or the head's name and the hamlet."))
        value = self.batch.value
        try:
            read = read_amount(row.cells.get("value"))
            if read is not None:
                value = read
                if read < 1:
                    self.error(row.number, "value", _("Enter a value of at least 1 đồng."))
        except CellError as exc:
            value = None
            self.error(row.number, "value", str(exc))
        details = {key: self._text(row, key) for key in ("school", "grade", "school_year", "card_number", "goods")}
        try:
            details["card_valid_until"] = as_date(row.cells.get("card_valid_until"))
        except CellError as exc:
            self.error(row.number, "card_valid_until", str(exc))
        pupil_name = as_text(row.cells.get("pupil"))
        if self.batch.per_pupil and not pupil_name:
            self.error(row.number, "pupil", _("This support is given per pupil: write the pupil's name."))
        elif pupil_name and not self.batch.per_pupil:
            self.error(row.number, "pupil", _("This support is given per household: the pupil's name is left "
                                              "out."), warning=True)
        return ListedLine(row=row.number, code=code, head=head, hamlet=hamlet, pupil_name=pupil_name, value=value,
                          details=details, note=as_text(row.cells.get("note")))

    def _find_households(self, lines: list[ListedLine]) -> None:
        """Each row's household among those of the batch's unit the officer sees: one query by
        code, one by the head's name (the heads' folded names are indexed)."""
        households = Household.objects.visible_to(self.actor).filter(within_q(self.batch.unit, "commune"))
        codes = {line.code for line in lines if line.code}
        names = {fold_diacritics(line.head) for line in lines if line.head and not line.code}
        found: dict[int, Household] = {}
        if codes:
            found.update((household.pk, household) for household in households.filter(code__in=codes))
        if names:
            heads = Member.objects.filter(relation=Relation.HEAD, full_name_folded__in=names,
                                          household__in=households).select_related("household")
            found.update((head.household_id, head.household) for head in heads)
        by_code: dict[str, list[Household]] = {}
        by_name: dict[str, list[Household]] = {}
        for household in found.values():
            by_code.setdefault(household.code, []).append(household)
            by_name.setdefault(fold_diacritics(household.head_name), []).append(household)
        for line in lines:
            if not line.code and not (line.head and line.hamlet):
                continue
            candidates = by_code.get(line.code, []) if line.code else by_name.get(fold_diacritics(line.head), [])
            candidates = [household for household in candidates if self._agrees(line, household)]
            if len(candidates) == 1:
                line.household = candidates[0]
            elif candidates:
                self.error(line.row, "code" if line.code else "head", _(
                    "Several households of the batch's unit match this row: write the household's code (and the "
                    "hamlet) to say which."))
            else:
                self.error(line.row, "code" if line.code else "head", _(
                    "No household of the batch's unit in the registry has this code, or this head's name in this "
                    "hamlet."))

    @staticmethod
    def _agrees(line: ListedLine, household: Household) -> bool:
        """Whether what the row gives besides the code (name, hamlet) is the household's."""
        if line.head and fold_diacritics(line.head) != fold_diacritics(household.head_name):
            return False
        return not line.hamlet or fold_key(line.hamlet) == fold_key(household.hamlet)

    def _find_pupils(self, lines: list[ListedLine]) -> None:
        """Each row's pupil among its household's members (one query)."""
        households = {line.household.pk for line in lines if line.household and line.pupil_name}
        members: dict[tuple[int, str], list[Member]] = {}
        for member in Member.objects.filter(household__in=households):
            members.setdefault((member.household_id, member.full_name_folded), []).append(member)
        for line in lines:
            if line.household is None or not line.pupil_name:
                continue
            found = members.get((line.household.pk, fold_diacritics(line.pupil_name)), [])
            if len(found) == 1:
                line.pupil = found[0]
            else:
                self.error(line.row, "pupil", _("No member of this household has this name.") if not found else _(
                    "Several members of this household have this name."))

    def _check_twice_and_standing(self, lines: list[ListedLine]) -> None:
        """A recipient listed twice (the second row), or already standing in the batch (one query)."""
        per_pupil = self.batch.per_pupil
        key = "pupil_id" if per_pupil else "household_id"
        column = "pupil" if per_pupil else "code"

        def recipient_of(line: ListedLine):
            target = line.pupil if per_pupil else line.household
            return target.pk if target is not None else None

        ids = {recipient_of(line) for line in lines} - {None}
        standing = set(Recipient.objects.filter(batch=self.batch, removed=False, **{f"{key}__in": ids})
                       .values_list(key, flat=True)) if ids else set()
        first_row: dict[int, int] = {}
        for line in lines:
            target = recipient_of(line)
            if target is None:
                continue
            if target in first_row:
                self.error(line.row, column, _("Also on row %(row)s: each recipient is listed once.")
                           % {"row": first_row[target]})
                continue
            first_row[target] = line.row
            if target in standing:
                self.error(line.row, column, _("This pupil is already in the batch.") if per_pupil
                           else _("This household is already in the batch."))


def check_list(rows: list[SheetRow], *, actor, batch: Batch, progress: Callable[[float], None] = lambda f: None,
               ) -> ListCheck:
    """Every problem of a member organisation's list for ``batch``, and its lines."""
    return _Checker(actor=actor, batch=batch, progress=progress).run(rows)


"""Checking the rows: the model's own rules on every row, the rules across rows, the registry."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from frontwelfare.imports.problems import CheckResult as BaseCheckResult
from frontwelfare.imports.problems import Problem

from ..choices import POVERTY_CATEGORIES, Relation
from ..models import Household, HouseholdPolicy, HouseholdStatus, Member
from ..selectors import members_near
from ..services import household_check_one_head, member_normalise
from .columns import (
    COLUMN,
    COLUMNS,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    STATUS_KEYS,
    CellError,
    Column,
    _as_text,
    _blank,
    _empty,
    read_cell,
)
from .reading import SheetRow


@dataclass
class ParsedHousehold:
    """A household as the file gives it, unsaved: the instances are saved as they are."""

    ref: str
    rows: list[int]
    household: Household
    members: list[Member] = field(default_factory=list)
    member_rows: list[int] = field(default_factory=list)
    statuses: list[HouseholdStatus] = field(default_factory=list)
    policies: list[HouseholdPolicy] = field(default_factory=list)


@dataclass
class CheckResult(BaseCheckResult):
    """The file's households, unsaved, and every problem."""

    households: list[ParsedHousehold] = field(default_factory=list)
    loose: list[tuple[int, Member]] = field(default_factory=list)  # rows without a household number

    @property
    def member_count(self) -> int:
        return sum(len(household.members) for household in self.households)


def _constraint_message(model, name: str) -> str:
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return str(constraint.get_violation_error_message())


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:10])
    return shown + (", …" if len(rows) > 10 else "")


class _Checker:
    """Checks the rows of one file for one commune; collects problems instead of stopping."""

    def __init__(self, *, actor, commune, progress: Callable[[float], None]):
        self.actor = actor
        self.commune = commune
        self.progress = progress
        self.problems: dict[tuple, Problem] = {}  # keyed, so a message is said once per cell

    def error(self, row: int | None, column: Column | None, message: str, *, warning: bool = False) -> None:
        header = column.header if column else ""
        self.problems.setdefault((row, header, str(message)), Problem(row, header, str(message), warning))

    def run(self, rows: list[SheetRow]) -> CheckResult:
        groups: dict[str, list[SheetRow]] = {}
        loose = []
        for row in rows:
            ref = _as_text(row.cells.get("household_ref"))
            if not ref:
                self.error(row.number, COLUMN["household_ref"], _("Give the number of the person's household in "
                                                                 "this file."))
                # Its other cells are still checked, so one upload shows everything.
                loose.append((row.number, self._member(row)[0]))
                continue
            groups.setdefault(ref, []).append(row)
        households = []
        for index, (ref, group) in enumerate(groups.items(), start=1):
            households.append(self._household(ref, group))
            if index % 500 == 0:
                self.progress(0.8 * index / len(groups))
        self._check_citizen_ids(households)
        self._warn_of_likely_duplicates(households)
        order = {column.header: index for index, column in enumerate(COLUMNS)}
        problems = sorted(self.problems.values(), key=lambda p: (p.row or 0, order.get(p.column, -1)))
        return CheckResult(row_count=len(rows), households=households, problems=problems, loose=loose)

    def _full_clean(self, instance, *, exclude: set[str], row: int, columns: Iterable[Column]) -> None:
        """The model's own rules (field validators, choices, lengths, clean()), without the
        per-row queries of unique and foreign-key checks: uniqueness is checked for the whole
        file at once, and the foreign keys are set here, not read from the file."""
        by_field = {name: column for column in columns for name in column.fields}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row, by_field.get(name), message)

    def _member(self, row: SheetRow) -> tuple[Member, bool]:
        """The row's person, unsaved; and whether its relation could be read."""
        values, failed = {}, set()
        for column in MEMBER_COLUMNS:
            try:
                value = read_cell(column, row.cells.get(column.key))
            except CellError as exc:
                self.error(row.number, column, str(exc))
                failed.update(column.fields)
                continue
            if column.required and _empty(value):
                self.error(row.number, column, _("This cell must be filled in."))
                failed.update(column.fields)
                continue
            if column.kind == "birth":
                values["birth_date"], values["birth_year"] = value
            elif value or column.key != "ethnicity":  # an empty ethnicity is the field's default, Kinh
                values[column.key] = value
        member = Member(**values)
        member_normalise(member)
        self._full_clean(member, exclude={"household", *failed}, row=row.number, columns=MEMBER_COLUMNS)
        return member, "relation" not in failed

    def _household_values(self, group: list[SheetRow]) -> tuple[dict[str, object], dict[str, int], set[str]]:
        """The household's columns, from whichever rows give them; two rows that disagree
        are an error. Returns the values, the row each came from, and the columns that failed."""
        values, sources, failed = {}, {}, set()
        for column in HOUSEHOLD_COLUMNS:
            for row in group:
                raw = row.cells.get(column.key)
                if _blank(raw):
                    continue
                try:
                    value = read_cell(column, raw)
                except CellError as exc:
                    self.error(row.number, column, str(exc))
                    failed.add(column.key)
                    break
                if column.key not in values:
                    values[column.key], sources[column.key] = value, row.number
                elif value != values[column.key]:
                    self.error(row.number, column, _(
                        "This differs from row %(row)s of the same household. Give the household's details on the "
                        "head's row only, or the same on every row.") % {"row": sources[column.key]})
                    failed.add(column.key)
                    break
        return values, sources, failed

    def _household(self, ref: str, group: list[SheetRow]) -> ParsedHousehold:
        numbers = [row.number for row in group]
        read = [self._member(row) for row in group]
        members = [member for member, _readable in read]
        head_row = next((row for row, m in zip(numbers, members, strict=True) if m.relation == Relation.HEAD),
                        numbers[0])
        values, sources, failed = self._household_values(group)
        for column in HOUSEHOLD_COLUMNS:
            if column.required and column.key not in values and column.key not in failed:
                self.error(head_row, column, _("This must be filled in for the household, on the head's row."))
                failed.add(column.key)
        code = values.get("commune_code")
        if code and code != self.commune.code:
            self.error(sources["commune_code"], COLUMN["commune_code"], _(
                "Only households of your own commune (%(name)s, code %(code)s) can be imported.")
                % {"name": self.commune.name, "code": self.commune.code})
        if all(readable for _member, readable in read):
            try:
                household_check_one_head(members)  # it reads only .relation, which a Member has too
            except ValidationError as exc:
                message = _("Household %(ref)s of the file (rows %(rows)s): %(problem)s")
                self.error(head_row, COLUMN["relation"], message % {
                    "ref": ref, "rows": _rows_text(numbers), "problem": " ".join(exc.messages)})
        head = next((member for member in members if member.relation == Relation.HEAD), None)
        household = Household(
            commune=self.commune, consent_recorded_by=self.actor, head_name=head.full_name if head else "",
            hamlet=values.get("hamlet", ""), address=values.get("address", ""),
            phone=values.get("household_phone", ""), consent_date=values.get("consent_date"),
            consent_purpose=values.get("consent_purpose", ""),
        )
        household_fields = {name for key in failed for name in COLUMN[key].fields if COLUMN[key].household}
        self._full_clean(household, exclude={"code", "commune", "consent_recorded_by", "head_name", *household_fields},
                         row=head_row, columns=HOUSEHOLD_COLUMNS)
        parsed = ParsedHousehold(ref=ref, rows=numbers, household=household, members=members, member_rows=numbers)
        parsed.statuses = self._statuses(values, sources, failed, head_row)
        parsed.policies = self._policies(values, sources)
        return parsed

    def _statuses(self, values, sources, failed, head_row) -> list[HouseholdStatus]:
        if not any(key in values or key in failed for key in STATUS_KEYS):
            return []
        for key in STATUS_KEYS:
            if key not in values and key not in failed:
                self.error(head_row, COLUMN[key], _("A category needs all four of: category, year, decision number "
                                                    "and decision date."))
                failed = {*failed, key}
        categories = values.get("categories", ())
        if sum(1 for category in categories if category in POVERTY_CATEGORIES) > 1:
            self.error(sources["categories"], COLUMN["categories"],
                       _constraint_message(HouseholdStatus, "households_status_one_poverty_category"))
        statuses = []
        excluded = {"household", "recorded_by", *(name for key in failed for name in COLUMN[key].fields)}
        for category in categories or ("",):
            status = HouseholdStatus(year=values.get("category_year"), category=category,
                                     decision_number=values.get("decision_number", ""),
                                     decision_date=values.get("decision_date"), recorded_by=self.actor)
            row = min(sources.get(key, head_row) for key in STATUS_KEYS)
            self._full_clean(status, exclude=excluded, row=row, columns=HOUSEHOLD_COLUMNS)
            statuses.append(status)
        return statuses if categories else []

    def _policies(self, values, sources) -> list[HouseholdPolicy]:
        policies = [HouseholdPolicy(policy_type=value) for value in values.get("policy_types", ())]
        for policy in policies:
            self._full_clean(policy, exclude={"household"}, row=sources["policy_types"], columns=HOUSEHOLD_COLUMNS)
        return policies

    def _people(self, households: list[ParsedHousehold]) -> Iterable[tuple[int, Member]]:
        for household in households:
            yield from zip(household.member_rows, household.members, strict=True)

    def _check_citizen_ids(self, households: list[ParsedHousehold]) -> None:
        """Each citizen ID once in the file, and not yet in the registry (one query for all)."""
        column = COLUMN["citizen_id"]
        first_row: dict[str, int] = {}
        for row, member in self._people(households):
            citizen_id = member.citizen_id
            if len(citizen_id) != 12 or not citizen_id.isdigit():
                continue  # no ID, or one the format check already refused
            if citizen_id in first_row:
                self.error(row, column, _("This citizen ID is also on row %(row)s.") % {"row": first_row[citizen_id]})
            else:
                first_row[citizen_id] = row
        if not first_row:
            return
        registered = Member.objects.filter(citizen_id__in=list(first_row)).values_list(
            "citizen_id", "household__code", "household__commune_id")
        for citizen_id, code, commune_id in registered:
            if commune_id == self.commune.pk:
                message = _("This citizen ID is already registered, in household %(code)s.") % {"code": code}
            else:  # whose household it is, the officer may not know: the constraint's words only
                message = _constraint_message(Member, "households_member_unique_citizen_id")
            self.error(first_row[citizen_id], column, message)

    def _warn_of_likely_duplicates(self, households: list[ParsedHousehold]) -> None:
        """Warnings, not errors: the same name and year of birth twice in the file, or as someone
        registered in the district, may be namesakes. Two different citizen IDs tell them apart."""
        column = COLUMN["full_name"]
        by_person: dict[tuple[str, int], list[tuple[int, str]]] = {}
        for row, member in self._people(households):
            if not member.full_name_folded or not member.birth_year:
                continue
            key = (member.full_name_folded, member.birth_year)
            for other_row, other_id in by_person.get(key, [])[:1]:
                if not (member.citizen_id and other_id and member.citizen_id != other_id):
                    self.error(row, column, _("Same name and year of birth as row %(row)s: check that this is not "
                                              "the same person twice.") % {"row": other_row}, warning=True)
            by_person.setdefault(key, []).append((row, member.citizen_id))
        if not by_person:
            return
        names = {name for name, _year in by_person}
        registered = Member.objects.filter(members_near(self.commune), full_name_folded__in=names) \
            .values_list("full_name_folded", "birth_year", "citizen_id", "household__code", "household__commune_id")
        for name, year, citizen_id, code, commune_id in registered:
            for row, row_id in by_person.get((name, year), []):
                if row_id and citizen_id:
                    continue  # two IDs: different people, or the same one, which is already an error
                # Another commune's household: not which one, as on the registration page.
                where = code if commune_id == self.commune.pk else _("elsewhere; ask your district's Front committee")
                self.error(row, column, _("A person with the same name and year of birth is already registered "
                                          "(%(where)s): check that this is not the same person.") % {"where": where},
                           warning=True)


def check_rows(rows: list[SheetRow], *, actor, commune,
               progress: Callable[[float], None] = lambda fraction: None) -> CheckResult:
    """Every problem of ``rows`` as households of ``commune``, and the unsaved households;
    ``progress`` is told the fraction done now and then."""
    return _Checker(actor=actor, commune=commune, progress=progress).run(rows)

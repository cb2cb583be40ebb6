"""Every write to the household registry. Pages, the API and the Excel import call these;
none of them holds a rule of its own."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import locked_in_scope
from frontwelfare.areas.choices import DivisionType
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.services import bulk_delete_with_history, conflicts_reported, full_clean, require_known
from frontwelfare.services import validated_save as _save
from frontwelfare.text import fold_diacritics

from .choices import POVERTY_CATEGORIES, AreaKind, Category, Classification, PolicyType, Relation
from .models import (
    HamletAssignment,
    Household,
    HouseholdPolicy,
    HouseholdStatus,
    Member,
    PovertyAssessment,
    PovertyStandard,
)
from .permissions import NOT_ASSIGNER, NOT_EDITOR, can_assign_hamlets_of, can_edit_households_of
from .tallies import registry_changed

CITIZEN_ID_UNIQUE = "households_member_unique_citizen_id"
HOUSEHOLD_FIELDS = ("hamlet", "address", "phone", "notes", "consent_purpose", "consent_date")
MEMBER_FIELDS = (
    "full_name", "birth_date", "birth_year", "sex", "relation", "citizen_id", "ethnicity", "disability",
    "school_level", "health_insurance_number", "phone",
)


@dataclass
class MemberData:
    """A member as a form, the API or an import row gives it, before it is saved."""

    full_name: str
    birth_year: int | None
    sex: str
    relation: str
    birth_date: date | None = None
    citizen_id: str = ""
    ethnicity: str = "01"
    disability: str = ""
    school_level: str = ""
    health_insurance_number: str = ""
    phone: str = ""

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in MEMBER_FIELDS}


@dataclass
class StatusData:
    year: int
    category: str
    decision_number: str
    decision_date: date


@dataclass
class HouseholdData:
    hamlet: str
    consent_date: date
    consent_purpose: str
    members: list[MemberData]
    address: str = ""
    phone: str = ""
    notes: str = ""
    policy_types: list[str] = field(default_factory=list)
    statuses: list[StatusData] = field(default_factory=list)


def household_require_editor(actor: User, commune: AdministrativeUnit) -> None:
    if not can_edit_households_of(actor, commune):
        raise PermissionDenied(NOT_EDITOR)


def member_normalise(member: Member) -> None:
    member.full_name = " ".join(member.full_name.split())
    member.full_name_folded = fold_diacritics(member.full_name)
    member.citizen_id = (member.citizen_id or "").strip()
    member.health_insurance_number = (member.health_insurance_number or "").strip().upper()
    if member.birth_date and not member.birth_year:
        member.birth_year = member.birth_date.year


def household_check_one_head(members: list[MemberData]) -> None:
    heads = sum(1 for member in members if member.relation == Relation.HEAD)
    if heads != 1:
        raise ValidationError(_("A household has exactly one head; mark one member as the head of household."))


def household_check_ids_unique(members: list[MemberData]) -> None:
    ids = [member.citizen_id for member in members if member.citizen_id]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("Two members have the same citizen ID."))


def household_next_code(*, commune: AdministrativeUnit, count: int = 1) -> list[str]:
    """The next ``count`` free codes of ``commune`` (``28915-0001``, ...).

    Call inside the transaction that saves the households: it locks the commune row, so two
    officers registering at the same moment cannot be handed the same code.
    """
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
    prefix = f"{commune.code}-"
    codes = Household.objects.filter(commune=commune, code__startswith=prefix).values_list("code", flat=True)
    used = max((int(code.removeprefix(prefix)) for code in codes if code.removeprefix(prefix).isdigit()), default=0)
    return [f"{prefix}{number:04d}" for number in range(used + 1, used + count + 1)]


def _sync_head_name(household: Household, *, actor) -> None:
    head = household.members.filter(relation=Relation.HEAD).values_list("full_name", flat=True).first() or ""
    if head != household.head_name:
        household.head_name = head
        household._history_user = actor
        household.save(update_fields=["head_name", "updated_at"])


@transaction.atomic
def household_register(*, actor: User, commune: AdministrativeUnit, data: HouseholdData) -> Household:
    """Register a household with its members (one of them the head), policy types and statuses."""
    household_require_editor(actor, commune)
    household_check_one_head(data.members)
    household_check_ids_unique(data.members)
    (code,) = household_next_code(commune=commune)
    household = Household(
        commune=commune, code=code, consent_recorded_by=actor,
        **{name: getattr(data, name) for name in HOUSEHOLD_FIELDS},
    )
    household.head_name = " ".join(next(m.full_name for m in data.members if m.relation == Relation.HEAD).split())
    households_assign_by_hamlet(commune=commune, households=[household])
    _save(household, actor=actor)
    members = [Member(household=household, **member_data.as_fields()) for member_data in data.members]
    _members_check_new(members)
    policies = [HouseholdPolicy(household=household, policy_type=policy_type) for policy_type in data.policy_types]
    for policy in policies:
        full_clean(policy)
    with conflicts_reported():
        bulk_create_with_history(members, Member, default_user=actor)
        bulk_create_with_history(policies, HouseholdPolicy, default_user=actor)
    for status in data.statuses:
        _status_save(actor=actor, household=household, **status.__dict__)
    registry_changed(households=[household.pk], communes=[commune.pk], statuses_of=[commune.pk])
    return household


def _members_check_new(members: list[Member]) -> None:
    """full_clean for the members of a household being registered, in their order, with one query
    for all of them: whether a citizen ID is registered already. Nothing else can fail against
    the database: the household was just saved, and it has one head (household_check_one_head)."""
    for member in members:
        member_normalise(member)
    member_ids_taken = set(Member.objects.filter(
        citizen_id__in=[member.citizen_id for member in members if member.citizen_id],
    ).order_by().values_list("citizen_id", flat=True))
    taken = next(constraint for constraint in Member._meta.constraints if constraint.name == CITIZEN_ID_UNIQUE)
    for member in members:
        errors = {}
        try:
            member.full_clean(exclude={"household"}, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if member.citizen_id in member_ids_taken and "citizen_id" not in errors:
            errors["citizen_id"] = [ValidationError(taken.get_violation_error_message(), code="unique")]
        if errors:
            raise ValidationError(errors)


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields) -> Household:
    """Change the household's own fields (not its members: see member_add/member_update)."""
    if "hamlet" in fields:
        # The split commune's row before the household's, in hamlets_assign's order (it locks the
        # commune, then updates its households): the other order could deadlock with it.
        _lock_if_split(household.commune)
    household = _locked(actor, household)
    require_known(fields, HOUSEHOLD_FIELDS, "household_update")
    for name, value in fields.items():
        setattr(household, name, value)
    if "hamlet" in fields:
        households_assign_by_hamlet(commune=household.commune, households=[household])
    _save(household, actor=actor)
    return household


def _locked(actor: User, household: Household) -> Household:
    """Re-read the household under lock, within the actor's scope, inside the transaction: a
    household moved or deleted since the page was shown is refused, not silently changed."""
    locked = locked_in_scope(Household.objects.select_related("commune"), actor=actor, pk=household.pk)
    household_require_editor(actor, locked.commune)
    return locked


def _member_save(member: Member, *, actor) -> Member:
    member_normalise(member)
    _save(member, actor=actor)
    return member


def _delete(instance, *, actor) -> None:
    instance._history_user = actor
    instance.delete()


@transaction.atomic
def member_add(*, actor: User, household: Household, data: MemberData) -> Member:
    household = _locked(actor, household)
    member = _member_save(Member(household=household, **data.as_fields()), actor=actor)
    if member.is_head:
        _sync_head_name(household, actor=actor)
    registry_changed(households=[household.pk], communes=[household.commune_id])
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, **fields) -> Member:
    household = _locked(actor, member.household)
    member = Member.objects.get(pk=member.pk, household=household)
    require_known(fields, MEMBER_FIELDS, "member_update")
    for name, value in fields.items():
        setattr(member, name, value)
    _member_save(member, actor=actor)
    _sync_head_name(household, actor=actor)
    registry_changed(households=[household.pk])  # a disability or a school may have changed
    return member


@transaction.atomic
def member_remove(*, actor: User, member: Member) -> None:
    """Remove a member who has left the household. The head stays until another member is
    made head: a household is never left without one by a removal."""
    household = _locked(actor, member.household)
    member = Member.objects.get(pk=member.pk, household=household)
    if member.is_head:
        raise ValidationError(_("The head of household cannot be removed; make another member the head first."))
    _delete(member, actor=actor)
    registry_changed(households=[household.pk], communes=[household.commune_id])


@transaction.atomic
def member_make_head(*, actor: User, member: Member) -> Member:
    """Make ``member`` the head; the previous head becomes an "other relative" whose relation
    the officer then corrects."""
    household = _locked(actor, member.household)
    member = Member.objects.get(pk=member.pk, household=household)
    for previous in household.members.filter(relation=Relation.HEAD).exclude(pk=member.pk):
        previous.relation = Relation.OTHER_RELATIVE
        _member_save(previous, actor=actor)
    member.relation = Relation.HEAD
    _member_save(member, actor=actor)
    _sync_head_name(household, actor=actor)
    return member


def status_record(*, actor: User, household: Household, year: int, category: str, decision_number: str,
                  decision_date: date) -> HouseholdStatus:
    """Record the household's ``category`` for ``year``. A poverty category replaces the year's
    other poverty category (a household is poor *or* near-poor); the history keeps the old one."""
    with transaction.atomic():
        household = _locked(actor, household)
        status = _status_save(actor=actor, household=household, year=year, category=category,
                              decision_number=decision_number, decision_date=decision_date)
        registry_changed(statuses_of=[household.commune_id])
        return status


def _status_save(*, actor: User, household: Household, year: int, category: str, decision_number: str,
                 decision_date: date) -> HouseholdStatus:
    """status_record's change, for a household already locked; the caller updates the tallies."""
    statuses = list(HouseholdStatus.objects.filter(household=household, year=year))
    if category in POVERTY_CATEGORIES:
        for replaced in statuses:
            if replaced.category in POVERTY_CATEGORIES and replaced.category != category:
                _delete(replaced, actor=actor)
    status = next((status for status in statuses if status.category == category), None) or HouseholdStatus(
        household=household, year=year, category=category
    )
    status.decision_number = decision_number.strip()
    status.decision_date = decision_date
    status.recorded_by = actor
    _save(status, actor=actor)
    return status


@transaction.atomic
def status_remove(*, actor: User, status: HouseholdStatus) -> None:
    household = _locked(actor, status.household)
    _delete(status, actor=actor)
    registry_changed(statuses_of=[household.commune_id])


@transaction.atomic
def policy_types_set(*, actor: User, household: Household, policy_types: list[str]) -> None:
    """Make the household's policy types exactly ``policy_types``."""
    household = _locked(actor, household)
    wanted = set(policy_types)
    unknown = wanted - set(PolicyType.values)
    if unknown:
        raise ValidationError(_("Unknown policy type."))
    for dropped in household.policies.exclude(policy_type__in=wanted):
        _delete(dropped, actor=actor)
    existing = set(household.policies.values_list("policy_type", flat=True))
    for policy_type in sorted(wanted - existing):
        _save(HouseholdPolicy(household=household, policy_type=policy_type), actor=actor)


@dataclass(frozen=True)
class ReviewEntry:
    household: Household
    category: str  # a poverty category, or "" for none this year


@transaction.atomic
def annual_review_record(*, actor: User, commune: AdministrativeUnit, year: int, decision_number: str,
                         decision_date: date, entries: list[ReviewEntry]) -> int:
    """Record the year's poverty status of many households of ``commune`` under one decision.
    An empty category removes the household's poverty status for the year. Returns how many
    households changed."""
    household_require_editor(actor, commune)
    if not decision_number.strip():
        raise ValidationError(_("Enter the number of the commune's decision."))
    for entry in entries:
        if entry.household.commune_id != commune.pk:
            raise Household.DoesNotExist
        if entry.category and entry.category not in POVERTY_CATEGORIES:
            raise ValidationError(_("Unknown category."))
    ids = [entry.household.pk for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("annual_review_record takes each household once")
    # Locked, in one order, so that a status_record on one of them waits for the review (and two
    # reviews of the same households wait for each other instead of deadlocking).
    locked = Household.objects.visible_to(actor).select_for_update(of=("self",)) \
        .filter(commune=commune, pk__in=ids).order_by("pk").values_list("pk", flat=True)
    if len(locked) != len(ids):
        raise Household.DoesNotExist
    current = {status.household_id: status for status in HouseholdStatus.objects.filter(
        household_id__in=ids, year=year, category__in=POVERTY_CATEGORIES)}
    change = _ReviewChange()
    for entry in entries:
        change.add(entry, current.get(entry.household.pk), actor=actor, year=year,
                   decision_number=decision_number.strip(), decision_date=decision_date)
    change.save(actor=actor)
    registry_changed(statuses_of=[commune.pk])
    return change.households


class _ReviewChange:
    """What the annual review changes, as status_record would, written with one query per kind."""

    def __init__(self):
        self.removed: list[HouseholdStatus] = []
        self.redecided: list[HouseholdStatus] = []
        self.added: list[HouseholdStatus] = []
        self.households = 0

    def add(self, entry: ReviewEntry, status: HouseholdStatus | None, *, actor, year: int, decision_number: str,
            decision_date: date) -> None:
        if not entry.category:
            if status is not None:
                self.removed.append(status)
                self.households += 1
            return
        if status and status.category == entry.category and status.decision_number == decision_number:
            return
        self.households += 1
        if status and status.category == entry.category:
            status.decision_number, status.decision_date, status.recorded_by = decision_number, decision_date, actor
            self.redecided.append(status)
        else:
            if status is not None:
                self.removed.append(status)  # a household is poor *or* near-poor: the new one replaces it
            self.added.append(HouseholdStatus(household=entry.household, year=year, category=entry.category,
                                              decision_number=decision_number, decision_date=decision_date,
                                              recorded_by=actor))

    def save(self, *, actor) -> None:
        # Only the decision's fields can fail: the households are locked and of the commune, the
        # actor is its officer, and with the year's poverty statuses read under that lock, no
        # household gets two.
        for status in (*self.redecided, *self.added):
            status.full_clean(exclude={"household", "recorded_by"}, validate_unique=False,
                              validate_constraints=False)
            status.recorded_at = timezone.now()
        with conflicts_reported():
            bulk_delete_with_history(self.removed, HouseholdStatus, actor=actor)
            bulk_update_with_history(self.redecided, HouseholdStatus,
                                     ["decision_number", "decision_date", "recorded_by", "recorded_at"],
                                     default_user=actor)
            bulk_create_with_history(self.added, HouseholdStatus, default_user=actor)


def poverty_standard_in_force(*, on: date) -> PovertyStandard:
    standard = (
        PovertyStandard.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if standard is None:
        raise ValidationError(_("No poverty standard was in force on %(date)s.") % {"date": on.strftime("%d/%m/%Y")})
    return standard


def poverty_classify(*, standard: PovertyStandard, area_kind: str, monthly_income_per_person: int,
                     deprivation_count: int) -> str:
    """The standard's classification: at or under the area's income line, poor when lacking at
    least the standard's number of indicators, near-poor when lacking fewer; above it, neither."""
    if monthly_income_per_person > standard.income_line(area_kind):
        return Classification.NEITHER
    if deprivation_count >= standard.poor_min_deprivations:
        return Classification.POOR
    return Classification.NEAR_POOR


def area_kind_of(commune: AdministrativeUnit) -> str:
    """Wards and townships are urban; communes (xã) are rural."""
    urban = {DivisionType.WARD, DivisionType.TOWNSHIP}
    return AreaKind.URBAN if commune.division_type in urban else AreaKind.RURAL


@transaction.atomic
def assessment_record(*, actor: User, household: Household, assessed_on: date, monthly_income_per_person: int,
                      deprivations: list[str], area_kind: str | None = None) -> PovertyAssessment:
    """Record a survey and the classification the standard in force proposes for it."""
    household = _locked(actor, household)
    standard = poverty_standard_in_force(on=assessed_on)
    area_kind = area_kind or area_kind_of(household.commune)
    deprivations = sorted(set(deprivations))
    assessment = PovertyAssessment(
        household=household, standard=standard, assessed_on=assessed_on, area_kind=area_kind,
        monthly_income_per_person=monthly_income_per_person, deprivations=deprivations, assessed_by=actor,
        proposed=poverty_classify(standard=standard, area_kind=area_kind,
                                  monthly_income_per_person=monthly_income_per_person,
                                  deprivation_count=len(deprivations)),
    )
    _save(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_confirm(*, actor: User, assessment: PovertyAssessment, classification: str) -> PovertyAssessment:
    """The officer's confirmed classification, kept beside the proposal (they may differ:
    the officer knows what the survey did not measure)."""
    _locked(actor, assessment.household)
    if classification not in Classification.values:
        raise ValidationError(_("Unknown classification."))
    assessment.confirmed = classification
    assessment.confirmed_by = actor
    assessment.confirmed_at = timezone.now()
    _save(assessment, actor=actor)
    return assessment


__all__ = [
    "Category", "HouseholdData", "MemberData", "ReviewEntry", "StatusData", "annual_review_record", "area_kind_of",
    "assessment_confirm", "assessment_record", "household_next_code", "household_register", "household_update",
    "member_add", "member_make_head", "member_remove", "member_update", "policy_types_set", "poverty_classify",
    "poverty_standard_in_force", "status_record", "status_remove",
]


# -- the 2025 reform: a split former commune's households, assigned by hamlet -----------------------


def _lock_if_split(commune: AdministrativeUnit) -> bool:
    """Whether ``commune`` is a split former commune; if so, its row is locked till the transaction
    ends. hamlets_assign holds the same lock while it saves the assignments and updates the
    households: a household saved under this lock either is updated by an assignment saved before
    (it waited for it and reads it) or is there when a later one updates its hamlet's households.
    Without it, a household registered or moved while an assignment is saved could keep no commune.
    Only a split commune is locked: for any other there is nothing to assign, and no query."""
    if not commune.is_split:
        return False
    AdministrativeUnit.objects.select_for_update().filter(pk=commune.pk).first()
    return True


def households_assign_by_hamlet(*, commune: AdministrativeUnit, households: list[Household]) -> None:
    """Set the `assigned_commune` of new or moved ``households`` of ``commune`` from their hamlets'
    assignments (HamletAssignment), when ``commune`` is a former commune split between several; None
    for a hamlet not assigned yet and for any other commune. Call inside the transaction that saves
    them: it locks the commune (`_lock_if_split`). Three queries for a split commune (one household or
    an import's thousands), none for a commune with a current commune."""
    if not _lock_if_split(commune):
        for household in households:
            household.assigned_commune_id = None
        return
    assigned = dict(HamletAssignment.objects.filter(
        former_commune=commune, hamlet__in={household.hamlet for household in households})
        .values_list("hamlet", "current_commune_id"))
    for household in households:
        household.assigned_commune_id = assigned.get(household.hamlet)


def _check_assignments(former_commune: AdministrativeUnit, assignments: dict[str, AdministrativeUnit]) -> None:
    """Every hamlet named, every commune one of the former commune's successors: else nothing is done."""
    if not former_commune.is_split:
        raise ValidationError(_("%(commune)s was not split between several communes: its records follow it "
                                "whole.") % {"commune": former_commune.name})
    successors = set(former_commune.successors.values_list("pk", flat=True))
    for hamlet, current_commune in assignments.items():
        if not hamlet.strip():
            raise ValidationError(_("Name the hamlet."))
        if current_commune is None or current_commune.pk not in successors:
            raise ValidationError(_("Hamlet %(hamlet)s: %(commune)s is not one of the communes %(former)s was "
                                    "divided into.") % {"hamlet": hamlet, "former": former_commune.name,
                                                        "commune": getattr(current_commune, "name", "—")})


@transaction.atomic
def hamlets_assign(*, actor: User, former_commune: AdministrativeUnit,
                   assignments: dict[str, AdministrativeUnit]) -> list[HamletAssignment]:
    """Assign the hamlets of a former commune split in 2025 to the current communes it was divided
    into, {hamlet: current commune}, and its households of those hamlets with them (their
    `assigned_commune`: their `commune` stays, history is never rewritten). All or nothing; who and
    when recorded on each assignment, with its history. A hamlet assigned again moves to its new
    commune. Every submitted hamlet's households are set, those already assigned too. Returns the
    assignments made or moved. Queries: a few, and one update per current commune, whatever the
    number of households."""
    # Locked as households_assign_by_hamlet locks it: see _lock_if_split.
    former_commune = AdministrativeUnit.objects.select_for_update().get(pk=former_commune.pk)
    if not can_assign_hamlets_of(actor, former_commune):
        raise PermissionDenied(NOT_ASSIGNER)
    _check_assignments(former_commune, assignments)
    now = timezone.now()
    kept = {assignment.hamlet: assignment for assignment in HamletAssignment.objects.filter(
        former_commune=former_commune, hamlet__in=list(assignments))}
    new, changed = [], []
    for hamlet, current_commune in assignments.items():
        assignment = kept.get(hamlet)
        if assignment is None:
            new.append(HamletAssignment(former_commune=former_commune, hamlet=hamlet, current_commune=current_commune,
                                        assigned_by=actor, assigned_at=now))
        elif assignment.current_commune_id != current_commune.pk:
            assignment.current_commune, assignment.assigned_by, assignment.assigned_at = current_commune, actor, now
            changed.append(assignment)
    with conflicts_reported():
        bulk_create_with_history(new, HamletAssignment, default_user=actor)
        bulk_update_with_history(changed, HamletAssignment, ["current_commune", "assigned_by", "assigned_at"],
                                 default_user=actor)
    # Every hamlet submitted, not only those new or changed: saving the assignment again repairs a
    # household that drifted from its hamlet's commune, whatever made it drift.
    by_commune: dict[int, list[str]] = {}
    for hamlet, current_commune in assignments.items():
        by_commune.setdefault(current_commune.pk, []).append(hamlet)
    for current_commune_id, hamlets in by_commune.items():
        Household.objects.filter(commune=former_commune, hamlet__in=hamlets).update(
            assigned_commune_id=current_commune_id)
    return [*new, *changed]


def households_unassign(*, communes: list[int], **_signal) -> int:
    """Clear the assignment by hamlet of the households of ``communes``, former communes that are no
    longer split (frontwelfare.areas.signals.communes_no_longer_split, sent inside the load's
    transaction): their records follow the one current commune they became, through `current_commune`;
    an `assigned_commune` left behind would count them in a second commune's report as well. The
    assignments themselves stay, with their history. One update; how many households changed."""
    return Household.objects.filter(commune_id__in=communes, assigned_commune__isnull=False) \
        .update(assigned_commune=None)

"""Reads of the household registry that are more than a filter: duplicates, counts, history."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.models import User
from frontwelfare.accounts.scope import scope_q, within_q
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.history import HistoryEntry, HistorySource, history_entries
from frontwelfare.paging import ListCount, bounded_count
from frontwelfare.text import fold_diacritics

from .choices import Category, Relation
from .models import (
    CategoryTally,
    HamletAssignment,
    Household,
    HouseholdPolicy,
    HouseholdStatus,
    HouseholdTally,
    Member,
)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class DuplicateHit:
    """A registered person who may be the one being entered.

    ``member`` and ``commune`` are set only when the viewer may see that household. Otherwise
    the hit says only that a match exists elsewhere and whom to ask about it: the Front
    committee of the viewer's own district (``ask``, its members in ``contacts``), or of the
    province for a post-2025 commune. Which commune holds the person, and its officers, would
    tell any commune officer where someone is in the poverty registry.
    """

    reason: str
    commune: AdministrativeUnit | None = None
    member: Member | None = None
    ask: AdministrativeUnit | None = None
    contacts: tuple[Contact, ...] = ()
    entered: str = ""  # for a hidden match: the name of the person being entered, as typed


@dataclass(frozen=True)
class PersonToCheck:
    full_name: str
    birth_year: int | None
    citizen_id: str = ""
    is_head: bool = False


def members_near(commune: AdministrativeUnit) -> Q:
    """The members among whom a duplicate of someone of ``commune`` is looked for: its district's,
    or, for a commune of the post-2025 units (which have no district), its province's."""
    if commune.district_id:
        return Q(household__commune__district_id=commune.district_id)
    if commune.province_id:
        return Q(household__commune__province_id=commune.province_id)
    return Q(household__commune_id=commune.pk)


def likely_duplicates(*, user, commune: AdministrativeUnit, people: list[PersonToCheck],
                      exclude_household: Household | None = None) -> list[DuplicateHit]:
    """People of ``commune``'s district (see `members_near`) already registered who may be one of
    ``people``: same name without diacritics and same birth year, or the same citizen ID.

    Never beyond the district, citizen IDs included: the check is there to find the same family
    registered twice nearby, not to tell whether someone anywhere is in the registry (the
    citizen ID's unique constraint still refuses a second registration, saying no more).
    One query for the matches, one for the scope, two for whom to ask when a match is hidden.
    """
    conditions = Q()
    for person in people:
        if person.full_name and person.birth_year:
            conditions |= Q(full_name_folded=fold_diacritics(person.full_name), birth_year=person.birth_year)
        if person.citizen_id:
            conditions |= Q(citizen_id=person.citizen_id)
    if not conditions:
        return []
    matches = Member.objects.filter(conditions).filter(members_near(commune)) \
        .select_related("household", "household__commune")
    if exclude_household is not None:
        matches = matches.exclude(household=exclude_household)
    matches = list(matches[:20])
    visible_ids = set(Household.objects.visible_to(user).filter(
        pk__in={match.household_id for match in matches}).values_list("pk", flat=True))
    hits = [DuplicateHit(reason=_match_reason(match, people), commune=match.household.commune, member=match)
            for match in matches if match.household_id in visible_ids]
    # Hidden matches: one line per person entered and reason, however many are registered.
    hidden = dict.fromkeys((_entered(match, people), _match_reason(match, people)) for match in matches
                           if match.household_id not in visible_ids)
    if hidden:
        ask = _committee_to_ask(commune)
        contacts = _contacts_of(ask)
        hits += [DuplicateHit(reason=reason, ask=ask, contacts=contacts, entered=entered)
                 for entered, reason in hidden]
    return hits


def duplicates_to_confirm(*, user, commune: AdministrativeUnit, members: list, checked: bool) \
        -> list[DuplicateHit]:
    """The likely duplicates an officer must look at before a household of ``members`` is
    registered in ``commune``; none once they said they checked them (``checked``). The page and
    the API both ask this before calling household_register."""
    if checked:
        return []
    return likely_duplicates(user=user, commune=commune, people=people_to_check(members))


def people_to_check(members) -> list[PersonToCheck]:
    """The people of a registration (households.services.MemberData) as the duplicates check reads them."""
    return [
        PersonToCheck(full_name=member.full_name, birth_year=member.birth_year, citizen_id=member.citizen_id or "",
                      is_head=member.relation == Relation.HEAD)
        for member in members
    ]


def _match_reason(match: Member, people: list[PersonToCheck]) -> str:
    if match.citizen_id and any(p.citizen_id == match.citizen_id for p in people):
        return str(_("same citizen ID"))
    return str(_("same name and year of birth"))


def _entered(match: Member, people: list[PersonToCheck]) -> str:
    """The name, as typed, of the person being entered whom ``match`` may be."""
    for person in people:
        if (match.citizen_id and person.citizen_id == match.citizen_id) or (
                person.birth_year == match.birth_year and fold_diacritics(person.full_name) == match.full_name_folded):
            return " ".join(person.full_name.split())
    return ""


def _committee_to_ask(commune: AdministrativeUnit) -> AdministrativeUnit | None:
    """The unit whose Front committee an officer of ``commune`` asks about a match they may not
    see: their district, or their province for a post-2025 commune."""
    unit_id = commune.district_id or commune.province_id
    return AdministrativeUnit.objects.filter(pk=unit_id).first() if unit_id else None


def _contacts_of(unit: AdministrativeUnit | None) -> tuple[Contact, ...]:
    """The active users of ``unit`` itself (its Front committee), whom its communes' officers call."""
    if unit is None:
        return ()
    users = User.objects.filter(unit_id=unit.pk, is_active=True).exclude(role=Role.ADMINISTRATOR)
    return tuple(Contact(name=user.get_full_name() or user.username, phone=user.phone, email=user.email)
                 for user in users.order_by("last_name", "first_name"))


# The list's filters whose totals the tallies keep (households.tallies): the unit, and a category
# in a year. Any other filter (a search, a policy type, a hamlet...) is counted from the rows.
TALLIED_FILTERS = frozenset({"unit", "category", "year"})


def _active(filters: dict) -> set[str]:
    return {name for name, value in filters.items() if value not in (None, "", [])}


def _tallies_within(model, *, user, unit):
    tallies = model.objects.filter(scope_q(user, "commune"))
    return tallies.filter(within_q(unit, "commune")) if unit is not None else tallies


def household_tallied_count(*, user, filters: dict, year: int) -> int | None:
    """How many households a list of ``filters`` (cleaned) holds, from the tallies: exact, at any
    scope, in one query, when its filters are the unit and a category in a year; None otherwise."""
    active = _active(filters)
    if active <= {"unit"}:
        total = _tallies_within(HouseholdTally, user=user, unit=filters.get("unit")) \
            .aggregate(total=Sum("households"))["total"]
        return total or 0
    if "category" in active and active <= TALLIED_FILTERS:
        total = _tallies_within(CategoryTally, user=user, unit=filters.get("unit")) \
            .filter(year=year, category=filters["category"]).aggregate(total=Sum("households"))["total"]
        return total or 0
    return None


def household_list_count(*, user, households, filters: dict, year: int,
                         search_matches: list[int] | None = None) -> ListCount:
    """How many households the list page shows: from the tallies when they keep it, or from the
    search's matches when it has read them all (HouseholdFilterSet.search_matches), else from the
    rows, counting at most paging.COUNT_LIMIT of them (paging.bounded_count)."""
    tallied = household_tallied_count(user=user, filters=filters, year=year)
    if tallied is not None:
        return ListCount(tallied)
    if search_matches is not None:
        return ListCount(len(search_matches))
    return bounded_count(households)


def category_counts(*, user, households, filters: dict, year: int,
                    search_matches: list[int] | None = None) -> list[tuple[str, str, int]]:
    """(category, label, number of households with it in ``year``) for every category: what the
    list's cards show for ``households`` (the list as filtered, but for its category; its ids
    when a search has read them: ``search_matches``). From the tallies when the other filters are
    only the unit (a household with a category in the year has a status that year, so the year
    filter changes nothing); else one grouped query."""
    if _active(filters) <= TALLIED_FILTERS:
        counts = dict(_tallies_within(CategoryTally, user=user, unit=filters.get("unit")).filter(year=year)
                      .values_list("category").annotate(number=Sum("households")).order_by())
    else:
        statuses = (HouseholdStatus.objects.filter(household_id__any_of=search_matches) if search_matches is not None
                    else HouseholdStatus.objects.filter(household__in=households.order_by().values("pk")))
        # A household has a category once in a year (households_status_unique_category): its
        # statuses are counted, not made distinct first; as rows ("*"), so that PostgreSQL reads
        # them from that index alone, not from the table (5,000 matches of a search: 43 ms to 32).
        counts = dict(statuses.filter(year=year).values_list("category").annotate(number=Count("*")).order_by())
    return [(category, label, counts.get(category, 0)) for category, label in Category.choices]


def status_years(*, household: Household) -> list[tuple[int, list[HouseholdStatus]]]:
    """The household's statuses grouped by year, newest year first."""
    years: dict[int, list[HouseholdStatus]] = {}
    for status in household.statuses.select_related("recorded_by").order_by("-year", "category"):
        years.setdefault(status.year, []).append(status)
    return list(years.items())


# -- change history ---------------------------------------------------------------------------------

_SENSITIVE = {"citizen_id"}


def household_history(*, household: Household, mask_ids: bool) -> list[HistoryEntry]:
    """Every change to the household, its members, statuses and policy types, newest first.

    One query per kind of record, whatever the length of the history. With ``mask_ids`` the
    citizen IDs in old values are masked like everywhere else.
    """
    from .permissions import mask_citizen_id

    sources = [
        (Household.history.filter(id=household.pk), Household, ("hamlet", "address", "phone", "notes",
                                                               "consent_purpose", "consent_date"),
         lambda record: str(_("Household"))),
        (Member.history.filter(household_id=household.pk), Member,
         ("full_name", "birth_date", "birth_year", "sex", "relation", "citizen_id", "ethnicity", "disability",
          "school_level", "health_insurance_number", "phone"), lambda record: record.full_name),
        (HouseholdStatus.history.filter(household_id=household.pk), HouseholdStatus,
         ("year", "category", "decision_number", "decision_date"),
         lambda record: str(_("Status %(year)s") % {"year": record.year})),
        (HouseholdPolicy.history.filter(household_id=household.pk), HouseholdPolicy, ("policy_type",),
         lambda record: str(_("Policy type"))),
    ]

    def masked(name: str, value: str) -> str:
        return mask_citizen_id(value) if name in _SENSITIVE and mask_ids and value != "—" else value

    return history_entries([HistorySource(*source) for source in sources], mask=masked)


# -- the 2025 reform: split former communes and their hamlets ---------------------------------------


@dataclass
class HamletRow:
    """One hamlet of a split former commune: its households, and where the province assigned it."""

    hamlet: str
    households: int
    assignment: object | None  # HamletAssignment


@dataclass
class SplitCommune:
    commune: AdministrativeUnit
    successors: list[AdministrativeUnit]
    hamlets: list[HamletRow]


def split_communes_visible_to(user: User):
    """The former communes split in 2025 between several current ones, within ``user``'s scope (a
    current province's officer: those of the former communes that became part of it)."""
    return (AdministrativeUnit.objects.split().filter(scope_q(user, ""), current_province__isnull=False)
            .select_related("district").order_by("code"))


def split_communes_with_hamlets(communes: list[AdministrativeUnit]) -> list[SplitCommune]:
    """Each split commune with its successors and its hamlets (those its households name, and those
    assigned already): three queries, whatever the number of communes and households."""
    ids = [commune.pk for commune in communes]
    through = AdministrativeUnit.successors.through
    successors: dict[int, list[AdministrativeUnit]] = {pk: [] for pk in ids}
    for link in (through.objects.filter(from_administrativeunit_id__in=ids).select_related("to_administrativeunit")
                 .order_by("to_administrativeunit__code")):
        successors[link.from_administrativeunit_id].append(link.to_administrativeunit)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for row in (Household.objects.filter(commune_id__in=ids).values("commune_id", "hamlet").order_by()
                .annotate(n=Count("pk"))):
        counts[row["commune_id"]][row["hamlet"]] = row["n"]
    assigned: dict[int, dict[str, object]] = {pk: {} for pk in ids}
    for assignment in (HamletAssignment.objects.filter(former_commune_id__in=ids)
                       .select_related("current_commune", "assigned_by")):
        assigned[assignment.former_commune_id][assignment.hamlet] = assignment
    return [SplitCommune(commune, successors[commune.pk], [
        HamletRow(hamlet, counts[commune.pk].get(hamlet, 0), assigned[commune.pk].get(hamlet))
        for hamlet in sorted(set(counts[commune.pk]) | set(assigned[commune.pk]), key=fold_diacritics)
    ]) for commune in communes]

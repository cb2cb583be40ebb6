"""One FilterSet for the household list page, its exports and the API."""

import re
from collections import Counter

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, TextField, Value
from django.db.models.functions import Collate, Concat, Reverse, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import within_q
from frontwelfare.db import VIETNAMESE_COLLATION, vietnamese_order
from frontwelfare.filters import (
    FIRST_YEAR,
    LAST_YEAR,
    StyledFilterSet,
    UnitFilter,
    YearFilter,
    YesNoFilter,
    units_to_filter_by,
)
from frontwelfare.templatetags.frontwelfare import number
from frontwelfare.text import fold_diacritics

from .choices import Category, PolicyType, SchoolLevel
from .models import Household, HouseholdPolicy, HouseholdStatus, Member
from .permissions import SHOWN_DIGITS, full_citizen_ids_q
from .timeline import not_helped_since

# The most members a search by name reads from each of its index ranges, across the country.
SEARCH_MATCHES = 10_000
# A name more common than that (a surname alone: "nguyen" is a third of the country) is searched
# household by household within a list of at most this many (a district's), and refused in a
# bigger one (a province's, the country's), where no index finds the first fifty in name order
# without reading most of the list: the viewer is asked for more of the name, or a unit.
BROAD_SEARCH_LIST = 20_000


# What households_named found of a name too common to list (see HouseholdFilterSet._search_refusal).
TOO_COMMON = object()


def _compact(value: str) -> str:
    return value.strip().replace(" ", "")


def _is_number_or_code(value: str) -> bool:
    """A search for digits (a citizen ID's or a code's end) or a household code, not a name."""
    compact = _compact(value)
    return (compact.isdigit() and len(compact) >= SHOWN_DIGITS) or bool(HOUSEHOLD_CODE.fullmatch(compact))


def _is_every_household(queryset) -> bool:
    """``queryset`` is every household, unfiltered (the administrator's list without filters)."""
    return queryset.model is Household and not queryset.query.where


def _households_with_code_ending(households, digits: str) -> list[int]:
    """The ``households`` (the list, its scope applied) whose code ends with ``digits`` ("0012"
    finds 28915-0012): a range of the index of reversed codes (migration 0006) on PostgreSQL.
    Within the list, not the country: every commune has a household numbered 0001."""
    ending = households.alias(code_reversed=Reverse("code")).filter(code_reversed__startswith=digits[::-1])
    return list(ending.order_by().values_list("pk", flat=True)[:SEARCH_MATCHES])


# A household code as the pages print it: the commune's code, a dash, the household's number.
HOUSEHOLD_CODE = re.compile(r"\d{5}-\d{4,}")


def members_named(folded: str):
    """The members whose folded name (Member.full_name_folded) starts with ``folded``, or whose
    name after the surname, or given name (its last word), does. On PostgreSQL, three conditions
    each matching an index (migration 0006): for a few households' members (a correlated EXISTS),
    or see households_named. SQLite, the quick start, finds ``folded`` at the start of any word."""
    if connection.vendor != "postgresql":
        return Member.objects.filter(Q(full_name_folded__startswith=folded)
                                     | Q(full_name_folded__contains=f" {folded}"))
    start, after_surname, given_name = _name_ranges(folded)
    return _members_with_name_parts().filter(start | after_surname | given_name)


def _members_with_name_parts():
    return Member.objects.alias(name_after_surname=_after_surname("full_name_folded"),
                                given_name=_last_word("full_name_folded"))


def _name_ranges(folded: str) -> list[Q]:
    """The three conditions of members_named (to be read with its aliases)."""
    return [Q(full_name_folded__startswith=folded), Q(name_after_surname__startswith=folded),
            Q(given_name__startswith=folded)]


def households_named(folded: str) -> list[int] | None:
    """The households with a member named ``folded`` (members_named) across the country, as ids;
    None when one of the name's index ranges holds more than SEARCH_MATCHES members (the name is
    too common to list).

    On PostgreSQL each range is read by itself, from its index alone (the indexes include the
    household), at most SEARCH_MATCHES + 1 entries: asked as one statement with the conditions
    OR-ed, DISTINCT and a LIMIT, the planner estimated a common first-and-given name at 45,000 of
    the 6 million members and walked the whole table in household order for them (2 to 5 s)."""
    if connection.vendor != "postgresql":
        named = list(members_named(folded).order_by().values_list("household_id", flat=True)
                     .distinct()[: SEARCH_MATCHES + 1])
        return named if len(named) <= SEARCH_MATCHES else None
    ranges = [_members_with_name_parts().filter(condition).order_by().annotate(part=Value(part))
              .values_list("household_id", "part")[: SEARCH_MATCHES + 1]
              for part, condition in enumerate(_name_ranges(folded))]
    found = list(ranges[0].union(*ranges[1:], all=True))
    members_per_range = Counter(part for _household, part in found)
    if any(count > SEARCH_MATCHES for count in members_per_range.values()):
        return None
    return list(dict.fromkeys(household for household, _part in found))


def _after_surname(field: str):
    """What follows the first word of ``field``, as indexed by households_member_name_after_surname."""
    return Substr(F(field), StrIndex(F(field), Value(" ")) + 1)


def _last_word(field: str):
    """The last word of ``field``, as indexed by households_member_given_name."""
    return Func(F(field), Value("^.* "), Value(""), function="REGEXP_REPLACE", output_field=TextField())


def current_year() -> int:
    return timezone.localdate().year



def categories_year(data) -> int:
    """The year a household list reads categories in, for its category filter, its counts, its
    exports and the API's rows: the ``year`` filter of ``data`` (a query string) when it holds a
    valid year, else the current one."""
    field = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    try:
        year = field.clean((data or {}).get("year"))
    except ValidationError:
        year = None
    return year or current_year()


class HouseholdFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or citizen ID"), method="filter_search",
        help_text=_("With or without diacritics: “nguyen van an” finds “Nguyễn Văn An”."),
    )
    # The choices depend on the viewer, so the schema is told the type: a unit id.
    unit = extend_schema_field(OpenApiTypes.INT)(UnitFilter(
        label=_("Unit"), queryset=units_to_filter_by, method="filter_unit", empty_label=_("All units"),
    ))
    hamlet = django_filters.CharFilter(label=_("Hamlet"), method="filter_hamlet")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, method="filter_category", empty_label=_("Any category"),
    )
    year = YearFilter(label=_("Year"), method="filter_year")
    policy_type = django_filters.ChoiceFilter(
        label=_("Policy type"), choices=PolicyType.choices, method="filter_policy_type",
        empty_label=_("Any policy type"),
    )
    has_disability = YesNoFilter(label=_("Has a member with a disability"), method="filter_has_disability")
    has_pupil = YesNoFilter(label=_("Has a pupil or student"), method="filter_has_pupil")
    school_level = django_filters.ChoiceFilter(
        label=_("Has a pupil at"), choices=[choice for choice in SchoolLevel.choices if choice[0]],
        method="filter_school_level", empty_label=_("Any school level"),
    )
    no_support_since = django_filters.DateFilter(
        label=_("No support since"), method="filter_no_support_since",
        help_text=_("Households that received nothing from that day on: no gift, scholarship or other "
                    "support delivered, no payment from a fund, no house handed over."))

    page_fields = ("q", "unit", "hamlet", "category", "year", "policy_type", "has_disability", "has_pupil",
                   "school_level", "no_support_since")

    # Every household of the filtered list, as ids, when a search by name has read them (it is
    # applied last, so after the scope and the other filters): the page counts them and reads
    # their categories from this list instead of searching again. None otherwise.
    search_matches: list[int] | None = None

    class Meta:
        model = Household
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # What the form's check of a name search found (_search_refusal): the households named
        # across the country, or TOO_COMMON (then searched within the list, household by household).
        self._households_named: list[int] | object | None = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.COMMUNE_OFFICER:
            # One commune to choose from: the unit filter would do nothing for them.
            self.page_fields = tuple(name for name in self.page_fields if name != "unit")

    def get_form_class(self):
        """The filters' form, which also refuses a name too common to search for in the list
        (_search_refusal), naming the field: "q" on the page, a 400 from the API."""
        form_class = super().get_form_class()
        filterset = self

        class HouseholdFilterForm(form_class):
            def clean(self):
                cleaned = super().clean()
                refusal = filterset._search_refusal(cleaned)
                if refusal:
                    self.add_error("q", refusal)
                return cleaned

        return HouseholdFilterForm

    def _search_refusal(self, cleaned: dict) -> str | None:
        """Why a search by name cannot run, or None. Reads the households named across the country
        for filter_search (households_named). A name too common to list is searched household by
        household, which the list (the viewer's scope and unit, from the tallies) allows when it
        holds at most BROAD_SEARCH_LIST households."""
        folded = fold_diacritics(cleaned.get("q") or "")
        if not folded or _is_number_or_code(cleaned["q"]):
            return None
        named = households_named(folded)
        self._households_named = TOO_COMMON if named is None else named
        if named is not None:
            return None
        from .selectors import household_tallied_count  # the selectors read this module's filters

        in_list = household_tallied_count(user=getattr(self.request, "user", None),
                                          filters={"unit": cleaned.get("unit")}, year=current_year())
        if in_list <= BROAD_SEARCH_LIST:
            return None
        return gettext("More than %(number)s people are named “%(name)s”: type more of the name, "
                       "or choose a unit to search in.") % {"number": number(SEARCH_MATCHES),
                                                            "name": cleaned["q"].strip()}

    def filter_queryset(self, queryset):
        """The filters in their order, but the search last: it reads its matching households as a
        list (filter_search), the shorter the more the other filters have narrowed them."""
        for name, value in sorted(self.form.cleaned_data.items(), key=lambda item: item[0] == "q"):
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_search(self, queryset, name, value):
        """A name, or its start, or the start of a later word in it, with or without diacritics:
        "nguyen van an", "nguyen van", "van an" and "an" all find "Nguyễn Văn An" (any member's
        name, not only the head's). A number of at least SHOWN_DIGITS digits finds the households
        whose code, or a member's citizen ID, ends with it; a code as printed ("28915-0012") finds
        that household.

        Each of these is a range of an index (migration 0006): a search costs about the same in a
        commune as across the country. The matching households of the list (its scope and other
        filters: the search is applied last) are read once, as a list of ids, so that the page's
        count, its category cards and its rows each read only those (search_matches)."""
        folded = fold_diacritics(value)
        if not folded:
            return queryset
        compact = _compact(value)
        if compact.isdigit() and len(compact) >= SHOWN_DIGITS:
            matches = [*self._households_with_citizen_id(compact), *_households_with_code_ending(queryset, compact)]
            return queryset.filter(pk__any_of=matches)
        if HOUSEHOLD_CODE.fullmatch(compact):
            return queryset.filter(code=compact)
        # In two steps, each bounded by the number of matches: the households of the members named
        # (ranges of the name indexes, across the country: read by the form's check), then those of
        # them in the list. Asked in one statement, PostgreSQL may instead probe every household of
        # a province for its members (seen at national scale: 0.7 s in a province, 4.7 s across
        # the country). A name too common for that is looked for in each household of the list,
        # which the form's check allowed only for a list of at most BROAD_SEARCH_LIST.
        if self._households_named is None:  # the form did not check: a filter set used without it
            self._search_refusal({"q": value, "unit": self.form.cleaned_data.get("unit")})
        households = queryset.order_by().values_list("pk", flat=True)
        if self._households_named is TOO_COMMON:
            named = members_named(folded).filter(household=OuterRef("pk"))
            self.search_matches = list(households.filter(Exists(named)))
        elif _is_every_household(queryset):
            self.search_matches = self._households_named  # the administrator's list: nothing to narrow
        else:
            self.search_matches = list(households.filter(pk__any_of=self._households_named))
        return queryset.filter(pk__any_of=self.search_matches)

    def _households_with_citizen_id(self, digits: str) -> list[int]:
        """The households with a member whose citizen ID ends with ``digits``
        (is ``digits``, for all twelve): a range of the index of reversed IDs (migration 0006) on
        PostgreSQL; a few hundred households at most at national scale."""
        user = getattr(self.request, "user", None)
        if len(digits) < 12:
            members = Member.objects.alias(citizen_id_reversed=Reverse("citizen_id")).filter(
                ~Q(citizen_id=""), citizen_id_reversed__startswith=digits[::-1])
        else:
            members = Member.objects.filter(citizen_id=digits)
        if len(digits) > SHOWN_DIGITS:
            # Beyond the digits the mask shows, only where the viewer sees IDs in full: else
            # each digit added would confirm one more digit of a number they must not learn,
            # and a whole number guessed would be confirmed (its first six digits follow from
            # the province, sex and year of birth the viewer sees).
            members = members.filter(full_citizen_ids_q(user, "household__commune"))
        # Not narrowed to the viewer's scope here (the list's own query is): joined to the scope,
        # PostgreSQL would probe every household of a province for its members instead.
        return list(members.order_by().values_list("household_id", flat=True)[:SEARCH_MATCHES])

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_q(unit, "commune"))

    def filter_hamlet(self, queryset, name, value):
        return queryset.filter(hamlet__icontains=value.strip()) if value.strip() else queryset

    def filter_category(self, queryset, name, value):
        statuses = HouseholdStatus.objects.filter(household=OuterRef("pk"), year=categories_year(self.data),
                                                  category=value)
        return queryset.filter(Exists(statuses))

    def filter_year(self, queryset, name, value):
        """Alone, "year" keeps the households with any status that year; with a category it
        only says which year the category is read in (see filter_category)."""
        if value is None or self.form.cleaned_data.get("category"):
            return queryset
        return queryset.filter(Exists(HouseholdStatus.objects.filter(household=OuterRef("pk"), year=value)))

    def filter_policy_type(self, queryset, name, value):
        return queryset.filter(Exists(HouseholdPolicy.objects.filter(household=OuterRef("pk"), policy_type=value)))

    def filter_has_disability(self, queryset, name, value):
        return self._members_where(queryset, ~Q(disability=""), value)

    def filter_has_pupil(self, queryset, name, value):
        return self._members_where(queryset, ~Q(school_level=""), value)

    def filter_school_level(self, queryset, name, value):
        return self._members_where(queryset, Q(school_level=value), True) if value else queryset

    def filter_no_support_since(self, queryset, name, value):
        """What every app registered as help (households.timeline.register_helped_since): with
        category "poor" and year, the poor households helped by nobody since the day."""
        return not_helped_since(queryset, value) if value else queryset

    @staticmethod
    def _members_where(queryset, condition, wanted):
        if wanted is None:
            return queryset
        exists = Exists(Member.objects.filter(condition, household=OuterRef("pk")))
        return queryset.filter(exists if wanted else ~exists)


def households_in_name_order(queryset, *, by_index: bool = True):
    """Households by their head's name in Vietnamese order, then by code.

    ``by_index``: read in the order of the index households_household_name_order (migration 0006),
    for the first pages of a big list: the first fifty households of a province are read in order,
    not sorted. Otherwise sorted, for lists that keep few households of a big table (a search's
    matches: households found by a name cluster in the order of names, a family sharing a surname,
    so walking the index would read far more than PostgreSQL expects) and for reading all of them
    (an export: walking the index would fetch every household of the country in name order)."""
    if not by_index and connection.vendor == "postgresql":
        unindexed = Concat(F("head_name"), Value(""), output_field=TextField())
        return queryset.order_by(Collate(unindexed, VIETNAMESE_COLLATION).asc(), "code")
    return queryset.order_by(vietnamese_order("head_name"), "code")

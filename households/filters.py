"""One FilterSet for the household list page, its exports and the API."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import within_q
from frontwelfare.db import vietnamese_order
from frontwelfare.filters import FIRST_YEAR, LAST_YEAR, StyledFilterSet, YearFilter, YesNoFilter, units_to_filter_by
from frontwelfare.text import fold_diacritics

from .choices import Category, PolicyType
from .models import Household, HouseholdPolicy, HouseholdStatus, Member
from .permissions import SHOWN_DIGITS, full_citizen_ids_q


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
    unit = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
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

    page_fields = ("q", "unit", "hamlet", "category", "year", "policy_type", "has_disability", "has_pupil")

    class Meta:
        model = Household
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.COMMUNE_OFFICER:
            # One commune to choose from: the unit filter would do nothing for them.
            self.page_fields = tuple(name for name in self.page_fields if name != "unit")

    def filter_search(self, queryset, name, value):
        folded = fold_diacritics(value)
        if not folded:
            return queryset
        members = Member.objects.filter(household=OuterRef("pk"))
        by_name = Q(full_name_folded__contains=folded)
        digits = value.strip().replace(" ", "")
        if digits.isdigit() and len(digits) >= SHOWN_DIGITS:
            by_id = Q(citizen_id__endswith=digits) if len(digits) < 12 else Q(citizen_id=digits)
            if len(digits) > SHOWN_DIGITS:
                # Beyond the digits the mask shows, only where the viewer sees IDs in full: else
                # each digit added would confirm one more digit of a number they must not learn,
                # and a whole number guessed would be confirmed (its first six digits follow from
                # the province, sex and year of birth the viewer sees).
                by_id &= full_citizen_ids_q(getattr(self.request, "user", None), "household__commune")
            by_name |= by_id
        return queryset.filter(
            Exists(members.filter(by_name)) | Q(code__icontains=value.strip()) | Q(hamlet__icontains=value.strip())
        )

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

    @staticmethod
    def _members_where(queryset, condition, wanted):
        if wanted is None:
            return queryset
        exists = Exists(Member.objects.filter(condition, household=OuterRef("pk")))
        return queryset.filter(exists if wanted else ~exists)


def households_in_name_order(queryset):
    """Households by their head's name in Vietnamese order, then by code."""
    return queryset.order_by(vietnamese_order("head_name"), "code")

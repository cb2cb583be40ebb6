"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import within_q
from frontwelfare.filters import IdFilter, StyledFilterSet, UnitFilter, YearFilter, YesNoFilter, units_to_filter_by
from frontwelfare.text import fold_diacritics
from households.models import Member

from .choices import CaseState, ProgrammeKind, WorkKind
from .models import HousingCase, Programme


def programmes_to_filter_by(request):
    user = getattr(request, "user", None)
    if user is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(user).order_by("-deadline", "name")


class CaseFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Household"), method="filter_household",
        help_text=_("A member's name, with or without diacritics, or the household code."),
    )
    # The choices depend on the viewer, so the schema is told the type: an id.
    programme = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=programmes_to_filter_by, empty_label=_("All programmes"),
    ))
    unit = extend_schema_field(OpenApiTypes.INT)(UnitFilter(
        label=_("Unit"), queryset=units_to_filter_by, method="filter_unit", empty_label=_("All units"),
    ))
    state = django_filters.ChoiceFilter(label=_("State"), choices=CaseState.choices, empty_label=_("Any state"))
    work_kind = django_filters.ChoiceFilter(
        label=_("Kind of work"), choices=WorkKind.choices, empty_label=_("New builds and repairs"),
    )
    overdue = YesNoFilter(label=_("Open after the deadline"), method="filter_overdue")
    household = IdFilter(field_name="household_id", label=_("Household id"))

    page_fields = ("q", "programme", "unit", "state", "work_kind", "overdue")

    class Meta:
        model = HousingCase
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.COMMUNE_OFFICER:
            self.page_fields = tuple(name for name in self.page_fields if name != "unit")

    def filter_household(self, queryset, name, value):
        folded = fold_diacritics(value)
        if not folded:
            return queryset
        members = Member.objects.filter(household=OuterRef("household"), full_name_folded__contains=folded)
        return queryset.filter(Exists(members) | Q(household__code__icontains=value.strip()))

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_q(unit, "commune"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ProgrammeFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name or decision"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProgrammeKind.choices, empty_label=_("Any kind"))
    year = YearFilter(label=_("Running in year"), method="filter_year")
    running = YesNoFilter(label=_("Running today"), method="filter_running")

    page_fields = ("q", "kind", "year", "running")

    class Meta:
        model = Programme
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(decision_number__icontains=value)) if value else queryset

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(start_date__year__lte=value, deadline__year__gte=value)

    def filter_running(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        running = Q(start_date__lte=today, deadline__gte=today)
        return queryset.filter(running if value else ~running)

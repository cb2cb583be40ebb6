"""One FilterSet per list, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.accounts.choices import Role
from frontwelfare.accounts.scope import within_q
from frontwelfare.filters import IdFilter, StyledFilterSet, UnitFilter, YearFilter, YesNoFilter, units_to_filter_by
from frontwelfare.text import fold_diacritics

from .choices import RECOGNISED_STATES, Field, ModelState
from .models import Round, TypicalModel


class TypicalModelFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    year = YearFilter(field_name="round__year", label=_("Year"))
    unit = extend_schema_field(OpenApiTypes.INT)(UnitFilter(
        label=_("Unit"), queryset=units_to_filter_by, method="filter_unit", empty_label=_("All units"),
    ))
    state = django_filters.ChoiceFilter(label=_("State"), choices=ModelState.choices, empty_label=_("Any state"))
    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices, empty_label=_("Any field"))
    recognised = YesNoFilter(label=_("Recognised"), method="filter_recognised")
    replica = YesNoFilter(label=_("Replica of a recognised model"), field_name="replicates", lookup_expr="isnull",
                          exclude=True)
    # The models of one round (a board's "see all" link): by id, not shown on the page.
    round = IdFilter(label=_("Round"), field_name="round")

    page_fields = ("q", "year", "unit", "state", "field", "recognised", "replica")

    class Meta:
        model = TypicalModel
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.COMMUNE_OFFICER:
            self.page_fields = tuple(name for name in self.page_fields if name != "unit")

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Compared without diacritics or case ("gieng" finds "Đào giếng"), on the folded copy of the
        # name the services keep, as the households' names are.
        return queryset.filter(name_folded__contains=fold_diacritics(value))

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_q(unit, "commune"))

    def filter_recognised(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=RECOGNISED_STATES) if value else queryset.exclude(state__in=RECOGNISED_STATES)


class RoundFilterSet(StyledFilterSet):
    year = YearFilter(label=_("Year"))
    unit = extend_schema_field(OpenApiTypes.INT)(UnitFilter(
        label=_("Unit"), queryset=units_to_filter_by, method="filter_unit", empty_label=_("All units"),
    ))

    page_fields = ("year", "unit")

    class Meta:
        model = Round
        fields = []

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_q(unit, "unit"))

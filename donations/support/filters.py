"""One FilterSet per model of support to households, shared by the list pages and the API."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from frontwelfare.filters import IdFilter, StyledFilterSet, YearFilter, YesNoFilter

from ..choices import MemberOrganisation
from ..filters import _ByUnit, _unit_field
from .choices import ActivityKind, BatchState, Delivery
from .models import Activity, Batch, Organisation, Recipient, SupportKind, occasion_key

# -- member organisations and their activities -----------------------------------------------------


def organisations_to_filter_by(request):
    user = getattr(request, "user", None)
    if user is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(user).order_by("unit__code", "kind", "name")


class OrganisationFilterSet(_ByUnit):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MemberOrganisation.choices,
                                       empty_label=_("Any kind"))
    unit = _unit_field()

    page_fields = ("q", "kind", "unit")

    class Meta:
        model = Organisation
        fields = []


class ActivityFilterSet(_ByUnit):
    """Activities by kind, organisation, unit and period: one overlapping the period (from its first
    day to its last, or its one day) counts in it."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActivityKind.choices, empty_label=_("Any kind"))
    organisation = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=organisations_to_filter_by, empty_label=_("All organisations")))
    happened_from = django_filters.DateFilter(label=_("From"), method="filter_from")
    happened_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label=_("To"))
    unit = _unit_field()

    page_fields = ("q", "kind", "organisation", "happened_from", "happened_to", "unit")

    class Meta:
        model = Activity
        fields = []

    def filter_from(self, queryset, name, day):
        return queryset.filter(Q(ends_on__gte=day) | Q(ends_on__isnull=True, starts_on__gte=day))


# -- distribution batches and their recipients -----------------------------------------------------


def kinds_to_filter_by(request):
    user = getattr(request, "user", None)
    return SupportKind.objects.visible_to(user) if user is not None else SupportKind.objects.none()


class BatchFilterSet(_ByUnit):
    """The batches a viewer sees, by kind, state, occasion (typed with or without diacritics), the
    unit (within it) and the year they were handed out. The API's list reads the same filters."""

    occasion = django_filters.CharFilter(label=_("Occasion"), method="filter_occasion", help_text=_(
        "With or without diacritics: “tet binh ngo” finds “Quà Tết Bính Ngọ 2026”."))
    kind = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        label=_("Kind of support"), queryset=kinds_to_filter_by, empty_label=_("Any kind")))
    state = django_filters.ChoiceFilter(label=_("State"), choices=BatchState.choices, empty_label=_("Any state"))
    unit = _unit_field()
    year = YearFilter(label=_("Year"), field_name="happened_on", lookup_expr="year")

    page_fields = ("occasion", "kind", "state", "unit", "year")

    class Meta:
        model = Batch
        fields = []

    def filter_occasion(self, queryset, name, value):
        # Compared as the duplicate check compares occasions (models.occasion_key: no diacritics,
        # case or spaces), so "tet binh ngo" finds "Quà Tết Bính Ngọ 2026".
        folded = occasion_key(value)
        return queryset.filter(occasion_key__contains=folded) if folded else queryset


class RecipientFilterSet(StyledFilterSet):
    batch = IdFilter(field_name="batch_id", label=_("Batch"), help_text=_("Batch id."))
    delivery = django_filters.ChoiceFilter(label=_("Delivery"), choices=Delivery.choices,
                                           empty_label=_("Any delivery"))
    hamlet = django_filters.CharFilter(label=_("Hamlet"), method="filter_hamlet")
    removed = YesNoFilter(label=_("Taken out of the batch"))

    page_fields = ("delivery", "hamlet", "removed")

    class Meta:
        model = Recipient
        fields = []

    def filter_hamlet(self, queryset, name, value):
        return queryset.filter(household__hamlet__icontains=value.strip()) if value.strip() else queryset


# -- choosing a batch's recipients ----------------------------------------------------------------------

# The households' filters recipients are chosen by (the search by name is the "add by hand" box's).
CHOOSING_FILTERS = ("unit", "hamlet", "category", "year", "policy_type", "school_level", "has_disability",
                    "has_pupil", "no_support_since")


def require_a_filter(cleaned: dict) -> None:
    """Refuses a choice of recipients with no filter at all: a batch is not given to every household
    of a unit by a click or an empty request (the page and the API alike)."""
    if not any(cleaned.get(name) not in (None, "") for name in CHOOSING_FILTERS):
        raise ValidationError(_("Choose at least one filter: a batch is not given to every household."))

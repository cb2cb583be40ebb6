"""One FilterSet per model of support to households, shared by the list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..choices import MemberOrganisation
from ..filters import _ByUnit, _unit_field
from .choices import ActivityKind
from .models import Activity, Organisation

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

import django_filters
from django.utils.translation import gettext_lazy as _

from frontwelfare.filters import IdFilter, StyledFilterSet
from frontwelfare.text import fold_diacritics

from .choices import Era, Level
from .models import AdministrativeUnit


class AdministrativeUnitFilterSet(StyledFilterSet):
    """One filter set for the units page and `/api/v1/units/`."""

    name = django_filters.CharFilter(method="filter_name", label=_("Name (with or without diacritics)"))
    era = django_filters.ChoiceFilter(choices=Era.choices, label=_("Era"), empty_label=_("Both eras"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("All levels"))
    code = django_filters.CharFilter(label=_("GSO code"))
    # Ids, not drop-downs: a select of fourteen thousand units helps nobody.
    parent = IdFilter(field_name="parent_id", label=_("Parent unit id"))
    province = IdFilter(field_name="province_id", label=_("Province id"))
    district = IdFilter(field_name="district_id", label=_("District id"))

    page_fields = ("name", "era", "level", "code")

    class Meta:
        model = AdministrativeUnit
        fields = ["name", "era", "level", "code", "parent", "province", "district"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_folded__contains=fold_diacritics(value))

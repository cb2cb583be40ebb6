"""FilterSets of support to households."""

import django_filters
from django.utils.translation import gettext_lazy as _

from frontwelfare.filters import StyledFilterSet, YearFilter
from frontwelfare.text import fold_diacritics

from .choices import BatchState
from .models import Batch, SupportKind

# -- the batch list page ---------------------------------------------------------------------------------


def kinds_to_filter_by(request):
    user = getattr(request, "user", None)
    return SupportKind.objects.available_to(getattr(user, "unit", None)).order_by("unit_id", "pk")


class BatchFilterSet(StyledFilterSet):
    """The batches a viewer sees, by kind, state, occasion (typed with or without diacritics) and
    the year they were handed out."""

    occasion = django_filters.CharFilter(label=_("Occasion"), method="filter_occasion")
    kind = django_filters.ModelChoiceFilter(label=_("Kind of support"), queryset=kinds_to_filter_by,
                                            empty_label=_("Any kind"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=BatchState.choices, empty_label=_("Any state"))
    year = YearFilter(label=_("Year"), field_name="happened_on", lookup_expr="year")

    page_fields = ("occasion", "kind", "state", "year")

    class Meta:
        model = Batch
        fields = []

    def filter_occasion(self, queryset, name, value):
        # Compared as the duplicate check compares occasions (models.occasion_key: no diacritics,
        # case or spaces), so "tet binh ngo" finds "Quà Tết Bính Ngọ 2026".
        folded = "".join(fold_diacritics(value).split())
        return queryset.filter(occasion_key__contains=folded) if folded else queryset

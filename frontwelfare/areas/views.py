from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from frontwelfare.views import OverseersOnlyMixin, ScopedQuerysetMixin

from .filters import AdministrativeUnitFilterSet
from .models import AdministrativeUnit


class UnitListView(OverseersOnlyMixin, ScopedQuerysetMixin, ListView):
    """Search every unit by name (diacritics optional), level and era; without a search,
    the units directly under the user's own unit (the provinces, for an administrator)."""

    model = AdministrativeUnit
    filterset_class = AdministrativeUnitFilterSet
    paginate_by = 50
    template_name = "areas/unit_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("parent")
        if self.filterset.is_bound:
            return queryset
        unit = self.request.user.unit
        if unit is None:
            return queryset.filter(parent__isnull=True)
        return queryset.filter(parent=unit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Administrative units")
        return context


class UnitDetailView(OverseersOnlyMixin, ScopedQuerysetMixin, DetailView):
    model = AdministrativeUnit
    template_name = "areas/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return super().get_queryset().select_related("parent", "province", "district")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["children"] = unit.children.order_by("code")
        context["successors"] = unit.successors.order_by("code")
        context["predecessors"] = unit.predecessors.select_related("parent").order_by("code")
        return context

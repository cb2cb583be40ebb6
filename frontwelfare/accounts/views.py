from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from frontwelfare.views import OverseersOnlyMixin, ScopedQuerysetMixin

from .filters import UserFilterSet
from .models import User
from .selectors import user_history


class UserListView(OverseersOnlyMixin, ScopedQuerysetMixin, ListView):
    """The users of the viewer's unit and the units below it (a district member sees the
    district's members and the officers of its communes)."""

    model = User
    filterset_class = UserFilterSet
    paginate_by = 50
    template_name = "accounts/user_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Users")
        return context


class UserDetailView(OverseersOnlyMixin, ScopedQuerysetMixin, DetailView):
    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "unit__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = user_history(user=self.object)
        return context

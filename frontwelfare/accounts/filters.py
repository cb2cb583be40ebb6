import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frontwelfare.filters import StyledFilterSet

from .choices import Role
from .models import User


class UserFilterSet(StyledFilterSet):
    """One filter set for the users page and `/api/v1/users/`."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name or username"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("All roles"))

    class Meta:
        model = User
        fields = ["q", "role"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )

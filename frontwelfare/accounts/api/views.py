from frontwelfare.accounts.filters import UserFilterSet
from frontwelfare.accounts.models import User
from frontwelfare.api import ScopedReadOnlyViewSet

from .serializers import UserSerializer


class UserViewSet(ScopedReadOnlyViewSet):
    """The users within the caller's unit (read-only; administrators manage users in the admin)."""

    model = User
    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    def prepare_queryset(self, queryset):
        return queryset.select_related("unit")

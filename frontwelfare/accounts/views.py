from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from frontwelfare.views import OverseersOnlyMixin, ScopedQuerysetMixin

from .filters import UserFilterSet
from .middleware import idle_seconds_left
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


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request):
    """How many seconds the session has left before it ends for idleness (0: it has ended), for
    the page's warning (frontwelfare/forms.js). Asking (GET) is not the person's activity and
    leaves the session as it was; POST ("Stay signed in") is, and starts the idle time again."""
    if request.method == "GET":
        request.is_user_activity = False
    elif request.user.is_authenticated:
        return JsonResponse({"remaining": request.session.get_expiry_age()})
    return JsonResponse({"remaining": idle_seconds_left(request)})

"""Base classes of every API viewset: the scope of the pages, applied to the API."""

from django.contrib.auth.decorators import login_not_required
from rest_framework import viewsets


class ScopedViewSetMixin:
    """`get_queryset` is `Model.objects.visible_to(request.user)`; out of scope is 404.

    The API authenticates by session or token and answers 401/403 itself, so the
    page-oriented LoginRequiredMiddleware (which would redirect to the login page) is
    switched off for it.
    """

    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return self.prepare_queryset(queryset)

    def prepare_queryset(self, queryset):
        """Add select_related/annotations here; never widen the queryset."""
        return queryset

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass

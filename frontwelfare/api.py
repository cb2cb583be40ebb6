"""Base classes of every API viewset: the scope of the pages, applied to the API."""

from rest_framework import viewsets


class ScopedViewSetMixin:
    """`get_queryset` is `Model.objects.visible_to(request.user)`; out of scope is 404.
    (DRF marks its views login_not_required: the API answers 401/403 itself rather than
    redirecting to the login page.)
    """

    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return self.prepare_queryset(queryset)

    def prepare_queryset(self, queryset):
        """Add select_related/annotations here; never widen the queryset."""
        return queryset


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass

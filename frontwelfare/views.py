"""Building blocks shared by every app's pages."""

from django.core.exceptions import ImproperlyConfigured


class ScopedQuerysetMixin:
    """Reads the view's model through `visible_to(request.user)`, and nothing else.

    List, detail, update and delete views built on it answer 404 for an object outside the
    user's scope, exactly as for a missing one. Set ``model`` and, for lists, ``filterset_class``.
    """

    model = None
    filterset_class = None

    def get_base_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set model.")
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        queryset = self.get_base_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset,
                                                  request=self.request)
            queryset = self.filterset.qs if self.filterset.is_bound else queryset
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset_class is not None:
            context["filterset"] = self.filterset
        return context

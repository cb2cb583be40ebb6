"""Building blocks shared by every app's pages."""

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from frontwelfare.paging import CountedPaginator, bounded_count


def filter_data(request, filterset_class):
    """The query string when it sets a filter; None (an unbound filter set) when it only turns the
    page, so that page 2 of a default list is still that list."""
    return request.GET if any(request.GET.get(name) for name in filterset_class.base_filters) else None


class CountedListMixin:
    """A list counted without reading all of it (frontwelfare.paging.bounded_count): a province's
    donors or receipts run to tens of thousands."""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CountedPaginator(queryset, per_page, list_count=bounded_count(queryset), orphans=orphans,
                                allow_empty_first_page=allow_empty_first_page, **kwargs)


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
            self.filterset = self.filterset_class(self._filter_data(), queryset=queryset, request=self.request)
            queryset = self.filterset.qs if self.filterset.is_bound else queryset
        return queryset

    def _filter_data(self):
        return filter_data(self.request, self.filterset_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset_class is not None:
            context["filterset"] = self.filterset
        return context


class RecordGoneMixin:
    """For views whose writes go through a service that re-reads its record under lock within
    the user's scope: when the record left that scope (or was deleted) between the page's read
    and the write, the service raises ``DoesNotExist``, and the user gets the 404 they would get
    on reloading, not an error page."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc


class OverseersOnlyMixin:
    """The directory pages (units, users) for those with units below them (`User.oversees_units`);
    the menu shows them to the same people. A commune officer would find only their own commune
    and colleagues there, so they are refused with a reason."""

    def get_context_data(self, **kwargs):
        # Checked once the record is read, so that one outside the scope still answers 404.
        if not self.request.user.oversees_units:
            raise PermissionDenied(_("This page lists the units and users below a district or a province."))
        return super().get_context_data(**kwargs)


class HistoryPageView(View):
    """A record's change history on a page of its own, newest first, 50 entries to a page.
    Subclasses say how the record is found in the viewer's scope (`record_for`, 404 outside it)
    and read (`history_of`), and what else the template needs (`extra_context`)."""

    template_name: str
    paginate_by = 50

    def record_for(self, request, pk):
        raise ImproperlyConfigured(f"{type(self).__name__} must say how its record is found.")

    def history_of(self, record) -> list:
        raise ImproperlyConfigured(f"{type(self).__name__} must say how its record's history is read.")

    def extra_context(self, record) -> dict:
        return {}

    def get(self, request, pk):
        record = self.record_for(request, pk)
        page = Paginator(self.history_of(record), self.paginate_by).get_page(request.GET.get("page"))
        return render(request, self.template_name, {
            "title": _("Change history of %(name)s") % {"name": str(record)}, "record": record,
            "history": page.object_list, "page_obj": page, **self.extra_context(record),
        })

"""The provincial officer's page for the 2025 reform: the former communes of the province split
between several current communes, each with its hamlets, and the assignment of each hamlet (and its
households) to one of the communes it was divided into (households.services.hamlets_assign)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import services
from ..forms import HamletAssignmentForm
from ..permissions import NOT_ASSIGNER, may_assign_hamlets
from ..selectors import split_communes_visible_to, split_communes_with_hamlets

PER_PAGE = 20


def _require_assigner(request) -> None:
    if not may_assign_hamlets(request.user):
        raise PermissionDenied(NOT_ASSIGNER)


class SplitCommuneListView(View):
    """Every split former commune in the viewer's scope, 20 to a page, each with its hamlets' form."""

    def get(self, request):
        _require_assigner(request)
        communes = split_communes_visible_to(request.user)
        page = Paginator(communes, PER_PAGE).get_page(request.GET.get("page"))
        forms = [HamletAssignmentForm(split=split) for split in split_communes_with_hamlets(list(page.object_list))]
        return render(request, "households/split_communes.html",
                      {"title": _("Communes split in 2025"), "forms": forms, "page_obj": page})


class SplitCommuneView(View):
    """One split former commune: its hamlets and their assignment, saved in one submit."""

    def get(self, request, pk):
        split = self._split(request, pk)
        return self._render(request, HamletAssignmentForm(split=split))

    def post(self, request, pk):
        split = self._split(request, pk)
        form = HamletAssignmentForm(request.POST, split=split)
        if form.is_valid():
            try:
                services.hamlets_assign(actor=request.user, former_commune=split.commune,
                                        assignments=form.assignments())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The hamlets of %(commune)s are assigned.") % {"commune": split.commune})
                return redirect("households:split-commune", pk=pk)
        return self._render(request, form, status=400)

    def _split(self, request, pk):
        # Read through the viewer's scope first: a commune outside it answers 404 whoever asks.
        commune = get_object_or_404(split_communes_visible_to(request.user), pk=pk)
        _require_assigner(request)
        return split_communes_with_hamlets([commune])[0]

    def _render(self, request, form, status=200):
        return render(request, "households/split_commune.html",
                      {"title": _("Hamlets of %(commune)s") % {"commune": form.split.commune}, "form": form},
                      status=status)

"""Pages of the kinds of support: the nationwide ones and those the viewer's unit (or a unit above
it) added, and adding one (services.kind_create)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from frontwelfare.forms import add_service_error
from frontwelfare.submissions import made_once

from ...permissions import NOT_BATCH_KEEPER, can_keep_batches
from .. import services
from ..forms import KindForm
from ..models import SupportKind


class KindListView(View):
    template_name = "support/kind_list.html"

    def get(self, request):
        kinds = SupportKind.objects.available_to(request.user.unit).select_related("unit").order_by("unit_id", "pk")
        return render(request, self.template_name, {
            "title": _("Kinds of support"), "kinds": kinds, "can_create": can_keep_batches(request.user)})


class KindCreateView(View):
    """A kind of support of the officer's own unit, beside the nationwide ones."""

    template_name = "support/kind_form.html"

    def get(self, request):
        _require_keeper(request)
        return self._render(request, KindForm())

    def post(self, request):
        _require_keeper(request)
        form = KindForm(request.POST)
        if form.is_valid():
            try:
                kind = made_once(request, lambda: services.kind_create(actor=request.user, **form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Kind of support “%(name)s” added.") % {"name": kind.name})
                return redirect("support:kind-list")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"title": _("New kind of support"), "form": form},
                      status=status)


def _require_keeper(request) -> None:
    if not can_keep_batches(request.user):
        raise PermissionDenied(NOT_BATCH_KEEPER)

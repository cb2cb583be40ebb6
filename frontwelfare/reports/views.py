from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .dashboard import dashboard_unit, dashboard_year, unit_dashboard
from .selectors import dashboard_for


def home(request, pk=None):
    """The signed-in user's home page: their unit's dashboard (reports.dashboard) and what exists
    within their unit; an administrator, who has no unit, sees the units of both eras. With ``pk``,
    the dashboard of a unit within their scope (a provincial officer opens a district's)."""
    unit = request.user.unit if pk is None else dashboard_unit(user=request.user, pk=pk)
    if pk is not None and unit is None:
        raise Http404
    year = dashboard_year(request.GET.get("year"), timezone.localdate())
    return render(request, "reports/home.html", {
        "dashboard": dashboard_for(user=request.user) if pk is None else None,
        "unit_dashboard": unit_dashboard(unit=unit, year=year) if unit is not None else None,
    })

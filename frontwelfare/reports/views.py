from django.shortcuts import render

from .selectors import dashboard_for


def home(request):
    """The signed-in user's home page: what exists within their unit."""
    return render(request, "reports/home.html", {"dashboard": dashboard_for(user=request.user)})

"""The project's URLs and error handlers, plus a page that fails, for the 500 page's tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from frontwelfare.urls import handler400, handler403, handler404, handler500, urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("households/broken/", broken), *urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

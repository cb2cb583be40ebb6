from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from donations.api import urls as donations_api
from frontwelfare.accounts.api import urls as accounts_api
from frontwelfare.api import not_found as api_not_found
from frontwelfare.areas.api import urls as areas_api
from frontwelfare.reports import views as report_views
from frontwelfare.reports.api import urls as reports_api
from households.api import urls as households_api
from housing.api import urls as housing_api
from models_registry.api import urls as models_api


class ApiRouter(DefaultRouter):
    include_format_suffixes = False


router = ApiRouter()
for app_api in (areas_api, accounts_api, households_api, housing_api, donations_api, models_api, reports_api):
    app_api.register(router)

admin.site.site_header = "FrontWelfare"
admin.site.site_title = "FrontWelfare"

urlpatterns = [
    path("", report_views.home, name="home"),
    path("dashboard/<int:pk>/", report_views.home, name="dashboard"),
    path("accounts/", include("frontwelfare.accounts.urls")),
    path("units/", include("frontwelfare.areas.urls")),
    path("households/", include("households.urls")),
    path("housing/", include("housing.urls")),
    path("funds/", include("donations.urls")),
    path("public/", include("donations.public_urls")),
    path("support/", include("donations.support.urls")),
    path("models/", include("models_registry.urls")),
    path("reports/", include("frontwelfare.reports.urls")),
    path("exports/", include("frontwelfare.reports.export_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy refuses inline ones.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
         name="api-docs"),
    path("admin/", admin.site.urls),
    # Last: what is under /api/ and matched nothing above answers in JSON.
    re_path(r"^api/", api_not_found),
]

# Uploaded files (imports, case photos and documents) are never served from a public URL, not
# even in the quick start: each app serves its own through a view that checks the viewer's scope.

# Refused and failed requests keep the site's layout and the user's language (frontwelfare/errors.py).
handler400 = "frontwelfare.errors.bad_request"
handler403 = "frontwelfare.errors.permission_denied"
handler404 = "frontwelfare.errors.page_not_found"
handler500 = "frontwelfare.errors.server_error"

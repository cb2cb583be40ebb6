from django.urls import path

from . import pages

app_name = "reports"

urlpatterns = [
    path("", pages.ReportListView.as_view(), name="list"),
    path("new/", pages.ReportRequestView.as_view(), name="create"),
    path("<int:pk>/", pages.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/progress/", pages.report_progress, name="progress"),
    path("<int:pk>/retry/", pages.ReportRetryView.as_view(), name="retry"),
    path("<int:pk>/download/", pages.report_download, name="download"),
    path("document-settings/<int:pk>/", pages.DocumentSettingsView.as_view(), name="document-settings"),
]

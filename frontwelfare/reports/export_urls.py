from django.urls import path

from . import export_pages

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", export_pages.export_detail, name="detail"),
    path("<int:pk>/progress/", export_pages.export_progress, name="progress"),
    path("<int:pk>/retry/", export_pages.ExportRetryView.as_view(), name="retry"),
    path("<int:pk>/download/", export_pages.export_download, name="download"),
]

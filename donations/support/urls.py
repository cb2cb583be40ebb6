"""Pages of support to households and of the member organisations' work, under /support/. Each
group of pages appends its routes to its own list below."""

from django.urls import path

from .views import batches, imports, kinds, organisations, sheets  # noqa: F401

app_name = "support"

kind_patterns = []
batch_patterns = []
sheet_patterns = [
    path("batches/<int:pk>/sheet.xlsx", sheets.batch_sheet_xlsx, name="batch-sheet-xlsx"),
    path("batches/<int:pk>/sheet.pdf", sheets.batch_sheet_pdf, name="batch-sheet-pdf"),
]
import_patterns = [
    path("batches/<int:pk>/import/", imports.BatchImportCreateView.as_view(), name="batch-import-create"),
    path("batch-imports/template.xlsx", imports.batch_import_template, name="batch-import-template"),
    path("batch-imports/<int:pk>/", imports.BatchImportDetailView.as_view(), name="batch-import-detail"),
    path("batch-imports/<int:pk>/progress/", imports.batch_import_progress, name="batch-import-progress"),
]
organisation_patterns = [
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", organisations.OrganisationCreateView.as_view(), name="organisation-create"),
    path("organisations/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.OrganisationUpdateView.as_view(), name="organisation-update"),
    path("organisations/<int:pk>/history/", organisations.OrganisationHistoryView.as_view(),
         name="organisation-history"),
    path("organisations/<int:pk>/members/", organisations.MembershipRecordView.as_view(), name="membership-record"),
    path("activities/", organisations.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", organisations.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/", organisations.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", organisations.ActivityUpdateView.as_view(), name="activity-update"),
    path("activities/<int:pk>/history/", organisations.ActivityHistoryView.as_view(), name="activity-history"),
]

urlpatterns = [*kind_patterns, *batch_patterns, *sheet_patterns, *import_patterns, *organisation_patterns]

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
organisation_patterns = []

urlpatterns = [*kind_patterns, *batch_patterns, *sheet_patterns, *import_patterns, *organisation_patterns]

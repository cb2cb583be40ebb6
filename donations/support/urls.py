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
import_patterns = []
organisation_patterns = []

urlpatterns = [*kind_patterns, *batch_patterns, *sheet_patterns, *import_patterns, *organisation_patterns]

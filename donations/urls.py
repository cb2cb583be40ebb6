"""The donations app's pages. Each group of pages appends its routes to its own list below (funds
and entries, donors, campaigns and pledges, receipts, decisions, documents, the bank import)."""

from django.urls import path

from .views import statements

app_name = "donations"

fund_patterns = []
donor_patterns = []
campaign_patterns = []
receipt_patterns = []
decision_patterns = []
document_patterns = []
import_patterns = [
    path("<int:pk>/statement-import/", statements.StatementImportCreateView.as_view(), name="statement-import-create"),
    path("statement-imports/template.xlsx", statements.statement_import_template, name="statement-import-template"),
    path("statement-imports/<int:pk>/", statements.StatementImportDetailView.as_view(),
         name="statement-import-detail"),
    path("statement-imports/<int:pk>/progress/", statements.statement_import_progress,
         name="statement-import-progress"),
]

urlpatterns = [*fund_patterns, *donor_patterns, *campaign_patterns, *receipt_patterns, *decision_patterns,
               *document_patterns, *import_patterns]

"""The donations app's pages. Each group of pages appends its routes to its own list below (funds
and entries, donors, campaigns and pledges, receipts, decisions, documents, the bank import)."""

from django.urls import path

from .views import documents

app_name = "donations"

fund_patterns = []
donor_patterns = []
campaign_patterns = []
receipt_patterns = []
decision_patterns = []
document_patterns = [
    path("receipts/<int:pk>/pdf/", documents.receipt_pdf, name="receipt-pdf"),
]
import_patterns = []

urlpatterns = [*fund_patterns, *donor_patterns, *campaign_patterns, *receipt_patterns, *decision_patterns,
               *document_patterns, *import_patterns]

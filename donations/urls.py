"""The donations app's pages. Each group of pages appends its routes to its own list below (funds
and entries, donors, campaigns and pledges, receipts, decisions, documents, the bank import)."""

from django.urls import path  # noqa: F401 (used by the lists below as they are filled)

app_name = "donations"

fund_patterns = []
donor_patterns = []
campaign_patterns = []
receipt_patterns = []
decision_patterns = []
document_patterns = []
import_patterns = []

urlpatterns = [*fund_patterns, *donor_patterns, *campaign_patterns, *receipt_patterns, *decision_patterns,
               *document_patterns, *import_patterns]

"""The donations app's pages. Each group of pages appends its routes to its own list below (funds
and entries, donors, campaigns and pledges, receipts, decisions, documents, the bank import)."""

from django.urls import path

from .views import decisions, funds, receipts

app_name = "donations"

fund_patterns = [
    path("", funds.FundListView.as_view(), name="fund-list"),
    path("new/", funds.FundCreateView.as_view(), name="fund-create"),
    path("<int:pk>/", funds.FundDetailView.as_view(), name="fund-detail"),
    path("<int:pk>/transfer/", funds.TransferCreateView.as_view(), name="transfer-create"),
    path("postings/<int:pk>/reverse/", funds.PostingReverseView.as_view(), name="posting-reverse"),
]
donor_patterns = []
campaign_patterns = []
receipt_patterns = [
    path("receipts/", receipts.ReceiptListView.as_view(), name="receipt-list"),
    path("<int:pk>/receipts/new/", receipts.ReceiptCreateView.as_view(), name="receipt-create"),
    path("receipts/<int:pk>/", receipts.ReceiptDetailView.as_view(), name="receipt-detail"),
]
decision_patterns = [
    path("decisions/", decisions.DecisionListView.as_view(), name="decision-list"),
    path("<int:pk>/decisions/new/", decisions.DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision-detail"),
]
document_patterns = []
import_patterns = []

urlpatterns = [*fund_patterns, *donor_patterns, *campaign_patterns, *receipt_patterns, *decision_patterns,
               *document_patterns, *import_patterns]

"""The donations app's pages. Each group of pages appends its routes to its own list below (funds
and entries, donors, campaigns and pledges, receipts, decisions, documents, the bank import)."""

from django.urls import path

from .views import campaigns, decisions, documents, donors, funds, receipts, statements

app_name = "donations"

fund_patterns = [
    path("", funds.FundListView.as_view(), name="fund-list"),
    path("new/", funds.FundCreateView.as_view(), name="fund-create"),
    path("<int:pk>/", funds.FundDetailView.as_view(), name="fund-detail"),
    path("<int:pk>/transfer/", funds.TransferCreateView.as_view(), name="transfer-create"),
    path("postings/<int:pk>/reverse/", funds.PostingReverseView.as_view(), name="posting-reverse"),
]
donor_patterns = [
    path("donors/", donors.DonorListView.as_view(), name="donor-list"),
    path("donors/new/", donors.DonorCreateView.as_view(), name="donor-create"),
    path("donors/duplicates/", donors.DonorDuplicatesView.as_view(), name="donor-duplicates"),
    path("donors/<int:pk>/", donors.DonorDetailView.as_view(), name="donor-detail"),
    path("donors/<int:pk>/edit/", donors.DonorUpdateView.as_view(), name="donor-update"),
    path("donors/<int:pk>/history/", donors.DonorHistoryView.as_view(), name="donor-history"),
]
campaign_patterns = [
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", campaigns.CampaignCreateView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaigns.CampaignUpdateView.as_view(), name="campaign-update"),
    path("campaigns/<int:pk>/history/", campaigns.CampaignHistoryView.as_view(), name="campaign-history"),
    path("campaigns/<int:pk>/pledges/new/", campaigns.PledgeCreateView.as_view(), name="pledge-create"),
]
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
document_patterns = [
    path("receipts/<int:pk>/pdf/", documents.receipt_pdf, name="receipt-pdf"),
]
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

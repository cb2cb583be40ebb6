"""Pages of support to households and of the member organisations' work, under /support/. Each
group of pages appends its routes to its own list below."""

from django.urls import path

from .views import batches, imports, kinds, organisations, sheets

app_name = "support"

kind_patterns = [
    path("kinds/", kinds.KindListView.as_view(), name="kind-list"),
    path("kinds/new/", kinds.KindCreateView.as_view(), name="kind-create"),
]
batch_patterns = [
    path("batches/", batches.BatchListView.as_view(), name="batch-list"),
    path("batches/new/", batches.BatchCreateView.as_view(), name="batch-create"),
    path("batches/<int:pk>/", batches.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/choose/", batches.BatchChooseView.as_view(), name="batch-choose"),
    path("batches/<int:pk>/recipients/add/", batches.RecipientAddView.as_view(), name="recipient-add"),
    path("recipients/<int:pk>/remove/", batches.RecipientRemoveView.as_view(), name="recipient-remove"),
    path("recipients/<int:pk>/details/", batches.RecipientDetailsView.as_view(), name="recipient-details"),
    path("batches/<int:pk>/confirm/", batches.BatchConfirmView.as_view(), name="batch-confirm"),
    path("batches/<int:pk>/close/", batches.BatchCloseView.as_view(), name="batch-close"),
    path("batches/<int:pk>/deliveries/", batches.BatchDeliveriesView.as_view(), name="batch-deliveries"),
    path("recipients/<int:pk>/delivery/", batches.DeliveryRecordView.as_view(), name="delivery-record"),
    path("batches/<int:pk>/history/", batches.BatchHistoryView.as_view(), name="batch-history"),
]
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

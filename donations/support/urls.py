"""Pages of support to households and of the member organisations' work, under /support/. Each
group of pages appends its routes to its own list below."""

from django.urls import path

from .views import batches, imports, kinds, organisations, sheets  # noqa: F401

app_name = "support"

kind_patterns = [
    path("kinds/", kinds.KindListView.as_view(), name="kind-list"),
    path("kinds/new/", kinds.KindCreateView.as_view(), name="kind-create"),
]
batch_patterns = [
    path("", batches.BatchListView.as_view(), name="batch-list"),
    path("new/", batches.BatchCreateView.as_view(), name="batch-create"),
    path("<int:pk>/", batches.BatchDetailView.as_view(), name="batch-detail"),
    path("<int:pk>/choose/", batches.BatchChooseView.as_view(), name="batch-choose"),
    path("<int:pk>/recipients/add/", batches.RecipientAddView.as_view(), name="recipient-add"),
    path("recipients/<int:pk>/remove/", batches.RecipientRemoveView.as_view(), name="recipient-remove"),
    path("<int:pk>/confirm/", batches.BatchConfirmView.as_view(), name="batch-confirm"),
    path("<int:pk>/close/", batches.BatchCloseView.as_view(), name="batch-close"),
    path("<int:pk>/deliveries/", batches.BatchDeliveriesView.as_view(), name="batch-deliveries"),
    path("recipients/<int:pk>/delivery/", batches.DeliveryRecordView.as_view(), name="delivery-record"),
    path("<int:pk>/history/", batches.BatchHistoryView.as_view(), name="batch-history"),
]
sheet_patterns = []
import_patterns = []
organisation_patterns = []

urlpatterns = [*kind_patterns, *batch_patterns, *sheet_patterns, *import_patterns, *organisation_patterns]

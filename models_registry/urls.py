from django.urls import path

app_name = "models"

urlpatterns = []

# -- the commune's side: the list and board, registering on a phone, a model's page, its steps,
# files, replication (models_registry/views/registrations.py) ---------------------------------------
from .views import registrations  # noqa: E402

urlpatterns += [
    path("", registrations.ModelListView.as_view(), name="model-list"),
    path("board/", registrations.BoardView.as_view(), name="board"),
    path("new/", registrations.ModelCreateView.as_view(), name="model-create"),
    path("<int:pk>/", registrations.ModelDetailView.as_view(), name="model-detail"),
    path("<int:pk>/edit/", registrations.ModelUpdateView.as_view(), name="model-update"),
    path("<int:pk>/delete/", registrations.ModelDeleteView.as_view(), name="model-delete"),
    path("<int:pk>/history/", registrations.ModelHistoryView.as_view(), name="model-history"),
    path("<int:pk>/steps/<str:step>/", registrations.ModelStepView.as_view(), name="model-step"),
    path("<int:pk>/attachments/", registrations.AttachmentAddView.as_view(), name="attachment-add"),
    path("attachments/<int:pk>/", registrations.attachment_download, name="attachment-download"),
    path("<int:pk>/visits/", registrations.StudyVisitAddView.as_view(), name="visit-add"),
    path("<int:pk>/media/", registrations.MediaAddView.as_view(), name="media-add"),
]





# -- the level above: rounds, criteria, reopening, synthesis, inspection plan, inspections,
# meetings, notices, awards, support (models_registry/views/rounds.py and views/recognition.py) --------





# -- documents: the notice, the blank score sheet and the certificate as PDF (views/documents.py) -----

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

from .views import recognition, rounds  # noqa: E402

urlpatterns += [
    path("rounds/", rounds.RoundListView.as_view(), name="round-list"),
    path("rounds/new/", rounds.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/edit/", rounds.RoundUpdateView.as_view(), name="round-update"),
    path("rounds/<int:pk>/criteria/", rounds.RoundCriteriaView.as_view(), name="round-criteria"),
    path("rounds/<int:pk>/reopen/", rounds.RoundReopenView.as_view(), name="round-reopen"),
    path("rounds/<int:pk>/synthesis/", rounds.RoundSynthesisView.as_view(), name="round-synthesis"),
    path("rounds/<int:pk>/send/", rounds.RoundSendView.as_view(), name="round-send"),
    path("rounds/<int:pk>/plan/", rounds.RoundPlanView.as_view(), name="round-plan"),
    path("<int:pk>/inspection/", recognition.InspectionRecordView.as_view(), name="inspection-record"),
    path("<int:pk>/inspection/photos/", recognition.InspectionPhotoAddView.as_view(), name="inspection-photo-add"),
    path("rounds/<int:pk>/meetings/new/", recognition.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", recognition.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/decision/", recognition.MeetingDecideView.as_view(), name="meeting-decide"),
    path("meetings/<int:pk>/minutes/", recognition.MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/minutes/download/", recognition.meeting_minutes_download,
         name="meeting-minutes-download"),
    path("rounds/<int:pk>/notices/new/", recognition.NoticeCreateView.as_view(), name="notice-create"),
    path("notices/<int:pk>/", recognition.NoticeDetailView.as_view(), name="notice-detail"),
    path("<int:pk>/awards/new/", recognition.AwardCreateView.as_view(), name="award-create"),
    path("<int:pk>/support/new/", recognition.SupportCreateView.as_view(), name="support-create"),
]





# -- documents: the notice, the blank score sheet and the certificate as PDF (views/documents.py) -----

from .views import documents  # noqa: E402

urlpatterns += [
    path("notices/<int:pk>/pdf/", documents.notice_pdf, name="notice-pdf"),
    path("rounds/<int:pk>/score-sheet.pdf", documents.score_sheet_pdf, name="score-sheet-pdf"),
    path("awards/<int:pk>/certificate.pdf", documents.award_certificate_pdf, name="award-certificate-pdf"),
]

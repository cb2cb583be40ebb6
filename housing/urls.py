from django.urls import path

from .views import cases, programmes

app_name = "housing"

urlpatterns = [
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/new/", programmes.ProgrammeCreateView.as_view(), name="programme-create"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("programmes/<int:pk>/edit/", programmes.ProgrammeUpdateView.as_view(), name="programme-update"),
    path("programmes/<int:pk>/targets/", programmes.ProgrammeTargetsView.as_view(), name="programme-targets"),
    path("programmes/<int:pk>/history/", programmes.ProgrammeHistoryView.as_view(), name="programme-history"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/new/", cases.CaseCreateView.as_view(), name="case-create"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/edit/", cases.CaseUpdateView.as_view(), name="case-update"),
    path("cases/<int:pk>/steps/<str:step>/", cases.CaseStepView.as_view(), name="case-step"),
    path("cases/<int:pk>/attachments/", cases.AttachmentAddView.as_view(), name="attachment-add"),
    path("attachments/<int:pk>/", cases.attachment_download, name="attachment-download"),
]

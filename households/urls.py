from django.urls import path

from .views import pages, reform, transfer

app_name = "households"

urlpatterns = [
    path("", pages.HouseholdListView.as_view(), name="list"),
    path("new/", pages.HouseholdCreateView.as_view(), name="create"),
    path("new/member-row/", pages.member_form_row, name="member-row"),
    path("new/duplicates/", pages.DuplicateCheckView.as_view(), name="duplicates"),
    path("review/", pages.AnnualReviewView.as_view(), name="review"),
    path("split-communes/", reform.SplitCommuneListView.as_view(), name="split-communes"),
    path("split-communes/<int:pk>/", reform.SplitCommuneView.as_view(), name="split-commune"),
    path("export.xlsx", transfer.HouseholdExportXlsxView.as_view(), name="export-xlsx"),
    path("export.csv", transfer.HouseholdExportCsvView.as_view(), name="export-csv"),
    path("import/", transfer.ImportUploadView.as_view(), name="import"),
    path("import/template.xlsx", transfer.import_template, name="import-template"),
    path("import/<int:pk>/", transfer.ImportDetailView.as_view(), name="import-detail"),
    path("import/<int:pk>/progress/", transfer.import_progress, name="import-progress"),
    path("<int:pk>/", pages.HouseholdDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", pages.HouseholdUpdateView.as_view(), name="update"),
    path("<int:pk>/members/add/", pages.MemberAddView.as_view(), name="member-add"),
    path("<int:pk>/statuses/add/", pages.StatusAddView.as_view(), name="status-add"),
    path("<int:pk>/policies/", pages.PolicyTypesView.as_view(), name="policies"),
    path("<int:pk>/assessments/add/", pages.AssessmentAddView.as_view(), name="assessment-add"),
    path("members/<int:pk>/edit/", pages.MemberUpdateView.as_view(), name="member-update"),
    path("members/<int:pk>/remove/", pages.MemberRemoveView.as_view(), name="member-remove"),
    path("members/<int:pk>/make-head/", pages.MemberMakeHeadView.as_view(), name="member-make-head"),
    path("statuses/<int:pk>/remove/", pages.StatusRemoveView.as_view(), name="status-remove"),
    path("assessments/<int:pk>/confirm/", pages.AssessmentConfirmView.as_view(), name="assessment-confirm"),
]

# Placeholder while the pages are written (this file is being replaced).
from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


def member_form_row(request):
    raise Http404


HouseholdListView = HouseholdCreateView = DuplicateCheckView = AnnualReviewView = HouseholdDetailView = _Stub
HouseholdUpdateView = MemberAddView = StatusAddView = PolicyTypesView = AssessmentAddView = _Stub
MemberUpdateView = MemberRemoveView = MemberMakeHeadView = StatusRemoveView = AssessmentConfirmView = _Stub

# Placeholder: the import/export views are being written in this file.
from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


def import_template(request):
    raise Http404


HouseholdExportXlsxView = HouseholdExportCsvView = ImportUploadView = ImportDetailView = _Stub

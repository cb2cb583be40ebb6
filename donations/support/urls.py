"""Pages of support to households and of the member organisations' work, under /support/. Each
group of pages appends its routes to its own list below."""

from django.urls import path  # noqa: F401

from .views import batches, imports, kinds, organisations, sheets  # noqa: F401

app_name = "support"

kind_patterns = []
batch_patterns = []
sheet_patterns = []
import_patterns = []
organisation_patterns = []

urlpatterns = [*kind_patterns, *batch_patterns, *sheet_patterns, *import_patterns, *organisation_patterns]

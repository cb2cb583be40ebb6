"""Background work of the household registry."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .imports import household_import_expire

# An officer who uploads a file and never confirms or cancels it should not leave a spreadsheet
# of personal data on the server for long.
IMPORT_KEPT_FOR = timedelta(days=7)


@shared_task
def household_imports_expire_task() -> int:
    """Cancel the imports waiting for confirmation for more than a week, and delete their files."""
    return household_import_expire(uploaded_before=timezone.now() - IMPORT_KEPT_FOR)

"""What every file import keeps: who uploaded which file, where it stands, its progress, its
problems by row and column, and a preview of the rows as they will be saved.

A concrete import (households.HouseholdImport, donations.StatementImport) adds what it imports
into (a commune, a fund), its own counts, and its ``file`` field (each kind keeps its files in a
folder of its own), and a queryset with ``visible_to``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ImportStatus


class FileImport(models.Model):
    """An uploaded file, checked row by row before anything is saved. The file is kept until the
    officer confirms or cancels; confirming checks it again and saves all of it or none of it.
    Checking and saving run in a Celery task (status checking, saving) that updates ``progress``."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True,
                              help_text=_("One entry per problem: row, column and message."))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("confirmed by"),
        null=True, blank=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    preview = models.JSONField(
        _("preview"), default=list, blank=True,
        help_text=_("The first rows as they will be saved; emptied once the import is over."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.SAVING)

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """Where an uploaded file stands: a worker checks it (checking), then it waits for the officer
    (checked) or has errors (invalid); once confirmed a worker saves it (saving), all of it
    (imported) or, if it turns out wrong meanwhile, none of it (invalid)."""

    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    SAVING = "saving", _("Being imported")
    INVALID = "invalid", _("Has errors")
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING = (ImportStatus.CHECKING, ImportStatus.SAVING)

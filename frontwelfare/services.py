"""Write helpers shared by every app's services."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def validated_save(instance, *, actor, update_fields=None) -> None:
    """full_clean, then save, with ``actor`` as the author of the history row (imports, the API
    and tasks have no request for the history middleware to read). A constraint that another
    transaction broke in the meantime is reported like the same rule caught by full_clean."""
    instance.full_clean()
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError(_("The record conflicts with one saved at the same moment; reload and try again.")) \
            from exc


def require_known(fields: dict, allowed, caller: str) -> None:
    """Refuse fields a service does not set (a caller's mistake, not a user's: no translated
    message), the way Python refuses an unexpected keyword argument."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{caller} cannot set {sorted(unknown)}")

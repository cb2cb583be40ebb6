"""Write helpers shared by every app's services."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from .validation import full_clean

__all__ = ["bulk_delete_with_history", "conflicts_reported", "full_clean", "require_known", "validated_save"]


def validated_save(instance, *, actor, update_fields=None) -> None:
    """full_clean, then save, with ``actor`` as the author of the history row (imports, the API
    and tasks have no request for the history middleware to read). A constraint that another
    transaction broke in the meantime is reported like the same rule caught by full_clean."""
    full_clean(instance)
    instance._history_user = actor
    with conflicts_reported():
        instance.save(update_fields=update_fields)


@contextmanager
def conflicts_reported():
    """Writes in a savepoint, a constraint they break reported as a ValidationError: another
    transaction saved a clashing row after the checks read the table."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError(_("The record conflicts with one saved at the same moment; reload and try again.")) \
            from exc


def require_known(fields: dict, allowed, caller: str) -> None:
    """Refuse fields a service does not set (a caller's mistake, not a user's: no translated
    message), the way Python refuses an unexpected keyword argument."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{caller} cannot set {sorted(unknown)}")


def bulk_delete_with_history(objs: list[models.Model], model: type[models.Model], *, actor) -> None:
    """Delete ``objs`` with one query, and write their history rows ("deleted", by ``actor``) with
    another, as `bulk_create_with_history` does for inserts. QuerySet.delete() would read the rows
    again and write one history row per row through simple-history's post_delete signal.

    Only for a model that no other row points at: nothing is cascaded, no signal is sent.
    """
    if not objs:
        return
    if model._meta.related_objects:
        raise ValueError(f"{model.__name__} has rows pointing at it: delete them one by one")
    history = get_history_manager_for_model(model).model
    now = timezone.now()
    history.objects.bulk_create([
        history(history_date=now, history_user=actor, history_type="-",
                **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields})
        for obj in objs
    ])
    # _raw_delete: one DELETE, without the signals whose history row was written above.
    rows = model._base_manager.filter(pk__in=[obj.pk for obj in objs])
    rows._raw_delete(rows.db)

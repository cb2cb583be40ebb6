"""Reads about users: their change history, made readable."""

from frontwelfare.history import HistoryEntry, HistorySource, history_entries

from .models import User

# The fields whose changes are worth showing on a user's page, in reading order.
SHOWN_FIELDS = ("role", "unit", "is_active", "username", "first_name", "last_name", "email", "phone")


def user_history(*, user: User) -> list[HistoryEntry]:
    """Every recorded change to ``user``, newest first: who made it, when, and what changed.
    One query whatever the length (frontwelfare.history)."""
    return history_entries([HistorySource(user.history.all(), User, SHOWN_FIELDS, subject=lambda record: "")])

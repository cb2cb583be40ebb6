"""Database helpers where PostgreSQL does more than SQLite, each with its fallback."""

from django.db import connections
from django.db.models import F
from django.db.models.functions import Collate

# ICU's Vietnamese collation: "Â" after "Ă" after "A", "Đ" after "D", tones in their order.
VIETNAMESE_COLLATION = "vi-x-icu"


def vietnamese_order(field: str, *, using: str = "default"):
    """An ORDER BY expression that sorts ``field`` in Vietnamese alphabetical order on
    PostgreSQL, and in code-point order on SQLite (the quick start), which has no ICU."""
    if connections[using].vendor == "postgresql":
        return Collate(F(field), VIETNAMESE_COLLATION).asc()
    return F(field).asc()

"""Database helpers where PostgreSQL does more than SQLite, each with its fallback."""

import functools
import unicodedata

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import F, Field, ForeignKey, IntegerField, Lookup
from django.db.models.functions import Collate
from django.dispatch import receiver

# ICU's Vietnamese collation: "Â" after "Ă" after "A", "Đ" after "D", tones in their order.
VIETNAMESE_COLLATION = "vi-x-icu"
# The same order on SQLite (the quick start), which has no ICU: registered on every connection.
SQLITE_VIETNAMESE_COLLATION = "vi"

# Marks that make another letter (a < ă < â, e < ê, o < ô < ơ, u < ư) and the five tones, in
# ICU's Vietnamese order (grave, hook, tilde, acute, dot below), which only decide between
# names that are otherwise the same letters.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=4096)
def vietnamese_sort_key(text: str) -> tuple:
    """A key that orders ``text`` as ICU's Vietnamese collation does: letters first (with
    ă, â, đ, ê, ô, ơ, ư as letters of their own), then tones, then lower case before upper."""
    letters, tones, cases = [], [], []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        lower = base.lower()
        if lower == "đ":
            letters.append((ord("d"), 1))
        else:
            letters.append((ord(lower), sum(_LETTER_MARKS.get(mark, 0) for mark in marks)))
        tones.append(sum(_TONES.get(mark, 0) for mark in marks))
        cases.append(base != lower)
    return tuple(letters), tuple(tones), tuple(cases)


def _compare_vietnamese(left: str, right: str) -> int:
    left_key, right_key = vietnamese_sort_key(left), vietnamese_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_VIETNAMESE_COLLATION, _compare_vietnamese)


def vietnamese_order(field: str, *, using: str = "default"):
    """An ORDER BY expression that sorts ``field`` in Vietnamese alphabetical order: ICU's
    collation on PostgreSQL, the same order registered above on SQLite (the quick start)."""
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return Collate(F(field), VIETNAMESE_COLLATION).asc()
    if vendor == "sqlite":
        return Collate(F(field), SQLITE_VIETNAMESE_COLLATION).asc()
    return F(field).asc()


class AnyOf(Lookup):
    """``field__any_of=[...]``: ``field IN (SELECT unnest(%s))`` with the list as one array parameter
    on PostgreSQL, where ``__in`` writes one placeholder per value (a search that matched 5,000
    households would send, and make PostgreSQL parse, 5,000 of them in each of a page's queries);
    ``IN`` elsewhere. Registered on every field, foreign keys included."""

    lookup_name = "any_of"

    def get_prep_lookup(self):
        if _holds_integers(self.lhs.output_field):
            return [int(value) for value in self.rhs]
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            # A set to join, not an array to test each row against: PostgreSQL then looks the
            # values up by index, or hashes them, as their number and the table's size make best.
            array_type = self.lhs.output_field.cast_db_type(connection)
            return f"{lhs} IN (SELECT unnest(%s::{array_type}[]))", [*lhs_params, _array_literal(self, values)]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def _holds_integers(field) -> bool:
    """An integer field, or a foreign key to one (ids)."""
    if isinstance(field, ForeignKey):
        field = field.target_field
    return isinstance(field, IntegerField)


def _array_literal(lookup: AnyOf, values: list):
    """``values`` as PostgreSQL's array literal ("{1,2,3}") when they are integers (made so by
    get_prep_lookup), else as the list for psycopg to adapt. psycopg adapts a list of 5,000
    numbers one by one, each through a regular expression: 12 ms of a search's page."""
    if _holds_integers(lookup.lhs.output_field):
        return "{" + ",".join(map(str, values)) + "}"
    return values


Field.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)

"""Vietnamese text helpers shared by search, deduplication and sorting."""

import unicodedata


def fold_diacritics(text: str) -> str:
    """Lower-case ``text`` without its diacritics, so "Nguyễn Văn Đức" matches "nguyen van duc".

    NFD splits a letter from its tone and vowel marks; "đ" is a letter of its own, not a
    marked "d", so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())

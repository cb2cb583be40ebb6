"""Vietnamese text helpers shared by search, deduplication, sorting and printed documents."""

import unicodedata


def fold_diacritics(text: str) -> str:
    """Lower-case ``text`` without its diacritics, so "Nguyễn Văn Đức" matches "nguyen van duc".

    NFD splits a letter from its tone and vowel marks; "đ" is a letter of its own, not a
    marked "d", so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


# -- amounts in words, as official documents write them ------------------------------------------

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Each group of three digits below a billion, from the right; a billion (tỷ) is read as a number
# of its own before "tỷ", so that 1.500 billion is "một nghìn năm trăm tỷ".
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def amount_in_words(amount: int) -> str:
    """``amount`` đồng in words, as receipts and decisions print it: 30000000 → "Ba mươi triệu
    đồng", 1005 → "Một nghìn không trăm linh năm đồng".

    The formal conventions of official documents: "linh" for a zero tens digit, "mốt" for 1 and
    "lăm" for 5 after a tens digit of 2 or more ("mười lăm" after 1), "bốn" (never "tư"),
    "không trăm" for a zero hundreds digit inside a number, empty groups of three not read
    (2.000.500 is "hai triệu năm trăm"), and "nghìn tỷ", "triệu tỷ" above a billion."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"An amount in words is a whole number of đồng, at least 0 (got {amount!r}).")
    words = _number_in_words(amount) if amount else DIGITS[0]
    return f"{words[0].upper()}{words[1:]} đồng"


def _number_in_words(number: int, *, inside: bool = False) -> str:
    """``number`` (> 0) in words; ``inside`` a larger number, its first group is read in full
    ("không trăm linh năm", not "năm")."""
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        words = f"{_number_in_words(billions, inside=inside)} tỷ"
        return f"{words} {_number_in_words(rest, inside=True)}" if rest else words
    groups = []
    position = 0
    while number:
        number, group = divmod(number, 1000)
        groups.append((group, position))
        position += 1
    words = []
    for group, position in reversed(groups):
        if group:
            read = _group_in_words(group, full=inside or bool(words))
            words.append(f"{read} {GROUP_NAMES[position]}".rstrip())
    return " ".join(words)


def _group_in_words(group: int, *, full: bool) -> str:
    """Three digits (1 to 999) in words; ``full``: the hundreds are read even when zero."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, DIGITS[units]))
    return " ".join(words)

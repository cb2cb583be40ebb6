"""The elements every formal document of a Front committee shares (the layout of Decree
30/2020/NĐ-CP as the Front uses it), whoever prints it: a report (PDF and DOCX), the typical models'
recognition notice and score sheet, a fund's receipt.

- the heading (``Masthead``): the issuing committee top left with the number and symbol under it
  ("Số: 12/BC-MTTQ"), the organisation top right with the place and date line under it;
- the closing (``Closing``): "Nơi nhận:" with the recipients at the bottom left, and the signature
  block at the right: "TM. BAN THƯỜNG TRỰC", the signer's title in capitals, room to sign, the name.

Their wording is fixed Vietnamese whatever language the reader uses: not translated. What is left
empty (no number yet, no signer saved) prints as a blank to fill in by hand, never as an error.
"""

import datetime
from dataclasses import dataclass

ISSUER = "ỦY BAN MTTQ VIỆT NAM"
ORGANISATION = "MẶT TRẬN TỔ QUỐC VIỆT NAM"
STANDING_COMMITTEE = "BAN THƯỜNG TRỰC"
# The whole country's documents are the Central Committee's.
CENTRAL_ISSUER_LINES = ("ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM", STANDING_COMMITTEE)
ON_BEHALF = "TM. BAN THƯỜNG TRỰC"
RECIPIENTS_TITLE = "Nơi nhận:"
# The copy kept by the committee's office (văn thư), always the last recipient.
FILED = "Lưu: VT."
REPORT_SYMBOL = "BC-MTTQ"
# Room for the clerk to write the number by hand when the document is numbered on signing.
BLANK_NUMBER = "\u00a0" * 6
# Where no signer's title or name is saved: a line to write it on.
BLANK_LINE = "……………………"


@dataclass(frozen=True)
class Masthead:
    """The heading of a document: the committee's lines top left (with the number under them, if
    any), the organisation top right with the place and date under it (empty: none printed)."""

    issuer_lines: tuple[str, ...]
    reference: str
    organisation: str
    place_and_date: str


@dataclass(frozen=True)
class Closing:
    """The foot of a document: "Nơi nhận:" with its lines (each starting "- "), beside the signature."""

    recipients_title: str
    recipients: tuple[str, ...]
    on_behalf: str
    signer_title: str
    signer: str


def issuer_lines(unit_name: str) -> tuple[str, ...]:
    """"ỦY BAN MTTQ VIỆT NAM" / "HUYỆN MỎ CÀY BẮC" / "BAN THƯỜNG TRỰC": the committee that issues."""
    return (ISSUER, unit_name.upper(), STANDING_COMMITTEE)


def masthead(unit_name: str, *, reference: str = "", place: str = "", day: datetime.date | None = None) -> Masthead:
    return Masthead(issuer_lines=issuer_lines(unit_name), reference=reference, organisation=ORGANISATION,
                    place_and_date=date_line(place, day) if day is not None else "")


def reference_line(number: int | None, symbol: str) -> str:
    """"Số: 12/BC-MTTQ"; with no number yet, "Số:      /BC-MTTQ", room to write it in."""
    return f"Số: {number if number else BLANK_NUMBER}/{symbol}"


def date_line(place: str, day: datetime.date) -> str:
    """"Mỏ Cày Bắc, ngày 30 tháng 6 năm 2025". The decree writes a day below 10, and the months
    January and February, with a leading zero ("ngày 05 tháng 02"), so they cannot be altered by
    hand into another date."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    words = f"ngày {day_text} tháng {month_text} năm {day.year}"
    return f"{place}, {words}" if place else words


def recipient_lines(lines) -> tuple[str, ...]:
    """The recipients as printed: one a line, each starting "- ", and "- Lưu: VT." last unless the
    lines say where the copy is kept already."""
    cleaned = [line.strip().lstrip("-\u2013 ").strip() for line in lines]
    cleaned = [line for line in cleaned if line]
    if not any(line.casefold().startswith("lưu") for line in cleaned):
        cleaned.append(FILED)
    return tuple(f"- {line}" for line in cleaned)


def closing(*, recipients, signer_title: str, signer: str) -> Closing:
    """The foot of a document. A title or name not given prints blank, to be written by hand."""
    return Closing(recipients_title=RECIPIENTS_TITLE, recipients=recipient_lines(recipients), on_behalf=ON_BEHALF,
                   signer_title=signer_title.strip().upper() or BLANK_LINE, signer=signer.strip() or BLANK_LINE)

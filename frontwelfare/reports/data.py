"""What a report holds, whatever its format: the writers (reports.writers) lay it out as an
Excel workbook or a formal PDF or Word document; reports.figures fills it."""

import datetime
from dataclasses import dataclass, field

COUNT, MONEY, PERCENT, TEXT = "count", "money", "percent", "text"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT  # COUNT, MONEY (whole dong), PERCENT (0-100, may be None) or TEXT
    group: str = ""  # a heading over several columns ("New houses"), empty for none


@dataclass
class Section:
    """One table: a sheet of the workbook, a table of the PDF. Every row starts with the unit's
    name (a TEXT column); ``total`` is the totals row, with the same columns. A section with no
    columns is a heading (a year-end report's part: "I. HỘ NGHÈO, CẬN NGHÈO")."""

    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    note: str = ""
    intro: str = ""  # a paragraph before the table (a year-end report's comparison in words)


@dataclass
class ReportData:
    title: str  # "BÁO CÁO TỔNG HỢP CÔNG TÁC AN SINH XÃ HỘI"
    subtitle: str  # the unit and the period: "Huyện Mỏ Cày Bắc, quý II năm 2025"
    issuer: str  # top left: "ỦY BAN MTTQ VIỆT NAM HUYỆN MỎ CÀY BẮC"
    place: str  # of the date line: "Mỏ Cày Bắc"
    made_on: datetime.date
    sections: list[Section]
    signer: str = ""  # over the signature: "TM. BAN THƯỜNG TRỰC"
    # The formal document's elements (reports.documents), from the unit's document settings; what is
    # empty prints blank, to be filled in by hand.
    issuer_lines: tuple[str, ...] = ()  # the masthead's: "ỦY BAN MTTQ VIỆT NAM", "HUYỆN MỎ CÀY BẮC", ...
    number: int | None = None  # "Số: 12/BC-MTTQ"; None: "Số:      /BC-MTTQ"
    symbol: str = "BC-MTTQ"
    recipients: tuple[str, ...] = ()  # "Nơi nhận", one a line as saved ("Lưu: VT." is added when printed)
    signer_title: str = ""  # "Phó Chủ tịch" (printed in capitals)
    signer_name: str = ""

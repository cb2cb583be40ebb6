"""The report's file formats: ``xlsx.write(data)``, ``pdf.write(data)`` and ``docx.write(data)`` turn
a ReportData into bytes. What they need to agree on (how grouped columns are headed, the formal
document's heading and closing, when a page is turned to landscape) lives here."""

from dataclasses import dataclass, replace
from itertools import groupby

from frontwelfare.templatetags.frontwelfare import number

from .. import documents
from ..data import MONEY, PERCENT, TEXT, Column, ReportData

# More columns than this and the page is turned to landscape.
PORTRAIT_COLUMNS = 7
# Amounts are printed bare in the documents; their heading says the unit.
MONEY_UNIT = "(đồng)"


def is_landscape(data: ReportData) -> bool:
    return max((len(section.columns) for section in data.sections), default=0) > PORTRAIT_COLUMNS


def report_masthead(data: ReportData) -> documents.Masthead:
    """The report's heading: its committee with "Số: …/BC-MTTQ" under it, the place and date line."""
    return documents.Masthead(issuer_lines=data.issuer_lines or (data.issuer,),
                              reference=documents.reference_line(data.number, data.symbol),
                              organisation=documents.ORGANISATION,
                              place_and_date=documents.date_line(data.place, data.made_on))


def report_closing(data: ReportData) -> documents.Closing:
    """"Nơi nhận" and the signature block, from the unit's document settings (blanks without them)."""
    closing = documents.closing(recipients=data.recipients, signer_title=data.signer_title, signer=data.signer_name)
    return replace(closing, on_behalf=data.signer) if data.signer else closing


@dataclass(frozen=True)
class HeaderCell:
    """One cell of a table's heading: ``column`` is the index of the first column it heads."""

    label: str
    column: int
    colspan: int = 1
    rowspan: int = 1


def header_rows(columns: list[Column]) -> list[list[HeaderCell]]:
    """The heading rows over ``columns``: one row of labels when no column has a group; otherwise
    a row of group headings (over the run of neighbouring columns that share the group) above a
    row of their labels, the ungrouped columns' labels spanning both rows."""
    if not any(column.group for column in columns):
        return [[HeaderCell(column.label, index) for index, column in enumerate(columns)]]
    top, bottom = [], []
    index = 0
    for group, run in groupby(columns, key=lambda column: column.group):
        run = list(run)
        if group:
            top.append(HeaderCell(group, index, colspan=len(run)))
            bottom.extend(HeaderCell(column.label, index + offset) for offset, column in enumerate(run))
        else:
            top.extend(HeaderCell(column.label, index + offset, rowspan=2) for offset, column in enumerate(run))
        index += len(run)
    return [top, bottom]


@dataclass(frozen=True)
class Cell:
    """A figure as a document prints it, and whether it is a number (right-aligned)."""

    text: str
    numeric: bool


def money_headed(columns: list[Column]) -> list[Column]:
    """Amounts are printed bare ("30.000.000") to keep the columns narrow, so their heading says
    they are in dong: the group's heading when the whole group is money, else each column's."""
    groups = {column.group for column in columns if column.group}
    money_groups = {group for group in groups if all(column.kind == MONEY for column in columns
                                                      if column.group == group)}
    headed = []
    for column in columns:
        if column.group in money_groups:
            column = replace(column, group=_with_unit(column.group))
        elif column.kind == MONEY:
            column = replace(column, label=_with_unit(column.label))
        headed.append(column)
    return headed


def _with_unit(label: str) -> str:
    return label if "đồng" in label.lower() or "₫" in label else f"{label} {MONEY_UNIT}"


def cells(columns: list[Column], values: list) -> list[Cell]:
    return [Cell(figure(column.kind, values[index] if index < len(values) else None), column.kind != TEXT)
            for index, column in enumerate(columns)]


def figure(kind: str, value) -> str:
    """A figure as Vietnamese documents print it: 30.000.000, 12%, 33,3%."""
    if value is None or value == "":
        return ""
    if kind == TEXT or isinstance(value, str):
        return str(value)
    if kind == PERCENT:
        rounded = round(float(value), 1)
        return f"{rounded:.0f}%" if rounded.is_integer() else f"{rounded:.1f}%".replace(".", ",")
    return number(round(value))

"""The report's file formats: ``xlsx.write(data)`` and ``pdf.write(data)`` turn a ReportData into
bytes. What both need to agree on (how grouped columns are headed) lives here."""

from dataclasses import dataclass
from itertools import groupby

from ..data import Column


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

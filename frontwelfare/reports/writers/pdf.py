"""The report as a formal printed document of a Front committee (the layout of Decree 30/2020/NĐ-CP
as the Front's committees use it, reports.documents): the issuing committee top left with the
number under it, the organisation's heading top right with the place and date under it, the title,
the tables, "Nơi nhận" and the signature block.

WeasyPrint lays it out with Debian's Pango and the DejaVu fonts, which have every Vietnamese
letter; it is given no way to fetch anything from the network."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..data import Column, ReportData, Section
from . import (
    PORTRAIT_COLUMNS,
    Cell,
    HeaderCell,
    cells,
    header_rows,
    is_landscape,
    money_headed,
    report_closing,
    report_masthead,
)

# Importing WeasyPrint tells Pillow, for the whole process, to accept cut-off images; the house
# photos' check (housing.attachments) must still refuse them, and our reports hold no images.
ImageFile.LOAD_TRUNCATED_IMAGES = False

TEMPLATE = "reports/report.pdf.html"
# The wording of a formal document is fixed in Vietnamese whatever language the person who asked
# for it reads, so these are not translated.
# The width the tables have (A4 less the margins of the template), in points, and the type size
# they are printed in: smaller for more columns, and smaller still when the figures would not
# fit across the page otherwise, but never below the smallest size.
TABLE_WIDTH = {"portrait": 165 / 25.4 * 72, "landscape": 262 / 25.4 * 72}
TYPE_SIZES = ((PORTRAIT_COLUMNS, 9.0), (11, 8.0), (None, 7.0))
SMALLEST_TYPE = 5.0
# DejaVu Sans Bold's digits (of the totals) are 0.7 em wide, its letters about as much on average;
# a cell's padding and borders take 0.7 em (see the template).
CHARACTER_WIDTH, CELL_EDGES = 0.7, 0.7
# A heading is wanted on one line up to this many characters; longer ones wrap.
HEADING_CHARACTERS = 14
# A section shorter than this is kept whole on one page, rather than start with its title and a
# row or two at the foot of a page; a longer one runs on from where it starts.
ROWS_ON_A_PAGE = 20


@dataclass(frozen=True)
class SectionLayout:
    title: str
    heading: list[list[HeaderCell]]
    rows: list[list[Cell]]
    total: list[Cell] | None
    note: str
    intro: str
    type_size: str  # "8.0pt": a string, as the template would print the float 8.0 as "8,0" in Vietnamese
    squeezed: bool  # too many columns even at the smallest type: figures may wrap
    widths: list[str]  # each column's share of the table, "12.5%" (the table's layout is fixed)

    @property
    def fits_on_a_page(self) -> bool:
        return len(self.rows) < ROWS_ON_A_PAGE


def write(data: ReportData) -> bytes:
    return render(data).write_pdf()


def render(data: ReportData):
    """The laid-out document (``weasyprint.Document``): its pages, ready to write as PDF."""
    html = render_to_string(TEMPLATE, context(data))
    return HTML(string=html, url_fetcher=url_fetcher()).render()


def url_fetcher() -> URLFetcher:
    """Only data: URLs (the template uses none): making a report must not reach the network, nor
    read local files whatever a unit's name might contain."""
    return URLFetcher(allowed_protocols={"data"})


def context(data: ReportData) -> dict:
    orientation = "landscape" if is_landscape(data) else "portrait"
    return {
        "data": data,
        "masthead": report_masthead(data),
        "closing": report_closing(data),
        "landscape": orientation == "landscape",
        "sections": [_layout(section, TABLE_WIDTH[orientation]) for section in data.sections],
    }


def _layout(section: Section, width: float) -> SectionLayout:
    columns = money_headed(section.columns)
    rows = [cells(section.columns, row) for row in section.rows]
    total = cells(section.columns, section.total) if section.total is not None else None
    size = _fitting_type_size(columns, [*rows, *([total] if total else [])], width)
    shown_size = max(size, SMALLEST_TYPE)
    return SectionLayout(
        title=section.title,
        heading=header_rows(columns) if columns else [],
        rows=rows,
        total=total,
        note=section.note,
        intro=section.intro,
        type_size=f"{shown_size:.1f}pt",
        squeezed=size < SMALLEST_TYPE,
        widths=[f"{share:.2f}%" for share in _column_shares(columns, [*rows, *([total] if total else [])],
                                                           width / shown_size)],
    )


def _column_shares(columns: list[Column], rows: list[list[Cell]], room: float) -> list[float]:
    """Each column's share of the table's width (percent), for a fixed layout: WeasyPrint lays out a
    table of fixed widths in one pass rather than measuring every cell twice, a good part of the time a
    province's year-end report takes to print. A column gets what its longest figure or word needs;
    of what is left of the ``room`` (in em), the names (units, programmes) get first what puts them on
    one line, then the headings; the rest is shared in proportion."""
    needed, names, headings = [], [], []
    for index, column in enumerate(columns):
        texts = [row[index].text for row in rows]
        numeric = any(row[index].numeric for row in rows)
        least = max([len(word) for text in [column.label, *texts] for word in text.split()] or [0])
        if numeric:
            least = max([least, *(len(text) for text in texts)])
        needed.append(_em(least))
        names.append(0.0 if numeric else _em(max([len(text) for text in texts] or [0])))
        headings.append(_em(min(len(column.label), HEADING_CHARACTERS)))
    shares, spare = needed, room - sum(needed)
    for wanted in (names, headings):
        gaps = [max(want - share, 0.0) for want, share in zip(wanted, shares, strict=True)]
        if spare <= 0 or not sum(gaps):
            continue
        given = min(spare, sum(gaps))
        shares = [share + given * gap / sum(gaps) for share, gap in zip(shares, gaps, strict=True)]
        spare -= given
    total = sum(shares) or 1.0
    return [100 * share / total for share in shares]


def _em(characters: int) -> float:
    return characters * CHARACTER_WIDTH + CELL_EDGES


def _fitting_type_size(columns: list[Column], rows: list[list[Cell]], width: float) -> float:
    """The type size at which the table fits ``width`` points: WeasyPrint would let a table
    wider than the page run off its edge. A column is at least as wide as its longest figure
    (figures do not wrap) or its longest word (names and headings wrap between words)."""
    size = next(size for most, size in TYPE_SIZES if most is None or len(columns) <= most)
    narrowest = 0.0  # in em
    for index, column in enumerate(columns):
        longest = max((len(word) for word in column.label.split()), default=0)
        for row in rows:
            cell = row[index]
            longest = max(longest, len(cell.text) if cell.numeric else max(map(len, cell.text.split()), default=0))
        narrowest += longest * CHARACTER_WIDTH + CELL_EDGES
    return min(size, width / narrowest) if narrowest else size



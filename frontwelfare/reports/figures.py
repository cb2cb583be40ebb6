"""A report's figures: the sections of its kind (frontwelfare.reports.registry), which the domain
apps declare and compute, one grouped query per table, by the units one level below the report's
unit (reports.breakdown), laid out as a report (reports.data) for the writers; and the report's data
version, which says whether the same report asked for again may be served from the file made before.

Nothing here knows a kind, a section or an option by name: a new kind of report is registered by
the app that owns its records, with no change to this module.
"""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.text import fold_diacritics

from . import documents, registry
from .comparison import compared
from .data import ReportData, Section
from .periods import Period, previous
from .registry import ReportContext, ReportKindSpec


def kind_spec(kind: str) -> ReportKindSpec:
    spec = registry.kind(kind)
    if spec is None:
        raise ValidationError(_("Choose a kind of report and a format."))
    return spec


def report_context(*, unit: AdministrativeUnit | None, period: Period, options: dict[str, Any] | None = None) \
        -> ReportContext:
    """The context the sections (and the dashboard's panels) are computed in; no unit: the whole country."""
    return ReportContext(unit=unit, period=period, options=dict(options or {}))


def stored_options(spec: ReportKindSpec, stored: dict[str, int]) -> dict[str, Any]:
    """The objects of a report's stored options ({"programme": 12} -> {"programme": <Programme>}),
    as the worker reads them: the request checked them against the asker's scope already."""
    loaded = {}
    for name in spec.options:
        if stored.get(name) is None:
            continue
        found = registry.option(name).choices(None).filter(pk=stored[name]).first()
        if found is None:
            raise ValidationError({name: _("Choose one of the choices offered.")})
        loaded[name] = found
    return loaded


def report_data(report, *, progress: Callable[[int], None] = lambda percent: None) -> ReportData:
    """The report's sections, computed one after the other, with its progress after each."""
    spec = kind_spec(report.kind)
    options = stored_options(spec, report.options or {})
    unit, period = report.unit, report.period
    context = report_context(unit=unit, period=period, options=options)
    sections = report_sections(spec, context, progress=progress)
    return ReportData(
        title=title_of(spec, options).upper(), subtitle=f"{unit_label(unit)}, {period.label}",
        issuer=issuer_of(unit).upper(), place=place_name(unit) if unit is not None else CENTRAL_PLACE,
        made_on=timezone.localdate(), sections=sections, signer=documents.ON_BEHALF,
        **document_fields(unit, number=getattr(report, "number", None)),
    )


def report_sections(spec: ReportKindSpec, context: ReportContext, *, progress: Callable[[int], None]) -> list:
    """The tables of ``spec``'s sections in order, with its parts' headings; for a year-end report
    each table after its comparison with the previous period (computed by the same sections)."""
    earlier = _earlier_context(context) if spec.compare_previous else None
    headings = dict(spec.part_headings)
    sections, parts = [], 0
    chosen = registry.sections_of(spec)
    for done, section in enumerate(chosen, start=1):
        if section.name in headings:
            parts += 1
            sections.append(part_heading(parts, headings[section.name]))
        tables = section.build(context)
        if earlier is not None:
            tables = compared(tables, section.build(earlier), period=context.period, before=earlier.period)
        sections.extend(tables)
        progress(round(10 + 80 * done / len(chosen)))
    return sections


def _earlier_context(context: ReportContext) -> ReportContext:
    """The context of the period a year-end report compares with: the same unit, options and rows."""
    earlier = report_context(unit=context.unit, period=previous(context.period), options=context.options)
    earlier.__dict__["breakdown"] = context.breakdown  # the same rows, read once (a cached_property)
    return earlier


ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def part_heading(position: int, heading) -> Section:
    """A part of a year-end report, as the Front numbers them: "I. HỘ NGHÈO, CẬN NGHÈO"."""
    numeral = ROMAN_NUMERALS[position - 1] if position <= len(ROMAN_NUMERALS) else str(position)
    return Section(title=f"{numeral}. {str(heading).upper()}", columns=[])


def document_fields(unit: AdministrativeUnit | None, *, number: int | None) -> dict[str, Any]:
    """The formal document's elements of ReportData: the committee's lines, the number and the
    symbol, the recipients and the signer, from the unit's document settings (blanks without them;
    the whole country's report is the Central Committee's, with no settings of its own). One query."""
    from .models import DocumentSettings  # the models read this module's unit names

    settings = DocumentSettings.objects.filter(unit=unit).first() if unit is not None else None
    return {
        "issuer_lines": documents.issuer_lines(unit.name) if unit is not None else documents.CENTRAL_ISSUER_LINES,
        "number": number,
        "symbol": settings.symbol if settings is not None else documents.REPORT_SYMBOL,
        "recipients": tuple(settings.recipient_lines()) if settings is not None else (),
        "signer_title": settings.signer_title if settings is not None else "",
        "signer_name": settings.signer if settings is not None else "",
    }


# What names the whole country's reports (whose unit is empty): in titles, lists and the form.
WHOLE_COUNTRY = gettext_lazy("The whole country")


def unit_label(unit: AdministrativeUnit | None) -> str:
    """The unit's name, or "Toàn quốc" for the whole country."""
    return unit.name if unit is not None else str(WHOLE_COUNTRY)


def unit_file_word(unit: AdministrativeUnit | None) -> str:
    """The unit in a file's name, ASCII: "huyen-mo-cay-bac"; "toan-quoc" for the whole country
    (Vietnamese whatever the reader's language, like the rest of the name)."""
    return slugify(fold_diacritics(unit.name)) if unit is not None else "toan-quoc"


# The whole country's report is the Central Committee's, which sits in Hanoi: its date line reads
# "Hà Nội, ngày ..." (a place name, the same in every language).
CENTRAL_PLACE = "Hà Nội"


def issuer_of(unit: AdministrativeUnit | None) -> str:
    """The committee that issues the report: the unit's ("Ủy ban Mặt trận Tổ quốc Việt Nam Huyện Mỏ
    Cày Bắc"), or for the whole country the Central Committee."""
    if unit is None:
        return _("Central Committee of the Vietnam Fatherland Front")
    return _("Committee of the Vietnam Fatherland Front") + " " + unit.name


def title_of(spec: ReportKindSpec, options: dict[str, Any]) -> str:
    """The kind's title, followed by the options chosen: "Housing programme progress report: <name>"."""
    chosen = [registry.option(name).describe(options[name]) for name in spec.options if name in options]
    return ": ".join([str(spec.title), *chosen])


def data_version(*, kind: str, unit: AdministrativeUnit | None, period: Period,
                 options: dict[str, Any] | None = None) -> str:
    """A fingerprint of everything the report counts within ``unit`` (everywhere, if None): each
    section's parts (the latest change of each kind of record it counts), a version function shared
    by several sections computed once. The same report asked for again while it is unchanged is
    served from the file already made."""
    spec = kind_spec(kind)
    context = report_context(unit=unit, period=period, options=options)
    versions = registry.unique(section.data_version for section in registry.sections_of(spec))
    return "-".join(str(part or 0) for version in versions for part in version(context))


TYPE_WORDS = re.compile(r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+", re.IGNORECASE)


def place_name(unit: AdministrativeUnit) -> str:
    """The unit's name without its type, for the date line: "Huyện Mỏ Cày Bắc" → "Mỏ Cày Bắc"."""
    return TYPE_WORDS.sub("", unit.name)


def describe_options(reports) -> list:
    """Each report with what its options say, for the pages: ``chosen_options`` (the chosen ones'
    names, after the kind's), ``option_facts`` ([(label, text)] for every option of its kind, the
    empty choice's words where none was chosen) and ``option_words`` (for the file's name). One
    query per option name, whatever the number of reports."""
    reports = list(reports)
    wanted: dict[str, set[int]] = {}
    for report in reports:
        for name, value in (report.options or {}).items():
            wanted.setdefault(name, set()).add(value)
    found = {name: registry.option(name).choices(None).in_bulk(ids) for name, ids in wanted.items()
             if registry.option(name) is not None}
    for report in reports:
        spec = registry.kind(report.kind)
        report.chosen_options, report.option_facts, report.option_words = [], [], []
        for name in spec.options if spec is not None else ():
            option = registry.option(name)
            chosen = found.get(name, {}).get((report.options or {}).get(name))
            if chosen is None:
                report.option_facts.append((option.label, option.empty_label))
                continue
            report.chosen_options.append(option.describe(chosen))
            report.option_facts.append((option.label, (option.detail or option.describe)(chosen)))
            report.option_words.append(option.file_word(chosen))
    return reports

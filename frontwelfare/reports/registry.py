"""What the domain apps plug into the report pipeline: report sections, report options, report
kinds and dashboard panels. frontwelfare.reports imports no domain app; each app declares its own
in ``<app>/report_sections.py`` and registers them in its AppConfig.ready(), the way the household
timeline's sources are registered (households.timeline):

    from frontwelfare.reports.registry import ReportKindSpec, ReportSection, register_kind, register_section

    def policy_families(context): ...          # -> list[Section], one grouped query per table
    def registry_version(context): ...         # -> list of parts: what changed last, within the unit

    register_section(ReportSection("households.policies", policy_families, registry_version))
    register_kind(ReportKindSpec("social_security", _("Social-security summary"), _("... report"),
                                 sections=("households.categories", "households.policies"), file_word="an-sinh"))

A kind is a named list of sections (of any app: a kind may list another app's sections); a new
kind needs no change in frontwelfare.reports. The pipeline (figures.report_data) makes the
context once — unit, period, the breakdown by unit, the options the report was asked with — and
hands it to each section in turn, reporting progress after each.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.expressions import Expression
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from frontwelfare.accounts.scope import counted_in_q
from frontwelfare.areas.models import AdministrativeUnit

from .breakdown import Breakdown, breakdown_of
from .data import Section
from .periods import Period


@dataclass
class ReportContext:
    """What a section is computed for: the unit (None for the whole country, which only the kinds
    made for it are asked for: ReportKindSpec.whole_country), the period, the rows (``breakdown``:
    the units one level below, the provinces for the whole country; read when first asked for) and
    the options' objects ({"programme": <Programme>}; absent when not chosen).

    ``shared`` lets the sections of one report share what they computed (housing's stages and
    money tables come from the same grouped query): `shared_value` computes a value once per report.
    """

    unit: AdministrativeUnit | None  # None: the whole country, one row per province
    period: Period
    options: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def breakdown(self) -> Breakdown:
        return breakdown_of(self.unit)

    def within(self, commune_path: str, household_path: str | None = None) -> Q:
        """The records whose commune (reached by ``commune_path``) lies within the report's unit
        (every record, for the whole country), through the 2025 mapping for a current-era unit
        (`counted_in_q`): give ``household_path`` ("" for a household itself) where the records have a
        household, so that those of a split former commune count where the province assigned them."""
        return counted_in_q(self.unit, commune_path, household_path)

    def key(self, commune_path: str, household_path: str | None = None) -> Expression:
        """What groups such records by the report's rows: ``.values(row=context.key(...))``."""
        return self.breakdown.key(commune_path, household_path)

    def shared_value(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self.shared:
            self.shared[name] = compute()
        return self.shared[name]


@dataclass(frozen=True)
class ReportSection:
    """One or more tables of a report. ``build`` returns them (reports.data.Section);
    ``data_version`` returns the parts of a fingerprint of what they count within the unit (the
    latest change of each kind of record): a report whose sections' parts are unchanged is served
    from the file made before. Sections sharing one ``data_version`` function have it computed once."""

    name: str
    build: Callable[[ReportContext], list[Section]]
    data_version: Callable[[ReportContext], Sequence[Any]]


@dataclass(frozen=True)
class ReportOption:
    """A choice some kinds of report take, stored by id in ``Report.options`` (the housing report's
    programme). The app that owns the objects says which a user may choose (``choices``: a queryset;
    with no user, every one, for the worker), whether one covers a unit, and how to print it."""

    name: str
    label: str | Promise
    empty_label: str | Promise  # the choice of none: "Every programme of the unit"
    choices: Callable[[Any], Any]  # user or None -> QuerySet
    covers: Callable[[Any, AdministrativeUnit], bool]
    not_covering: str | Promise  # the refusal when the chosen one does not cover the unit
    describe: Callable[[Any], str] = str  # in titles and lists
    detail: Callable[[Any], str] | None = None  # on the report's page; ``describe`` if None
    file_word: Callable[[Any], str] = lambda chosen: ""  # in the download's name, ASCII

    def resolve(self, *, user, unit: AdministrativeUnit, value) -> Any:
        """The object of id ``value`` if ``user`` may choose it and it covers ``unit``; else
        ValidationError on the option's name. ``user`` None is the schedule, which sees everything."""
        try:
            chosen = self.choices(user).filter(pk=int(value)).first()
        except (TypeError, ValueError):
            chosen = None
        if chosen is None:
            raise ValidationError({self.name: _("Choose one of the choices offered.")})
        if not self.covers(chosen, unit):
            raise ValidationError({self.name: str(self.not_covering)})
        return chosen


@dataclass(frozen=True)
class ReportKindSpec:
    """A kind of report: its stored value, its name in lists, the title of its document, its
    sections (names, in order), the options it takes, the word naming it in file names, whether
    Celery beat makes it every month (and quarter) for the units in use, and whether the
    administrator may ask for it on the whole country (its sections and version then get a context
    with no unit: one row per province, every record counted), and for a year-end report, whether
    each table is compared with the previous period and which headings divide it into parts."""

    value: str
    label: str | Promise
    title: str | Promise
    sections: tuple[str, ...]
    options: tuple[str, ...] = ()
    file_word: str = ""
    scheduled: bool = False
    whole_country: bool = False
    # A year-end report: each table after its totals beside the previous period's (reports.comparison).
    compare_previous: bool = False
    # The parts the sections fall into, as (the part's first section, its heading): "I. ..." before it.
    part_headings: tuple[tuple[str, str | Promise], ...] = ()


@dataclass(frozen=True)
class DashboardPanel:
    """A part of a unit's dashboard: ``build(context)`` returns what ``template`` shows (as
    ``panel``, beside ``board``, the whole dashboard); ``charts(panel, names)`` what dashboard.js
    draws ({chart name: data}), merged into the page's one JSON (``names``: the rows' short and full
    names, {"labels": [...], "names": [...]}, for the bars). The context has no options."""

    name: str
    template: str
    build: Callable[[ReportContext], Any]
    charts: Callable[[Any, dict], dict] = lambda panel, names: {}


_sections: dict[str, ReportSection] = {}
_options: dict[str, ReportOption] = {}
_kinds: dict[str, ReportKindSpec] = {}
_panels: dict[str, DashboardPanel] = {}


def register_section(section: ReportSection) -> None:
    """Register (or replace, by name) a section."""
    _sections[section.name] = section


def register_option(option: ReportOption) -> None:
    _options[option.name] = option


def register_kind(kind: ReportKindSpec) -> None:
    _kinds[kind.value] = kind


def register_panel(panel: DashboardPanel) -> None:
    """Panels show in the order they are registered: the order of INSTALLED_APPS."""
    _panels[panel.name] = panel


def unregister_section(name: str) -> None:
    _sections.pop(name, None)


def unregister_option(name: str) -> None:
    _options.pop(name, None)


def unregister_kind(value: str) -> None:
    _kinds.pop(value, None)


def unregister_panel(name: str) -> None:
    _panels.pop(name, None)


def kinds() -> list[ReportKindSpec]:
    return list(_kinds.values())


def kind(value: str) -> ReportKindSpec | None:
    return _kinds.get(value)


def kind_choices() -> list[tuple[str, str | Promise]]:
    """The kinds as choices: Report.kind's (a callable, so that a kind registered later counts)."""
    return [(spec.value, spec.label) for spec in _kinds.values()]


def sections_of(spec: ReportKindSpec) -> list[ReportSection]:
    return [_sections[name] for name in spec.sections]


def option(name: str) -> ReportOption | None:
    return _options.get(name)


def options() -> list[ReportOption]:
    return list(_options.values())


def kinds_taking(name: str) -> list[str]:
    """The kinds that take the option ``name``: where the request form shows it."""
    return [spec.value for spec in _kinds.values() if name in spec.options]


def panels() -> list[DashboardPanel]:
    return list(_panels.values())


def unique(functions: Iterable[Callable]) -> list[Callable]:
    """Each function once, in order (sections that share a data version)."""
    return list(dict.fromkeys(functions))


# -- exports of the lists -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportKindSpec:
    """A list that can be exported (reports.exports): the household list. Its options are the list's
    filters, as the query string gives them ({"q": "nguyen", "year": "2025"}).

    ``rows(user, filters)`` is the list as ``user`` sees it (``visible_to``) with the filters applied,
    in the list's order: counted to choose between a file at once and a background task, and
    written. ``write(rows, user=, filters=, file_format=, progress=)`` returns the file (bytes, or a
    binary file at its start) and calls ``progress(rows written)`` now and then.
    ``describe(user, filters)`` lists the filters applied as (label, value) pairs, for the export's
    page. ``list_url`` names the list's route."""

    value: str
    label: str | Promise
    file_word: str  # in the file's name, ASCII: "ho-gia-dinh"
    rows: Callable[[Any, dict], Any]
    write: Callable[..., bytes | IO[bytes]]
    describe: Callable[[Any, dict], list[tuple[str, str]]]
    list_url: str
    filter_names: tuple[str, ...]  # the query string's names that are filters (not "page")
    formats: tuple[str, ...] = ("xlsx", "csv")


_exports: dict[str, ExportKindSpec] = {}


def register_export(spec: ExportKindSpec) -> None:
    _exports[spec.value] = spec


def unregister_export(value: str) -> None:
    _exports.pop(value, None)


def export_kind(value: str) -> ExportKindSpec | None:
    return _exports.get(value)


def export_choices() -> list[tuple[str, str | Promise]]:
    """The export kinds as choices: Export.kind's (a callable, like Report.kind's)."""
    return [(spec.value, spec.label) for spec in _exports.values()]

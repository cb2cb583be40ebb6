"""The scope harness: every URL pattern of the project, every role, one rule.

Each named route must be declared in `ROUTES` with what it shows. The tests in
`tests/test_scope.py` then prove, for every role, that anonymous users are sent to the
login page (pages) or refused (API), that a list never shows a record outside the viewer's
scope, and that a detail, edit or action route answers 404 for such a record.

A new view fails `test_every_route_is_declared` until it is declared; once declared as a
list or detail of a scoped model, a view that skips `visible_to` fails the scope tests.
Later apps plug in with a `ScopedModel` entry and a few `ROUTES` lines.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from frontwelfare.accounts.choices import Role
from households.models import Member

from .factories import CommuneOfficerFactory
from .households.factories import (
    HouseholdFactory,
    HouseholdImportFactory,
    HouseholdStatusFactory,
    MemberFactory,
    PovertyAssessmentFactory,
)
from .housing.factories import TINY_PNG, CaseAttachmentFactory, HousingCaseFactory, ProgrammeFactory
from .reports.factories import DoneReportFactory


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet of an XLSX file, as text."""
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )


@dataclass(frozen=True)
class ScopedModel:
    """How to make a record that belongs to a commune, and how to recognise it in a page."""

    make: Callable  # (world, commune) -> record
    marker: Callable  # (record) -> text that appears wherever the record is shown
    # (world, role) -> the commune whose record that role's viewer must not see; by default
    # the nearest one (World.outside_commune). Records owned higher up say otherwise.
    outside: Callable | None = None

    def outside_commune(self, world, role):
        return self.outside(world, role) if self.outside else world.outside_commune(role)


def _programme_outside(world, role):
    """A programme belongs to a district or province and is seen by every commune under it:
    the nearest one a viewer must not see is another district's (another province's for a
    provincial officer)."""
    return world.other_province_commune if role == Role.PROVINCIAL_OFFICER else world.other_district_commune


def _case(world, commune):
    return HousingCaseFactory(household=HouseholdFactory(commune=commune),
                              programme=ProgrammeFactory(unit=commune.district))


def _attachment(world, commune):
    name = f"anh-nha-{commune.code}-{Member.objects.count()}.png"
    # The marker travels inside the file, so that the downloaded bytes show which one was served.
    return CaseAttachmentFactory(case=_case(world, commune), original_name=name,
                                 file__data=TINY_PNG + name.encode())


def latin1_text(content: bytes) -> str:
    return content.decode("latin-1")


SCOPED_MODELS: dict[str, ScopedModel] = {
    "user": ScopedModel(
        make=lambda world, commune: CommuneOfficerFactory(unit=commune),
        marker=lambda record: record.username,
    ),
    "household": ScopedModel(
        make=lambda world, commune: HouseholdFactory(commune=commune),
        marker=lambda record: record.code,
    ),
    "member": ScopedModel(
        make=lambda world, commune: MemberFactory(household=HouseholdFactory(commune=commune)),
        marker=lambda record: record.full_name,
    ),
    "status": ScopedModel(
        make=lambda world, commune: HouseholdStatusFactory(household=HouseholdFactory(commune=commune)),
        marker=lambda record: record.decision_number,
    ),
    "assessment": ScopedModel(
        make=lambda world, commune: PovertyAssessmentFactory(household=HouseholdFactory(commune=commune)),
        marker=lambda record: record.household.code,
    ),
    "household_import": ScopedModel(
        make=lambda world, commune: HouseholdImportFactory(commune=commune),
        marker=lambda record: record.original_name,
    ),
    "programme": ScopedModel(
        make=lambda world, commune: ProgrammeFactory(unit=commune.district),
        marker=lambda record: record.name,
        outside=_programme_outside,
    ),
    "case": ScopedModel(make=_case, marker=lambda record: record.household.code),
    "attachment": ScopedModel(make=_attachment, marker=lambda record: record.original_name),
    # A unit's dashboard: the unit itself is the record, its name the marker (the page's title).
    "unit": ScopedModel(make=lambda world, commune: commune, marker=lambda record: record.name),
    # A finished report on the commune, whose file (a workbook) names the commune too.
    "report": ScopedModel(make=lambda world, commune: DoneReportFactory(unit=commune),
                          marker=lambda record: record.unit.name),
}


@dataclass(frozen=True)
class Route:
    """kind:
    - "public": open without signing in (login, language switch).
    - "page": a signed-in page about the viewer or about reference data; no scoped records.
    - "list": lists records of ``model``; ``api`` tells JSON from HTML.
    - "detail": shows (or acts on, with ``methods``) one record of ``model``, by ``pk``.
    - "action": only changes one record of ``model`` (POST, no page of its own): out of
      scope it answers 404 and changes nothing.
    ``reader`` turns a downloaded file (XLSX) into text to look for markers in.
    """

    kind: str
    model: str | None = None
    api: bool = False
    methods: tuple[str, ...] = ("get",)
    kwargs: Callable | None = None  # (world) -> URL kwargs, for "page" routes with arguments
    reason: str = ""
    reader: Callable | None = None  # (bytes) -> str
    # Set for pages that change the record: the roles that may open them. Others in scope get
    # 403 (they know the record exists: they can see it), out of scope 404 like everyone.
    editors: tuple[str, ...] | None = None
    # URL arguments besides the record's pk (a workflow step's name).
    extra_kwargs: dict = field(default_factory=dict)


COMMUNE_OFFICERS = (Role.COMMUNE_OFFICER,)
PROGRAMME_MANAGERS = (Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER)

ROUTES: dict[str, Route] = {
    "login": Route("public"),
    "set_language": Route("public", methods=("post",)),
    "logout": Route("page", methods=("post",)),
    "home": Route("page"),
    "dashboard": Route("detail", "unit"),
    "password_change": Route("page"),
    "password_change_done": Route("page"),
    "user-list": Route("list", "user"),
    "user-detail": Route("detail", "user"),
    "areas:unit-list": Route("page", reason="public reference data (GSO codes)"),
    "areas:unit-detail": Route(
        "page", kwargs=lambda world: {"pk": world.commune.pk}, reason="public reference data"
    ),
    "api-schema": Route("page", api=True),
    "api-docs": Route("page", api=True),
    "api:api-root": Route("page", api=True),
    "api:unit-list": Route("page", api=True, reason="public reference data"),
    "api:unit-detail": Route(
        "page", api=True, kwargs=lambda world: {"pk": world.commune.pk}, reason="public reference data"
    ),
    "api:user-list": Route("list", "user", api=True),
    "api:user-detail": Route("detail", "user", api=True),
    # Households
    "households:list": Route("list", "household"),
    "households:create": Route("page", methods=("get", "post"), reason="registers in the officer's own commune"),
    "households:member-row": Route("page", reason="an empty member form"),
    "households:duplicates": Route(
        "page", methods=("post",), reason="out-of-scope hits hide personal data: tests/households/test_duplicates.py"
    ),
    "households:review": Route("page", methods=("get", "post"), reason="the officer's own commune: test_review.py"),
    "households:export-xlsx": Route("list", "household", reader=xlsx_text),
    "households:export-csv": Route("list", "household"),
    "households:import": Route("page", methods=("get", "post"), reason="imports into the officer's own commune"),
    "households:import-template": Route("page", reader=xlsx_text, reason="an empty template"),
    "households:import-detail": Route("detail", "household_import", methods=("get", "post")),
    "households:detail": Route("detail", "household"),
    "households:update": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "households:member-add": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "households:status-add": Route("action", "household"),
    "households:policies": Route("action", "household"),
    "households:assessment-add": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "households:member-update": Route("detail", "member", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "households:member-remove": Route("action", "member"),
    "households:member-make-head": Route("action", "member"),
    "households:status-remove": Route("action", "status"),
    "households:assessment-confirm": Route("action", "assessment"),
    "api:household-list": Route("list", "household", api=True),
    "api:household-detail": Route("detail", "household", api=True, methods=("get", "put", "patch")),
    "api:household-statuses": Route("detail", "household", api=True, methods=("get", "post")),
    "api:member-list": Route("list", "member", api=True),
    "api:member-detail": Route("detail", "member", api=True, methods=("get", "put", "patch", "delete")),
    # Housing
    "housing:programme-list": Route("list", "programme"),
    "housing:programme-create": Route(
        "page", methods=("get", "post"), reason="for the user's own unit: tests/housing/test_views.py"),
    "housing:programme-detail": Route("detail", "programme"),
    "housing:programme-update": Route("detail", "programme", methods=("get", "post"), editors=PROGRAMME_MANAGERS),
    "housing:programme-targets": Route("detail", "programme", methods=("get", "post"), editors=PROGRAMME_MANAGERS),
    "housing:programme-history": Route("detail", "programme", editors=PROGRAMME_MANAGERS),
    "housing:case-list": Route("list", "case"),
    "housing:case-create": Route("page", methods=("get", "post"), reason="proposes in the officer's own commune"),
    "housing:case-detail": Route("detail", "case"),
    "housing:case-update": Route("detail", "case", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "housing:case-step": Route("detail", "case", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                               extra_kwargs={"step": "survey"}),
    "housing:attachment-add": Route("action", "case"),
    "housing:attachment-download": Route("detail", "attachment", reader=latin1_text),
    "api:housing-programme-list": Route("list", "programme", api=True),
    "api:housing-programme-detail": Route("detail", "programme", api=True, methods=("get", "put", "patch")),
    "api:housing-programme-targets": Route("action", "programme", api=True),
    "api:housing-case-list": Route("list", "case", api=True),
    "api:housing-case-detail": Route("detail", "case", api=True, methods=("get", "patch")),
    "api:housing-case-survey": Route("action", "case", api=True),
    "api:housing-case-approve": Route("action", "case", api=True),
    "api:housing-case-reject": Route("action", "case", api=True),
    "api:housing-case-start": Route("action", "case", api=True),
    "api:housing-case-complete": Route("action", "case", api=True),
    "api:housing-case-hand-over": Route("action", "case", api=True),
    "api:housing-case-cancel": Route("action", "case", api=True),
    "api:housing-case-attachments": Route("action", "case", api=True),
    # Reports
    "reports:list": Route("list", "report"),
    "reports:create": Route(
        "page", methods=("get", "post"), reason="asks for units within the user's scope: tests/reports/test_pages.py"),
    "reports:detail": Route("detail", "report"),
    "reports:progress": Route("detail", "report"),
    "reports:retry": Route("action", "report"),
    "reports:download": Route("detail", "report", reader=xlsx_text),
    "api:report-list": Route("list", "report", api=True),
    "api:report-detail": Route("detail", "report", api=True),
    "api:report-download": Route("detail", "report", api=True, reader=xlsx_text),
    "api:report-retry": Route("action", "report", api=True),
    "api:report-choices": Route("page", api=True, reason="the fixed lists a request is made of"),
}

# Django's admin checks is_staff itself, on every one of its views; only administrators
# have it (User.sync_staff_flags). `test_admin_refuses_everyone_but_administrators` shows it.
IGNORED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class NamedPattern:
    name: str
    argument_names: tuple[str, ...] = field(default=())


def iter_named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[NamedPattern]:
    """Every named URL pattern of the project, with its namespace, walking includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield NamedPattern(f"{namespace}{entry.name}", tuple(entry.pattern.regex.groupindex))


def project_routes() -> list[NamedPattern]:
    seen = {}
    for pattern in iter_named_patterns():
        if pattern.name.split(":")[0] in IGNORED_NAMESPACES:
            continue
        seen.setdefault(pattern.name, pattern)
    return sorted(seen.values(), key=lambda p: p.name)


def routes_of_kind(*kinds: str) -> list[str]:
    return [name for name, route in sorted(ROUTES.items()) if route.kind in kinds]



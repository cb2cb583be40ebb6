"""The scope harness: every URL pattern of the project, every role, one rule.

Each named route must be declared in `ROUTES` with what it shows. The tests in
`tests/test_scope.py` then prove, for every role, that anonymous users are sent to the
login page (pages) or refused (API), that a list never shows a record outside the viewer's
scope, that a detail, edit or action route answers 404 for such a record, and

- that an action (``Write``) makes its change on a record in scope (state moved, row made or
  gone) and leaves the outsider's record as it was;
- that a page offering records to choose from (``Offers``: a form's select, the annual review's
  rows) offers those in scope only, and that posting an outsider's id makes nothing;
- that a page finding records from what was typed (``Finds``: the duplicate check) shows a hit in
  scope and hides the rest;
- that every figure declared in `COUNTS` (a list's total, a category card, a dashboard's table)
  grows by the records made in scope, and not by those made outside it.

A new view fails `test_every_route_is_declared` until it is declared; once declared as a
list or detail of a scoped model, a view that skips `visible_to` fails the scope tests; a page
route must say what it shows (``offers``, ``finds``, a count) or why it shows nothing scoped
(``reason``). Later apps plug in with a `ScopedModel` entry and a few `ROUTES` lines.
"""

import datetime
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook

from donations import services as donation_services
from donations.choices import Purpose
from donations.models import Campaign, Pledge, Posting, PostingLine, Receipt, SpendingDecision, StatementImport
from donations.support import services as support_services
from donations.support.imports import COLUMNS as BATCH_LIST_COLUMNS
from donations.support.models import Activity, Batch, BatchImport, Membership, Recipient
from frontwelfare.accounts.choices import Role
from frontwelfare.areas.choices import Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.reports.choices import ReportStatus
from frontwelfare.reports.models import Export, Report
from households.models import HouseholdPolicy, HouseholdStatus, Member, PovertyAssessment
from housing.choices import CaseState
from housing.models import CaseAttachment, HousingCase, Programme, ProgrammeTarget

from .donations.factories import (
    DAY,
    ActivityFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    OrganisationFactory,
    PledgeFactory,
    StatementImportFactory,
    campaign_for,
    fund_of,
    manager_of,
    receipt_into,
)
from .donations.support_factories import (
    batch_with,
    confirmed_batch,
    deliver_all,
    funded_batch,
    own_kind,
    poor_household,
)
from .factories import CommuneOfficerFactory
from .households.factories import (
    HouseholdFactory,
    HouseholdImportFactory,
    HouseholdStatusFactory,
    MemberFactory,
    PovertyAssessmentFactory,
)
from .housing.factories import TINY_PNG, CaseAttachmentFactory, HousingCaseFactory, ProgrammeFactory, case_in_state
from .reports.dashboard_data import house
from .reports.factories import DoneExportFactory, DoneReportFactory, ExportFactory, ReportFactory

VIEWER_ROLES = (Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER)


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet of an XLSX file, as text."""
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )


def latin1_text(content: bytes) -> str:
    return content.decode("latin-1")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, read back with pdftotext (Debian: poppler-utils)."""
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60).stdout.decode()


@dataclass(frozen=True)
class ScopedModel:
    """How to make a record that belongs to a commune, and how to recognise it in a page."""

    make: Callable  # (world, commune) -> record
    marker: Callable  # (record) -> text that appears wherever the record is shown
    # (world, role) -> the commune whose record that role's viewer must not see; by default
    # the nearest one (World.outside_commune). Records owned higher up say otherwise.
    outside: Callable | None = None
    # Records that belong to a person rather than a unit (an export), or that a person may choose
    # only because of their own unit (a fund they manage): ``make`` also takes ``viewer=``, the
    # person whose record is the one in scope; without it, the record is another person's (of the
    # commune given), which every other viewer must not see.
    by_viewer: bool = False

    def outside_commune(self, world, role):
        return self.outside(world, role) if self.outside else world.outside_commune(role)


def _programme_outside(world, role):
    """A programme belongs to a district or province and is seen by every commune under it:
    the nearest one a viewer must not see is another district's (another province's for a
    provincial officer)."""
    return world.other_province_commune if role == Role.PROVINCIAL_OFFICER else world.other_district_commune


def _case(world, commune, state=CaseState.PROPOSED):
    return case_in_state(state, household=HouseholdFactory(commune=commune),
                         programme=ProgrammeFactory(unit=commune.district))


def _case_in(state):
    return lambda world, commune: _case(world, commune, state)


def _attachment(world, commune):
    name = f"anh-nha-{commune.code}-{Member.objects.count()}.png"
    # The marker travels inside the file, so that the downloaded bytes show which one was served.
    return CaseAttachmentFactory(case=_case(world, commune), original_name=name,
                                 file__data=TINY_PNG + name.encode())


def _this_year() -> int:
    return timezone.localdate().year


def _status_this_year(world, commune):
    """A poor household this year, decided on 1 January: counted by the list's category cards
    and by the dashboards of this year."""
    return HouseholdStatusFactory(household=HouseholdFactory(commune=commune), category="poor", year=_this_year(),
                                  decision_date=datetime.date(_this_year(), 1, 1))


def province_programme(commune) -> Programme:
    """The programme of the commune's province running this whole year: every commune of the
    province has its cases in it, so that a figure of the programme could count a commune that
    its viewer must not see."""
    year = _this_year()
    name = f"Chương trình nhà ở tỉnh {commune.province.code} năm {year}"
    return Programme.objects.filter(name=name).first() or ProgrammeFactory(
        name=name, unit=commune.province, decision_date=datetime.date(year, 1, 1),
        start_date=datetime.date(year, 1, 1), deadline=datetime.date(year, 12, 31))


def _programme_case(world, commune):
    return HousingCaseFactory(household=HouseholdFactory(commune=commune), programme=province_programme(commune))


def _approved_house(world, commune):
    """A new house approved today in the province's programme: the dashboards' "Approved"."""
    return house(province_programme(commune), commune, CaseState.APPROVED, timezone.localdate())


def _receipt(world, commune):
    """A receipt of the commune's Fund for the Poor, from a donor named after the commune (the
    marker: the PDF prints the donor, and receipt numbers repeat from fund to fund)."""
    from donations.services import receipt_record

    from .donations.factories import DonorFactory, FundFactory

    officer = world.commune_officer if commune == world.commune else CommuneOfficerFactory(unit=commune)
    fund = commune.funds.first() or FundFactory(unit=commune)
    donor = DonorFactory(unit=commune, name=f"Nhà hảo tâm {commune.code}-{fund.receipts.count() + 1}")
    return receipt_record(actor=officer, fund=fund, donor=donor, amount=1_000_000, happened_on=timezone.localdate())


def _export(commune, viewer, factory, **values):
    requester = viewer or CommuneOfficerFactory(unit=commune)
    return factory(requested_by=requester, filters={"q": HouseholdFactory(commune=commune).code}, **values)


# -- donors, campaigns, pledges -------------------------------------------------------------------------


def province_campaign(commune) -> Campaign:
    """The campaign of the commune's province, collected into the province's fund: every commune
    of the province records pledges and receipts for it, so that a list of the campaign could show
    those of a commune its viewer must not see."""
    code = f"TINH{commune.province.code}"
    return Campaign.objects.filter(code=code).first() or CampaignFactory(
        unit=commune.province, code=code, name=f"Tháng cao điểm Vì người nghèo tỉnh {commune.province.code}")


def _pledge(world, commune):
    return PledgeFactory(unit=commune, campaign=province_campaign(commune), donor=DonorFactory(unit=commune))


def _campaign_receipt(world, commune):
    """Money a donor of the commune gave into the commune's fund for its province's campaign."""
    officer = CommuneOfficerFactory(unit=commune)
    return donation_services.receipt_record(
        actor=officer, fund=FundFactory(unit=commune), donor=DonorFactory(unit=commune), amount=2_000_000,
        happened_on=datetime.date(2025, 10, 20), campaign=province_campaign(commune))


def _managed_fund(world, commune, viewer=None):
    """A fund of the viewer's own unit (the ones they may collect a campaign into); without a
    viewer, a fund of the commune given."""
    return FundFactory(unit=viewer.unit if viewer is not None else commune)


# -- funds and donations, for the API's routes: every record made through donations.services ---------


def _fund_with_entries(world, commune):
    """A fund with a receipt in it: its entries name the receipt's donor."""
    fund = FundFactory(unit=commune)
    receipt_into(fund, donor=DonorFactory(unit=commune, name=f"Nhà hảo tâm {fund.name}"))
    return fund


def _api_pledge(world, commune):
    officer = manager_of(commune)
    return donation_services.pledge_record(actor=officer, campaign=campaign_for(fund_of(commune), actor=officer),
                                           donor=DonorFactory(unit=commune), amount=50_000_000, pledged_on=DAY)


def _api_decision(world, commune):
    """A decision of the commune's fund paying one of its households."""
    fund = fund_of(commune)
    officer = manager_of(commune)
    receipt_into(fund, actor=officer, amount=30_000_000)
    number = f"{SpendingDecision.objects.count() + 1}/QĐ-MTTQ {commune.code}"
    return donation_services.decision_record(
        actor=officer, fund=fund, number=number, decided_on=DAY, signer="Nguyễn Văn Chủ Tịch", payments=[
            donation_services.Payment(amount=20_000_000, purpose=Purpose.HOUSING,
                                      household=HouseholdFactory(commune=commune))])


def _api_posting(world, commune):
    """A receipt's posting in the commune's fund, which its district's committee may reverse."""
    return receipt_into(fund_of(commune), note=f"Ủng hộ qua {commune.name}").posting


def _api_transfer(world, commune):
    """Money passed down from the district's fund into the commune's."""
    district_fund = fund_of(commune.district)
    member = manager_of(commune.district)
    receipt_into(district_fund, actor=member, amount=40_000_000)
    return donation_services.transfer_record(actor=member, source=district_fund, destination=fund_of(commune),
                                             amount=15_000_000, happened_on=DAY,
                                             description=f"Điều tiết về {commune.name}")



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
    "status_this_year": ScopedModel(make=_status_this_year, marker=lambda record: record.household.code),
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
    # The unit a programme is created for: the commune's district.
    "district": ScopedModel(make=lambda world, commune: commune.district, marker=lambda record: record.name,
                            outside=_programme_outside),
    "case": ScopedModel(make=_case, marker=lambda record: record.household.code),
    "surveyed_case": ScopedModel(make=_case_in(CaseState.SURVEYED), marker=lambda record: record.household.code),
    "approved_case": ScopedModel(make=_case_in(CaseState.APPROVED), marker=lambda record: record.household.code),
    "started_case": ScopedModel(make=_case_in(CaseState.CONSTRUCTION_STARTED),
                                marker=lambda record: record.household.code),
    "completed_case": ScopedModel(make=_case_in(CaseState.COMPLETED), marker=lambda record: record.household.code),
    # Cases of the one programme of the province (province_programme), and houses approved in it today.
    "programme_case": ScopedModel(make=_programme_case, marker=lambda record: record.household.code),
    "approved_house": ScopedModel(make=_approved_house, marker=lambda record: record.household.code),
    "attachment": ScopedModel(make=_attachment, marker=lambda record: record.original_name),
    # A unit's dashboard: the unit itself is the record, its name the marker (the page's title).
    "unit": ScopedModel(make=lambda world, commune: commune, marker=lambda record: record.name),
    # A finished report on the commune, whose file (a workbook) names the commune too.
    "report": ScopedModel(make=lambda world, commune: DoneReportFactory(unit=commune),
                          marker=lambda record: record.unit.name),
    "failed_report": ScopedModel(
        make=lambda world, commune: ReportFactory(unit=commune, status=ReportStatus.FAILED, error="Lỗi máy chủ"),
        marker=lambda record: record.unit.name,
    ),
    # A finished export of the household list, searched for a household of the commune (its page
    # shows the search, its file holds it): the viewer's own, or a commune officer's of the commune.
    "export": ScopedModel(make=lambda world, commune, viewer=None: _export(commune, viewer, DoneExportFactory),
                          marker=lambda record: record.filters["q"], by_viewer=True),
    # Funds and donations
    # A campaign of a district, seen by its communes and its province (like a programme).
    "campaign": ScopedModel(make=lambda world, commune: CampaignFactory(unit=commune.district),
                            marker=lambda record: record.name, outside=_programme_outside),
    # A pledge the commune recorded for its province's campaign, from a donor of the commune.
    "pledge": ScopedModel(make=_pledge, marker=lambda record: record.donor.name),
    "campaign_receipt": ScopedModel(make=_campaign_receipt, marker=lambda record: record.donor.name),
    "managed_fund": ScopedModel(make=_managed_fund, marker=lambda record: record.name, by_viewer=True),
    "failed_export": ScopedModel(
        make=lambda world, commune, viewer=None: _export(commune, viewer, ExportFactory, status=ReportStatus.FAILED,
                                                         error="Lỗi máy chủ"),
        marker=lambda record: record.filters["q"], by_viewer=True),
    # Funds and donations, as the API's routes make them (the pages' are at the end of the module).
    "api_fund": ScopedModel(make=lambda world, commune: FundFactory(unit=commune), marker=lambda record: record.name),
    "fund_with_entries": ScopedModel(make=_fund_with_entries, marker=lambda record: f"Nhà hảo tâm {record.name}"),
    "api_donor": ScopedModel(make=lambda world, commune: DonorFactory(unit=commune),
                             marker=lambda record: record.name),
    "api_campaign": ScopedModel(make=lambda world, commune: campaign_for(fund_of(commune)),
                                marker=lambda record: record.name),
    "api_pledge": ScopedModel(make=_api_pledge, marker=lambda record: record.donor.name),
    "api_receipt": ScopedModel(make=lambda world, commune: receipt_into(fund_of(commune)),
                               marker=lambda record: record.donor.name),
    "api_decision": ScopedModel(make=_api_decision, marker=lambda record: record.number),
    "api_posting": ScopedModel(make=_api_posting, marker=lambda record: record.description),
    "transfer": ScopedModel(make=_api_transfer, marker=lambda record: record.description),
    # A commune's fund, whose page imports its bank statement; and an import of one.
    "statement_fund": ScopedModel(make=lambda world, commune: FundFactory(unit=commune),
                                  marker=lambda record: record.name),
    "statement_import": ScopedModel(make=lambda world, commune: StatementImportFactory(fund=FundFactory(unit=commune)),
                                    marker=lambda record: record.original_name),
}


# -- what a route writes, offers and finds -------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A valid request that changes the record of an action (or of a detail route that takes
    one), and how to tell that the change was made."""

    data: Callable  # (world, record) -> what the request sends
    done: Callable  # (record) -> bool, read again from the database: the change was made
    multipart: bool = False  # API routes: send a form with files rather than JSON
    method: str = "post"
    # The roles that may make the change, when they differ from the route's ``editors`` (an
    # API record everyone reads and only some change): others in scope get 403.
    by: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Offers:
    """A page that offers records to choose from (a form's select, the review's rows) and writes
    with the ones chosen."""

    choices: dict[str, str]  # POST field -> the ScopedModel whose records it offers
    data: Callable  # (world, {field: record}) -> a valid POST with these records chosen
    done: Callable  # ({field: record}) -> bool: the write with these records was made


@dataclass(frozen=True)
class Finds:
    """A page that looks records up from what was typed (the duplicate check): a hit in scope
    is shown, one outside says no more than ``reveals``."""

    model: str
    data: Callable  # (world, record) -> a POST that finds the record
    marker: Callable  # (record) -> what only a shown hit tells (not what was typed)
    reveals: Callable | None = None  # (record) -> what the page says of an outsider's hit


def _upload(name="nha.png"):
    return SimpleUploadedFile(name, TINY_PNG, content_type="image/png")


def _statement():
    """A bank statement of one credit, as CSV: the upload stores it and queues its check."""
    content = ("Ngày giao dịch,Số bút toán,Ghi có,Tên người chuyển,Nội dung\n"
               "17/10/2025,FT1,1000000,NGUYEN VAN AN,ung ho\n")
    return SimpleUploadedFile("sao-ke.csv", content.encode(), content_type="text/csv")


def _state_is(state):
    return lambda case: HousingCase.objects.get(pk=case.pk).state == state


def _case_step(state, **values):
    return Write(data=lambda world, case: {"note": "Theo biên bản họp", **values}, done=_state_is(state))


def _commune_of(programme):
    return AdministrativeUnit.objects.below(programme.unit).filter(level=Level.COMMUNE).order_by("code").first()


def _targets_of(world, programme):
    return {"targets": [{"unit": _commune_of(programme).pk, "new_builds": 1, "repairs": 0}]}


def _target_set(programme):
    return ProgrammeTarget.objects.filter(programme=programme).exists()


def _field_is(name, value):
    """``done`` for a change of one field: the record, read again, holds ``value``."""
    return lambda record: getattr(type(record).objects.get(pk=record.pk), name) == value


HARNESS_PROGRAMME = "Nhà Đại đoàn kết (harness)"
NEW_HAMLET = "Ấp Tân Lập (harness)"
NEW_NAME = "Lê Văn Đổi Tên"
NEW_COST = 70_000_000  # within the programme's support, with 10 million less from the fund
NEW_PHONE = "0913456789"
NEW_CAMPAIGN = "Tết vì người nghèo (harness)"


def _household_form(world, household):
    return {"hamlet": NEW_HAMLET, "address": household.address, "consent_purpose": household.consent_purpose,
            "consent_date": household.consent_date.isoformat()}


def _member_form(member, **changes):
    return {"full_name": member.full_name, "birth_year": member.birth_year, "sex": member.sex,
            "relation": member.relation, "citizen_id": member.citizen_id, "ethnicity": "01", **changes}


def _case_form(world, case):
    return {"work_kind": "new_build", "current_condition": "Nhà tạm vách lá", "estimated_cost": "70.000.000",
            "state_budget": "40.000.000", "fund_for_the_poor": "10.000.000", "family_amount": "20.000.000",
            "labour_days": "12"}


def _programme_form(world, programme):
    return {
        "name": HARNESS_PROGRAMME, "kind": programme.kind, "decision_number": programme.decision_number,
        "decision_date": programme.decision_date.isoformat(), "decision_issuer": programme.decision_issuer,
        "unit": programme.unit_id, "start_date": programme.start_date.isoformat(),
        "deadline": programme.deadline.isoformat(), "new_build_support": "60.000.000", "repair_support": "30.000.000",
    }


def _review(world, chosen):
    household = chosen["household"]
    return {"decision_number": "01/QĐ-UBND", "decision_date": timezone.localdate().isoformat(),
            f"category_{household.pk}": "poor"}


def _proposal(world, chosen):
    return {
        "household": chosen["household"].pk, "programme": chosen["programme"].pk, "work_kind": "new_build",
        "current_condition": "Nhà tạm vách lá", "estimated_cost": "80.000.000", "state_budget": "40.000.000",
        "fund_for_the_poor": "20.000.000", "family_amount": "20.000.000", "labour_days": "12",
    }


def _new_programme(world, chosen):
    return {
        "name": HARNESS_PROGRAMME, "kind": "great_solidarity", "decision_number": "12/KH-MTTQ",
        "decision_date": "2025-01-10", "decision_issuer": "Ban Thường trực Ủy ban MTTQ", "unit": chosen["unit"].pk,
        "start_date": "2025-01-15", "deadline": "2025-12-31", "new_build_support": "60.000.000",
        "repair_support": "30.000.000", "new_build_target": "3", "repair_target": "1",
    }


def _report_request(world, chosen):
    return {"kind": "housing", "unit": chosen["unit"].pk, "programme": chosen["programme"].pk,
            "period_kind": "year", "year": "2025", "file_format": "xlsx"}


def _report_made(chosen):
    return Report.objects.filter(unit=chosen["unit"], options__programme=chosen["programme"].pk).exists()


def _members_typed(member, *, citizen_id=True):
    """The registration form's member rows, with one person typed as ``member`` is registered."""
    return {
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000", "members-0-full_name": member.full_name,
        "members-0-birth_year": str(member.birth_year), "members-0-sex": member.sex, "members-0-relation": "head",
        "members-0-citizen_id": member.citizen_id if citizen_id else "", "members-0-ethnicity": "01",
    }


def _registration(world, member):
    """A new household whose head has the name and birth year of ``member`` (not the citizen ID,
    which the form itself refuses when it is registered already)."""
    return {"hamlet": "Ấp Phước Hậu", "address": "3 đường Lê Lợi", "consent_purpose": "Quản lý an sinh",
            "consent_date": "2025-03-01", **_members_typed(member, citizen_id=False)}


NEW_DONOR_NAME = "Công ty Cổ phần Đổi Tên (harness)"
HARNESS_CAMPAIGN = "Chung tay vì người nghèo (harness)"


def _donor_form(world, donor):
    return {"kind": donor.kind, "name": NEW_DONOR_NAME, "tax_code": donor.tax_code, "phone": donor.phone,
            "address": donor.address, "note": ""}


def _donor_typed(world, donor):
    """The name of ``donor`` typed on the donor form, nothing else yet: the duplicate check shows
    the donor (the form itself is refused, without a kind)."""
    return {"name": donor.name}


def _donor_link(donor):
    """What only a shown hit tells: the link to the donor's page."""
    return reverse("donations:donor-detail", args=[donor.pk])


def _campaign_form(world, campaign):
    return {"name": HARNESS_CAMPAIGN, "kind": campaign.kind, "code": campaign.code,
            "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
            "target": "2.000.000.000", "fund": campaign.fund_id, "earmark": campaign.earmark}


def _new_campaign(world, chosen):
    return {"name": HARNESS_CAMPAIGN, "kind": "month_for_the_poor", "code": "HARNESS2025",
            "starts_on": "17/10/2025", "ends_on": "18/11/2025", "target": "500.000.000", "fund": chosen["fund"].pk,
            "earmark": "none"}


def _new_pledge(world, chosen):
    return {"donor": chosen["donor"].pk, "amount": "25.000.000", "pledged_on": "17/10/2025",
            "note": "Công bố tại lễ phát động"}


@dataclass(frozen=True)
class Route:
    """kind:
    - "public": open without signing in (login, language switch, how long the session has left).
    - "page": a signed-in page with no record of its own. If it shows scoped records, it says
      how: ``offers`` (records to choose from), ``finds`` (records looked up from what was
      typed) or an entry in `COUNTS` (figures); otherwise ``reason`` says why there is nothing
      scoped to show.
    - "list": lists records of ``model``; ``api`` tells JSON from HTML.
    - "detail": shows (or acts on, with ``methods``) one record of ``model``, by ``pk``.
    - "action": only changes one record of ``model`` (POST, no page of its own): ``write`` is
      a valid POST and how to see the change made; out of scope it answers 404 and changes nothing.
    ``reader`` turns a downloaded file (XLSX) into text to look for markers in.
    """

    kind: str
    model: str | None = None
    api: bool = False
    methods: tuple[str, ...] = ("get",)
    kwargs: Callable | None = None  # (world) -> URL kwargs, for "page" routes with arguments
    reason: str = ""
    reader: Callable | None = None  # (bytes) -> str
    # The roles that may open a page (or make an action's change): others in scope get 403 (on a
    # record, they know it exists: they can see it), out of scope 404 like everyone.
    editors: tuple[str, ...] | None = None
    # URL arguments besides the record's pk (a workflow step's name).
    extra_kwargs: dict = field(default_factory=dict)
    write: Write | None = None
    offers: Offers | None = None
    finds: Finds | None = None


COMMUNE_OFFICERS = (Role.COMMUNE_OFFICER,)
DISTRICT_MEMBERS = (Role.DISTRICT_MEMBER,)
PROGRAMME_MANAGERS = (Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER)
OVERSEERS = (Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER)

ROUTES: dict[str, Route] = {
    "login": Route("public"),
    "set_language": Route("public", methods=("post",)),
    # Seconds left before the viewer's own session ends for idleness: 0 for a visitor.
    "session-status": Route("public", methods=("get", "post")),
    "logout": Route("page", methods=("post",), reason="ends the viewer's own session"),
    "home": Route("page"),  # its figures are in COUNTS
    "dashboard": Route("detail", "unit"),
    "password_change": Route("page", reason="the viewer's own password"),
    "password_change_done": Route("page", reason="the viewer's own password"),
    # The directory pages serve those with units below them (User.oversees_units).
    "user-list": Route("list", "user", editors=OVERSEERS),
    "user-detail": Route("detail", "user", editors=OVERSEERS),
    "areas:unit-list": Route("page", reason="public reference data (GSO codes)", editors=OVERSEERS),
    "areas:unit-detail": Route(
        "page", kwargs=lambda world: {"pk": world.commune.pk}, reason="public reference data", editors=OVERSEERS
    ),
    "api-schema": Route("page", api=True, reason="describes the API"),
    "api-docs": Route("page", api=True, reason="describes the API"),
    "api:api-root": Route("page", api=True, reason="links to the API's lists"),
    "api:unit-list": Route("page", api=True, reason="public reference data"),
    "api:unit-detail": Route(
        "page", api=True, kwargs=lambda world: {"pk": world.commune.pk}, reason="public reference data"
    ),
    "api:user-list": Route("list", "user", api=True),
    "api:user-detail": Route("detail", "user", api=True),
    # Households
    "households:list": Route("list", "household"),
    "households:create": Route(
        "page", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        finds=Finds("member", data=_registration, marker=lambda member: member.household.code,
                    # Only that a match exists, and the committee of the officer's district to ask.
                    reveals=lambda member: member.household.commune.district.name),
    ),
    "households:member-row": Route("page", reason="an empty member form"),
    "households:duplicates": Route(
        "page", methods=("post",), editors=COMMUNE_OFFICERS,
        finds=Finds("member", data=lambda world, member: _members_typed(member),
                    marker=lambda member: member.household.code,
                    # Only that a match exists, and the committee of the officer's district to ask.
                    reveals=lambda member: member.household.commune.district.name),
    ),
    "households:review": Route(
        "page", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        offers=Offers({"household": "household"}, data=_review, done=lambda chosen: HouseholdStatus.objects.filter(
            household=chosen["household"], year=_this_year()).exists()),
    ),
    "households:export-xlsx": Route("list", "household", reader=xlsx_text),
    "households:export-csv": Route("list", "household"),
    # The upload form, and the recent imports the viewer may see.
    "households:import": Route("list", "household_import", methods=("get", "post")),
    "households:import-template": Route("page", reader=xlsx_text, reason="an empty template"),
    "households:import-detail": Route("detail", "household_import", methods=("get", "post")),
    # The progress bar its page polls while a worker checks or saves the import.
    "households:import-progress": Route("detail", "household_import"),
    "households:detail": Route("detail", "household"),
    "households:update": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                               write=Write(data=_household_form, done=_field_is("hamlet", NEW_HAMLET))),
    "households:member-add": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                   write=Write(
        data=lambda world, household: {"full_name": NEW_NAME, "birth_year": "2001", "sex": "male",
                                       "relation": "child", "ethnicity": "01"},
        done=lambda household: Member.objects.filter(household=household, full_name=NEW_NAME).exists(),
    )),
    "households:status-add": Route("action", "household", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, household: {"year": "2025", "category": "near_poor", "decision_number": "7/QĐ-UBND",
                                       "decision_date": "2025-01-20"},
        done=lambda household: HouseholdStatus.objects.filter(household=household, category="near_poor").exists(),
    )),
    "households:policies": Route("action", "household", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, household: {"policy_types": ["martyr_family"]},
        done=lambda household: HouseholdPolicy.objects.filter(household=household).exists(),
    )),
    "households:assessment-add": Route("detail", "household", methods=("get", "post"), editors=COMMUNE_OFFICERS),
    "households:member-update": Route("detail", "member", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                      write=Write(data=lambda world, member: _member_form(member, full_name=NEW_NAME),
                                                  done=_field_is("full_name", NEW_NAME))),
    "households:member-remove": Route("action", "member", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, member: {}, done=lambda member: not Member.objects.filter(pk=member.pk).exists(),
    )),
    "households:member-make-head": Route("action", "member", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, member: {}, done=lambda member: Member.objects.get(pk=member.pk).relation == "head",
    )),
    "households:status-remove": Route("action", "status", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, status: {}, done=lambda status: not HouseholdStatus.objects.filter(pk=status.pk).exists(),
    )),
    "households:assessment-confirm": Route("action", "assessment", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, assessment: {"classification": "near_poor"},
        done=lambda assessment: PovertyAssessment.objects.get(pk=assessment.pk).confirmed == "near_poor",
    )),
    "api:household-list": Route("list", "household", api=True),
    "api:household-detail": Route("detail", "household", api=True, methods=("get", "put", "patch"), write=Write(
        data=lambda world, household: {"hamlet": NEW_HAMLET}, done=_field_is("hamlet", NEW_HAMLET), method="patch",
        by=COMMUNE_OFFICERS,
    )),
    "api:household-statuses": Route("detail", "household", api=True, methods=("get", "post"), write=Write(
        data=lambda world, household: {"year": 2025, "category": "near_poor", "decision_number": "8/QĐ-UBND",
                                       "decision_date": "2025-01-20"},
        done=lambda household: HouseholdStatus.objects.filter(household=household, category="near_poor").exists(),
        by=COMMUNE_OFFICERS,
    )),
    "api:member-list": Route("list", "member", api=True),
    "api:member-detail": Route("detail", "member", api=True, methods=("get", "put", "patch", "delete"), write=Write(
        data=lambda world, member: {"full_name": NEW_NAME}, done=_field_is("full_name", NEW_NAME), method="patch",
        by=COMMUNE_OFFICERS,
    )),
    # Housing
    "housing:programme-list": Route("list", "programme"),
    "housing:programme-create": Route(
        "page", methods=("get", "post"), editors=PROGRAMME_MANAGERS,
        offers=Offers({"unit": "district"}, data=_new_programme, done=lambda chosen: Programme.objects.filter(
            unit=chosen["unit"], name=HARNESS_PROGRAMME).exists()),
    ),
    "housing:programme-detail": Route("detail", "programme"),
    "housing:programme-update": Route("detail", "programme", methods=("get", "post"), editors=PROGRAMME_MANAGERS,
                                      write=Write(data=_programme_form, done=_field_is("name", HARNESS_PROGRAMME))),
    "housing:programme-targets": Route("detail", "programme", methods=("get", "post"), editors=PROGRAMME_MANAGERS,
                                       write=Write(data=lambda world, programme: {
                                           f"new_{_commune_of(programme).pk}": "1",
                                           f"repair_{_commune_of(programme).pk}": "0"}, done=_target_set)),
    "housing:programme-history": Route("detail", "programme", editors=PROGRAMME_MANAGERS),
    "housing:case-list": Route("list", "case"),
    "housing:case-create": Route(
        "page", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        offers=Offers({"household": "household", "programme": "programme"}, data=_proposal,
                      done=lambda chosen: HousingCase.objects.filter(**chosen).exists()),
    ),
    "housing:case-detail": Route("detail", "case"),
    "housing:case-update": Route("detail", "case", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                 write=Write(data=_case_form, done=_field_is("estimated_cost", NEW_COST))),
    "housing:case-step": Route("detail", "case", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                               extra_kwargs={"step": "survey"}, write=_case_step(
                                   CaseState.SURVEYED, survey_date="2025-04-01", survey_findings="Nhà dột")),
    "housing:attachment-add": Route("action", "case", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, case: {"kind": "photo_before", "file": _upload()},
        done=lambda case: CaseAttachment.objects.filter(case=case).exists(),
    )),
    "housing:attachment-download": Route("detail", "attachment", reader=latin1_text),
    "api:housing-programme-list": Route("list", "programme", api=True),
    "api:housing-programme-detail": Route("detail", "programme", api=True, methods=("get", "put", "patch"),
                                          write=Write(data=lambda world, programme: {"name": HARNESS_PROGRAMME},
                                                      done=_field_is("name", HARNESS_PROGRAMME), method="patch",
                                                      by=PROGRAMME_MANAGERS)),
    "api:housing-programme-targets": Route("action", "programme", api=True, editors=PROGRAMME_MANAGERS,
                                           write=Write(data=_targets_of, done=_target_set)),
    "api:housing-case-list": Route("list", "case", api=True),
    "api:housing-case-detail": Route("detail", "case", api=True, methods=("get", "patch"), write=Write(
        data=lambda world, case: {"estimated_cost": NEW_COST, "fund_for_the_poor": 10_000_000},
        done=_field_is("estimated_cost", NEW_COST),
        method="patch", by=COMMUNE_OFFICERS,
    )),
    "api:housing-case-survey": Route("action", "case", api=True, editors=COMMUNE_OFFICERS, write=_case_step(
        CaseState.SURVEYED, survey_date="2025-04-01", survey_findings="Nhà vách lá, mái dột")),
    "api:housing-case-approve": Route("action", "surveyed_case", api=True, editors=DISTRICT_MEMBERS,
                                      write=_case_step(CaseState.APPROVED)),
    "api:housing-case-reject": Route("action", "surveyed_case", api=True, editors=DISTRICT_MEMBERS,
                                     write=_case_step(CaseState.REJECTED)),
    "api:housing-case-start": Route("action", "approved_case", api=True, editors=COMMUNE_OFFICERS,
                                    write=_case_step(CaseState.CONSTRUCTION_STARTED, start_date="2025-05-01")),
    "api:housing-case-complete": Route("action", "started_case", api=True, editors=COMMUNE_OFFICERS, write=_case_step(
        CaseState.COMPLETED, completion_date="2025-07-01", final_cost=78_500_000)),
    "api:housing-case-hand-over": Route("action", "completed_case", api=True, editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, case: {"handover_date": "2025-07-15", "note": "", "handover_record": _upload("bb.png")},
        done=_state_is(CaseState.HANDED_OVER), multipart=True,
    )),
    "api:housing-case-cancel": Route("action", "case", api=True, editors=DISTRICT_MEMBERS,
                                     write=_case_step(CaseState.CANCELLED)),
    "api:housing-case-attachments": Route("action", "case", api=True, editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, case: {"kind": "photo_before", "file": _upload()},
        done=lambda case: CaseAttachment.objects.filter(case=case).exists(), multipart=True,
    )),
    # Funds and donations: donors, campaigns, pledges
    "donations:donor-list": Route("list", "donor"),
    "donations:donor-create": Route(
        "page", methods=("get", "post"),
        finds=Finds("donor", data=_donor_typed, marker=_donor_link),
    ),
    "donations:donor-duplicates": Route(
        "page", methods=("post",),
        finds=Finds("donor", data=lambda world, donor: {"name": "", "tax_code": "", "phone": "",
                                                        **_donor_typed(world, donor)}, marker=_donor_link),
    ),
    "donations:donor-detail": Route("detail", "donor"),
    # Kept by the unit that recorded the donor: the units above see it and do not change it.
    "donations:donor-update": Route("detail", "donor", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                    write=Write(data=_donor_form, done=_field_is("name", NEW_DONOR_NAME))),
    "donations:donor-history": Route("detail", "donor"),
    "donations:campaign-list": Route("list", "campaign"),
    # The fund a campaign collects into is one the viewer manages: their own unit's.
    "donations:campaign-create": Route(
        "page", methods=("get", "post"),
        offers=Offers({"fund": "managed_fund"}, data=_new_campaign, done=lambda chosen: Campaign.objects.filter(
            fund=chosen["fund"], name=HARNESS_CAMPAIGN).exists()),
    ),
    "donations:campaign-detail": Route("detail", "campaign"),
    # Changed by the officers of the unit whose fund receives the money (the campaign's district).
    "donations:campaign-update": Route("detail", "campaign", methods=("get", "post"), editors=DISTRICT_MEMBERS,
                                       write=Write(data=_campaign_form, done=_field_is("name", HARNESS_CAMPAIGN))),
    "donations:campaign-history": Route("detail", "campaign"),
    # A pledge for a campaign the viewer sees, from a donor they see; the page of the province's
    # campaign (seen by every viewer) offers the donors.
    "donations:pledge-create": Route(
        "detail", "campaign", methods=("get", "post"),
        kwargs=lambda world: {"pk": province_campaign(world.commune).pk},
        offers=Offers({"donor": "donor"}, data=_new_pledge,
                      done=lambda chosen: Pledge.objects.filter(donor=chosen["donor"]).exists()),
        write=Write(data=lambda world, campaign: _new_pledge(world, {"donor": DonorFactory(unit=world.commune)}),
                    done=lambda campaign: Pledge.objects.filter(campaign=campaign).exists()),
    ),
    # Reports
    "reports:list": Route("list", "report"),
    "reports:create": Route(
        "page", methods=("get", "post"),
        offers=Offers({"unit": "unit", "programme": "programme"}, data=_report_request, done=_report_made),
    ),
    "reports:detail": Route("detail", "report"),
    "reports:progress": Route("detail", "report"),
    "reports:retry": Route("action", "failed_report", write=Write(
        data=lambda world, report: {},
        done=lambda report: Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED,
    )),
    "reports:download": Route("detail", "report", reader=xlsx_text),
    "api:report-list": Route("list", "report", api=True),
    "api:report-detail": Route("detail", "report", api=True),
    "api:report-download": Route("detail", "report", api=True, reader=xlsx_text),
    "api:report-retry": Route("action", "failed_report", api=True, write=Write(
        data=lambda world, report: {},
        done=lambda report: Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED,
    )),
    "api:report-choices": Route("page", api=True, reason="the fixed lists a request is made of"),
    # A big list's export, made in the background: its requester's alone.
    "exports:detail": Route("detail", "export"),
    "exports:progress": Route("detail", "export"),
    "exports:download": Route("detail", "export", reader=xlsx_text),
    "exports:retry": Route("action", "failed_export", write=Write(
        data=lambda world, export: {},
        done=lambda export: Export.objects.get(pk=export.pk).status == ReportStatus.QUEUED,
    )),
    # Funds and donations (API)
    "api:donations-fund-list": Route("list", "api_fund", api=True),
    "api:donations-fund-detail": Route("detail", "api_fund", api=True),
    "api:donations-fund-entries": Route("detail", "fund_with_entries", api=True),
    "api:donations-donor-list": Route("list", "api_donor", api=True),
    "api:donations-donor-detail": Route("detail", "api_donor", api=True, methods=("get", "put", "patch"), write=Write(
        data=lambda world, donor: {"phone": NEW_PHONE}, done=_field_is("phone", NEW_PHONE), method="patch",
        by=COMMUNE_OFFICERS,
    )),
    "api:donations-campaign-list": Route("list", "api_campaign", api=True),
    "api:donations-campaign-detail": Route("detail", "api_campaign", api=True, methods=("get", "put", "patch"),
                                           write=Write(data=lambda world, campaign: {"name": NEW_CAMPAIGN},
                                                       done=_field_is("name", NEW_CAMPAIGN), method="patch",
                                                       by=COMMUNE_OFFICERS)),
    "api:donations-pledge-list": Route("list", "api_pledge", api=True),
    "api:donations-pledge-detail": Route("detail", "api_pledge", api=True),
    "api:donations-receipt-list": Route("list", "api_receipt", api=True),
    "api:donations-receipt-detail": Route("detail", "api_receipt", api=True),
    "api:donations-decision-list": Route("list", "api_decision", api=True),
    "api:donations-decision-detail": Route("detail", "api_decision", api=True),
    "api:donations-transfer-list": Route("list", "transfer", api=True),
    "api:donations-transfer-detail": Route("detail", "transfer", api=True),
    "api:donations-posting-list": Route("list", "api_posting", api=True),
    "api:donations-posting-detail": Route("detail", "api_posting", api=True),
    # A commune's posting is corrected by its district's committee (donations.permissions.can_reverse).
    "api:donations-posting-reverse": Route("action", "api_posting", api=True, editors=DISTRICT_MEMBERS, write=Write(
        data=lambda world, posting: {"reason": "Nhập trùng phiếu thu", "happened_on": "2025-10-21"},
        done=lambda posting: Posting.objects.filter(reverses=posting).exists(),
    )),
    # Donations: the receipt printed; the public disclosure pages (tests/donations/test_public.py
    # shows that they publish no personal data of anyone helped and no anonymous donor's name).
    "donations:receipt-pdf": Route("detail", "receipt", reader=pdf_text),
    "disclosure:unit": Route("public", kwargs=lambda world: {"pk": world.district.pk},
                             reason="published for everyone: a unit's fund totals, no personal data"),
    "disclosure:unit-receipts": Route("public", kwargs=lambda world: {"pk": world.district.pk},
                                      reason="published for everyone: a receipt found by its exact number or "
                                             "bank reference, without its donor"),
    "disclosure:campaign": Route("public", kwargs=lambda world: {"code": province_campaign(world.commune).code},
                                 reason="published for everyone: a campaign's totals, no personal data"),
    "disclosure:campaign-receipts": Route("public", kwargs=lambda world: {
                                              "code": province_campaign(world.commune).code},
                                          reason="published for everyone: a receipt found by its exact number or "
                                                 "bank reference, without its donor"),
    # Funds: a fund's bank statement import (its page on the fund, uploads by the fund's own officers).
    "donations:statement-import-create": Route("detail", "statement_fund", methods=("get", "post"), write=Write(
        data=lambda world, fund: {"file": _statement()},
        done=lambda fund: StatementImport.objects.filter(fund=fund).exists(), by=COMMUNE_OFFICERS)),
    "donations:statement-import-template": Route(
        "page", reader=xlsx_text, reason="an empty template; its example names a campaign the viewer sees"),
    "donations:statement-import-detail": Route("detail", "statement_import", methods=("get", "post")),
    # The progress bar its page polls while a worker checks or records the statement.
    "donations:statement-import-progress": Route("detail", "statement_import"),
}


# -- figures ------------------------------------------------------------------------------------------

_VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _ElementTexts(HTMLParser):
    """The text of every element of ``tag`` (any tag if None) whose attributes include ``attrs``."""

    def __init__(self, tag: str | None, attrs: dict[str, str]):
        super().__init__()
        self.tag, self.attrs = tag, attrs
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += tag not in _VOID_ELEMENTS
            self.texts[-1] += " "  # cells and lines are words apart
        elif (self.tag in (None, tag)) and self.attrs.items() <= dict(attrs).items():
            self.texts.append("")
            self._depth = 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            self.texts[-1] += " "

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def element_texts(html: str, tag: str | None = None, **attrs: str) -> list[str]:
    """``data_testid="x"`` stands for the attribute ``data-testid="x"``."""
    parser = _ElementTexts(tag, {name.replace("_", "-"): value for name, value in attrs.items()})
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts]


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def figure(tag: str | None = None, pattern: str = r"\d[\d.]*", **attrs: str) -> Callable[[str], int]:
    """A reader of the number in the first element matching ``tag`` and ``attrs`` (the first
    match of ``pattern`` in its text, or its group): 0 where the page leaves it out."""
    def read(html: str) -> int:
        for text in element_texts(html, tag, **attrs):
            found = re.search(pattern, text)
            if found:
                return _number(found.group(found.lastindex or 0))
        return 0
    return read


def column_sum(testid: str, column: int) -> Callable[[str], int]:
    """A reader of the sum of one column of a table's body rows (``column`` counts the row's
    heading cell as 0)."""
    def read(html: str) -> int:
        body = "".join(f"<tbody>{text}</tbody>" for text in re.findall(
            rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, flags=re.S))
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
        cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
        return sum(_number(re.sub(r"<[^>]+>|\s", "", row[column])) for row in cells if len(row) > column)
    return read


def figure_after(*marks: str) -> Callable[[str], int]:
    """A reader of the number that starts the element after each of ``marks`` in turn (a cell
    of the table's total row): 0 where the page leaves it out."""
    pattern = ".*?".join(re.escape(mark) for mark in marks) + r"[^>]*>\s*(\d[\d.]*)"

    def read(html: str) -> int:
        found = re.search(pattern, html, flags=re.S)
        return _number(found.group(1)) if found else 0
    return read


def occurrences(text: str) -> Callable[[str], int]:
    return lambda html: html.count(text)


HEADING_COUNT = figure("h1", pattern=r"\((\d[\d.]*)\)")  # "Households (12)"


@dataclass(frozen=True)
class Counted:
    """A figure on a page that counts records of ``model``: made twice in the viewer's commune
    and once in the nearest commune outside their scope, it must grow by two."""

    route: str
    model: str
    read: Callable[[str], int]  # (html) -> the figure; pages are read in English
    label: str
    kwargs: Callable | None = None  # (world, viewer) -> URL kwargs
    roles: tuple[str, ...] = VIEWER_ROLES


def _own_dashboard(world, viewer):
    return {"pk": viewer.unit_id}


def _province_programme_of(world, viewer):
    return {"pk": province_programme(world.commune).pk}


def _province_campaign_of(world, viewer):
    return {"pk": province_campaign(world.commune).pk}


POOR_COLUMN = 1  # the categories table: the unit, then poor, near-poor, ...
COUNTS: list[Counted] = [
    Counted("households:list", "household", HEADING_COUNT, "total"),
    Counted("households:list", "status_this_year", figure("a", href=f"?category=poor&year={_this_year()}"),
            "poor card"),
    Counted("households:review", "household", occurrences('data-testid="review-row"'), "rows",
            roles=COMMUNE_OFFICERS),
    Counted("housing:case-list", "case", HEADING_COUNT, "total"),
    Counted("housing:case-list", "case", figure("a", data_state="proposed"), "proposed badge"),
    Counted("housing:programme-list", "programme", HEADING_COUNT, "total"),
    Counted("housing:programme-list", "programme_case", figure(data_testid="programme-list", pattern=r"Cases (\d+)"),
            "programme's cases"),
    Counted("housing:programme-detail", "programme_case",
            figure(data_testid="state-counts", pattern=r"Proposed: (\d+)"), "proposed badge",
            kwargs=_province_programme_of),
    Counted("housing:programme-detail", "approved_house",
            figure_after('data-testid="progress-total"', 'data-col="new-approved"'), "approved in progress total",
            kwargs=_province_programme_of),
    Counted("donations:donor-list", "donor", HEADING_COUNT, "total"),
    Counted("donations:campaign-list", "campaign", HEADING_COUNT, "total"),
    Counted("donations:campaign-detail", "pledge", occurrences('data-testid="pledge-row"'), "pledge rows",
            kwargs=_province_campaign_of),
    Counted("donations:campaign-detail", "campaign_receipt", occurrences('data-testid="receipt-row"'),
            "receipt rows", kwargs=_province_campaign_of),
    Counted("reports:list", "report", HEADING_COUNT, "total"),
    Counted("user-list", "user", HEADING_COUNT, "total", roles=OVERSEERS),
    Counted("home", "user", figure(data_testid="users-total"), "active users"),
    Counted("home", "status_this_year", column_sum("categories-table", POOR_COLUMN), "poor households"),
    Counted("home", "approved_house", figure("tr", data_stage="approved"), "approved houses"),
    Counted("dashboard", "status_this_year", column_sum("categories-table", POOR_COLUMN), "poor households",
            kwargs=_own_dashboard),
    Counted("dashboard", "approved_house", figure("tr", data_stage="approved"), "approved houses",
            kwargs=_own_dashboard),
]


def options_of(html: str, name: str) -> set[str] | None:
    """The values of the options of the select named ``name``; None if the page has none."""
    found = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, flags=re.S)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))) if found else None

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


def routes_with(attribute: str) -> list[str]:
    """The routes that declare ``attribute`` (write, offers, finds)."""
    return [name for name, route in sorted(ROUTES.items()) if getattr(route, attribute) is not None]




# -- donations: the money pages (funds, receipts, spending decisions, reversals) ------------------------

_money_numbers = iter(range(1, 10**9))


def _money_number() -> str:
    """Zero-padded, so that no marker is the start of another ("… 1" of "… 12")."""
    return f"{next(_money_numbers):06d}"


def _officer_of(world, commune):
    return world.commune_officer if commune == world.commune else CommuneOfficerFactory(unit=commune)


def _donor(world, commune):
    return DonorFactory(unit=commune, name=f"Công ty TNHH Hảo Tâm {_money_number()}")


def _fund(world, commune):
    return FundFactory(unit=commune, name=f"Quỹ Vì người nghèo {_money_number()}")


def _receipt(world, commune, fund=None):
    return donation_services.receipt_record(
        actor=_officer_of(world, commune), fund=fund or _fund(world, commune), donor=_donor(world, commune),
        amount=10_000_000, happened_on=datetime.date(2025, 6, 1))


def _funded_fund(world, commune):
    """A fund of the commune holding 10.000.000 ₫ of one receipt."""
    fund = _fund(world, commune)
    _receipt(world, commune, fund)
    return fund


def _decision(world, commune):
    fund = _funded_fund(world, commune)
    return donation_services.decision_record(
        actor=_officer_of(world, commune), fund=fund, number=f"{_money_number()}/QĐ-MTTQ",
        decided_on=datetime.date(2025, 6, 2), signer="Nguyễn Văn Ký", payments=[donation_services.Payment(
            amount=2_000_000, purpose=Purpose.TET_GIFTS, household=HouseholdFactory(commune=commune))])


SCOPED_MODELS.update({
    "fund": ScopedModel(make=_fund, marker=lambda record: record.name),
    "funded_fund": ScopedModel(make=_funded_fund, marker=lambda record: record.name),
    "donor": ScopedModel(make=_donor, marker=lambda record: record.name),
    # Receipt numbers restart in every fund: the donor's name tells one receipt from another.
    "receipt": ScopedModel(make=_receipt, marker=lambda record: record.donor.name),
    "decision": ScopedModel(make=_decision, marker=lambda record: record.number),
    "posting": ScopedModel(make=lambda world, commune: _receipt(world, commune).posting,
                           marker=lambda record: record.receipt.donor.name),
    # A household a decision may pay, known by its head's name: the decision form suggests the
    # households of the fund's unit by code and name, and echoes the code an officer typed.
    "payable_household": ScopedModel(make=lambda world, commune: HouseholdFactory(commune=commune),
                                     marker=lambda record: record.head_name),
})


def _receipt_form(world, donor, campaign=None):
    return {"happened_on": "2025-06-01", "donor": donor.pk, "amount": "1.500.000", "method": "cash",
            "earmark": "none", "campaign": campaign.pk if campaign else "", "attached_documents": "0"}


def _transfer_form(destination):
    return {"destination": destination.pk, "amount": "3.000.000", "happened_on": "2025-06-03", "earmark": "none"}


def _transferred_into(destination):
    return PostingLine.objects.filter(fund=destination, posting__kind="transfer").exists()


def _decision_form(household, number="21/QĐ-MTTQ"):
    return {"number": number, "decided_on": "2025-06-04", "signer": "Nguyễn Văn Ký", "earmark": "none",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "100", "lines-0-amount": "2.000.000", "lines-0-purpose": "tet_gifts",
            "lines-0-household": household.code, "lines-1-amount": "", "lines-1-purpose": "",
            "lines-1-household": "", "lines-1-description": ""}


ROUTES.update({
    "donations:fund-list": Route("list", "fund"),
    "donations:fund-create": Route("page", methods=("get", "post"),
                                   reason="a fund of the viewer's own unit: nothing scoped to choose"),
    "donations:fund-detail": Route("detail", "fund"),
    "donations:transfer-create": Route(
        "detail", "funded_fund", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        kwargs=lambda world: {"pk": _funded_fund(world, world.commune).pk},
        write=Write(data=lambda world, fund: _transfer_form(FundFactory(unit=fund.unit)),
                    done=lambda fund: PostingLine.objects.filter(fund=fund, posting__kind="transfer").exists()),
        offers=Offers({"destination": "fund"}, data=lambda world, chosen: _transfer_form(chosen["destination"]),
                      done=lambda chosen: _transferred_into(chosen["destination"])),
    ),
    "donations:posting-reverse": Route(
        "detail", "posting", methods=("get", "post"), editors=DISTRICT_MEMBERS,
        write=Write(data=lambda world, posting: {"reason": "Ghi nhầm số tiền", "happened_on": "2025-06-05"},
                    done=lambda posting: Posting.objects.filter(reverses=posting).exists()),
    ),
    "donations:receipt-list": Route("list", "receipt"),
    "donations:receipt-create": Route(
        "detail", "fund", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        kwargs=lambda world: {"pk": _fund(world, world.commune).pk},
        write=Write(data=lambda world, fund: _receipt_form(world, DonorFactory(unit=fund.unit)),
                    done=lambda fund: Receipt.objects.filter(fund=fund).exists()),
        offers=Offers({"donor": "donor", "campaign": "campaign"},
                      data=lambda world, chosen: _receipt_form(world, chosen["donor"], chosen["campaign"]),
                      done=lambda chosen: Receipt.objects.filter(**chosen).exists()),
    ),
    "donations:receipt-detail": Route("detail", "receipt"),
    "donations:decision-list": Route("list", "decision"),
    "donations:decision-create": Route(
        "detail", "funded_fund", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        kwargs=lambda world: {"pk": _funded_fund(world, world.commune).pk},
        write=Write(data=lambda world, fund: _decision_form(HouseholdFactory(commune=fund.unit)),
                    done=lambda fund: SpendingDecision.objects.filter(fund=fund).exists()),
        offers=Offers({"household": "payable_household"},
                      data=lambda world, chosen: _decision_form(chosen["household"]),
                      done=lambda chosen: PostingLine.objects.filter(household=chosen["household"]).exists()),
    ),
    "donations:decision-detail": Route("detail", "decision"),
})

COUNTS.extend([
    Counted("donations:fund-list", "fund", HEADING_COUNT, "total"),
    Counted("donations:receipt-list", "receipt", HEADING_COUNT, "total"),
    Counted("donations:decision-list", "decision", HEADING_COUNT, "total"),
])


# -- donations: the member organisations and their activities ---------------------------------------

_organisation_numbers = iter(range(700_001, 10**9))


def _organisation(world, commune):
    return OrganisationFactory(unit=commune, name=f"Hội Chữ thập đỏ {commune.code}-{next(_organisation_numbers)}")


def _own_organisation(world, commune, viewer=None):
    """An organisation of the viewer's own unit (the ones an activity they record may be of);
    without a viewer, one of the commune given."""
    return _organisation(world, viewer.unit if viewer is not None else commune)


def _membered_organisation(world, commune):
    """An organisation with one year of members, a number no other organisation has: its marker,
    what its list of members shows."""
    organisation = _organisation(world, commune)
    Membership.objects.create(organisation=organisation, year=2023, members=next(_organisation_numbers))
    return organisation


def _activity(world, commune):
    return ActivityFactory(unit=commune, name=f"Khám bệnh miễn phí {commune.code}-{next(_organisation_numbers)}")


SCOPED_MODELS.update({
    "organisation": ScopedModel(make=_organisation, marker=lambda record: record.name),
    "own_organisation": ScopedModel(make=_own_organisation, marker=lambda record: record.name, by_viewer=True),
    "membered_organisation": ScopedModel(make=_membered_organisation,
                                         marker=lambda record: str(record.memberships.get().members)),
    "activity": ScopedModel(make=_activity, marker=lambda record: record.name),
})

NEW_ORGANISATION_NAME = "Hội Chữ thập đỏ Đổi Tên (harness)"
NEW_ACTIVITY_NAME = "Trợ giúp pháp lý lưu động (harness)"
HARNESS_MEMBERS = 4_321


def _activity_form(world, activity, organisation=None):
    return {"kind": "legal_aid", "name": NEW_ACTIVITY_NAME, "starts_on": "01/06/2025", "ends_on": "",
            "occurrences": "2", "people_served": "35", "value": "3.500.000", "households": "", "funders": "",
            "note": "", "organisation": organisation.pk if organisation else ""}


def _members_recorded(organisation):
    return Membership.objects.filter(organisation=organisation, members=HARNESS_MEMBERS).exists()


ROUTES.update({
    "support:organisation-list": Route("list", "organisation"),
    "support:organisation-create": Route("page", methods=("get", "post"),
                                         reason="an organisation of the viewer's own unit: nothing scoped to choose"),
    "support:organisation-detail": Route("detail", "organisation"),
    # Kept by the unit that recorded the organisation: the units above see it and do not change it.
    "support:organisation-update": Route(
        "detail", "organisation", methods=("get", "post"), editors=COMMUNE_OFFICERS,
        write=Write(data=lambda world, organisation: {"kind": organisation.kind, "name": NEW_ORGANISATION_NAME},
                    done=_field_is("name", NEW_ORGANISATION_NAME))),
    "support:organisation-history": Route("detail", "organisation"),
    "support:membership-record": Route("action", "organisation", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, organisation: {"year": "2024", "members": str(HARNESS_MEMBERS)}, done=_members_recorded)),
    "support:activity-list": Route("list", "activity"),
    # An activity of the viewer's own unit, of one of its own organisations.
    "support:activity-create": Route(
        "page", methods=("get", "post"),
        offers=Offers({"organisation": "own_organisation"},
                      data=lambda world, chosen: _activity_form(world, None, chosen["organisation"]),
                      done=lambda chosen: Activity.objects.filter(organisation=chosen["organisation"]).exists())),
    "support:activity-detail": Route("detail", "activity"),
    "support:activity-update": Route("detail", "activity", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                     write=Write(data=_activity_form, done=_field_is("name", NEW_ACTIVITY_NAME))),
    "support:activity-history": Route("detail", "activity"),
    "api:donations-organisation-list": Route("list", "organisation", api=True),
    "api:donations-organisation-detail": Route(
        "detail", "organisation", api=True, methods=("get", "put", "patch"), write=Write(
            data=lambda world, organisation: {"name": NEW_ORGANISATION_NAME},
            done=_field_is("name", NEW_ORGANISATION_NAME), method="patch", by=COMMUNE_OFFICERS)),
    "api:donations-organisation-memberships": Route(
        "detail", "membered_organisation", api=True, methods=("get", "post"), write=Write(
            data=lambda world, organisation: {"year": 2024, "members": HARNESS_MEMBERS}, done=_members_recorded,
            by=COMMUNE_OFFICERS)),
    "api:donations-activity-list": Route("list", "activity", api=True),
    "api:donations-activity-detail": Route(
        "detail", "activity", api=True, methods=("get", "put", "patch"), write=Write(
            data=lambda world, activity: {"name": NEW_ACTIVITY_NAME}, done=_field_is("name", NEW_ACTIVITY_NAME),
            method="patch", by=COMMUNE_OFFICERS)),
})

COUNTS.extend([
    Counted("support:organisation-list", "organisation", HEADING_COUNT, "total"),
    Counted("support:organisation-list", "organisation", figure("td", data_col="organisations"), "counted by kind"),
    Counted("support:activity-list", "activity", HEADING_COUNT, "total"),
    Counted("support:activity-list", "activity", figure(data_testid="total-activities"), "activities in the totals"),
])
# -- support to households: a batch's signature sheets and its recipient list imports ----------------


def _sheet_batch(world, commune):
    """A draft batch of the commune with one household, whose head's name (short, so that the PDF
    prints it on one line) the sheets show."""
    household = HouseholdFactory(commune=commune, head_name=f"Lê Ký {_money_number()}")
    return batch_with(commune, [household], occasion=f"Quà Tết {_money_number()}")


def _import_batch(world, commune):
    return funded_batch(commune, actor=_officer_of(world, commune), occasion=f"Quà Tết {_money_number()}")


def _batch_import(world, commune):
    batch = _import_batch(world, commune)
    return BatchImport.objects.create(batch=batch, uploaded_by=batch.created_by, status="invalid", row_count=1,
                                      original_name=f"danh-sach-{_money_number()}.xlsx",
                                      errors=[{"row": 5, "column": "Mã hộ", "message": "Không tìm thấy hộ."}])


def _member_list(world, batch):
    """An organisation's list of one household of the batch's commune: the upload stores it and
    queues its check."""
    workbook = Workbook()
    workbook.active.append([column.header for column in BATCH_LIST_COLUMNS])
    workbook.active.append([HouseholdFactory(commune=batch.unit).code])
    content = BytesIO()
    workbook.save(content)
    return SimpleUploadedFile("danh-sach.xlsx", content.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _head_of_line(batch):
    return batch.recipients.select_related("household").get().household.head_name


SCOPED_MODELS.update({
    "sheet_batch": ScopedModel(make=_sheet_batch, marker=_head_of_line),
    "import_batch": ScopedModel(make=_import_batch, marker=lambda record: record.occasion),
    "batch_import": ScopedModel(make=_batch_import, marker=lambda record: record.original_name),
})

ROUTES.update({
    "support:batch-sheet-xlsx": Route("detail", "sheet_batch", reader=xlsx_text),
    "support:batch-sheet-pdf": Route("detail", "sheet_batch", reader=pdf_text),
    "support:batch-import-create": Route("detail", "import_batch", methods=("get", "post"), write=Write(
        data=lambda world, batch: {"file": _member_list(world, batch)},
        done=lambda batch: batch.imports.exists(), by=COMMUNE_OFFICERS)),
    "support:batch-import-template": Route("page", reader=xlsx_text, reason="an empty template with a made-up "
                                                                            "example"),
    "support:batch-import-detail": Route("detail", "batch_import", methods=("get", "post")),
    # The progress bar its page polls while a worker checks or adds the list.
    "support:batch-import-progress": Route("detail", "batch_import"),
})
# -- support to households: kinds of support and batches (donations/support) ----------------------------

HARNESS_OCCASION = "Quà Tết của huyện (kiểm tra phạm vi)"
ADDED_REASON = "Ốm nặng, mới phát sinh"


def _support_batch(world, commune, *, households=0):
    """A draft batch of the commune's, from its fund, named for the commune (its marker), with
    ``households`` poor households of the commune as recipients."""
    from .donations.support_factories import batch_with, poor_household

    households = [poor_household(commune) for _ in range(households)]
    return batch_with(commune, households, actor=_officer_of(world, commune),
                      occasion=f"Quà Tết {commune.name} {_money_number()}")


def _support_confirmed(world, commune, *, delivered=False):
    from donations.support import services as support_services

    from .donations.support_factories import deliver_all

    officer = _officer_of(world, commune)
    batch = support_services.batch_confirm(actor=officer, batch=_support_batch(world, commune, households=1))
    if delivered:
        deliver_all(batch, officer, day=timezone.localdate())
    return batch


def _support_line(world, commune, *, confirmed=False):
    batch = _support_confirmed(world, commune) if confirmed else _support_batch(world, commune, households=1)
    return batch.recipients.select_related("household").get()


def _scholarship_line(world, commune):
    """A line of a draft scholarship batch of the commune's: a pupil of a poor household."""
    from .donations.support_factories import batch_with, poor_household, pupil_of

    household = poor_household(commune)
    pupil_of(household)
    batch = batch_with(commune, [household], actor=_officer_of(world, commune), code="scholarship",
                       occasion=f"Học bổng {commune.name} {_money_number()}")
    return batch.recipients.select_related("household").get()


SCHOOL = "Trường Tiểu học kiểm tra phạm vi"


def _choosable_batch(world, commune):
    """A draft of the commune's, and a poor household of the commune (2026) not in it yet."""
    from .donations.support_factories import poor_household

    poor_household(commune)
    return _support_batch(world, commune)


def _district_batch(world):
    """The district's Tet batch, seen by its communes, its own officers and the province."""
    from donations.support.models import Batch

    from .donations.support_factories import funded_batch

    return (Batch.objects.filter(unit=world.district, occasion=HARNESS_OCCASION).first()
            or funded_batch(world.district, actor=world.district_member, occasion=HARNESS_OCCASION))


def _district_batch_line(world, commune):
    """A line of the district's batch for a household of ``commune``: a commune officer sees and
    counts only their commune's lines of it."""
    from donations.support.models import Recipient

    return Recipient.objects.create(batch=_district_batch(world), household=HouseholdFactory(commune=commune),
                                    value=500_000)


def _new_batch_form(world, chosen):
    from .donations.support_factories import kind

    return {"kind": kind().pk, "occasion": "Quà Tết kiểm tra phạm vi", "happened_on": "10/02/2026",
            "fund": chosen["fund"].pk, "earmark": "none", "value": "500.000"}


def _batch_state_is(state):
    from donations.support.models import Batch

    return lambda batch: Batch.objects.get(pk=batch.pk).state == state


def _recipient_is(**values):
    from donations.support.models import Recipient

    return lambda line: Recipient.objects.filter(pk=line.pk, **values).exists()


def _added_by_hand(world, batch):
    return {"household": HouseholdFactory(commune=batch.unit).code, "reason": ADDED_REASON}


SCOPED_MODELS.update({
    # A commune's batch: its occasion names the commune.
    "batch": ScopedModel(make=_support_batch, marker=lambda record: record.occasion),
    # A draft with a poor household of the commune that is not in it yet (chosen by the filters).
    "choosable_batch": ScopedModel(make=lambda world, commune: _choosable_batch(world, commune),
                                   marker=lambda record: record.occasion),
    "batch_with_line": ScopedModel(make=lambda world, commune: _support_batch(world, commune, households=1),
                                   marker=lambda record: record.occasion),
    "confirmed_batch": ScopedModel(make=lambda world, commune: _support_confirmed(world, commune),
                                   marker=lambda record: record.occasion),
    "delivered_batch": ScopedModel(make=lambda world, commune: _support_confirmed(world, commune, delivered=True),
                                   marker=lambda record: record.occasion),
    "batch_line": ScopedModel(make=lambda world, commune: _support_line(world, commune),
                              marker=lambda record: record.household.code),
    "confirmed_line": ScopedModel(make=lambda world, commune: _support_line(world, commune, confirmed=True),
                                  marker=lambda record: record.household.code),
    "scholarship_line": ScopedModel(make=_scholarship_line, marker=lambda record: record.household.code),
    "district_batch_line": ScopedModel(make=_district_batch_line, marker=lambda record: record.household.code),
})

ROUTES.update({
    "support:kind-list": Route("page", reason="the nationwide kinds of support and those of the viewer's unit "
                                              "and the units above it (SupportKind.objects.available_to)"),
    "support:kind-create": Route("page", methods=("get", "post"),
                                 reason="a kind of the viewer's own unit: nothing scoped to choose"),
    "support:batch-list": Route("list", "batch"),
    # The fund a batch draws on is one the viewer manages: their own unit's.
    "support:batch-create": Route(
        "page", methods=("get", "post"),
        offers=Offers({"fund": "managed_fund"}, data=_new_batch_form,
                      done=lambda chosen: _support_batch_of(chosen["fund"])),
    ),
    "support:batch-detail": Route("detail", "batch"),
    # Drawn up by the officers of the batch's unit: the units above see it, and are refused here.
    "support:batch-choose": Route("detail", "choosable_batch", methods=("get", "post"), editors=COMMUNE_OFFICERS,
                                  write=Write(data=lambda world, batch: {"category": "poor", "year": "2026"},
                                              done=lambda batch: batch.recipients.exists())),
    "support:recipient-add": Route("action", "batch", editors=COMMUNE_OFFICERS, write=Write(
        data=_added_by_hand, done=lambda batch: batch.recipients.filter(added_reason=ADDED_REASON).exists())),
    "support:recipient-remove": Route("action", "batch_line", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, line: {"reason": "Đã chuyển đi"}, done=_recipient_is(removed=True))),
    "support:recipient-details": Route("detail", "scholarship_line", methods=("get", "post"),
                                       editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, line: {"school": SCHOOL, "grade": "3", "school_year": "2025-2026"},
        done=_recipient_is(school=SCHOOL))),
    "support:batch-confirm": Route("action", "batch_with_line", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, batch: {}, done=_batch_state_is("confirmed"))),
    "support:batch-close": Route("action", "delivered_batch", editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, batch: {}, done=_batch_state_is("closed"))),
    "support:batch-deliveries": Route("detail", "confirmed_batch"),
    # Recorded by any Front officer whose unit covers the household (the district's, too).
    "support:delivery-record": Route("action", "confirmed_line", write=Write(
        data=lambda world, line: {"delivery": "refused"}, done=_recipient_is(delivery="refused"))),
    "support:batch-history": Route("detail", "batch"),
})


def _support_batch_of(fund) -> bool:
    from donations.support.models import Batch

    return Batch.objects.filter(fund=fund, occasion="Quà Tết kiểm tra phạm vi").exists()


def _district_batch_of(world, viewer):
    return {"pk": _district_batch(world).pk}


COUNTS.extend([
    Counted("support:batch-list", "batch", HEADING_COUNT, "total"),
    # A commune officer counts only their commune's lines of the district's batch.
    Counted("support:batch-detail", "district_batch_line", figure(data_testid="figure-lines"), "lines",
            kwargs=_district_batch_of),
    Counted("support:batch-list", "district_batch_line", figure(data_testid="batch-lines"), "lines of the batch",
            roles=COMMUNE_OFFICERS),
])


# -- support to households: the API of batches, their recipients and deliveries ------------------------

_support_numbers = iter(range(1, 10**9))


def _support_number() -> str:
    return f"{next(_support_numbers):06d}"


def _own_kind(world, commune, viewer=None):
    """A kind of support of the viewer's own unit (the kinds a unit may give are its own and those
    above it); without a viewer, one the commune's committee added."""
    unit = viewer.unit if viewer is not None else commune
    return own_kind(unit, actor=viewer, name=f"Hỗ trợ riêng {_support_number()}")


def _batch(world, commune):
    """A draft of the commune drawing on its Fund for the Poor, known by its occasion."""
    return funded_batch(commune, occasion=f"Quà Tết harness {_support_number()}")


def _batch_with_poor(world, commune):
    """A draft of the commune, and a poor household of the commune to add by filter."""
    poor_household(commune)
    return _batch(world, commune)


def _batch_of_one(world, commune, **fields):
    return batch_with(commune, [poor_household(commune)], occasion=f"Quà Tết harness {_support_number()}", **fields)


def _handed_out_batch(world, commune):
    """A confirmed batch of the commune whose one line is delivered: ready to close."""
    officer = manager_of(commune)
    batch = support_services.batch_confirm(actor=officer, batch=_batch_of_one(world, commune, actor=officer))
    deliver_all(batch, officer)
    return batch


def _flagged_batch(world, commune):
    """A draft of the commune whose household the district helped for the same occasion."""
    household, occasion = poor_household(commune), f"Quà Tết cờ {_support_number()}"
    batch_with(commune.district, [household], occasion=occasion)
    return batch_with(commune, [household], occasion=occasion)


HARNESS_DISTRICT_TET = "Quà Tết huyện (harness)"


def district_batch(district):
    """The district's draft Tet batch, handed out by its communes: every commune's lines in one batch."""
    return (Batch.objects.filter(unit=district, occasion=HARNESS_DISTRICT_TET).first()
            or funded_batch(district, occasion=HARNESS_DISTRICT_TET))


def _district_recipient(world, commune):
    """A line of the district's batch for a household of the commune: a commune officer sees their
    commune's lines of it, not their neighbour's."""
    return support_services.recipient_add(actor=manager_of(commune.district), batch=district_batch(commune.district),
                                          household=poor_household(commune), reason="Hộ neo đơn (harness)")


def _handed_out_recipient(world, commune):
    """A line, for a household of the commune, of a confirmed batch of its district."""
    batch = confirmed_batch(commune.district, [poor_household(commune)],
                            occasion=f"Quà Tết harness {_support_number()}")
    return batch.recipients.get()


def _recipient_is(**values):
    return lambda line: Recipient.objects.filter(pk=line.pk, **values).exists()


def _batch_state_is(state):
    return lambda batch: Batch.objects.get(pk=batch.pk).state == state


def _district_lines_shown(body: str) -> int:
    """The lines of the harness's district batches the batch list says the viewer sees."""
    rows = json.loads(body)["results"]
    return sum(row["recipients"] for row in rows if row["occasion"] == HARNESS_DISTRICT_TET)


NEW_OCCASION = "Quà Tết Bính Ngọ 2026 (harness)"

SCOPED_MODELS.update({
    "support_kind": ScopedModel(make=_own_kind, marker=lambda record: record.name_vi, by_viewer=True),
    "api_batch": ScopedModel(make=_batch, marker=lambda record: record.occasion),
    "batch_with_poor": ScopedModel(make=_batch_with_poor, marker=lambda record: record.occasion),
    "drafted_batch": ScopedModel(make=_batch_of_one, marker=lambda record: record.occasion),
    "handed_out_batch": ScopedModel(make=_handed_out_batch, marker=lambda record: record.occasion),
    # Its flags list the household the district helped too.
    "flagged_batch": ScopedModel(make=_flagged_batch, marker=lambda record: record.recipients.get().household.code),
    "district_recipient": ScopedModel(make=_district_recipient, marker=lambda record: record.household.code),
    "handed_out_recipient": ScopedModel(make=_handed_out_recipient, marker=lambda record: record.household.code),
})

ROUTES.update({
    "api:donations-support-kind-list": Route("list", "support_kind", api=True),
    "api:donations-support-kind-detail": Route("detail", "support_kind", api=True),
    "api:donations-batch-list": Route("list", "api_batch", api=True),
    # Drawn up, confirmed and closed by the batch's own unit; the units above see it and do not change it.
    "api:donations-batch-detail": Route("detail", "api_batch", api=True, methods=("get", "put", "patch", "delete"),
                                        write=Write(data=lambda world, batch: {"occasion": NEW_OCCASION},
                                                    done=_field_is("occasion", NEW_OCCASION), method="patch",
                                                    by=COMMUNE_OFFICERS)),
    "api:donations-batch-recipients-by-filter": Route(
        "action", "batch_with_poor", api=True, editors=COMMUNE_OFFICERS,
        write=Write(data=lambda world, batch: {"category": "poor", "year": 2026},
                    done=lambda batch: batch.recipients.exists())),
    "api:donations-batch-confirm": Route("action", "drafted_batch", api=True, editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, batch: {}, done=_batch_state_is("confirmed"))),
    "api:donations-batch-close": Route("action", "handed_out_batch", api=True, editors=COMMUNE_OFFICERS, write=Write(
        data=lambda world, batch: {}, done=_batch_state_is("closed"))),
    "api:donations-batch-flags": Route("detail", "flagged_batch", api=True),
    "api:donations-recipient-list": Route("list", "district_recipient", api=True),
    "api:donations-recipient-detail": Route("detail", "district_recipient", api=True),
    # A line of the district's batch is taken out by the district; its communes hand it out.
    "api:donations-recipient-remove": Route("action", "district_recipient", api=True, editors=DISTRICT_MEMBERS,
                                            write=Write(data=lambda world, line: {"reason": "Chuyển đi nơi khác"},
                                                        done=_recipient_is(removed=True))),
    "api:donations-recipient-details": Route("action", "scholarship_line", api=True, editors=COMMUNE_OFFICERS,
                                             write=Write(data=lambda world, line: {"school": SCHOOL, "grade": "3"},
                                                         done=_recipient_is(school=SCHOOL))),
    "api:donations-recipient-delivery": Route("action", "handed_out_recipient", api=True, write=Write(
        data=lambda world, line: {"delivery": "delivered", "delivered_on": "2026-02-10"},
        done=_recipient_is(delivery="delivered"))),
})

COUNTS.extend([
    # The district's batch, seen by its communes: its figures and its row count the viewer's lines only.
    Counted("api:donations-batch-detail", "district_recipient", lambda body: json.loads(body)["figures"]["lines"],
            "lines of the district's batch", kwargs=lambda world, viewer: {"pk": district_batch(world.district).pk}),
    Counted("api:donations-batch-list", "district_recipient", _district_lines_shown, "recipients of district batches"),
])

# The typical models' routes (models_registry) are declared in their own modules, which add to the
# tables above: the commune's pages, the level above's pages, the API.
# The reports' document settings (a unit's signer and recipients) and the 2025 reform's pages
# (households' split communes): their own modules too.
from . import (  # noqa: E402, F401
    scope_models_above,
    scope_models_api,
    scope_models_pages,
    scope_reform,
    scope_reports_documents,
)

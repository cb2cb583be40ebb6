"""The annual report's bench data (tests/bench_annual.py) on a tiny scale: each loader writes what the
services would (every model's and case's last step is the state it is in, replicas copy a model
recognised the year before, support lines delivered on their batch's day), and the report the bench
times is made from it, each table for the year and the year before."""

import datetime
import random
from io import BytesIO

from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from donations.support.models import Activity, Membership, Organisation, Recipient
from frontwelfare.reports import periods
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from frontwelfare.reports.services import report_build
from housing.models import CaseTransition
from models_registry.models import ModelStep, TypicalModel
from tests.bench_annual import (
    annual_kind,
    case_steps,
    organisations_load,
    support_load,
    typical_models_load,
)
from tests.donations.factories import FundFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import case_in_state

TODAY = datetime.date(2026, 12, 7)
YEARS = (2025, 2026)


def test_each_case_gets_the_steps_to_the_state_it_is_in_once(world):
    cases = [case_in_state(state, household=HouseholdFactory(commune=world.commune))
             for state in ("proposed", "approved", "rejected", "handed_over")]

    written = case_steps()

    assert case_steps() == 0  # cases with steps are left alone
    assert written == 1 + 3 + 3 + 6
    for case in cases:
        steps = list(CaseTransition.objects.filter(case=case).order_by("happened_on", "id"))
        assert steps[-1].to_state == case.state
        assert [step.happened_on for step in steps] == sorted(step.happened_on for step in steps)


def test_models_organisations_and_support_load_as_the_services_would_and_the_report_reads_them(world):
    for commune in (world.commune, world.sibling_commune, world.other_district_commune):
        for _ in range(5):
            HouseholdFactory(commune=commune)
    for district in (world.district, world.other_district):
        FundFactory(unit=district)
    made = {"actor": world.provincial_officer, "today": TODAY, "rng": random.Random(1)}

    models = typical_models_load(world.province, YEARS, count=60, **made)
    organisations = organisations_load(world.province, YEARS, activities=12, **made)
    support = support_load(world.province, YEARS, recipients=24, **made)

    assert models["models"] == TypicalModel.objects.count() == 60
    for model in TypicalModel.objects.prefetch_related("steps"):
        steps = sorted(model.steps.all(), key=lambda step: (step.happened_on, step.pk))
        assert steps[-1].to_state == model.state
        assert all(step.happened_on.year == model.round.year and step.happened_on <= TODAY for step in steps)
    replicas = TypicalModel.objects.filter(replicates__isnull=False).select_related("replicates__round", "round")
    assert replicas.exists()
    assert all(replica.replicates.round.year == replica.round.year - 1 and replica.replicates.state in
               ("recognised", "proposed_higher") for replica in replicas)
    assert organisations["organisations"] == Organisation.objects.count()
    assert Membership.objects.count() == 2 * organisations["organisations"]
    assert Activity.objects.count() == 12
    assert support["batches"] == 2 * 2 * 3 and support["recipients"] == Recipient.objects.count() > 0
    assert not Recipient.objects.filter(delivery="delivered").exclude(delivered_on=F("batch__happened_on")).exists()

    report = Report.objects.create(kind=annual_kind().value, unit=world.province, period_kind="year",
                                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31),
                                   format=ReportFormat.XLSX, requested_by=world.provincial_officer)
    report_build(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    sheets = {sheet.cell(4, 1).value: list(sheet.iter_rows(values_only=True))
              for sheet in load_workbook(BytesIO(report.file.read())).worksheets}
    with translation.override("vi"):
        by_unit, total = gettext("Typical models by unit"), gettext("Total")
        compared = gettext("%(title)s: compared with %(period)s") % {"title": by_unit,
                                                                     "period": periods.year(2025).label}
        registered_label = gettext("Registered")
    registered = {year: ModelStep.objects.filter(name="register", happened_on__year=year).count() for year in YEARS}
    assert all(registered.values())
    assert next(row for row in sheets[by_unit] if row[0] == total)[1] == registered[2026]
    assert next(row for row in sheets[compared] if row[0] == registered_label)[1:3] == (registered[2026],
                                                                                        registered[2025])

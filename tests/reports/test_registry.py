"""A kind of report is a named list of sections that an app registers (frontwelfare.reports.registry):
a new one is asked for, made and served again with no change in frontwelfare.reports; and the
service checks a kind's options itself, whoever calls it."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from openpyxl import load_workbook

from frontwelfare.reports import periods, registry, services
from frontwelfare.reports.breakdown import grouped
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.data import Column
from frontwelfare.reports.models import Report
from frontwelfare.reports.tables import unit_table
from households.models import Household
from housing.report_sections import HOUSING

from ..households.factories import HouseholdFactory
from ..housing.factories import ProgrammeFactory

YEAR_2025 = periods.year(2025)
built_for = []  # the units the fake section's figures were computed for


def _households(context):
    """A fake app's section: the households of each row, one grouped query."""
    built_for.append(context.unit.pk)
    rows = (Household.objects.filter(context.within("commune")).values(row=context.key("commune")).order_by()
            .annotate(n=Count("id")))
    return [unit_table("Registered households", context.breakdown.units, grouped(rows, "row", ["n"]),
                       [("n", Column("Households"))])]


def _version(context):
    return [Household.history.filter(context.within("commune")).aggregate(v=Max("history_id"))["v"]]


@pytest.fixture
def census_kind():
    registry.register_section(registry.ReportSection("tests.households", _households, _version))
    registry.register_kind(registry.ReportKindSpec("tests_census", "Census", "Household census",
                                                   sections=("tests.households",), file_word="census"))
    built_for.clear()
    yield "tests_census"
    registry.unregister_kind("tests_census")
    registry.unregister_section("tests.households")


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr("frontwelfare.reports.tasks.report_build_task.apply_async",
                        lambda args, **options: sent.append(args[0]))
    return sent


def _ask(world, kind, capture, **arguments):
    with capture(execute=True):
        return services.report_request(actor=world.district_member, kind=kind, unit=world.district,
                                       period=YEAR_2025, file_format=ReportFormat.XLSX, **arguments)


def test_a_kind_registered_by_an_app_is_asked_for_made_and_served_again(
        world, census_kind, queued, django_capture_on_commit_callbacks):
    for commune in (world.commune, world.commune, world.sibling_commune, world.other_district_commune):
        HouseholdFactory(commune=commune)

    report = _ask(world, census_kind, django_capture_on_commit_callbacks)
    assert queued == [report.pk]
    services.report_build(report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (ReportStatus.DONE, 100, "")
    assert report.get_kind_display() == "Census"
    sheet = load_workbook(BytesIO(report.file.read())).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] and row[1] is not None}
    assert (rows["Xã Phú Mỹ"], rows["Thị trấn Phước Mỹ Trung"]) == (1, 2)
    assert built_for == [world.district.pk]
    # Nothing it counts has changed: the same request is served from the file.
    assert _ask(world, census_kind, django_capture_on_commit_callbacks) == report
    assert queued == [report.pk]
    HouseholdFactory(commune=world.sibling_commune)
    assert _ask(world, census_kind, django_capture_on_commit_callbacks) != report


def test_a_kind_no_app_registered_is_refused(world, queued):
    with pytest.raises(ValidationError):
        services.report_request(actor=world.district_member, kind="tests_census", unit=world.district,
                                period=YEAR_2025, file_format=ReportFormat.XLSX)
    assert not Report.objects.exists()


def test_an_option_the_kind_does_not_take_is_refused(world, census_kind, queued):
    programme = ProgrammeFactory(unit=world.district)
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=world.district_member, kind=census_kind, unit=world.district,
                                period=YEAR_2025, file_format=ReportFormat.XLSX, options={"programme": programme.pk})
    assert list(refused.value.message_dict) == ["programme"]


@pytest.mark.parametrize("whose", ["other_district", "other_province"])
def test_the_service_refuses_a_programme_not_covering_the_unit_or_out_of_sight(world, queued, whose):
    # The other district's programme covers the province, not this district; the other province's
    # is not one the district member may see at all.
    programme = ProgrammeFactory(unit=getattr(world, whose))
    asker = world.provincial_officer if whose == "other_district" else world.district_member
    with pytest.raises(ValidationError) as refused:
        services.report_request(actor=asker, kind=HOUSING, unit=world.district, period=YEAR_2025,
                                file_format=ReportFormat.XLSX, options={"programme": programme.pk})
    assert list(refused.value.message_dict) == ["programme"]
    assert not Report.objects.exists()


def test_a_housing_report_of_one_programme_is_served_again_only_for_that_programme(
        world, queued, django_capture_on_commit_callbacks):
    one, other = ProgrammeFactory(unit=world.district), ProgrammeFactory(unit=world.province)
    first = _ask(world, HOUSING, django_capture_on_commit_callbacks, options={"programme": one.pk})
    assert first.options == {"programme": one.pk}
    assert _ask(world, HOUSING, django_capture_on_commit_callbacks, options={"programme": one.pk}) == first
    assert _ask(world, HOUSING, django_capture_on_commit_callbacks, options={"programme": other.pk}) != first
    assert _ask(world, HOUSING, django_capture_on_commit_callbacks, options={"programme": None}).options == {}
    assert Report.objects.count() == 3


def test_a_report_of_a_programme_is_titled_and_named_by_it(world, queued, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(unit=world.district, name="Xóa nhà tạm 2025", decision_number="781/QĐ-UBND",
                                 start_date=datetime.date(2025, 1, 1))
    report = _ask(world, HOUSING, django_capture_on_commit_callbacks, options={"programme": programme.pk})
    services.report_build(report.pk)
    report.refresh_from_db()
    title = load_workbook(BytesIO(report.file.read())).worksheets[0]["A1"].parent
    assert any("XÓA NHÀ TẠM 2025" in str(cell.value) for row in title.iter_rows() for cell in row)

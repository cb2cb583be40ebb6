"""The typical models in the reports (models_registry.report_sections), on the models of
tests/models_registry/report_data.py: registered, inspected and recognised counted by the day each
step happened (however late it was entered), by unit and by field, within the report's unit only;
the round by state; the replication figures; the round's synthesis with the communes that registered
none marked; a fixed number of queries; the files made by a real Celery worker, read back; and the
dashboard's panel, equal to the report for each viewer."""

import datetime
import shutil
import subprocess
import time
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from frontwelfare.reports import figures, periods, registry
from frontwelfare.reports import services as report_services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.report_sections import SOCIAL_SECURITY
from models_registry import services
from models_registry.models import ModelStep
from models_registry.report_sections import SYNTHESIS, TYPICAL_MODELS, not_registered, synthesis_rows
from models_registry.services import SYNTHESIS_REPORT

from ..factories import CommuneFactory
from ..reports.test_dashboard import _figures, _page
from ..workers import celery_workers as celery_workers
from .report_data import (
    BINS,
    COMMUNE,
    DRAFT_NAME,
    EMPTY,
    OUTSIDER,
    OUTSIDER_REPLICA,
    PIGGY,
    REPLICA,
    SIBLING,
    TODAY,
    WELLS,
    _on,
    build_models,
)

YEAR_2025 = periods.year(2025)
YEAR_SO_FAR = periods.date_range(datetime.date(2025, 1, 1), TODAY)
STEP_COLUMNS = ["Registered", "Inspected", "Recognised"]
# The state columns, in workflow order.
DRAFT, REGISTERED, SUBMITTED, RECOGNISED = 0, 1, 2, 7


@pytest.fixture
def models(world):
    return build_models(world)


def _report(kind, unit, period=YEAR_2025):
    with translation.override("en"):
        return figures.report_data(SimpleNamespace(kind=kind, unit=unit, period=period, options={}))


def _tables(report) -> dict[str, dict[str, list]]:
    """{section title: {first cell of each row (and "Total"): the rest of the row}}."""
    return {section.title: {row[0]: row[1:] for row in [*section.rows, *([section.total] if section.total else [])]}
            for section in report.sections}


def _states(row: list) -> dict[int, int]:
    """The states a row counts models in: {column: models}."""
    return {position: value for position, value in enumerate(row) if value}


# -- the figures --------------------------------------------------------------------------------------

def test_the_districts_report_counts_models_registered_inspected_recognised_by_unit(world, models):
    report = _report(TYPICAL_MODELS, world.district)
    by_unit = report.sections[0]
    assert by_unit.title == "Typical models by unit"
    assert [column.label for column in by_unit.columns] == ["Unit", *STEP_COLUMNS]
    assert _tables(report)["Typical models by unit"] == {
        SIBLING: [2, 0, 0],  # the submitted model and the replica; the draft is not registered
        EMPTY: [0, 0, 0],
        COMMUNE: [2, 1, 1],
        "Total": [4, 1, 1],
    }


def test_by_field_each_model_counts_in_its_field(world, models):
    by_field = _tables(_report(TYPICAL_MODELS, world.district))["Typical models by field"]
    assert by_field["Social security"] == [2, 1, 1]  # the wells and their replica
    assert by_field["Economy"] == [1, 0, 0]
    assert by_field["Environment and new rural areas"] == [1, 0, 0]
    assert by_field["Culture and society"] == [0, 0, 0]
    assert by_field["Total"] == [4, 1, 1]


def test_a_model_registered_in_march_and_entered_in_may_counts_in_the_first_quarter(world, models):
    step = ModelStep.objects.get(model=models.bins, name="register")
    assert (step.happened_on, step.at.date()) == (datetime.date(2025, 3, 20), datetime.date(2025, 5, 12))
    first = _tables(_report(TYPICAL_MODELS, world.district, periods.quarter(2025, 1)))["Typical models by unit"]
    assert first[COMMUNE] == [2, 0, 0]  # the wells and the bins
    assert first[SIBLING] == [1, 0, 0]
    second = _tables(_report(TYPICAL_MODELS, world.district, periods.quarter(2025, 2)))["Typical models by unit"]
    assert second[COMMUNE] == [0, 1, 0]  # inspected on 12 June; the bins were not registered in May
    third = _tables(_report(TYPICAL_MODELS, world.district, periods.quarter(2025, 3)))["Typical models by unit"]
    assert third["Total"] == [0, 0, 1]


def test_a_step_is_still_not_dated_before_the_models_previous_step(world, models):
    # The draft's entry (12 May) did not bound the bins' registration (20 March); a real step does.
    with _on(TODAY), pytest.raises(ValidationError) as refused:
        services.model_advance(actor=world.district_member, model=models.piggy, step="return", note="Bổ sung",
                               happened_on=datetime.date(2025, 3, 1))
    assert list(refused.value.message_dict) == ["happened_on"]


def test_the_round_by_state_counts_each_model_of_the_year_in_its_state_now(world, models):
    section = _report(TYPICAL_MODELS, world.district).sections[2]
    assert section.title == "Models of the 2025 round by state"
    assert [column.label for column in section.columns][1:] == [
        "Draft", "Registered", "Submitted", "Returned", "Planned for inspection", "Inspected", "Presented",
        "Recognised", "Not recognised", "Proposed for a higher award"]
    rows = _tables(_report(TYPICAL_MODELS, world.district))[section.title]
    assert _states(rows[SIBLING]) == {DRAFT: 1, REGISTERED: 1, SUBMITTED: 1}
    assert _states(rows[COMMUNE]) == {REGISTERED: 1, RECOGNISED: 1}
    assert _states(rows["Total"]) == {DRAFT: 1, REGISTERED: 2, SUBMITTED: 1, RECOGNISED: 1}
    # A report of the first quarter shows the same round, as it stands now.
    quarter = _tables(_report(TYPICAL_MODELS, world.district, periods.quarter(2025, 1)))
    assert quarter["Models of the 2025 round by state"]["Total"] == rows["Total"]


def test_replication_counts_replicas_the_communes_that_made_them_visits_and_media(world, models):
    columns = ["Recognised models replicated", "Replicas registered", "Communes replicating", "Study visits",
               "People on study visits", "Media pieces"]
    report = _report(TYPICAL_MODELS, world.district)
    assert [column.label for column in report.sections[3].columns][1:] == columns
    district = _tables(report)["Replication of the recognised models"]
    assert district[SIBLING] == [1, 1, 1, 0, 0, 0]  # Phú Mỹ replicated the wells
    assert district[COMMUNE] == [0, 0, 0, 1, 25, 1]  # the wells were visited and written about
    assert district["Total"] == [1, 1, 1, 1, 25, 1]
    province = _tables(_report(TYPICAL_MODELS, world.province))["Replication of the recognised models"]
    assert province["Huyện Châu Thành"] == [1, 1, 1, 0, 0, 0]  # Tân Thạch replicated the wells too
    # One model replicated in two communes: once in the total.
    assert province["Total"] == [1, 2, 2, 1, 25, 1]
    before = _tables(_report(TYPICAL_MODELS, world.district, periods.quarter(2025, 3)))
    assert before["Replication of the recognised models"]["Total"] == [0, 0, 0, 0, 0, 0]


def test_a_districts_report_does_not_count_another_districts_models(world, models):
    report = _report(TYPICAL_MODELS, world.district)
    cells = [str(cell) for section in report.sections for row in [*section.rows, section.total] for cell in row]
    assert not any("Tân Thạch" in cell or "Châu Thành" in cell for cell in cells)
    tables = _tables(report)
    assert tables["Typical models by field"]["Economy"] == [1, 0, 0]  # not the other district's
    province = _tables(_report(TYPICAL_MODELS, world.province))
    assert province["Typical models by unit"] == {
        "Huyện Châu Thành": [2, 1, 1], "Huyện Mỏ Cày Bắc": [4, 1, 1], "Total": [6, 2, 2]}
    assert province["Typical models by field"]["Economy"] == [2, 1, 1]


def test_a_communes_report_counts_its_own_models_only(world, models):
    tables = _tables(_report(TYPICAL_MODELS, world.commune))
    assert tables["Typical models by unit"] == {COMMUNE: [2, 1, 1], "Total": [2, 1, 1]}
    assert tables["Typical models by field"]["Economy"] == [0, 0, 0]
    assert tables["Replication of the recognised models"]["Total"] == [0, 0, 0, 1, 25, 1]


def test_the_whole_countrys_report_counts_by_province(world, models):
    tables = _tables(_report(TYPICAL_MODELS, None))
    assert tables["Typical models by unit"]["Tỉnh Bến Tre (former)"] == [6, 2, 2]
    assert tables["Typical models by unit"]["Total"] == [6, 2, 2]


def test_the_social_security_summary_ends_with_the_typical_models_by_unit(world, models):
    report = _report(SOCIAL_SECURITY, world.district)
    assert report.sections[-1].title == "Typical models by unit"
    assert _tables(report)["Typical models by unit"]["Total"] == [4, 1, 1]


def test_the_sections_take_seven_queries_whatever_the_number_of_communes(world, models, django_assert_num_queries):
    for number in range(5):
        CommuneFactory(parent=world.district, name=f"Xã Mới {number}", code=f"2950{number}")
    for unit in (world.province, world.district):
        context = figures.report_context(unit=unit, period=YEAR_2025)
        assert context.breakdown.units
        # The steps by row and field: one, for two tables. The round by state: by row, and for the unit.
        # The replication: the replicas by row and for the unit, the study visits, the media pieces.
        with django_assert_num_queries(7):
            for section in registry.sections_of(registry.kind(TYPICAL_MODELS)):
                section.build(context)


def test_the_data_version_changes_with_a_step_and_a_media_piece_of_the_unit(world, models):
    def version():
        return figures.data_version(kind=TYPICAL_MODELS, unit=world.district, period=YEAR_2025)

    before = version()
    assert figures.data_version(kind=SYNTHESIS_REPORT, unit=world.district, period=YEAR_2025) == before
    with _on(TODAY):
        services.model_advance(actor=world.district_member, model=models.piggy, step="return",
                               note="Bổ sung kết quả dự kiến")
    after_step = version()
    assert after_step != before
    with _on(TODAY):
        services.media_record(actor=world.commune_officer, model=models.wells, outlet="VTV", title="Giếng",
                              published_on=TODAY)
    assert version() != after_step
    unchanged = version()
    outsider = models.outsider
    with _on(TODAY):
        services.media_record(actor=outsider.created_by, model=outsider, outlet="VTV", title="Sân phơi",
                              published_on=TODAY)
    assert version() == unchanged, "another district's media piece changes nothing here"


# -- the synthesis ------------------------------------------------------------------------------------

SYNTHESIS_FIELDS = ["Economy", "Culture and society", "Security and order", "Building the Party and government",
                    "Social security", "Environment and new rural areas"]


def test_the_synthesis_lists_each_communes_registrations_by_field_and_marks_those_without(world, models):
    report = _report(SYNTHESIS_REPORT, world.district)
    by_field, listed = report.sections
    assert [column.label for column in by_field.columns] == ["Commune", *SYNTHESIS_FIELDS, "Total", "Note"]
    assert [row[0] for row in by_field.rows] == [SIBLING, EMPTY, COMMUNE]  # every commune, by code
    rows = _tables(report)["Registrations by commune and field"]
    assert rows[SIBLING] == [1, 0, 0, 0, 1, 0, 2, ""]  # the draft is the commune's own
    assert rows[EMPTY] == [0, 0, 0, 0, 0, 0, 0, "Not registered"]
    assert rows[COMMUNE] == [0, 0, 0, 0, 1, 1, 2, ""]
    assert rows["Total"] == [1, 0, 0, 0, 2, 1, 4, "1 commune not registered"]
    assert listed.rows == [
        [SIBLING, PIGGY, "Economy", "Submitted"],
        [SIBLING, REPLICA, "Social security", "Registered"],
        [EMPTY, "Not registered", "", ""],
        [COMMUNE, WELLS, "Social security", "Recognised"],
        [COMMUNE, BINS, "Environment and new rural areas", "Registered"],
    ]
    assert listed.total == ["Total", "4 models", "", ""]
    texts = [str(cell) for section in report.sections for row in section.rows for cell in row]
    assert DRAFT_NAME not in texts and OUTSIDER not in texts and OUTSIDER_REPLICA not in texts


def test_a_provinces_synthesis_names_each_communes_district(world, models):
    rows = _tables(_report(SYNTHESIS_REPORT, world.province))["Registrations by commune and field"]
    assert rows["Xã Tân Thạch (Huyện Châu Thành)"] == [1, 0, 0, 0, 1, 0, 2, ""]
    assert rows[f"{EMPTY} (Huyện Mỏ Cày Bắc)"][-1] == "Not registered"
    assert rows["Total"][-2] == 6


def test_a_year_without_a_round_marks_every_commune(world, models):
    rows = _tables(_report(SYNTHESIS_REPORT, world.district, periods.year(2024)))["Registrations by commune and field"]
    assert {name: row[-1] for name, row in rows.items()} == {
        SIBLING: "Not registered", EMPTY: "Not registered", COMMUNE: "Not registered",
        "Total": "3 communes not registered"}


def test_the_synthesis_is_a_few_queries_for_a_district(world, models, django_assert_max_num_queries):
    context = figures.report_context(unit=world.district, period=YEAR_2025)
    with django_assert_max_num_queries(4):  # the communes, the round, its communes and its models
        synthesis_rows(context)
    assert SYNTHESIS == "models_registry.synthesis"


# -- the files, made by a real worker ---------------------------------------------------------------------

FINISHED_WITHIN = 60  # seconds


def _finished(report: Report, workers) -> Report:
    deadline = time.monotonic() + FINISHED_WITHIN
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.is_finished:
            assert report.status == ReportStatus.DONE, f"{report.error}\n{workers.output()}"
            return report
        time.sleep(0.1)
    pytest.fail(f"Report {report.pk} not finished within {FINISHED_WITHIN} s.\n{workers.output()}")


def _path(report: Report) -> Path:
    return Path(settings.MEDIA_ROOT) / report.file.name


def _sheets(report: Report) -> list[dict[str, tuple]]:
    workbook = load_workbook(BytesIO(_path(report).read_bytes()))
    return [{row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], str)}
            for sheet in workbook.worksheets]


def _pdf_text(report: Report) -> str:
    assert shutil.which("pdftotext"), "pdftotext is needed to read the PDFs (Debian: poppler-utils)"
    return subprocess.run(["pdftotext", "-layout", str(_path(report)), "-"], capture_output=True, text=True,
                          check=True, timeout=30).stdout


def _figures_after(text: str, name: str) -> list[list[str]]:
    lines = [line.split(name, 1)[1].split() for line in text.splitlines() if name in line]
    assert lines, f"{name!r} not in the PDF:\n{text}"
    return lines


def test_the_worker_makes_the_report_and_the_synthesis_sent_to_the_province(world, models, celery_workers):
    celery_workers.start()
    asked = {file_format: report_services.report_request(
        actor=world.district_member, kind=TYPICAL_MODELS, unit=world.district, period=YEAR_2025,
        file_format=file_format) for file_format in ReportFormat.values}
    round_ = services.synthesis_send(actor=world.district_member, round_=models.wells.round)
    done = {file_format: _finished(report, celery_workers) for file_format, report in asked.items()}
    sent = {"xlsx": _finished(round_.synthesis_xlsx, celery_workers),
            "pdf": _finished(round_.synthesis_pdf, celery_workers)}
    with translation.override("vi"):  # the files are written in Vietnamese
        total, unmarked = translation.gettext("Total"), not_registered()

    by_unit, by_field, states, replication = _sheets(done["xlsx"])
    assert by_unit[COMMUNE] == (2, 1, 1)
    assert by_unit[SIBLING] == (2, 0, 0)
    assert by_unit[total] == (4, 1, 1)
    assert states[SIBLING][:3] == (1, 1, 1)
    assert replication[total] == (1, 1, 1, 1, 25, 1)
    assert not any("Tân Thạch" in name for sheet in (by_unit, states, replication) for name in sheet)
    assert sum(by_field[total]) == 6

    text = _pdf_text(done["pdf"])
    assert "MẶT TRẬN TỔ QUỐC VIỆT NAM" in text and "Mỏ Cày Bắc, ngày" in text
    assert _figures_after(text, "Phước Mỹ Trung")[0] == ["2", "1", "1"]
    assert _figures_after(text, total)[0] == ["4", "1", "1"]
    assert ["1", "1", "1", "1", "25", "1"] in _figures_after(text, total)

    by_commune, listed = _sheets(sent["xlsx"])
    assert by_commune[EMPTY][-1] == unmarked
    assert by_commune[COMMUNE][-3:] == (1, 2, None)  # environment, total, no mark
    assert by_commune[total][-2] == 4
    assert [row for name, row in listed.items() if name == EMPTY] == [(unmarked, None, None)]
    synthesis = _pdf_text(sent["pdf"])
    # The commune's name may wrap in its narrow column: its line starts with its first words.
    marked = [word for word in _figures_after(synthesis, "Xã Tân Thành")[0] if word != "Bình"]
    assert marked == ["0"] * 7 + unmarked.split()
    raw = " ".join(subprocess.run(["pdftotext", "-raw", str(_path(sent["pdf"])), "-"], capture_output=True,
                                  text=True, check=True, timeout=30).stdout.split())
    for model in (WELLS, BINS, PIGGY, REPLICA):
        assert model in raw
    assert OUTSIDER not in raw and DRAFT_NAME not in raw


# -- the dashboard ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["commune_officer", "district_member", "provincial_officer"])
def test_the_panel_shows_the_reports_round_by_state_for_the_year_so_far(client, world, models, role):
    viewer = getattr(world, role)
    with _on(TODAY):
        response, page = _page(client, viewer)
        report = _report(TYPICAL_MODELS, viewer.unit, YEAR_SO_FAR)
    states = report.sections[2]
    shown = page.tables["typical-models-table"]
    assert "Typical models 2025" in response.content.decode()
    assert shown["thead"][0][1:] == [column.label for column in states.columns[1:]]
    assert _figures(shown["tbody"]) == states.rows
    assert _figures(shown["tfoot"]) == [states.total]
    assert sum(states.total[1:]) == {"commune_officer": 2, "district_member": 5, "provincial_officer": 7}[role]


def test_the_district_panel_does_not_count_another_districts_models(client, world, models):
    with _on(TODAY):
        response, page = _page(client, world.district_member)
    assert _figures(page.tables["typical-models-table"]["tfoot"]) == [["Total", 1, 2, 1, 0, 0, 0, 0, 1, 0, 0]]
    assert "Châu Thành" not in response.content.decode()


def test_a_panel_with_no_model_this_year_says_so(client, world):
    with _on(TODAY):
        response, page = _page(client, world.district_member)
    assert "typical-models-table" not in page.tables
    assert 'data-testid="no-typical-models"' in response.content.decode()

"""Reports across the 2025 administrative reform, on the real GSO units and mapping: a current-era
unit's report counts the records of the former units that became it; a split former commune's
records are in a marked row until the province assigns its hamlets, then in their communes' rows,
each counted once; an old unit's report still works for the periods it existed in."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from donations.report_sections import fund_statement
from frontwelfare.areas.choices import Era, Level
from frontwelfare.areas.models import AdministrativeUnit
from frontwelfare.reports import figures, periods, services
from frontwelfare.reports.choices import ReportFormat, ReportStatus
from frontwelfare.reports.models import Report
from households.choices import Category
from households.report_sections import CATEGORY_COLUMNS, SOCIAL_SECURITY, categories_section, members_section
from households.services import hamlets_assign
from housing.choices import CaseState, Transition
from housing.models import CaseTransition
from housing.report_sections import housing_figures, percent_section, programmes_section, stages_section

from ..donations.factories import fund_of, receipt_into
from ..factories import ProvincialOfficerFactory
from ..households.factories import HouseholdFactory, HouseholdStatusFactory
from ..housing.factories import ProgrammeFactory, ProgrammeTargetFactory, case_in_state

YEAR_2025 = periods.year(2025)
SPLIT_MARK = "split, not yet assigned"


def _unit(era, level, code):
    return AdministrativeUnit.objects.get(era=era, level=level, code=code)


def _poor_household(commune, hamlet="Ấp Phước Hậu", year=2025):
    household = HouseholdFactory(commune=commune, hamlet=hamlet)
    HouseholdStatusFactory(household=household, category=Category.POOR, year=year,
                           decision_date=datetime.date(year, 3, 1))
    return household


@pytest.fixture
def reform(db):
    """The real units; in former Bến Tre (83, now part of Vĩnh Long, 86): two poor households of
    Phước Mỹ Trung township, an approved house of one of them under Mỏ Cày Bắc's programme, 25 million
    received by Mỏ Cày Bắc's fund; and one poor household in each of two hamlets of a former commune
    of the province split between several current communes."""
    call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ben_tre = _unit(Era.LEGACY, Level.PROVINCE, "83")
    mo_cay_bac = _unit(Era.LEGACY, Level.DISTRICT, "838")
    town = _unit(Era.LEGACY, Level.COMMUNE, "28915")
    vinh_long = _unit(Era.CURRENT, Level.PROVINCE, "86")
    split = (AdministrativeUnit.objects.filter(current_province=vinh_long, era=Era.LEGACY, level=Level.COMMUNE,
                                               current_commune__isnull=True, successors__isnull=False)
             .order_by("code").first())
    households = [_poor_household(town), _poor_household(town)]
    case = case_in_state(CaseState.APPROVED, household=households[0], programme=ProgrammeFactory(unit=mo_cay_bac))
    CaseTransition.objects.create(case=case, name=Transition.APPROVE, to_state=CaseState.APPROVED,
                                  actor=case.proposed_by, happened_on=datetime.date(2025, 4, 10))
    receipt_into(fund_of(mo_cay_bac), amount=25_000_000)
    _poor_household(split, "Ấp 1")
    _poor_household(split, "Ấp 2")
    return {"ben_tre": ben_tre, "mo_cay_bac": mo_cay_bac, "town": town, "vinh_long": vinh_long,
            "current_town": town.current_commune, "split": split, "case": case, "households": households,
            "successors": list(split.successors.order_by("code")),
            "lam_dong": _unit(Era.CURRENT, Level.PROVINCE, "68")}


def _rows(section) -> dict[str, list]:
    return {row[0]: row[1:] for row in section.rows}


def _members_table(unit, period=YEAR_2025):
    with translation.override("en"):
        return members_section(figures.report_context(unit=unit, period=period))[0]


def test_ben_tre_households_cases_and_funds_count_in_the_current_vinh_long_report(reform):
    context = figures.report_context(unit=reform["vinh_long"], period=YEAR_2025)
    table = _members_table(reform["vinh_long"])
    current_town = reform["current_town"]
    assert _rows(table)[current_town.name][0] == 2  # households in need, column 1
    assert table.total[1] == 4  # with the split commune's two
    houses = housing_figures(context)
    assert houses[current_town.pk]["new_build_approved"] == 1
    # A former district's own fund counts in the current province's own row (it took over the district's work).
    assert fund_statement(context).by_row[reform["vinh_long"].pk]["closing"] == 25_000_000

    # The current commune's own report counts its former township's house (the former district's programme).
    own = figures.report_context(unit=current_town, period=YEAR_2025)
    assert housing_figures(own)[current_town.pk]["new_build_approved"] == 1

    other = figures.report_context(unit=reform["lam_dong"], period=YEAR_2025)
    assert _members_table(reform["lam_dong"]).total[1] == 0
    assert not any(row.get("new_build_approved") for row in housing_figures(other).values())
    assert fund_statement(other).by_row == {}


def test_current_vinh_long_officer_lists_ben_tre_records_and_another_province_officer_none(client, reform):
    household, case = reform["households"][0], reform["case"]
    pages = [(reverse("households:list"), household.code), (reverse("housing:case-list"), household.code),
             (reverse("donations:fund-list"), fund_of(reform["mo_cay_bac"]).name)]
    client.force_login(ProvincialOfficerFactory(unit=reform["vinh_long"]))
    for url, marker in pages:
        assert marker in client.get(url).content.decode(), url
    assert client.get(reverse("housing:case-detail", args=[case.pk])).status_code == 200

    client.force_login(ProvincialOfficerFactory(unit=reform["lam_dong"]))
    for url, marker in pages:
        assert marker not in client.get(url).content.decode(), url
    assert client.get(reverse("housing:case-detail", args=[case.pk])).status_code == 404


def test_a_split_commune_is_a_marked_row_until_assigned_then_its_households_count_once_in_their_communes(reform):
    split, (first, second, *_rest) = reform["split"], reform["successors"]
    before = _members_table(reform["vinh_long"])
    marked = next(label for label in _rows(before) if label.startswith(split.name) and SPLIT_MARK in label)
    assert _rows(before)[marked][0] == 2
    assert SPLIT_MARK in before.note

    hamlets_assign(actor=ProvincialOfficerFactory(unit=reform["vinh_long"]), former_commune=split,
                   assignments={"Ấp 1": first, "Ấp 2": second})

    after = _members_table(reform["vinh_long"])
    assert _rows(after)[marked][0] == 0
    assert _rows(after)[first.name][0] == _rows(before)[first.name][0] + 1
    assert _rows(after)[second.name][0] == _rows(before)[second.name][0] + 1
    assert after.total == before.total
    # The current commune's own report: its own records, its whole predecessors' and the hamlet assigned to it.
    assert _members_table(first).total[1] == 1 + (2 if first == reform["current_town"] else 0)
    # Households by category follow their hamlet too (counted from their statuses, not the commune's tally).
    with translation.override("en"):
        categories = categories_section(figures.report_context(unit=reform["vinh_long"], period=YEAR_2025))[0]
    poor = CATEGORY_COLUMNS.index(Category.POOR)
    assert _rows(categories)[marked][poor] == 0
    assert _rows(categories)[first.name][poor] >= 1 and _rows(categories)[second.name][poor] >= 1
    assert categories.total[1 + poor] == 4


def test_an_old_units_report_for_2024_still_works_after_the_reform(reform):
    _poor_household(reform["town"], year=2024)
    officer = ProvincialOfficerFactory(unit=reform["vinh_long"])  # the former province is in their scope now
    report = services.report_request(actor=officer, kind=SOCIAL_SECURITY, unit=reform["ben_tre"],
                                     period=periods.year(2024), file_format=ReportFormat.XLSX)
    services.report_build(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    with translation.override("en"):
        data = figures.report_data(Report.objects.get(pk=report.pk))
    members = next(section for section in data.sections if section.title == "People in the households in need")
    assert _rows(members)[reform["mo_cay_bac"].name][0] == 1
    assert members.total[1] == 1


# -- housing targets across the reform -------------------------------------------------------------

NEW_TARGET, NEW_APPROVED, REPAIR_TARGET = 0, 1, 5  # columns of "Houses by stage" after the unit's


@pytest.fixture
def targets(reform):
    """Plans and targets of pre-reform programmes: the case's Mỏ Cày Bắc programme plans 10 new houses
    and 4 repairs, 5/3 of them set for Phước Mỹ Trung township and 2/1 for Phú Mỹ, two former communes
    merged into the current Phước Mỹ Trung; a programme of the former province of the split commune
    (the former Vĩnh Long, also part of the current one) plans 8/2, 3/1 of them set for that commune."""
    former_province = reform["split"].province
    assert former_province.era == Era.LEGACY and former_province.current_province == reform["vinh_long"]
    district = reform["case"].programme
    district.new_build_target, district.repair_target = 10, 4
    district.save()
    ProgrammeTargetFactory(programme=district, unit=reform["town"], new_builds=5, repairs=3)
    ProgrammeTargetFactory(programme=district, unit=_unit(Era.LEGACY, Level.COMMUNE, "28889"), new_builds=2,
                           repairs=1)
    provincial = ProgrammeFactory(unit=former_province, new_build_target=8, repair_target=2,
                                  created_by=ProvincialOfficerFactory(unit=former_province))
    ProgrammeTargetFactory(programme=provincial, unit=reform["split"], new_builds=3, repairs=1)
    return {"district": district, "provincial": provincial}


def _housing_tables(unit, period=YEAR_2025):
    """The stages, percent and programmes tables of ``unit``'s housing sections, in English."""
    context = figures.report_context(unit=unit, period=period)
    with translation.override("en"):
        return stages_section(context)[0], percent_section(context)[0], programmes_section(context)[0]


def _marked(section, split) -> str:
    return next(label for label in _rows(section) if label.startswith(split.name) and SPLIT_MARK in label)


def test_former_programmes_targets_count_in_the_current_provinces_rows_and_their_plans_in_its_total(reform, targets):
    stages, percents, programmes = _housing_tables(reform["vinh_long"])
    town_row, split_row = _rows(stages)[reform["current_town"].name], _rows(stages)[_marked(stages, reform["split"])]

    # The township's 5/3 and Phú Mỹ's 2/1 add up in the commune they became; the split one's in its marked row.
    assert (town_row[NEW_TARGET], town_row[NEW_APPROVED], town_row[REPAIR_TARGET]) == (7, 1, 4)
    assert (split_row[NEW_TARGET], split_row[REPAIR_TARGET]) == (3, 1)
    # The total: each programme's plan (10/4 + 8/2), not the rows' sum (10/5).
    assert (stages.total[1 + NEW_TARGET], stages.total[1 + REPAIR_TARGET]) == (18, 6)
    assert _rows(percents)[reform["current_town"].name][0] == 14  # 1 approved of 7
    assert percents.total[1] == 6  # 1 of 18
    # Per programme, for new houses then repairs: the target (its plan), completed, handed over.
    assert {label: row[:6] for label, row in _rows(programmes).items()} == {
        f"{targets['district'].name} ({targets['district'].decision_number})": [10, 0, 0, 4, 0, 0],
        f"{targets['provincial'].name} ({targets['provincial'].decision_number})": [8, 0, 0, 2, 0, 0]}
    assert programmes.total[1] == 18


def test_a_current_commune_counts_its_predecessors_targets_and_names_a_split_ones_it_cannot_divide(reform, targets):
    stages, _percents, programmes = _housing_tables(reform["current_town"])
    town_row = _rows(stages)[reform["current_town"].name]
    assert (town_row[NEW_TARGET], town_row[REPAIR_TARGET]) == (7, 4)
    # A commune's total is its row: a former district's plan covers more than this commune.
    assert (stages.total[1 + NEW_TARGET], stages.total[1 + REPAIR_TARGET]) == (7, 4)
    assert programmes.total[1] == 7
    assert "cannot be divided" not in stages.note

    successor = next(unit for unit in reform["successors"] if unit != reform["current_town"])
    stages, _percents, _programmes = _housing_tables(successor)
    assert stages.total[1 + NEW_TARGET] == 0
    assert "(new houses: 3; repairs: 1)" in stages.note and "cannot be divided" in stages.note


def test_former_units_reports_keep_their_targets_after_the_reform(reform, targets):
    stages, _percents, _programmes = _housing_tables(reform["mo_cay_bac"])
    assert _rows(stages)[reform["town"].name][NEW_TARGET] == 5
    assert _rows(stages)[reform["town"].name][REPAIR_TARGET] == 3
    assert (stages.total[1 + NEW_TARGET], stages.total[1 + REPAIR_TARGET]) == (10, 4)  # its plan
    stages, _percents, _programmes = _housing_tables(reform["ben_tre"])
    # The district's row: its communes' targets added up (7/4), and so the total.
    assert _rows(stages)[reform["mo_cay_bac"].name][NEW_TARGET] == 7
    assert (stages.total[1 + NEW_TARGET], stages.total[1 + REPAIR_TARGET]) == (7, 4)
    stages, _percents, _programmes = _housing_tables(targets["provincial"].unit)
    assert (stages.total[1 + NEW_TARGET], stages.total[1 + REPAIR_TARGET]) == (8, 2)  # its plan


def test_the_current_provinces_housing_figures_read_the_targets_in_one_query(reform, targets,
                                                                              django_assert_num_queries):
    context = figures.report_context(unit=reform["vinh_long"], period=YEAR_2025)
    context.breakdown  # noqa: B018  (its units are read once per report, apart from the sections)
    with django_assert_num_queries(3):  # the programmes, the cases, the targets
        housing_figures(context)

def test_a_former_commune_mapped_to_nothing_is_its_own_row_not_a_split_one_and_the_province_total_is_whole(reform):
    unmapped = AdministrativeUnit.objects.unmapped().filter(current_province__isnull=False).order_by("code").first()
    province = unmapped.current_province
    before = _members_table(province)
    _poor_household(unmapped, "Ấp 5")
    _poor_household(unmapped, "Ấp 6")

    after = _members_table(province)
    row = f"{unmapped.name} (former) — not mapped"
    assert _rows(after)[row][0] == 2
    assert after.total[1] == before.total[1] + 2
    assert not any(label.startswith(unmapped.name) and SPLIT_MARK in label for label in _rows(after))
    assert "not mapped" in after.note
    split_rows = [label for label in _rows(after) if SPLIT_MARK in label]
    assert len(split_rows) == AdministrativeUnit.objects.split().filter(current_province=province).count()

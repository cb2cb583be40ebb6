"""The rules of programmes and proposals, through housing.services."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from households.models import Household
from housing import services
from housing.choices import CaseState, WorkKind
from housing.models import HousingCase, Programme, ProgrammeTarget

from ..factories import DistrictMemberFactory
from ..households.factories import HouseholdFactory
from .factories import HousingCaseFactory, ProgrammeFactory, ProgrammeTargetFactory


def _plan(**overrides) -> services.CaseData:
    data = {"work_kind": WorkKind.NEW_BUILD, "current_condition": "Nhà tạm, vách lá", "estimated_cost": 90_000_000,
            "state_budget": 40_000_000, "fund_for_the_poor": 20_000_000, "family_amount": 30_000_000}
    data.update(overrides)
    return services.CaseData(**data)


@pytest.fixture
def programme(world):
    return ProgrammeFactory(unit=world.district, created_by=world.district_member)


@pytest.fixture
def household(world):
    return HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)


def _propose(world, household, programme, **overrides) -> HousingCase:
    """A proposal of the programme's year (March 2025), so that its later steps can be dated in 2025."""
    return services.case_propose(actor=world.commune_officer, household=household, programme=programme,
                                 data=_plan(**overrides), proposed_on=datetime.date(2025, 3, 20))


# -- proposals and their funding plan ---------------------------------------------------------------


def test_commune_officer_proposes_a_case_with_its_first_step_recorded(world, household, programme):
    case = _propose(world, household, programme)
    assert (case.state, case.commune, case.proposed_by) == (CaseState.PROPOSED, world.commune, world.commune_officer)
    step = case.transitions.get()
    assert (step.to_state, step.actor) == (CaseState.PROPOSED, world.commune_officer)
    assert case.history.get().history_user == world.commune_officer


def test_support_above_the_programmes_level_for_the_kind_of_work_is_refused(world, household, programme, english):
    with pytest.raises(ValidationError) as error:
        _propose(world, household, programme, work_kind=WorkKind.REPAIR, estimated_cost=40_000_000,
                 state_budget=25_000_000, fund_for_the_poor=10_000_000, family_amount=5_000_000)
    assert "35.000.000" in str(error.value) and "30.000.000" in str(error.value)
    assert not HousingCase.objects.exists()


def test_support_at_exactly_the_level_is_accepted(world, household, programme):
    case = _propose(world, household, programme, estimated_cost=60_000_000, state_budget=60_000_000,
                    fund_for_the_poor=0, family_amount=0)
    assert case.support_total == programme.new_build_support


def test_sponsor_and_army_money_count_as_support(world, household, programme):
    with pytest.raises(ValidationError):
        _propose(world, household, programme, state_budget=40_000_000, fund_for_the_poor=0, sponsor_amount=15_000_000,
                 sponsor_name="Công ty Cổ phần Cấp nước", army_amount=10_000_000, army_unit="Bộ Chỉ huy Quân sự tỉnh",
                 family_amount=25_000_000)


def test_a_programme_without_a_support_level_sets_no_limit(world, household):
    programme = ProgrammeFactory(unit=world.district, new_build_support=None)
    case = _propose(world, household, programme, estimated_cost=120_000_000, state_budget=100_000_000,
                    fund_for_the_poor=0, family_amount=20_000_000)
    assert case.support_total == 100_000_000


def test_plan_that_does_not_cover_the_estimated_cost_is_refused(world, household, programme, english):
    with pytest.raises(ValidationError) as error:
        _propose(world, household, programme, estimated_cost=100_000_000)
    assert "The funding plan must cover the estimated cost." in error.value.messages
    assert not HousingCase.objects.exists()


@pytest.mark.parametrize(("amount", "name_field"), [("sponsor_amount", "sponsor_name"), ("army_amount", "army_unit")])
def test_money_from_a_sponsor_or_army_unit_needs_its_name(world, household, programme, amount, name_field, english):
    with pytest.raises(ValidationError) as error:
        _propose(world, household, programme, state_budget=30_000_000, **{amount: 10_000_000})
    assert name_field in error.value.message_dict


def test_negative_amounts_are_refused(world, household, programme):
    with pytest.raises(ValidationError):
        _propose(world, household, programme, family_amount=-5, state_budget=70_000_000)


def test_second_open_case_in_the_same_programme_is_refused(world, household, programme, english):
    _propose(world, household, programme)
    with pytest.raises(ValidationError) as error:
        _propose(world, household, programme, work_kind=WorkKind.REPAIR, estimated_cost=30_000_000,
                 state_budget=30_000_000, fund_for_the_poor=0, family_amount=0)
    assert "This household already has an open case in this programme." in error.value.messages
    assert HousingCase.objects.count() == 1


@pytest.mark.parametrize("closed", [CaseState.REJECTED, CaseState.CANCELLED])
def test_a_closed_case_lets_the_household_be_proposed_again(world, household, programme, closed):
    HousingCaseFactory(household=household, programme=programme, state=closed)
    assert _propose(world, household, programme).state == CaseState.PROPOSED


def test_the_same_household_may_have_cases_in_two_programmes(world, household, programme):
    _propose(world, household, programme)
    other = ProgrammeFactory(unit=world.province)
    assert _propose(world, household, other).programme == other


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_a_household_with_a_new_house_in_the_last_five_years_is_flagged(world, household, programme):
    earlier = HousingCaseFactory(household=household, state=CaseState.HANDED_OVER,
                                 start_date=datetime.date(2021, 3, 1), completion_date=datetime.date(2021, 7, 1),
                                 handover_date=datetime.date(2021, 7, 2))
    case = _propose(world, household, programme, work_kind=WorkKind.REPAIR, estimated_cost=30_000_000,
                    state_budget=30_000_000, fund_for_the_poor=0, family_amount=0)
    assert case.recent_new_house == earlier


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC))
def test_a_new_house_more_than_five_years_ago_or_a_repair_is_not_flagged(world, household, programme):
    HousingCaseFactory(household=household, state=CaseState.HANDED_OVER, start_date=datetime.date(2021, 3, 1),
                       completion_date=datetime.date(2021, 5, 31), handover_date=datetime.date(2021, 6, 2))
    HousingCaseFactory(household=household, state=CaseState.HANDED_OVER, work_kind=WorkKind.REPAIR,
                       start_date=datetime.date(2024, 3, 1), completion_date=datetime.date(2024, 4, 1),
                       handover_date=datetime.date(2024, 4, 2))
    assert _propose(world, household, programme).recent_new_house is None


def test_a_new_house_under_way_in_another_programme_is_flagged(world, household, programme):
    under_way = HousingCaseFactory(household=household, state=CaseState.CONSTRUCTION_STARTED,
                                   start_date=datetime.date(2025, 5, 1))
    HousingCaseFactory(household=household, state=CaseState.CANCELLED)  # a withdrawn one is not
    assert _propose(world, household, programme).recent_new_house == under_way


def test_the_flag_shows_on_the_case_page(client, world, household, programme):
    HousingCaseFactory(household=household, state=CaseState.APPROVED, programme__name="Tết Quân - Dân 2026")
    case = _propose(world, household, programme)
    client.force_login(world.district_member)
    body = client.get(f"/housing/cases/{case.pk}/").content.decode()
    warning = body.split('data-testid="recent-new-house"')[1].split("</div>")[0]
    assert "Tết Quân - Dân 2026" in warning and "Đã duyệt" in warning


def test_a_programme_of_another_district_does_not_cover_the_household(world, household, english):
    elsewhere = ProgrammeFactory(unit=world.other_district)
    with pytest.raises(ValidationError) as error:
        _propose(world, household, elsewhere)
    assert "programme" in error.value.message_dict


def test_officer_of_another_commune_cannot_propose_for_the_household(world, programme):
    household = HouseholdFactory(commune=world.sibling_commune)
    with pytest.raises(Household.DoesNotExist):
        _propose(world, household, programme)
    assert not HousingCase.objects.exists()


def test_district_member_cannot_propose(world, household, programme):
    with pytest.raises(PermissionDenied):
        services.case_propose(actor=world.district_member, household=household, programme=programme, data=_plan())


def test_proposal_can_be_changed_until_the_district_decides(world, household, programme):
    case = _propose(world, household, programme)
    services.case_update(actor=world.commune_officer, case=case, estimated_cost=95_000_000, family_amount=35_000_000)
    case.refresh_from_db()
    assert (case.estimated_cost, case.family_amount) == (95_000_000, 35_000_000)
    HousingCase.objects.filter(pk=case.pk).update(state=CaseState.APPROVED)
    with pytest.raises(PermissionDenied):
        services.case_update(actor=world.commune_officer, case=case, estimated_cost=90_000_000)


def test_changing_a_proposal_keeps_the_support_level_rule(world, household, programme):
    case = _propose(world, household, programme)
    with pytest.raises(ValidationError):
        services.case_update(actor=world.commune_officer, case=case, state_budget=50_000_000)
    case.refresh_from_db()
    assert case.state_budget == 40_000_000


# -- programmes and targets -----------------------------------------------------------------------------


def _programme_fields(unit, **overrides) -> dict:
    fields = {"name": "Xóa nhà tạm 2025", "kind": "temporary_houses", "decision_number": "781/QĐ-UBND",
              "decision_date": datetime.date(2025, 3, 13), "decision_issuer": "UBND tỉnh Bến Tre", "unit": unit,
              "start_date": datetime.date(2025, 3, 13), "deadline": datetime.date(2025, 9, 30),
              "new_build_support": 60_000_000, "repair_support": 30_000_000}
    fields.update(overrides)
    return fields


def test_district_member_creates_a_programme_for_their_district(world):
    programme = services.programme_create(actor=world.district_member, **_programme_fields(world.district))
    assert (programme.unit, programme.created_by) == (world.district, world.district_member)
    assert programme.history.get().history_user == world.district_member


@pytest.mark.parametrize("who", ["commune_officer", "district_member_elsewhere"])
def test_only_the_running_committee_creates_a_programme(world, who):
    actor = world.commune_officer if who == "commune_officer" else DistrictMemberFactory(unit=world.other_district)
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=actor, **_programme_fields(world.district))
    assert not Programme.objects.exists()


def test_provincial_officer_creates_programmes_for_the_province_and_its_districts(world):
    for unit in (world.province, world.district):
        services.programme_create(actor=world.provincial_officer, **_programme_fields(unit))
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=world.provincial_officer, **_programme_fields(world.other_province))


def test_deadline_before_start_is_refused(world):
    with pytest.raises(ValidationError):
        services.programme_create(actor=world.district_member, **_programme_fields(
            world.district, deadline=datetime.date(2025, 1, 1)))


def test_programme_cannot_cover_a_commune(world):
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=world.district_member, **_programme_fields(world.commune))


def test_commune_targets_must_add_up_to_the_programmes_total(world, programme, english):
    Programme.objects.filter(pk=programme.pk).update(new_build_target=10, repair_target=2)
    with pytest.raises(ValidationError) as error:
        services.programme_targets_set(actor=world.district_member, programme=programme,
                                       targets={world.commune.pk: (6, 1), world.sibling_commune.pk: (3, 1)})
    assert "add up to 9 new houses, but its target is 10" in " ".join(error.value.messages)
    assert not ProgrammeTarget.objects.exists()
    services.programme_targets_set(actor=world.district_member, programme=programme,
                                   targets={world.commune.pk: (6, 1), world.sibling_commune.pk: (4, 1)})
    assert ProgrammeTarget.objects.filter(programme=programme).count() == 2


def test_a_total_not_given_is_not_checked(world, programme):
    Programme.objects.filter(pk=programme.pk).update(new_build_target=None, repair_target=2)
    services.programme_targets_set(actor=world.district_member, programme=programme,
                                   targets={world.commune.pk: (6, 1), world.sibling_commune.pk: (3, 1)})
    assert ProgrammeTarget.objects.count() == 2


def test_province_programme_checks_districts_against_the_total_and_communes_against_their_district(world, english):
    programme = ProgrammeFactory(unit=world.province, new_build_target=12, repair_target=3)
    good = {world.district.pk: (8, 2), world.other_district.pk: (4, 1),
            world.commune.pk: (5, 1), world.sibling_commune.pk: (3, 1)}
    services.programme_targets_set(actor=world.provincial_officer, programme=programme, targets=good)
    with pytest.raises(ValidationError) as error:
        services.programme_targets_set(actor=world.provincial_officer, programme=programme,
                                       targets={**good, world.sibling_commune.pk: (2, 1)})
    assert "Huyện Mỏ Cày Bắc add up to 7 new houses, but its target is 8" in " ".join(error.value.messages)
    assert ProgrammeTarget.objects.get(programme=programme, unit=world.sibling_commune).new_builds == 3


def test_a_district_without_a_target_counts_as_its_communes_sum(world, english):
    programme = ProgrammeFactory(unit=world.province, new_build_target=9, repair_target=2)
    with pytest.raises(ValidationError) as error:
        services.programme_targets_set(actor=world.provincial_officer, programme=programme,
                                       targets={world.commune.pk: (5, 1), world.sibling_commune.pk: (3, 1)})
    assert "add up to 8 new houses, but its target is 9" in " ".join(error.value.messages)


def test_target_for_a_unit_outside_the_programme_is_refused(world, programme):
    with pytest.raises(ValidationError):
        services.programme_targets_set(actor=world.district_member, programme=programme,
                                       targets={world.other_district_commune.pk: (1, 0)})


def test_setting_targets_replaces_the_old_ones(world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune)
    services.programme_targets_set(actor=world.district_member, programme=programme,
                                   targets={world.commune.pk: (2, 0)})
    assert list(programme.targets.values_list("unit", "new_builds")) == [(world.commune.pk, 2)]


def test_changing_the_total_is_checked_against_the_targets(world, programme):
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=4, repairs=1)
    with pytest.raises(ValidationError):
        services.programme_update(actor=world.district_member, programme=programme, new_build_target=5)
    programme.refresh_from_db()
    assert programme.new_build_target is None
    services.programme_update(actor=world.district_member, programme=programme, new_build_target=4)


def test_commune_officer_cannot_change_a_programme(world, programme):
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=world.commune_officer, programme=programme, name="Khác")


def test_approval_checks_the_support_level_in_force_when_the_district_decides(world, programme, household):
    case = _propose(world, household, programme, state_budget=40_000_000, fund_for_the_poor=20_000_000)
    services.case_advance(actor=world.commune_officer, case=case, step="survey",
                          survey_date=datetime.date(2025, 4, 1), survey_findings="Nhà dột")
    services.programme_update(actor=world.district_member, programme=programme, new_build_support=50_000_000)

    with pytest.raises(ValidationError):
        services.case_advance(actor=world.district_member, case=case, step="approve")
    case.refresh_from_db()
    assert case.state == CaseState.SURVEYED


def test_a_programme_keeps_its_unit_while_it_has_targets_outside_the_new_one(world, programme):
    services.programme_targets_set(actor=world.district_member, programme=programme,
                                   targets={world.commune.pk: (3, 1)})
    with pytest.raises(ValidationError) as error:
        services.programme_update(actor=world.provincial_officer, programme=programme, unit=world.other_district)
    assert "unit" in error.value.message_dict
    programme.refresh_from_db()
    assert programme.unit == world.district

    services.programme_targets_set(actor=world.provincial_officer, programme=programme, targets={})
    services.programme_update(actor=world.provincial_officer, programme=programme, unit=world.other_district)


def test_a_proposal_waits_for_a_support_level_being_lowered_and_is_judged_by_the_new_one(transactional_db, world):
    """The officer submits while the district is lowering the level: the proposal waits for the
    programme's row and is checked against the level once it is saved, not the one before."""
    import threading
    import time

    from django.db import connection, transaction

    programme = ProgrammeFactory(unit=world.district, created_by=world.district_member)
    household = HouseholdFactory(commune=world.commune, consent_recorded_by=world.commune_officer)
    lowered, errors = threading.Event(), []

    def lower_the_level():
        try:
            with transaction.atomic():
                services.programme_update(actor=world.district_member, programme=programme,
                                          new_build_support=50_000_000)
                lowered.set()
                time.sleep(1.0)  # the officer submits the proposal now
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    district = threading.Thread(target=lower_the_level)
    district.start()
    assert lowered.wait(5)
    with pytest.raises(ValidationError):
        _propose(world, household, programme, state_budget=40_000_000, fund_for_the_poor=20_000_000)
    district.join()
    assert not errors
    assert not HousingCase.objects.exists()

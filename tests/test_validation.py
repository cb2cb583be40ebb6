"""frontwelfare.validation.full_clean: Django's full_clean, errors and all, with one query."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from frontwelfare.services import bulk_delete_with_history
from frontwelfare.validation import full_clean
from households.choices import Relation
from households.models import HouseholdStatus, Member
from housing.models import HousingCase, ProgrammeTarget

from .households.factories import HouseholdFactory, HouseholdStatusFactory, MemberFactory
from .housing.factories import HousingCaseFactory, ProgrammeFactory

pytestmark = pytest.mark.usefixtures("english")


def _djangos_errors(instance, **kwargs) -> dict:
    """What Model.full_clean itself reports, by calling it past the model's override."""
    try:
        models.Model.full_clean(instance, **kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def _our_errors(instance, **kwargs) -> dict:
    try:
        full_clean(instance, **kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def _broken_cases(world):
    """A case breaking its check constraints, one breaking a field and a rule on it, one whose
    household is gone, one clashing with an open case: each rule Django checks in the database."""
    case = HousingCaseFactory(household=HouseholdFactory(commune=world.commune))
    clash = HousingCase(**{field.attname: getattr(case, field.attname) for field in HousingCase._meta.concrete_fields
                           if not field.primary_key})
    unfunded = HousingCase.objects.get(pk=case.pk)
    unfunded.family_amount, unfunded.sponsor_amount, unfunded.start_date = 0, 5, datetime.date(2025, 6, 1)
    unfunded.completion_date, unfunded.final_cost = datetime.date(2025, 5, 1), 0
    negative = HousingCase.objects.get(pk=case.pk)
    negative.state_budget, negative.estimated_cost = -1, "abc"
    orphan = HousingCase.objects.get(pk=case.pk)
    orphan.household_id = 999_999
    return {"clash": clash, "unfunded": unfunded, "negative": negative, "orphan": orphan}


@pytest.mark.parametrize("name", ["clash", "unfunded", "negative", "orphan"])
def test_a_broken_case_gets_djangos_errors(world, name):
    instance = _broken_cases(world)[name]
    expected = _djangos_errors(instance)
    assert expected, "the fixture must break a rule"
    assert _our_errors(instance) == expected


def test_member_clashes_are_filed_like_djangos(world):
    household = HouseholdFactory(commune=world.commune)
    taken = MemberFactory(household=HouseholdFactory(commune=world.sibling_commune))
    second_head = Member(household=household, full_name="Lê Văn Hai", birth_year=1990, sex="male",
                         relation=Relation.HEAD, citizen_id=taken.citizen_id)
    expected = _djangos_errors(second_head)
    assert set(expected) == {"citizen_id", "__all__"}
    assert _our_errors(second_head) == expected


def test_excluded_fields_and_skipped_checks_are_djangos(world):
    case = _broken_cases(world)["unfunded"]
    for kwargs in ({"exclude": {"family_amount"}}, {"validate_constraints": False}, {"exclude": {"household"}}):
        assert _our_errors(case, **kwargs) == _djangos_errors(case, **kwargs), kwargs


def test_every_check_is_one_query(world, django_assert_num_queries):
    case = _broken_cases(world)["unfunded"]
    with django_assert_num_queries(1), pytest.raises(ValidationError):
        full_clean(case)
    valid = HousingCase.objects.get(pk=case.pk)
    with django_assert_num_queries(1):
        valid.full_clean()


def test_bulk_delete_writes_a_history_row_naming_the_actor(world):
    statuses = [HouseholdStatusFactory(household__commune=world.commune) for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        bulk_delete_with_history(statuses[:2], HouseholdStatus, actor=world.commune_officer)
    assert len(queries) == 2
    assert list(HouseholdStatus.objects.all()) == [statuses[2]]
    removed = HouseholdStatus.history.filter(history_type="-")
    assert sorted(removed.values_list("id", "history_user")) == sorted(
        (status.pk, world.commune_officer.pk) for status in statuses[:2])


def test_bulk_delete_refuses_a_model_other_rows_point_at(world):
    target = ProgrammeTarget(programme=ProgrammeFactory(unit=world.district), unit=world.commune)
    bulk_delete_with_history([], ProgrammeTarget, actor=world.district_member)  # nothing to do, nothing asked
    with pytest.raises(ValueError, match="pointing at it"):
        bulk_delete_with_history([target.programme], type(target.programme), actor=world.district_member)

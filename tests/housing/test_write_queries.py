"""Query ceilings of the housing writes, through the service, the page and the API.

A page or API ceiling includes what every signed-in request costs: the session read, the user,
the session written back, each in a savepoint in the test's transaction. Setting targets costs
the same for 5 communes as for 30.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from housing import services
from housing.choices import CaseState, Transition
from housing.models import ProgrammeTarget

from ..factories import CommuneFactory
from ..households.factories import HouseholdFactory
from ..households.test_write_queries import SUBMISSION_KEY  # the one-time key's queries, explained there
from .factories import TINY_PDF, ProgrammeFactory, case_in_state

# The household and the programme locked, the last new house looked up, the case's checks
# (one query), the case with its history, its first step.
PROPOSE_SERVICE = 11
PROPOSE_PAGE = 20 + SUBMISSION_KEY
PROPOSE_API = 22 + SUBMISSION_KEY
# The case locked (with its programme only when approving), its checks, the case with its
# history, the step. The page and the API read the case first, and show it after.
STEP_SERVICE = 9
STEP_PAGE = 15
STEP_API = 21
# Starting construction also looks up the Fund for the Poor that would pay the plan's part
# (the donations app's construction-start hook): none is kept here, so nothing more.
START_LOOKUP = 1
# Handing over with the record: the file's checks and row come on top (the case is locked again).
HAND_OVER_SERVICE = 14
HAND_OVER_PAGE = 20
HAND_OVER_API = 26
# Whatever the number of communes: the programme locked, its units and targets read at once,
# removed, changed and added targets written with one query each (and one for their history).
TARGETS_SERVICE = 11
TARGETS_PAGE = 20
TARGETS_API = 21

PLAN = {"work_kind": "new_build", "current_condition": "Nhà tạm vách lá", "estimated_cost": 90_000_000,
        "state_budget": 40_000_000, "fund_for_the_poor": 20_000_000, "family_amount": 30_000_000}
# Each step: the state it starts from, who takes it, and what it records (as the service, the
# page and the API take it).
STEPS = {
    Transition.SURVEY: (CaseState.PROPOSED, "commune_officer",
                        {"survey_date": datetime.date(2025, 4, 1), "survey_findings": "Nhà dột"},
                        {"survey_date": "2025-04-01", "survey_findings": "Nhà dột"}),
    Transition.APPROVE: (CaseState.SURVEYED, "district_member", {}, {}),
    Transition.REJECT: (CaseState.SURVEYED, "district_member", {}, {}),
    Transition.START: (CaseState.APPROVED, "commune_officer", {"start_date": datetime.date(2025, 5, 2)},
                       {"start_date": "2025-05-02"}),
    Transition.COMPLETE: (CaseState.CONSTRUCTION_STARTED, "commune_officer",
                          {"completion_date": datetime.date(2025, 7, 2), "final_cost": 79_000_000},
                          {"completion_date": "2025-07-02", "final_cost": "79000000"}),
    Transition.HAND_OVER: (CaseState.COMPLETED, "commune_officer", {"handover_date": datetime.date(2025, 7, 20)},
                           {"handover_date": "2025-07-20"}),
    Transition.CANCEL: (CaseState.APPROVED, "district_member", {}, {}),
}
NOTE = "Lý do: hộ đã chuyển đi nơi khác"


@pytest.fixture
def api():
    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def programme(world):
    return ProgrammeFactory(unit=world.district, created_by=world.district_member)


def test_proposing_a_case_has_a_query_ceiling(api, client, world, programme, django_assert_max_num_queries):
    first, second, third = (HouseholdFactory(commune=world.commune) for _ in range(3))
    with django_assert_max_num_queries(PROPOSE_SERVICE):
        case = services.case_propose(actor=world.commune_officer, household=first, programme=programme,
                                     data=services.CaseData(**PLAN))
    assert case.history.get().history_user == world.commune_officer

    client.force_login(world.commune_officer)
    with django_assert_max_num_queries(PROPOSE_PAGE):
        response = client.post(reverse("housing:case-create"),
                               {"household": second.pk, "programme": programme.pk, **PLAN, "submission_key": "case-1"})
    assert response.status_code == 302

    officer = api(world.commune_officer)
    with django_assert_max_num_queries(PROPOSE_API):
        response = officer.post(reverse("api:housing-case-list"),
                                {"household": third.pk, "programme": programme.pk, **PLAN}, format="json",
                                HTTP_IDEMPOTENCY_KEY="case-api-1")
    assert response.status_code == 201, response.content


def _ceilings(step: str) -> tuple[int, int, int]:
    if step == Transition.HAND_OVER:
        return HAND_OVER_SERVICE, HAND_OVER_PAGE, HAND_OVER_API
    if step == Transition.START:
        return STEP_SERVICE + START_LOOKUP, STEP_PAGE + START_LOOKUP, STEP_API + START_LOOKUP
    return STEP_SERVICE, STEP_PAGE, STEP_API


def _record(step: str) -> dict:
    """The handover record the hand-over step attaches; nothing for the other steps."""
    if step != Transition.HAND_OVER:
        return {}
    return {"handover_record": SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf")}


@pytest.mark.parametrize("step", list(STEPS))
def test_each_workflow_step_has_a_query_ceiling(api, client, world, programme, step,
                                                django_assert_max_num_queries):
    state, role, values, body = STEPS[step]
    actor = getattr(world, role)
    by_service, by_page, by_api = (case_in_state(state, programme=programme,
                                                 household=HouseholdFactory(commune=world.commune))
                                   for _ in range(3))
    service_ceiling, page_ceiling, api_ceiling = _ceilings(step)

    with django_assert_max_num_queries(service_ceiling):
        services.case_advance(actor=actor, case=by_service, step=step, note=NOTE, **values, **_record(step))
    assert by_service.history.latest().history_user == actor

    client.force_login(actor)
    with django_assert_max_num_queries(page_ceiling):
        response = client.post(reverse("housing:case-step", args=[by_page.pk, step]),
                               {**body, "note": NOTE, **_record(step), "confirmed": "yes"})  # cancel asks first
    assert response.status_code == 302

    caller = api(actor)
    with django_assert_max_num_queries(api_ceiling):
        response = caller.post(reverse(f"api:housing-case-{step.replace('_', '-')}", args=[by_api.pk]),
                               {**body, "note": NOTE, **_record(step)},
                               format="multipart" if step == Transition.HAND_OVER else "json")
    assert response.status_code == 200, response.content
    for case in (by_service, by_page, by_api):
        case.refresh_from_db()
        assert case.state == STEP_TARGETS[step]


STEP_TARGETS = {
    Transition.SURVEY: CaseState.SURVEYED, Transition.APPROVE: CaseState.APPROVED,
    Transition.REJECT: CaseState.REJECTED, Transition.START: CaseState.CONSTRUCTION_STARTED,
    Transition.COMPLETE: CaseState.COMPLETED, Transition.HAND_OVER: CaseState.HANDED_OVER,
    Transition.CANCEL: CaseState.CANCELLED,
}


@pytest.mark.parametrize("count", [5, 30])
def test_setting_targets_costs_the_same_for_any_number_of_communes(api, client, world, programme, count,
                                                                    django_assert_max_num_queries):
    communes = [world.commune, world.sibling_commune,
                *(CommuneFactory(parent=world.district, code=f"9{index:04d}") for index in range(count - 2))]

    with django_assert_max_num_queries(TARGETS_SERVICE):
        services.programme_targets_set(actor=world.district_member, programme=programme,
                                       targets={commune.pk: (2, 1) for commune in communes})
    # Changed, added and removed at once: the first commune loses its target, one is new.
    changed = {commune.pk: (3, 1) for commune in communes[1:]}
    with django_assert_max_num_queries(TARGETS_SERVICE):
        services.programme_targets_set(actor=world.district_member, programme=programme, targets=changed)
    assert dict((target.unit_id, (target.new_builds, target.repairs)) for target in programme.targets.all()) \
        == changed
    history = ProgrammeTarget.history.filter(history_user=world.district_member)
    assert [history.filter(history_type=kind).count() for kind in "+~-"] == [count, count - 1, 1]

    client.force_login(world.district_member)
    form = {f"{prefix}_{commune.pk}": value for commune in communes for prefix, value in (("new", 4), ("repair", 1))}
    with django_assert_max_num_queries(TARGETS_PAGE):
        response = client.post(reverse("housing:programme-targets", args=[programme.pk]), form)
    assert response.status_code == 302

    member = api(world.district_member)
    body = {"targets": [{"unit": commune.pk, "new_builds": 5, "repairs": 1} for commune in communes]}
    with django_assert_max_num_queries(TARGETS_API):
        response = member.post(reverse("api:housing-programme-targets", args=[programme.pk]), body, format="json")
    assert response.status_code == 200, response.content
    assert set(programme.targets.values_list("new_builds", "repairs")) == {(5, 1)}

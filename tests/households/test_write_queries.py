"""Query ceilings of the household registry's writes, through the service, the page and the API.

A page or API ceiling includes what every signed-in request costs: the session read, the user,
the session written back when it notes the activity (once a minute), each in a savepoint in the test's
transaction. The annual review costs the same for 5 households as for 50.
"""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households import services
from households.choices import Relation, Sex
from households.models import HouseholdStatus

from .factories import HouseholdFactory, HouseholdStatusFactory, valid_citizen_id

# A create from a page or the API carries its one-time key (frontwelfare.submissions): the key
# written, then pointed at the record made (with the record's content type, read once per
# process), in a transaction of its own around the service's (here a savepoint and its release):
# four or five queries more than the service alone.
SUBMISSION_KEY = 5
# What households.tallies derives after a write, in its transaction: a household's summary (its
# members read, its code and hamlet read, the row updated), the commune locked, its households
# counted and their tally written, its statuses counted and their tallies replaced (two queries).
SUMMARY = 3
HOUSEHOLD_TALLY = 1 + 2
CATEGORY_TALLY = 1 + 3
# Registration of a household with two members and a policy type: the commune's lock and its
# codes, the household's checks (one query) and its row with history, the citizen IDs taken,
# the policy's checks, members and policies with their history (one insert each).
REGISTER_SERVICE = 17 + SUMMARY + HOUSEHOLD_TALLY + CATEGORY_TALLY - 1  # one lock for both
REGISTER_PAGE = 26 + SUBMISSION_KEY + SUMMARY + HOUSEHOLD_TALLY + CATEGORY_TALLY - 1
# The API looks for likely duplicates first, as the page does (one query).
REGISTER_API = 30 + SUBMISSION_KEY + SUMMARY + HOUSEHOLD_TALLY + CATEGORY_TALLY - 1
# The household locked, the member's checks, its row with history.
MEMBER_ADD_SERVICE = 8 + SUMMARY + HOUSEHOLD_TALLY
MEMBER_ADD_PAGE = 17 + SUBMISSION_KEY + SUMMARY + HOUSEHOLD_TALLY
MEMBER_ADD_API = 15 + SUBMISSION_KEY + SUMMARY + HOUSEHOLD_TALLY
# The household locked, its statuses of the year, the replaced one removed (with history), the
# checks, the row with history.
STATUS_SERVICE = 11 + CATEGORY_TALLY
STATUS_PAGE = 15 + SUBMISSION_KEY + CATEGORY_TALLY
STATUS_API = 19 + SUBMISSION_KEY + CATEGORY_TALLY
# Whatever the number of households: locked at once, their statuses read at once, removals,
# new decisions and new statuses written with one query each (and one for their history).
REVIEW_SERVICE = 12 + CATEGORY_TALLY
REVIEW_PAGE = 17 + CATEGORY_TALLY


def _member(serial: int, relation=Relation.CHILD) -> services.MemberData:
    return services.MemberData(full_name=f"Nguyễn Văn {serial}", birth_year=1980, sex=Sex.MALE, relation=relation,
                               citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1980, serial=serial))


@pytest.fixture
def api():
    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return signed_in


def test_registering_a_household_has_a_query_ceiling(world, django_assert_max_num_queries):
    data = services.HouseholdData(hamlet="Ấp 1", consent_date=datetime.date(2025, 5, 1), consent_purpose="Hỗ trợ",
                                  members=[_member(1, Relation.HEAD), _member(2)], policy_types=["war_invalid"])
    with django_assert_max_num_queries(REGISTER_SERVICE):
        household = services.household_register(actor=world.commune_officer, commune=world.commune, data=data)
    assert household.members.count() == 2
    history = household.members.first().history.get()
    assert (history.history_type, history.history_user) == ("+", world.commune_officer)


def test_registering_from_the_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    client.force_login(world.commune_officer)
    form = {
        "hamlet": "Ấp Phước Hậu", "phone": "0912345678", "consent_purpose": "Hỗ trợ an sinh",
        "consent_date": "2025-05-01", "policy_types": ["war_invalid"], "duplicates_checked": "1",
        "submission_key": "register-1",
        "members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-full_name": "Nguyễn Văn An", "members-0-relation": Relation.HEAD, "members-0-sex": Sex.MALE,
        "members-0-birth_year": "1970", "members-0-ethnicity": "01",
        "members-0-citizen_id": valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=4242),
        "members-1-full_name": "Lê Thị Bình", "members-1-relation": Relation.SPOUSE, "members-1-sex": Sex.FEMALE,
        "members-1-birth_date": "1975-02-03", "members-1-ethnicity": "01",
    }
    with django_assert_max_num_queries(REGISTER_PAGE):
        response = client.post(reverse("households:create"), form)
    assert response.status_code == 302


def test_registering_through_the_api_has_a_query_ceiling(api, world, django_assert_max_num_queries):
    client = api(world.commune_officer)
    payload = {
        "commune": world.commune.pk, "hamlet": "Ấp 2", "consent_purpose": "Hỗ trợ", "consent_date": "2025-05-01",
        "policy_types": ["war_invalid"],
        "members": [{"full_name": "Trần Văn A", "birth_year": 1970, "sex": "male", "relation": "head",
                     "citizen_id": valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=77)},
                    {"full_name": "Trần Thị B", "birth_year": 1972, "sex": "female", "relation": "spouse"}],
    }
    with django_assert_max_num_queries(REGISTER_API):
        response = client.post(reverse("api:household-list"), payload, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert response.status_code == 201, response.content


def test_adding_a_member_has_a_query_ceiling(api, client, world, django_assert_max_num_queries):
    household = HouseholdFactory(commune=world.commune)
    with django_assert_max_num_queries(MEMBER_ADD_SERVICE):
        services.member_add(actor=world.commune_officer, household=household, data=_member(5))

    client.force_login(world.commune_officer)
    with django_assert_max_num_queries(MEMBER_ADD_PAGE):
        response = client.post(reverse("households:member-add", args=[household.pk]), {
            "full_name": "Nguyễn Thị Cúc", "relation": Relation.CHILD, "sex": Sex.FEMALE, "birth_year": "2010",
            "ethnicity": "01", "submission_key": "member-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200

    officer = api(world.commune_officer)
    with django_assert_max_num_queries(MEMBER_ADD_API):
        response = officer.post(reverse("api:member-list"), {
            "household": household.pk, "full_name": "Lê Văn Mới", "birth_year": 2000, "sex": "male",
            "relation": "child"}, format="json", HTTP_IDEMPOTENCY_KEY="member-api-1")
    assert response.status_code == 201, response.content
    assert household.members.count() == 4


def test_recording_a_status_has_a_query_ceiling(api, client, world, django_assert_max_num_queries):
    household = HouseholdFactory(commune=world.commune)
    HouseholdStatusFactory(household=household, year=2024, category="near_poor")
    with django_assert_max_num_queries(STATUS_SERVICE):
        services.status_record(actor=world.commune_officer, household=household, year=2024, category="poor",
                               decision_number="1/QĐ", decision_date=datetime.date(2024, 1, 5))
    assert list(household.statuses.values_list("category", flat=True)) == ["poor"]

    client.force_login(world.commune_officer)
    with django_assert_max_num_queries(STATUS_PAGE):
        response = client.post(reverse("households:status-add", args=[household.pk]), {
            "year": "2025", "category": "poor", "decision_number": "12/QĐ-UBND", "decision_date": "2025-01-10",
            "submission_key": "status-1"})
    assert response.status_code == 302

    officer = api(world.commune_officer)
    with django_assert_max_num_queries(STATUS_API):
        response = officer.post(reverse("api:household-statuses", args=[household.pk]), {
            "year": 2023, "category": "near_poor", "decision_number": "3/QĐ", "decision_date": "2023-01-10"},
            format="json", HTTP_IDEMPOTENCY_KEY="status-api-1")
    assert response.status_code == 201, response.content


def _households_half_near_poor(world, count: int) -> list:
    households = [HouseholdFactory(commune=world.commune) for _ in range(count)]
    for household in households[: count // 2]:
        HouseholdStatusFactory(household=household, year=2025, category="near_poor", decision_number="1/QĐ")
    return households


@pytest.mark.parametrize("count", [5, 50])
def test_the_annual_review_costs_the_same_for_any_number_of_households(world, count,
                                                                        django_assert_max_num_queries):
    households = _households_half_near_poor(world, count)
    keeps = HouseholdStatusFactory(household=HouseholdFactory(commune=world.commune), year=2025, category="poor",
                                   decision_number="1/QĐ")
    entries = [services.ReviewEntry(household=household, category="poor") for household in households]
    entries[0] = services.ReviewEntry(household=households[0], category="")  # removed
    entries.append(services.ReviewEntry(household=keeps.household, category="poor"))  # new decision, same category

    with django_assert_max_num_queries(REVIEW_SERVICE):
        changed = services.annual_review_record(actor=world.commune_officer, commune=world.commune, year=2025,
                                                decision_number="45/QĐ", decision_date=datetime.date(2025, 1, 5),
                                                entries=entries)

    assert changed == count + 1
    statuses = HouseholdStatus.objects.filter(year=2025)
    assert set(statuses.values_list("category", "decision_number")) == {("poor", "45/QĐ")}
    assert statuses.count() == count
    keeps.refresh_from_db()
    assert (keeps.decision_number, keeps.decision_date) == ("45/QĐ", datetime.date(2025, 1, 5))
    # Every change leaves its history row, by the officer: removed, replaced, added, redecided.
    history = HouseholdStatus.history.filter(history_user=world.commune_officer)
    assert history.filter(history_type="-").count() == count // 2
    assert history.filter(history_type="+").count() == count - 1
    assert history.filter(history_type="~").get().id == keeps.pk


@pytest.mark.parametrize("count", [5, 50])
def test_the_annual_review_page_costs_the_same_for_any_number_of_households(client, world, count,
                                                                             django_assert_max_num_queries):
    households = _households_half_near_poor(world, count)
    form = {"decision_number": "46/QĐ", "decision_date": "2025-01-06"}
    for index, household in enumerate(households):
        form[f"category_{household.pk}"] = "poor" if index % 2 else ""
        form[f"was_{household.pk}"] = "near_poor" if index < count // 2 else ""
    client.force_login(world.commune_officer)

    with django_assert_max_num_queries(REVIEW_PAGE):
        response = client.post(f"{reverse('households:review')}?year=2025", form)

    assert response.status_code == 302
    assert HouseholdStatus.objects.filter(year=2025, category="poor").count() == count // 2

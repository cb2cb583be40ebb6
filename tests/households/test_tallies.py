"""The values the registry keeps from its own rows (households.tallies): each household's member
counts, each commune's household and category tallies. Every kind of write keeps them equal to
the rows; the rebuild command repairs them; lists and reports read them and show what the rows say.
"""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from frontwelfare import paging
from households import services
from households.choices import Disability, Relation, SchoolLevel, Sex
from households.models import CategoryTally, Household, HouseholdTally
from households.services import HouseholdData, MemberData, ReviewEntry, StatusData
from households.tallies import registry_differences, registry_rebuild

from .factories import HouseholdFactory, HouseholdStatusFactory, MemberFactory, valid_citizen_id

JANUARY = datetime.date(2025, 1, 10)


def _register(world, name: str, serial: int, **extra) -> Household:
    members = [MemberData(full_name=name, birth_year=1970, sex=Sex.MALE, relation=Relation.HEAD,
                          citizen_id=valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=serial)),
               MemberData(full_name="Lê Thị Hoa", birth_year=2012, sex=Sex.FEMALE, relation=Relation.CHILD,
                          school_level=SchoolLevel.PRIMARY)]
    data = HouseholdData(hamlet="Ấp 1", consent_date=datetime.date(2025, 1, 2), consent_purpose="Hỗ trợ",
                         members=members, **extra)
    return services.household_register(actor=world.commune_officer, commune=world.commune, data=data)


def test_every_kind_of_write_keeps_the_counts_equal_to_the_registry(world):
    officer = world.commune_officer
    first = _register(world, "Nguyễn Văn An", 1, statuses=[StatusData(2025, "poor", "1/QĐ-UBND", JANUARY)])
    second = _register(world, "Trần Văn Bình", 2)
    assert registry_differences() == []
    assert (first.__class__.objects.get(pk=first.pk).member_count, HouseholdTally.objects.get(
        commune=world.commune).households) == (2, 2)

    added = services.member_add(actor=officer, household=first, data=MemberData(
        full_name="Nguyễn Thị Cúc", birth_year=1950, sex=Sex.FEMALE, relation=Relation.PARENT,
        disability=Disability.SEVERE))
    services.member_update(actor=officer, member=added, disability="")
    services.member_remove(actor=officer, member=second.members.get(relation=Relation.CHILD))
    status = services.status_record(actor=officer, household=second, year=2025, category="near_poor",
                                    decision_number="2/QĐ-UBND", decision_date=JANUARY)
    services.status_record(actor=officer, household=first, year=2025, category="near_poor",
                           decision_number="3/QĐ-UBND", decision_date=datetime.date(2025, 2, 1))
    services.status_remove(actor=officer, status=status)
    services.annual_review_record(actor=officer, commune=world.commune, year=2026, decision_number="4/QĐ-UBND",
                                  decision_date=datetime.date(2026, 1, 5),
                                  entries=[ReviewEntry(first, "poor"), ReviewEntry(second, "near_poor")])
    assert registry_differences() == []
    household = Household.objects.get(pk=first.pk)
    assert (household.member_count, household.disabled_count, household.pupil_count) == (3, 0, 1)
    assert sorted(CategoryTally.objects.values_list("year", "category", "households")) == [
        (2025, "near_poor", 1), (2026, "near_poor", 1), (2026, "poor", 1)]


def test_the_rebuild_repairs_counts_changed_behind_the_services_back(world):
    HouseholdStatusFactory.create_batch(3, household__commune=world.commune, year=2025, category="poor")
    MemberFactory(household=Household.objects.first(), disability=Disability.MILD)
    assert registry_differences() == []
    Household.objects.update(member_count=9)
    CategoryTally.objects.filter(category="poor").update(households=1)
    HouseholdTally.objects.all().delete()
    assert len(registry_differences()) == 5  # three households and both kinds of tally
    with pytest.raises(CommandError):
        call_command("registry_rebuild", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115

    call_command("registry_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert registry_differences() == []
    call_command("registry_rebuild", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Household.objects.values_list("member_count", flat=True)) == [1, 1, 2]


def test_rebuilding_forgets_the_tallies_of_a_commune_left_without_households(world):
    HouseholdStatusFactory(household__commune=world.sibling_commune, year=2025)
    Household.objects.filter(commune=world.sibling_commune).delete()  # as a database restore might leave it
    registry_rebuild()
    assert not CategoryTally.objects.filter(commune=world.sibling_commune).exists()
    assert registry_differences() == []


@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_at_once_in_one_commune_leave_a_tally_counting_both(world):
    """Each counts the commune's statuses after the other has committed (the commune's row is
    locked first): without the lock, the one who commits last would write a tally missing the
    other's status."""
    households = HouseholdFactory.create_batch(2, commune=world.commune)
    start = threading.Barrier(2)
    errors = []

    def record(household):
        try:
            start.wait()
            services.status_record(actor=world.commune_officer, household=household, year=2025, category="poor",
                                   decision_number="5/QĐ-UBND", decision_date=JANUARY)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=record, args=(household,)) for household in households]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CategoryTally.objects.get(commune=world.commune, year=2025, category="poor").households == 2
    assert registry_differences() == []


# -- what the list shows from them ------------------------------------------------------------------


def _heading_count(response) -> str:
    body = response.content.decode()
    start = body.index('data-testid="household-count">') + len('data-testid="household-count">')
    return body[start:body.index("</span>", start)]


def test_list_total_comes_from_the_tallies_and_matches_the_rows(client, world):
    HouseholdStatusFactory.create_batch(3, household__commune=world.commune, year=2025, category="poor")
    HouseholdFactory.create_batch(2, commune=world.sibling_commune)
    HouseholdFactory(commune=world.other_district_commune)
    client.force_login(world.district_member)
    assert _heading_count(client.get(reverse("households:list"))) == "(5)"
    assert _heading_count(client.get(reverse("households:list"), {"category": "poor", "year": "2025"})) == "(3)"
    assert _heading_count(client.get(reverse("households:list"), {"unit": world.sibling_commune.pk})) == "(2)"


def test_past_the_count_limit_the_list_says_more_than_and_stops_counting(client, world, monkeypatch):
    for _ in range(4):
        MemberFactory(household=HouseholdFactory(commune=world.commune), disability=Disability.MILD)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"has_disability": "true"})
    assert _heading_count(response) == "(hơn 3)"
    assert len(response.context["object_list"]) == 4
    assert "Trang 1 /" not in response.content.decode()  # no total of pages it does not know


def test_a_province_list_costs_the_same_queries_for_any_number_of_households(client, world):
    client.force_login(world.provincial_officer)

    def queries(path, params):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(path), params)
        return len(captured)

    variants = [{}, {"category": "poor", "year": "2025"}, {"q": "nguyen van"}, {"q": "0001"},
                {"has_disability": "true"}]
    # Coded so that "0001" finds a household before and after: an empty page reads no rows.
    HouseholdStatusFactory(household__commune=world.commune, household__code=f"{world.commune.code}-0001", year=2025)
    few = [queries("households:list", params) for params in variants]
    for commune in (world.commune, world.sibling_commune, world.other_district_commune):
        HouseholdStatusFactory.create_batch(20, household__commune=commune, year=2025)
    assert [queries("households:list", params) for params in variants] == few


# -- the search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "found"), [
    ("nguyen van an", True), ("Nguyễn Văn", True), ("van an", True), ("an", True), ("AN", True),
    ("guyen", False), ("van b", False),
])
def test_search_finds_a_name_from_the_start_of_its_words(client, world, query, found):
    household = HouseholdFactory(commune=world.commune, head_name="Nguyễn Văn An")
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"q": query})
    assert (household in response.context["object_list"]) is found


def _category_cards(response) -> dict[str, int]:
    return {category: count for category, _label, count in response.context["counts"]}


@pytest.mark.parametrize("viewer", ["district_member", "administrator"])
def test_a_name_search_counts_its_matches_and_their_categories_from_the_households_it_read(client, world, viewer):
    this_year = timezone.localdate().year
    for commune, category in ((world.commune, "poor"), (world.commune, "near_poor"), (world.sibling_commune, "poor"),
                              (world.other_district_commune, "poor")):
        HouseholdStatusFactory(household__commune=commune, household__head_name="Nguyễn Văn Hải", year=this_year,
                               category=category)
    HouseholdStatusFactory(household__commune=world.commune, household__head_name="Trần Văn Hải", year=this_year)
    client.force_login(getattr(world, viewer))
    with CaptureQueriesContext(connection) as captured:  # the administrator's: every household, searched
        response = client.get(reverse("households:list"), {"q": "nguyen van hai"})
    in_scope = 3 if viewer == "district_member" else 4
    assert _heading_count(response) == f"({in_scope})"
    assert _category_cards(response) == {"poor": in_scope - 1, "near_poor": 1, "escaped_poverty": 0, "difficult": 0}
    # Neither counted again: the number is the matches', the cards read the statuses of their ids.
    assert not [query for query in captured.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]

    filtered = client.get(reverse("households:list"), {"q": "nguyen van hai", "category": "poor"})
    assert _heading_count(filtered) == f"({in_scope - 1})"
    assert _category_cards(filtered)["near_poor"] == 1  # the cards of the search, whatever category is chosen


@pytest.fixture
def common_name(world, monkeypatch):
    """"Nguyễn" in three households of the commune, one of its sibling and one of another district,
    with the limits made small: a name borne by more than 2 people is "too common", and a list of
    more than 4 households too big to search for it one by one."""
    from households import filters

    monkeypatch.setattr(filters, "SEARCH_MATCHES", 2)
    monkeypatch.setattr(filters, "BROAD_SEARCH_LIST", 4)
    for commune in (world.commune, world.commune, world.commune, world.sibling_commune,
                    world.other_district_commune):
        HouseholdStatusFactory(household__commune=commune, household__head_name="Nguyễn Văn Nam",
                               year=timezone.localdate().year, category="poor")
    HouseholdFactory(commune=world.commune, head_name="Trần Thị Mai")


def test_a_name_too_common_to_list_is_searched_household_by_household_in_a_small_list(client, world, common_name):
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"q": "nguyen"})
    assert len(response.context["object_list"]) == 3
    assert _heading_count(response) == "(3)"
    assert _category_cards(response)["poor"] == 3
    assert 'data-testid="search-error"' not in response.content.decode()


def test_a_name_too_common_to_search_in_a_big_list_is_refused_asking_for_more_of_it(client, world, common_name):
    client.force_login(world.provincial_officer)
    response = client.get(reverse("households:list"), {"q": "nguyen"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hơn 2 người có tên “nguyen”: hãy gõ thêm tên, hoặc chọn một đơn vị để tìm trong đó." in body
    assert _heading_count(response) == "(6)"  # the search left out, as the message says beside it

    # Within one commune (a unit chosen), the list is small enough to search it one by one.
    narrowed = client.get(reverse("households:list"), {"q": "nguyen", "unit": world.commune.pk})
    assert _heading_count(narrowed) == "(3)"
    assert 'data-testid="search-error"' not in narrowed.content.decode()


def test_the_api_refuses_a_name_too_common_for_the_list_with_a_400_naming_the_search(world, common_name):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(world.provincial_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("api:household-list"), {"q": "nguyen"})
    assert response.status_code == 400
    assert response.json() == {"q": ["More than 2 people are named “nguyen”: type more of the name, "
                                     "or choose a unit to search in."]}
    assert client.get(reverse("api:household-list"), {"q": "nguyen van nam", "unit": world.commune.pk}
                      ).json()["count"] == 3


def test_search_finds_a_household_by_its_code_or_the_end_of_it(client, world):
    household = HouseholdFactory(commune=world.commune, code="28915-0012")
    HouseholdFactory(commune=world.commune, code="28915-0013")
    client.force_login(world.commune_officer)
    for query in ("28915-0012", "0012"):
        assert list(client.get(reverse("households:list"), {"q": query}).context["object_list"]) == [household]


def test_past_the_count_limit_a_larger_estimate_is_shown_as_about(client, world, monkeypatch):
    for _ in range(4):
        MemberFactory(household=HouseholdFactory(commune=world.commune), disability=Disability.MILD)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 3)
    monkeypatch.setattr(paging, "planner_estimate", lambda queryset: 52_345)
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"has_disability": "true"})
    assert _heading_count(response) == "(khoảng 52.000)"
    assert len(response.context["object_list"]) == 4


def test_the_planner_estimate_reads_a_plan_without_reading_rows(world):
    HouseholdFactory.create_batch(3, commune=world.commune)
    estimate = paging.planner_estimate(Household.objects.all())
    assert isinstance(estimate, int) and estimate >= 1

"""A create posted twice makes one record: a double tap on a slow connection, or an API retry.

The race tests post twice at the same moment from two threads with their own database
connections (transactional_db: each request commits, as in production); the household's
registration is slowed so that both requests are inside it together.
"""

import datetime
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from frontwelfare.reports.models import Report
from frontwelfare.submissions import KEY_FIELD
from households import services as household_services
from households.choices import Relation, Sex
from households.models import Household, HouseholdStatus
from housing.models import CaseAttachment, HousingCase, Programme

from .factories import CommuneOfficerFactory
from .households.factories import HouseholdFactory
from .housing.factories import TINY_PNG

# A household whose one member has no citizen ID: nothing unique stops a second registration.
FORM = {
    "hamlet": "Ấp Phước Hậu", "consent_purpose": "Hỗ trợ an sinh", "consent_date": "2025-05-01",
    "duplicates_checked": "1", "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "1000",
    "members-0-full_name": "Nguyễn Văn Tư", "members-0-relation": Relation.HEAD, "members-0-sex": Sex.MALE,
    "members-0-birth_year": "1960", "members-0-ethnicity": "01",
}


def _payload(world) -> dict:
    return {"commune": world.commune.pk, "hamlet": "Ấp 2", "consent_purpose": "Hỗ trợ",
            "consent_date": "2025-05-01", "duplicates_checked": True,
            "members": [{"full_name": "Trần Văn Tư", "birth_year": 1960, "sex": "male", "relation": "head"}]}


@pytest.fixture
def slow_registration(monkeypatch):
    """household_register takes half a second: two posts sent together are both inside it."""
    register = household_services.household_register

    def slowly(**kwargs):
        time.sleep(0.5)
        return register(**kwargs)

    monkeypatch.setattr(household_services, "household_register", slowly)


def _at_once(*posts) -> list:
    """Run the posts in threads released together; their answers in order."""
    start, answers = threading.Barrier(len(posts)), [None] * len(posts)

    def run(index, post):
        try:
            start.wait()
            answers[index] = post()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, post)) for index, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def _signed_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("slow_registration")
def test_a_registration_posted_twice_at_once_makes_one_household(transactional_db, world):
    form = {**FORM, "submission_key": "b8f0c3d2a1e94f6b8c7d6e5f4a3b2c1d"}
    first, second = _signed_in(world.commune_officer), _signed_in(world.commune_officer)
    answers = _at_once(lambda: first.post(reverse("households:create"), form),
                       lambda: second.post(reverse("households:create"), form))
    household = Household.objects.get()
    # Both taps land on the household's page, the one made by the first.
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer["Location"] for answer in answers} == {reverse("households:detail", args=[household.pk])}
    page = second.get(answers[1]["Location"])
    assert "Nguyễn Văn Tư" in page.content.decode()


@pytest.mark.usefixtures("slow_registration")
def test_an_api_registration_sent_twice_at_once_with_one_key_makes_one_household(transactional_db, world):
    first, second = _signed_in(world.commune_officer, APIClient), _signed_in(world.commune_officer, APIClient)

    def post(client):
        return lambda: client.post(reverse("api:household-list"), _payload(world), format="json",
                                   HTTP_IDEMPOTENCY_KEY="7d1c2b3a-registration-1")

    answers = _at_once(post(first), post(second))
    household = Household.objects.get()
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert [answer.json()["id"] for answer in answers] == [household.pk, household.pk]
    replayed = next(answer for answer in answers if answer.status_code == 200)
    assert replayed["Idempotent-Replayed"] == "true"
    assert replayed.json()["members"][0]["full_name"] == "Trần Văn Tư"


def test_the_registration_page_carries_a_one_time_key_kept_through_errors(client, world):
    client.force_login(world.commune_officer)
    page = client.get(reverse("households:create")).content.decode()
    assert 'name="submission_key"' in page
    again = client.post(reverse("households:create"), {**FORM, "hamlet": "", "submission_key": "kept-key-1"})
    assert again.status_code == 400
    assert 'name="submission_key" value="kept-key-1"' in again.content.decode()
    # The key was not used up by the refused form: the corrected one registers.
    saved = client.post(reverse("households:create"), {**FORM, "submission_key": "kept-key-1"})
    assert saved["Location"] == reverse("households:detail", args=[Household.objects.get().pk])


def test_one_key_is_one_users_own(world):
    """The same key from another officer is another submission: keys never answer across users."""
    colleague = CommuneOfficerFactory(username="colleague", unit=world.commune)
    for officer in (world.commune_officer, colleague):
        answer = _signed_in(officer, APIClient).post(reverse("api:household-list"), _payload(world), format="json",
                                                      HTTP_IDEMPOTENCY_KEY="same-key")
        assert answer.status_code == 201
    assert Household.objects.count() == 2


def test_a_malformed_idempotency_key_is_refused(world):
    answer = _signed_in(world.commune_officer, APIClient).post(
        reverse("api:household-list"), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="no spaces; please")
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["detail"]
    assert not Household.objects.exists()



def test_keys_older_than_two_days_are_forgotten_and_recent_ones_still_answer(world):
    from frontwelfare.accounts.models import Submission
    from frontwelfare.accounts.tasks import submissions_forget_old_task

    api = _signed_in(world.commune_officer, APIClient)
    for key in ("old-key", "recent-key"):
        assert api.post(reverse("api:household-list"), _payload(world), format="json",
                        HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    Submission.objects.filter(key="old-key").update(created_at=timezone.now() - datetime.timedelta(days=2, minutes=1))

    assert submissions_forget_old_task() == 1

    assert list(Submission.objects.values_list("key", flat=True)) == ["recent-key"]
    replay = api.post(reverse("api:household-list"), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="recent-key")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert Household.objects.count() == 2


def _twice(client, url, data, **extra):
    """The same form sent twice, as a double tap or a resend after a lost answer does."""
    return [client.post(url, data, **extra) for _ in range(2)]


def test_every_create_form_sent_twice_makes_one_record(world):
    household = HouseholdFactory(commune=world.commune)
    officer, member = _signed_in(world.commune_officer), _signed_in(world.district_member)

    added = _twice(officer, reverse("households:member-add", args=[household.pk]),
                   {"full_name": "Lê Văn Út", "birth_year": "2001", "sex": "male", "relation": "child",
                    "ethnicity": "01", KEY_FIELD: "member-1"}, HTTP_HX_REQUEST="true")
    assert household.members.filter(full_name="Lê Văn Út").count() == 1
    # Both answers draw the members section with the new member, and a fresh key for the next one.
    for answer in added:
        assert "Lê Văn Út" in answer.content.decode()
        assert 'value="member-1"' not in answer.content.decode()

    _twice(officer, reverse("households:status-add", args=[household.pk]),
           {"year": "2025", "category": "near_poor", "decision_number": "7/QĐ", "decision_date": "2025-01-20",
            KEY_FIELD: "status-1"})
    assert HouseholdStatus.objects.filter(household=household, year=2025).count() == 1

    answers = _twice(member, reverse("housing:programme-create"), {
        "name": "Nhà Đại đoàn kết 2025", "kind": "great_solidarity", "decision_number": "12/KH-MTTQ",
        "decision_date": "2025-01-10", "decision_issuer": "Ban Thường trực", "unit": world.district.pk,
        "start_date": "2025-01-15", "deadline": "2025-12-31", "new_build_support": "60.000.000",
        "repair_support": "30.000.000", "new_build_target": "3", "repair_target": "1", KEY_FIELD: "programme-1"})
    programme = Programme.objects.get(name="Nhà Đại đoàn kết 2025")
    assert {answer["Location"] for answer in answers} == {reverse("housing:programme-targets", args=[programme.pk])}

    answers = _twice(officer, reverse("housing:case-create"), {
        "household": household.pk, "programme": programme.pk, "work_kind": "new_build",
        "current_condition": "Nhà tạm vách lá", "estimated_cost": "80.000.000", "state_budget": "40.000.000",
        "fund_for_the_poor": "20.000.000", "family_amount": "20.000.000", "labour_days": "12", KEY_FIELD: "case-1"})
    case = HousingCase.objects.get(household=household)
    assert {answer["Location"] for answer in answers} == {reverse("housing:case-detail", args=[case.pk])}

    for _ in range(2):
        officer.post(reverse("housing:attachment-add", args=[case.pk]), {
            "kind": "photo_before", "file": SimpleUploadedFile("nha.png", TINY_PNG, content_type="image/png"),
            KEY_FIELD: "photo-1"})
    assert CaseAttachment.objects.filter(case=case).count() == 1

    answers = _twice(member, reverse("reports:create"), {
        "kind": "housing", "unit": world.district.pk, "programme": programme.pk, "period_kind": "year",
        "year": "2025", "file_format": "xlsx", KEY_FIELD: "report-1"})
    report = Report.objects.get()
    assert {answer["Location"] for answer in answers} == {reverse("reports:detail", args=[report.pk])}


def test_every_api_create_sent_twice_with_one_key_makes_one_record(world):
    household = HouseholdFactory(commune=world.commune)
    officer = _signed_in(world.commune_officer, APIClient)
    member = _signed_in(world.district_member, APIClient)

    def twice(client, url, body, key, **extra):
        answers = [client.post(url, body, HTTP_IDEMPOTENCY_KEY=key, **extra) for _ in range(2)]
        assert [answer.status_code for answer in answers] == [201, 200], answers[0].content
        assert answers[0].json()["id"] == answers[1].json()["id"]
        assert answers[1]["Idempotent-Replayed"] == "true"
        return answers[0].json()["id"]

    twice(officer, reverse("api:member-list"), {"household": household.pk, "full_name": "Lê Văn Út",
                                                "birth_year": 2001, "sex": "male", "relation": "child"},
          "m-1", format="json")
    assert household.members.filter(full_name="Lê Văn Út").count() == 1
    programme_id = twice(member, reverse("api:housing-programme-list"), {
        "name": "Nhà Đại đoàn kết 2025", "kind": "great_solidarity", "decision_number": "12/KH-MTTQ",
        "decision_date": "2025-01-10", "decision_issuer": "Ban Thường trực", "unit": world.district.pk,
        "start_date": "2025-01-15", "deadline": "2025-12-31", "new_build_support": 60_000_000,
        "repair_support": 30_000_000}, "p-1", format="json")
    case_id = twice(officer, reverse("api:housing-case-list"), {
        "household": household.pk, "programme": programme_id, "work_kind": "new_build",
        "current_condition": "Nhà tạm vách lá", "estimated_cost": 80_000_000, "state_budget": 40_000_000,
        "fund_for_the_poor": 20_000_000, "family_amount": 20_000_000}, "c-1", format="json")
    assert HousingCase.objects.filter(household=household).count() == 1
    for _ in range(2):
        officer.post(reverse("api:housing-case-attachments", args=[case_id]), {
            "kind": "photo_before", "file": SimpleUploadedFile("nha.png", TINY_PNG, content_type="image/png")},
            HTTP_IDEMPOTENCY_KEY="a-1")
    assert CaseAttachment.objects.filter(case_id=case_id).count() == 1

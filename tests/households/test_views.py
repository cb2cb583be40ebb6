"""The household pages: list, registration, detail, members (htmx), statuses, assessments."""

import datetime

import factory
import pytest
from django.urls import reverse

from households.choices import Relation, Sex
from households.models import Household, HouseholdStatus, Member
from households.timeline import TimelineEntry, register_timeline_source, unregister_timeline_source

from .factories import (
    HouseholdFactory,
    HouseholdPolicyFactory,
    HouseholdStatusFactory,
    MemberFactory,
    valid_citizen_id,
)

HEAD_ID = valid_citizen_id(sex=Sex.MALE, birth_year=1970, serial=4242)


def _registration(**overrides) -> dict:
    data = {
        "hamlet": "Ấp Phước Hậu", "address": "", "phone": "0912345678", "notes": "",
        "consent_purpose": "Hỗ trợ an sinh", "consent_date": "2025-05-01",
        "members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-full_name": "Nguyễn Văn An", "members-0-relation": Relation.HEAD, "members-0-sex": Sex.MALE,
        "members-0-birth_year": "1970", "members-0-citizen_id": HEAD_ID, "members-0-ethnicity": "01",
        "members-1-full_name": "Lê Thị Bình", "members-1-relation": Relation.SPOUSE, "members-1-sex": Sex.FEMALE,
        "members-1-birth_date": "1975-02-03", "members-1-ethnicity": "01",
    }
    data.update(overrides)
    return data


# -- list -------------------------------------------------------------------------------------------

def test_search_without_diacritics_finds_the_member(client, world):
    household = HouseholdFactory(commune=world.commune, head_name="Nguyễn Văn An")
    household.members.update(full_name="Nguyễn Văn An", full_name_folded="nguyen van an")
    other = HouseholdFactory(commune=world.commune, head_name="Trần Văn Bé")
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:list"), {"q": "nguyen van an"}).content.decode()
    assert household.code in body
    assert other.code not in body


def test_search_by_the_last_digits_of_a_citizen_id(client, world):
    household = HouseholdFactory(commune=world.commune)
    other = HouseholdFactory(commune=world.commune)
    citizen_id = household.members.get().citizen_id
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:list"), {"q": citizen_id[-6:]}).content.decode()
    assert household.code in body
    assert other.code not in body


def test_list_filters_by_category_in_a_year(client, world):
    poor_2024 = HouseholdStatusFactory(household__commune=world.commune, year=2024, category="poor").household
    poor_2025 = HouseholdStatusFactory(household__commune=world.commune, year=2025, category="poor").household
    near_2025 = HouseholdStatusFactory(household__commune=world.commune, year=2025, category="near_poor").household
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:list"), {"category": "poor", "year": "2025"}).content.decode()
    assert poor_2025.code in body
    assert poor_2024.code not in body
    assert near_2025.code not in body


@pytest.mark.parametrize(("params", "expected"), [
    ({"policy_type": "war_invalid"}, "policy"),
    ({"has_disability": "true"}, "disabled"),
    ({"has_pupil": "true"}, "pupil"),
    ({"hamlet": "thạnh"}, "hamlet"),
])
def test_list_filters(client, world, params, expected):
    households = {
        "policy": HouseholdPolicyFactory(household__commune=world.commune, policy_type="war_invalid").household,
        "disabled": MemberFactory(household=HouseholdFactory(commune=world.commune), disability="mild").household,
        "pupil": MemberFactory(household=HouseholdFactory(commune=world.commune), school_level="primary").household,
        "hamlet": HouseholdFactory(commune=world.commune, hamlet="Ấp Tân Thạnh"),
    }
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:list"), params).content.decode()
    for name, household in households.items():
        assert (household.code in body) == (name == expected), name


def test_district_member_narrows_the_list_to_one_commune(client, world):
    here = HouseholdFactory(commune=world.commune)
    sibling = HouseholdFactory(commune=world.sibling_commune)
    client.force_login(world.district_member)
    body = client.get(reverse("households:list"), {"unit": world.sibling_commune.pk}).content.decode()
    assert sibling.code in body
    assert here.code not in body


def test_commune_officer_cannot_filter_by_a_unit_outside_scope(client, world):
    sibling = HouseholdFactory(commune=world.sibling_commune)
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"unit": world.sibling_commune.pk})
    assert response.status_code == 200
    assert sibling.code not in response.content.decode()


def test_names_sorted_in_vietnamese_order(client, world):
    for name in ["Đỗ Thị Dung", "Bùi Văn Ba", "Âu Văn Tư", "Dương Văn Hai", "An Văn Một", "Ánh Thị Năm"]:
        HouseholdFactory(commune=world.commune, head_name=name)
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"))
    names = [household.head_name for household in response.context["object_list"]]
    assert names == ["An Văn Một", "Ánh Thị Năm", "Âu Văn Tư", "Bùi Văn Ba", "Dương Văn Hai", "Đỗ Thị Dung"]


def test_counts_per_category_above_the_list_respect_scope(client, world):
    HouseholdStatusFactory.create_batch(2, household__commune=world.commune, year=2025, category="poor")
    HouseholdStatusFactory(household__commune=world.commune, year=2025, category="near_poor")
    HouseholdStatusFactory(household__commune=world.sibling_commune, year=2025, category="poor")
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"year": "2025"})
    counts = {category: count for category, _label, count in response.context["counts"]}
    assert counts == {"poor": 2, "near_poor": 1, "escaped_poverty": 0, "difficult": 0}


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for _ in range(30):
        HouseholdStatusFactory(household__commune=world.commune, year=2025)
    client.force_login(world.district_member)
    # The search reads its matches first, in two steps (households named, then those in the list).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("households:list"), {"year": "2025", "q": "nguyen"})
    assert len(response.context["object_list"]) == 30


# -- registration ---------------------------------------------------------------------------------

def test_officer_registers_a_household_with_two_members(client, world):
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:create"), _registration())
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert household.commune == world.commune
    assert household.head_name == "Nguyễn Văn An"
    assert household.consent_recorded_by == world.commune_officer
    assert sorted(household.members.values_list("full_name", "birth_year")) == [
        ("Lê Thị Bình", 1975), ("Nguyễn Văn An", 1970)]


@pytest.mark.parametrize(("overrides", "message"), [
    ({"members-0-citizen_id": "083185004242"}, "4th digit"),
    ({"members-0-citizen_id": "12345"}, "exactly 12 digits"),
    ({"members-0-relation": Relation.CHILD}, "exactly one head"),
    ({"members-1-relation": Relation.HEAD}, "exactly one head"),
    ({"members-1-birth_date": ""}, "year of birth"),
    ({"hamlet": ""}, "This field is required"),
    ({"consent_date": "31/02/2025"}, "Enter a date that exists, as dd/mm/yyyy"),
    ({"members-1-birth_date": "1975-02-03", "members-1-birth_year": "1976"}, "year of the date of birth"),
    ({"phone": "abc"}, "phone number"),
])
def test_bad_registration_shows_the_reason_and_saves_nothing(client, world, overrides, message):
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:create"), _registration(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Household.objects.exists()
    assert not Member.objects.exists()


def test_registration_messages_are_in_vietnamese_by_default(client, world):
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:create"), _registration(**{"members-0-citizen_id": "083185004242"}))
    assert "Chữ số thứ 4 của số CCCD" in response.content.decode()


def test_citizen_id_registered_elsewhere_is_refused(client, world):
    MemberFactory(household=HouseholdFactory(commune=world.other_province_commune), citizen_id=HEAD_ID,
                  birth_year=1970)
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:create"), _registration())
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert not Household.objects.filter(commune=world.commune).exists()


@pytest.mark.parametrize("viewer", ["district_member", "provincial_officer", "administrator"])
def test_only_commune_officers_register(client, world, viewer):
    client.force_login(getattr(world, viewer))
    assert client.get(reverse("households:create")).status_code == 403
    assert client.post(reverse("households:create"), _registration()).status_code == 403
    assert not Household.objects.exists()


def test_member_row_partial_is_numbered(client, world):
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:member-row"), {"index": "3"}).content.decode()
    assert 'name="members-3-full_name"' in body


def test_member_row_follows_the_formset_count_and_raises_it(client, world):
    """The button sends the count (hx-include) and no script: the answer raises it out of band."""
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:member-row"), {"members-TOTAL_FORMS": "2"}).content.decode()
    assert 'name="members-2-full_name"' in body
    assert 'name="members-TOTAL_FORMS" value="3" id="id_members-TOTAL_FORMS" hx-swap-oob="true"' in body


# -- detail ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("viewer", "full"), [
    ("commune_officer", True), ("district_member", True), ("provincial_officer", False), ("administrator", False),
])
def test_citizen_id_masked_except_for_commune_officer_and_district(client, world, viewer, full):
    household = HouseholdFactory(commune=world.commune)
    citizen_id = household.members.get().citizen_id
    client.force_login(getattr(world, viewer))
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert (citizen_id in body) == full
    assert ("********" + citizen_id[-4:] in body) == (not full)


def test_detail_shows_status_history_and_change_history(client, world):
    client.force_login(world.commune_officer)
    client.post(reverse("households:create"), _registration())
    household = Household.objects.get()
    for year, category in ((2024, "poor"), (2025, "near_poor")):
        client.post(reverse("households:status-add", args=[household.pk]), {
            "year": year, "category": category, "decision_number": f"{year}/QĐ-UBND",
            "decision_date": f"{year}-01-15"})
    client.cookies["django_language"] = "en"
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "2024/QĐ-UBND" in body and "2025/QĐ-UBND" in body
    assert "Poor household" in body and "Near-poor household" in body
    history = body[body.index('data-testid="history"'):]
    assert "Lê Thị Bình" in history
    assert "Ấp Phước Hậu" in history
    assert world.commune_officer.get_full_name() in history


def test_support_timeline_shows_entries_from_registered_sources(client, world):
    household = HouseholdFactory(commune=world.commune)

    def gifts(*, households, user):
        for item in households:
            yield TimelineEntry(household_id=item.pk, date=datetime.date(2025, 1, 20), title="Quà Tết 2025",
                                amount=500_000)

    register_timeline_source("test-gifts", gifts)
    try:
        client.force_login(world.commune_officer)
        body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    finally:
        unregister_timeline_source("test-gifts")
    assert "Quà Tết 2025" in body
    assert "500.000 ₫" in body
    assert "20/01/2025" in body


def test_the_new_assessment_button_says_it_assesses_the_household_not_a_new_standard(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Thêm lần đánh giá theo chuẩn nghèo" in body
    assert "Đánh giá chuẩn nghèo mới" not in body


def test_detail_query_count_is_bounded(client, world, django_assert_max_num_queries):
    household = HouseholdFactory(commune=world.commune)
    MemberFactory.create_batch(6, household=household)
    HouseholdStatusFactory.create_batch(3, household=household, category="difficult",
                                        year=factory.Iterator([2023, 2024, 2025]))
    client.force_login(world.district_member)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200


# -- members (htmx) -------------------------------------------------------------------------------

def test_member_added_with_htmx_redraws_the_section(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:member-add", args=[household.pk]), {
        "full_name": "Nguyễn Thị Cúc", "relation": Relation.CHILD, "sex": Sex.FEMALE, "birth_year": "2010",
        "ethnicity": "01", "school_level": "lower_secondary",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and "Nguyễn Thị Cúc" in body
    assert household.members.count() == 2


def test_member_add_with_bad_id_answers_400_with_the_form(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:member-add", args=[household.pk]), {
        "full_name": "Nguyễn Thị Cúc", "relation": Relation.CHILD, "sex": Sex.FEMALE, "birth_year": "2010",
        "ethnicity": "01", "citizen_id": "083010000001",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "4th digit" in response.content.decode()
    assert household.members.count() == 1


def test_member_removed_with_htmx(client, world):
    household = HouseholdFactory(commune=world.commune)
    child = MemberFactory(household=household, full_name="Trần Văn Rời")
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:member-remove", args=[child.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Trần Văn Rời" not in response.content.decode()
    assert not Member.objects.filter(pk=child.pk).exists()


def test_head_cannot_be_removed_from_the_page(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:member-remove", args=[household.members.get().pk]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert household.members.count() == 1


def test_make_head_moves_the_head_and_the_name(client, world):
    household = HouseholdFactory(commune=world.commune)
    spouse = MemberFactory(household=household, full_name="Lê Thị Vợ", relation=Relation.SPOUSE)
    client.force_login(world.commune_officer)
    client.post(reverse("households:member-make-head", args=[spouse.pk]))
    household.refresh_from_db()
    assert household.head_name == "Lê Thị Vợ"
    assert household.members.filter(relation=Relation.HEAD).get() == spouse


def test_district_member_cannot_change_members(client, world):
    household = HouseholdFactory(commune=world.commune)
    child = MemberFactory(household=household)
    client.force_login(world.district_member)
    assert client.post(reverse("households:member-remove", args=[child.pk])).status_code == 403
    assert Member.objects.filter(pk=child.pk).exists()


# -- statuses and assessments ---------------------------------------------------------------------

def test_status_recorded_from_the_page(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    client.post(reverse("households:status-add", args=[household.pk]), {
        "year": "2025", "category": "poor", "decision_number": "12/QĐ-UBND", "decision_date": "2025-01-10"})
    status = HouseholdStatus.objects.get()
    assert (status.year, status.category, status.decision_number) == (2025, "poor", "12/QĐ-UBND")
    assert status.recorded_by == world.commune_officer


def test_assessment_page_proposes_and_officer_confirms(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("households:assessment-add", args=[household.pk]), {
        "assessed_on": "2025-06-01", "monthly_income_per_person": "1500000",
        "deprivations": ["nutrition", "latrine"]}, follow=True)
    assert "the standard proposes “Near-poor”" in response.content.decode()
    assessment = household.assessments.get()
    client.post(reverse("households:assessment-confirm", args=[assessment.pk]), {"classification": "poor"})
    assessment.refresh_from_db()
    assert (assessment.proposed, assessment.confirmed) == ("near_poor", "poor")


def test_negative_income_is_refused(client, world):
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)
    response = client.post(reverse("households:assessment-add", args=[household.pk]), {
        "assessed_on": "2025-06-01", "monthly_income_per_person": "-1"})
    assert response.status_code == 400
    assert not household.assessments.exists()


def test_officer_edits_the_household_and_history_shows_the_change(client, world):
    household = HouseholdFactory(commune=world.commune, hamlet="Ấp Cũ")
    client.force_login(world.commune_officer)
    form = client.get(reverse("households:update", args=[household.pk]))
    assert 'value="Ấp Cũ"' in form.content.decode()
    response = client.post(reverse("households:update", args=[household.pk]), {
        "hamlet": "Ấp Mới", "address": "", "phone": "", "notes": "", "consent_purpose": "Hỗ trợ",
        "consent_date": "2025-03-01"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.hamlet == "Ấp Mới"
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Ấp Cũ → Ấp Mới" in body


def test_choosing_a_category_keeps_the_other_categories_counts(client, world):
    HouseholdStatusFactory(household__commune=world.commune, year=2025, category="poor")
    HouseholdStatusFactory(household__commune=world.commune, year=2025, category="near_poor")
    client.force_login(world.commune_officer)
    response = client.get(reverse("households:list"), {"year": "2025", "category": "poor"})
    counts = {category: count for category, _label, count in response.context["counts"]}
    assert (counts["poor"], counts["near_poor"]) == (1, 1)
    assert response.context["paginator"].count == 1

"""The housing pages: programmes (list, creation, targets, the progress table) and cases (list with
counts and filters, proposal, steps, attachments), what they show and what they refuse."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from housing.choices import CaseState, Transition, WorkKind
from housing.models import CaseAttachment, CaseTransition, HousingCase, Programme, ProgrammeTarget

from ..factories import CommuneFactory
from ..households.factories import HouseholdFactory
from .factories import (
    TINY_PDF,
    TINY_PNG,
    CaseAttachmentFactory,
    HousingCaseFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    case_in_state,
)


def _page(client, user, name, *args, data=None):
    client.force_login(user)
    return client.get(reverse(name, args=args), data or {}).content.decode()


def _cell(body: str, unit_code: str, column: str) -> str:
    """The text of one progress-table cell: the row of ``unit_code``, the column ``column``."""
    row = body.split(f'data-testid="progress-row" data-unit="{unit_code}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-col="{column}">', 1)[1].split("<", 1)[0]


# -- programmes -------------------------------------------------------------------------------------

def _programme_form(unit, **overrides) -> dict:
    data = {
        "name": "Nhà Đại đoàn kết 2026", "kind": "great_solidarity", "decision_number": "12/KH-MTTQ",
        "decision_date": "2026-01-10", "decision_issuer": "Ban Thường trực Ủy ban MTTQ huyện", "unit": unit.pk,
        "start_date": "2026-01-15", "deadline": "2026-12-31", "new_build_support": "60.000.000",
        "repair_support": "30.000.000", "new_build_target": "3", "repair_target": "1", "notes": "",
    }
    return {**data, **overrides}


def test_district_member_creates_a_programme_and_is_sent_to_its_targets(client, world):
    client.force_login(world.district_member)
    response = client.post(reverse("housing:programme-create"), _programme_form(world.district))

    programme = Programme.objects.get()
    assert response.url == reverse("housing:programme-targets", args=[programme.pk])
    assert (programme.unit, programme.new_build_support, programme.created_by) == (
        world.district, 60_000_000, world.district_member)


def test_commune_officer_is_not_offered_and_cannot_create_a_programme(client, world):
    body = _page(client, world.commune_officer, "housing:programme-list")
    assert 'data-testid="new-programme"' not in body
    assert client.post(reverse("housing:programme-create"), _programme_form(world.district)).status_code == 403
    assert not Programme.objects.exists()


def test_a_programme_for_another_district_is_not_a_choice(client, world):
    client.force_login(world.district_member)
    response = client.post(reverse("housing:programme-create"), _programme_form(world.other_district))
    assert response.status_code == 400
    assert not Programme.objects.exists()


def test_deadline_before_start_gets_a_vietnamese_message(client, world):
    client.force_login(world.district_member)
    response = client.post(reverse("housing:programme-create"),
                           _programme_form(world.district, deadline="2026-01-01"))
    assert response.status_code == 400
    assert "Hạn hoàn thành không được trước ngày bắt đầu" in response.content.decode()
    assert not Programme.objects.exists()


def test_targets_that_do_not_add_up_are_refused_and_none_is_saved(client, world):
    programme = ProgrammeFactory(unit=world.district, new_build_target=3, repair_target=1)
    client.force_login(world.district_member)
    response = client.post(reverse("housing:programme-targets", args=[programme.pk]), {
        f"new_{world.commune.pk}": "2", f"repair_{world.commune.pk}": "1",
        f"new_{world.sibling_commune.pk}": "2", f"repair_{world.sibling_commune.pk}": "0",
    })
    assert response.status_code == 400
    assert "4" in response.content.decode() and not ProgrammeTarget.objects.exists()

    client.post(reverse("housing:programme-targets", args=[programme.pk]), {
        f"new_{world.commune.pk}": "2", f"repair_{world.commune.pk}": "1", f"new_{world.sibling_commune.pk}": "1",
    })
    assert sorted(ProgrammeTarget.objects.values_list("unit__code", "new_builds", "repairs")) == [
        ("28889", 1, 0), ("28915", 2, 1)]


def test_programme_list_counts_only_the_cases_the_viewer_sees(client, world):
    programme = ProgrammeFactory(unit=world.district, name="Xóa nhà tạm 2025")
    case_in_state(CaseState.HANDED_OVER, programme=programme, household=HouseholdFactory(commune=world.commune))
    case_in_state(CaseState.APPROVED, programme=programme, household=HouseholdFactory(commune=world.sibling_commune))

    district_view = _page(client, world.district_member, "housing:programme-list")
    commune_view = _page(client, world.commune_officer, "housing:programme-list")

    assert "Xóa nhà tạm 2025" in district_view
    assert 'Hồ sơ <span class="fw-semibold">2</span>' in district_view
    assert 'Hồ sơ <span class="fw-semibold">1</span>' in commune_view


def test_programme_page_shows_each_communes_progress_and_the_behind_ones(client, world):
    programme = ProgrammeFactory(unit=world.district, start_date=datetime.date(2025, 1, 1),
                                 deadline=datetime.date(2025, 6, 30), new_build_target=5, repair_target=0)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=3, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.sibling_commune, new_builds=2, repairs=0)
    # Phước Mỹ Trung: three of its three houses stand (one more under construction beyond target).
    for state in (CaseState.HANDED_OVER, CaseState.HANDED_OVER, CaseState.COMPLETED, CaseState.CONSTRUCTION_STARTED):
        case_in_state(state, programme=programme, household=HouseholdFactory(commune=world.commune))

    body = _page(client, world.district_member, "housing:programme-detail", programme.pk)

    assert _cell(body, "28915", "new-target") == "3"
    assert _cell(body, "28915", "new-handed_over") == "2"
    assert _cell(body, "28915", "new-completed").startswith("3")
    assert _cell(body, "28915", "new-under_construction") == "1"
    assert _cell(body, "28889", "new-handed_over") == "0"
    # The deadline has passed with nothing built in Phú Mỹ: it stands out; Phước Mỹ Trung does not.
    assert 'data-unit="28889" data-behind="true"' in body
    assert 'data-unit="28915" data-behind="true"' not in body
    assert "160.000.000 ₫" in body  # the state budget committed to the four approved houses


def test_commune_officer_sees_the_programme_with_only_their_communes_row(client, world):
    programme = ProgrammeFactory(unit=world.district)
    case_in_state(CaseState.APPROVED, programme=programme, household=HouseholdFactory(commune=world.commune))
    case_in_state(CaseState.APPROVED, programme=programme, household=HouseholdFactory(commune=world.sibling_commune))

    body = _page(client, world.commune_officer, "housing:programme-detail", programme.pk)

    assert 'data-unit="28915"' in body
    assert 'data-unit="28889"' not in body
    assert 'data-testid="edit-targets"' not in body


def test_programme_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    programme = ProgrammeFactory(unit=world.district)
    for _ in range(15):
        commune = CommuneFactory(parent=world.district)
        ProgrammeTargetFactory(programme=programme, unit=commune)
        case_in_state(CaseState.HANDED_OVER, programme=programme, household=HouseholdFactory(commune=commune))
    client.force_login(world.district_member)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("housing:programme-detail", args=[programme.pk]))
    assert response.content.decode().count('data-testid="progress-row"') == 15
    assert {state: count for state, _label, count in response.context["counts"] if count} == {"handed_over": 15}


def test_programme_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    for _ in range(12):
        programme = ProgrammeFactory(unit=world.district)
        HousingCaseFactory(programme=programme, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.district_member)

    with django_assert_max_num_queries(10):
        body = client.get(reverse("housing:programme-list")).content.decode()
    assert body.count("housing/programmes/") >= 12


# -- case list --------------------------------------------------------------------------------------

def test_case_list_counts_cases_per_state_and_keeps_them_when_one_state_is_chosen(client, world):
    programme = ProgrammeFactory(unit=world.district)
    for state in (CaseState.PROPOSED, CaseState.PROPOSED, CaseState.APPROVED, CaseState.HANDED_OVER):
        case_in_state(state, programme=programme, household=HouseholdFactory(commune=world.commune))

    body = _page(client, world.commune_officer, "housing:case-list", data={"state": "proposed"})

    assert 'data-state="proposed">Đề xuất <span class="fw-semibold">2</span>' in body
    assert 'data-state="handed_over">Đã bàn giao <span class="fw-semibold">1</span>' in body
    assert len(re.findall(r'href="/housing/cases/\d+/"', body)) == 2


@pytest.mark.parametrize(("query", "expected"), [
    ({"work_kind": "repair"}, {"repair"}),
    ({"state": "approved"}, {"repair"}),
    ({"overdue": "true"}, {"late"}),
    ({"overdue": "false"}, {"repair", "sibling", "other programme"}),
    ({"programme": "late"}, {"late"}),
    ({"unit": "sibling"}, {"sibling"}),
])
def test_case_list_filters(client, world, query, expected):
    late_programme = ProgrammeFactory(unit=world.district, deadline=datetime.date(2025, 9, 30))
    other = ProgrammeFactory(unit=world.district, deadline=datetime.date(2099, 12, 31))
    cases = {
        "late": HousingCaseFactory(programme=late_programme, household=HouseholdFactory(commune=world.commune)),
        "repair": case_in_state(CaseState.APPROVED, programme=other, work_kind=WorkKind.REPAIR,
                                estimated_cost=30_000_000, state_budget=30_000_000, fund_for_the_poor=0,
                                family_amount=0, household=HouseholdFactory(commune=world.commune)),
        "sibling": HousingCaseFactory(programme=other, household=HouseholdFactory(commune=world.sibling_commune)),
        "other programme": case_in_state(CaseState.HANDED_OVER, programme=other,
                                         household=HouseholdFactory(commune=world.other_district_commune)),
    }
    if query.get("programme") == "late":
        query = {"programme": late_programme.pk}
    if query.get("unit") == "sibling":
        query = {"unit": world.sibling_commune.pk}

    body = _page(client, world.provincial_officer, "housing:case-list", data=query)

    shown = {name for name, case in cases.items() if f'href="/housing/cases/{case.pk}/"' in body}
    assert shown == expected


def test_case_list_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    programme = ProgrammeFactory(unit=world.district)
    for _ in range(20):
        HousingCaseFactory(programme=programme, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.district_member)

    with django_assert_max_num_queries(12):
        body = client.get(reverse("housing:case-list")).content.decode()
    assert len(re.findall(r'href="/housing/cases/\d+/"', body)) == 20


# -- proposal ---------------------------------------------------------------------------------------

def _proposal(household, programme, **overrides) -> dict:
    data = {
        "household": household.pk, "programme": programme.pk, "work_kind": "new_build",
        "current_condition": "Nhà tạm vách lá", "estimated_cost": "80.000.000", "state_budget": "40.000.000",
        "fund_for_the_poor": "20.000.000", "sponsor_amount": "", "sponsor_name": "", "army_amount": "",
        "army_unit": "", "family_amount": "20.000.000", "labour_days": "12",
    }
    return {**data, **overrides}


def test_commune_officer_proposes_a_case_from_the_form(client, world):
    programme = ProgrammeFactory(unit=world.district)
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)

    response = client.post(reverse("housing:case-create"), _proposal(household, programme))

    case = HousingCase.objects.get()
    assert response.url == reverse("housing:case-detail", args=[case.pk])
    assert (case.state, case.support_total, case.labour_days) == (CaseState.PROPOSED, 60_000_000, 12)


def test_support_over_the_programmes_level_is_explained_and_nothing_is_saved(client, world):
    programme = ProgrammeFactory(unit=world.district)
    household = HouseholdFactory(commune=world.commune)
    client.force_login(world.commune_officer)

    response = client.post(reverse("housing:case-create"), _proposal(
        household, programme, state_budget="50.000.000", family_amount="10.000.000"))

    assert response.status_code == 400
    assert "70.000.000 ₫" in response.content.decode() and "60.000.000 ₫" in response.content.decode()
    assert not HousingCase.objects.exists()


def test_a_household_of_another_commune_cannot_be_chosen(client, world):
    programme = ProgrammeFactory(unit=world.district)
    client.force_login(world.commune_officer)
    response = client.post(reverse("housing:case-create"),
                           _proposal(HouseholdFactory(commune=world.sibling_commune), programme))
    assert response.status_code == 400
    assert not HousingCase.objects.exists()


def test_the_proposal_form_warns_of_a_new_house_in_the_last_five_years(client, world):
    household = HouseholdFactory(commune=world.commune)
    case_in_state(CaseState.HANDED_OVER, household=household, completion_date=datetime.date.today()
                  - datetime.timedelta(days=400), start_date=datetime.date.today() - datetime.timedelta(days=450),
                  handover_date=datetime.date.today() - datetime.timedelta(days=390))
    body = _page(client, world.commune_officer, "housing:case-create", data={"household": household.pk})
    assert 'data-testid="recent-new-house"' in body
    assert household.housing_cases.get().programme.name in body


# -- case page and steps ----------------------------------------------------------------------------

def test_case_page_shows_its_steps_with_their_authors_and_offers_the_next(client, world):
    case = HousingCaseFactory(household=HouseholdFactory(commune=world.commune))
    CaseTransition.objects.create(case=case, to_state=CaseState.PROPOSED, actor=world.commune_officer,
                                  happened_on=datetime.date(2025, 3, 20))

    officer_view = _page(client, world.commune_officer, "housing:case-detail", case.pk)
    member_view = _page(client, world.district_member, "housing:case-detail", case.pk)

    assert world.commune_officer.get_full_name() in officer_view.split('data-testid="transitions"')[1]
    assert 'data-step="survey"' in officer_view and 'data-step="approve"' not in officer_view
    assert 'data-step="survey"' not in member_view and 'data-step="cancel"' in member_view


def test_district_member_approves_from_the_step_page(client, world):
    case = case_in_state(CaseState.SURVEYED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.district_member)

    response = client.post(reverse("housing:case-step", args=[case.pk, Transition.APPROVE]), {"note": "Đồng ý"})

    case.refresh_from_db()
    assert response.url == reverse("housing:case-detail", args=[case.pk])
    assert case.state == CaseState.APPROVED
    assert CaseTransition.objects.get(case=case).actor == world.district_member


def test_a_step_the_role_may_not_take_is_forbidden(client, world):
    case = case_in_state(CaseState.SURVEYED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)
    assert client.post(reverse("housing:case-step", args=[case.pk, Transition.APPROVE])).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.SURVEYED


def test_a_step_from_the_wrong_state_sends_back_with_a_message(client, world):
    case = case_in_state(CaseState.PROPOSED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)
    response = client.get(reverse("housing:case-step", args=[case.pk, Transition.COMPLETE]), follow=True)
    assert "không thể chuyển" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSED


def test_rejecting_without_a_reason_is_refused_on_the_page(client, world):
    case = case_in_state(CaseState.SURVEYED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.district_member)
    response = client.post(reverse("housing:case-step", args=[case.pk, Transition.REJECT]), {"note": " "})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == CaseState.SURVEYED


def test_handover_from_the_page_attaches_the_record(client, world):
    case = case_in_state(CaseState.COMPLETED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)
    client.post(reverse("housing:case-step", args=[case.pk, Transition.HAND_OVER]), {
        "handover_date": "2025-07-20", "note": "",
        "handover_record": SimpleUploadedFile("bien-ban.pdf", TINY_PDF, content_type="application/pdf"),
    })
    case.refresh_from_db()
    assert case.state == CaseState.HANDED_OVER
    assert case.attachments.get().kind == "handover_record"


def test_case_page_has_a_query_ceiling(client, world, django_assert_max_num_queries):
    case = case_in_state(CaseState.APPROVED, household=HouseholdFactory(commune=world.commune))
    for _ in range(6):
        CaseAttachmentFactory(case=case)
        CaseTransition.objects.create(case=case, to_state=CaseState.APPROVED, actor=world.district_member,
                                      happened_on=datetime.date(2025, 4, 10))
    client.force_login(world.commune_officer)
    with django_assert_max_num_queries(20):
        body = client.get(reverse("housing:case-detail", args=[case.pk])).content.decode()
    assert body.count('data-testid="attachment"') == 6


# -- attachments ------------------------------------------------------------------------------------

def test_a_renamed_program_uploaded_on_the_page_is_refused_with_a_message(client, world):
    case = HousingCaseFactory(household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)
    response = client.post(reverse("housing:attachment-add", args=[case.pk]), {
        "kind": "photo_before", "file": SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\x00" * 200),
    })
    assert response.status_code == 400
    assert 'data-testid="attachment-error"' in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_a_photo_uploaded_on_the_page_shows_on_the_case(client, world):
    case = HousingCaseFactory(household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)
    response = client.post(reverse("housing:attachment-add", args=[case.pk]), {
        "kind": "photo_before", "file": SimpleUploadedFile("Ảnh nhà cũ.png", TINY_PNG),
    }, follow=True)
    assert "Ảnh nhà cũ.png" in response.content.decode()


def test_downloads_get_a_safe_name_and_run_nothing(client, world):
    attachment = CaseAttachmentFactory(case=HousingCaseFactory(household=HouseholdFactory(commune=world.commune)),
                                       original_name='../../Biên bản "bàn giao".png')
    client.force_login(world.district_member)
    response = client.get(reverse("housing:attachment-download", args=[attachment.pk]), {"download": "1"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="ho-so-nha-{attachment.case_id}-bien-ban-ban-giao.png"')
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == TINY_PNG


# -- the household's timeline -----------------------------------------------------------------------

def test_household_page_lists_its_house_cases_in_the_support_timeline(client, world):
    household = HouseholdFactory(commune=world.commune)
    case = case_in_state(CaseState.HANDED_OVER, household=household)
    body = _page(client, world.commune_officer, "households:detail", household.pk)
    assert reverse("housing:case-detail", args=[case.pk]) in body
    assert case.programme.name in body
    assert "60.000.000 ₫" in body


def _section(body: str, testid: str) -> str:
    """The HTML of the element marked ``data-testid=testid`` (a list), or "" when there is none."""
    found = re.search(rf'data-testid="{testid}".*?</ul>', body, re.S)
    return found.group(0) if found else ""


def test_household_timeline_shows_handed_over_support_apart_from_cases_in_progress(client, world):
    household = HouseholdFactory(commune=world.commune)
    handed_over = case_in_state(CaseState.HANDED_OVER, household=household)
    surveyed = case_in_state(CaseState.SURVEYED, household=household)
    cancelled = case_in_state(CaseState.CANCELLED, household=household)

    body = _page(client, world.commune_officer, "households:detail", household.pk)

    received, in_progress = _section(body, "support-received"), _section(body, "support-in-progress")
    assert handed_over.programme.name in received
    assert surveyed.programme.name not in received
    assert surveyed.programme.name in in_progress
    assert handed_over.programme.name not in in_progress
    assert cancelled.programme.name not in body, "a cancelled case is no support, received or coming"


def test_the_case_list_speaks_english_to_those_who_chose_it(client, world):
    client.force_login(world.commune_officer)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("housing:case-list")})
    body = client.get(reverse("housing:case-list")).content.decode()
    assert "House cases" in body
    assert 'data-state="handed_over">Handed over' in body


def test_the_upload_form_suggests_the_photo_for_the_stage_of_the_work(client, world):
    before = case_in_state(CaseState.SURVEYED, household=HouseholdFactory(commune=world.commune))
    after = case_in_state(CaseState.HANDED_OVER, household=HouseholdFactory(commune=world.commune))
    assert '<option value="photo_before" selected>' in _page(client, world.commune_officer, "housing:case-detail",
                                                             before.pk)
    assert '<option value="photo_after" selected>' in _page(client, world.commune_officer, "housing:case-detail",
                                                            after.pk)


def test_steps_show_the_day_the_work_happened_beside_when_it_was_entered(client, world):
    case = case_in_state(CaseState.SURVEYED, household=HouseholdFactory(commune=world.commune))
    CaseTransition.objects.create(case=case, name=Transition.SURVEY, from_state=CaseState.PROPOSED,
                                  to_state=CaseState.SURVEYED, actor=world.commune_officer,
                                  happened_on=case.survey_date)
    body = _page(client, world.commune_officer, "housing:case-detail", case.pk)
    assert '<span class="text-nowrap fw-semibold" data-testid="step-day">01/04/2025</span>' in body


def test_on_a_phone_the_filters_after_the_search_stay_open_only_when_one_is_set(client, world):
    folded = _page(client, world.district_member, "housing:case-list")
    opened = _page(client, world.district_member, "housing:case-list", data={"state": "approved"})
    assert 'fw-more-filters collapse"' in folded
    assert 'fw-more-filters collapse show"' in opened


def test_a_province_programme_shows_districts_and_opens_one_districts_communes(client, world):
    programme = ProgrammeFactory(unit=world.province, start_date=datetime.date(2025, 1, 1),
                                 deadline=datetime.date(2025, 6, 30))
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=2, repairs=0)
    ProgrammeTargetFactory(programme=programme, unit=world.other_district_commune, new_builds=1, repairs=0)
    case_in_state(CaseState.HANDED_OVER, programme=programme, household=HouseholdFactory(commune=world.commune))

    folded = _page(client, world.provincial_officer, "housing:programme-detail", programme.pk)
    opened = _page(client, world.provincial_officer, "housing:programme-detail", programme.pk,
                   data={"district": world.district.pk})

    assert re.findall(r'data-testid="progress-row" data-unit="(\d+)"', folded) == ["831", "838"]
    assert re.findall(r'data-testid="progress-row" data-unit="(\d+)"', opened) == ["831", "838", "28915"]
    # Past the deadline, Phước Mỹ Trung has 1 of 2 houses: its district says so while folded.
    assert "1 xã chậm tiến độ" in folded.split('data-unit="838"')[1].split("</tr>")[0]
    assert _cell(folded, "838", "new-handed_over") == "1"


def test_a_district_member_sees_their_communes_without_opening_anything(client, world):
    programme = ProgrammeFactory(unit=world.province)
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=2, repairs=0)
    body = _page(client, world.district_member, "housing:programme-detail", programme.pk)
    assert re.findall(r'data-testid="progress-row" data-unit="(\d+)"', body) == ["838", "28915"]
    assert 'data-testid="open-district"' not in body


def test_the_programme_history_lists_every_change_fifty_to_a_page(client, world):
    programme = ProgrammeFactory(unit=world.district)
    for _ in range(55):
        ProgrammeTargetFactory(programme=programme, unit=CommuneFactory(parent=world.district))
    detail = _page(client, world.district_member, "housing:programme-detail", programme.pk)
    first = _page(client, world.district_member, "housing:programme-history", programme.pk)
    second = _page(client, world.district_member, "housing:programme-history", programme.pk, data={"page": 2})

    assert 'data-testid="history"' not in detail and 'data-testid="programme-history"' in detail
    assert first.split('data-testid="history"')[1].split("</ol>")[0].count("<li") == 50
    assert second.split('data-testid="history"')[1].split("</ol>")[0].count("<li") == 6  # 55 targets, the programme


def test_a_case_that_left_the_officers_scope_while_the_form_was_open_answers_404(client, world, monkeypatch):
    case = case_in_state(CaseState.PROPOSED, household=HouseholdFactory(commune=world.commune))
    client.force_login(world.commune_officer)

    def moved_away(**kwargs):
        raise HousingCase.DoesNotExist  # what the service's re-read under lock finds

    monkeypatch.setattr("housing.services.case_advance", moved_away)
    response = client.post(reverse("housing:case-step", args=[case.pk, Transition.SURVEY]),
                           {"survey_date": "2025-04-01", "survey_findings": "Nhà dột", "note": ""})
    assert response.status_code == 404


HUGE_ID = "99999999999999999999"  # more than a bigint holds


@pytest.mark.parametrize("url", [
    f"/housing/cases/{HUGE_ID}/", f"/housing/programmes/{HUGE_ID}/", f"/housing/attachments/{HUGE_ID}/",
    f"/housing/cases/{HUGE_ID}/steps/survey/", f"/api/v1/housing/cases/{HUGE_ID}/",
    f"/api/v1/housing/programmes/{HUGE_ID}/", "/housing/programmes/?year=2025.5",
    "/api/v1/housing/programmes/?year=2025.5", "/housing/cases/?overdue=maybe&state=nope&work_kind=x",
    f"/housing/cases/?household={HUGE_ID}", f"/housing/cases/?programme={HUGE_ID}", f"/housing/cases/?unit={HUGE_ID}",
    f"/api/v1/housing/cases/?unit={HUGE_ID}", f"/housing/cases/new/?household={HUGE_ID}",
    f"/housing/programmes/1/?district={HUGE_ID}",
])
def test_nonsense_in_the_address_is_a_message_or_not_found_never_an_error_page(world, url):
    ProgrammeFactory(pk=1, unit=world.district)
    client = Client(raise_request_exception=False)
    client.force_login(world.district_member if "/new/" not in url else world.commune_officer)
    assert client.get(url).status_code in (200, 400, 404)


def test_a_finished_programme_past_its_deadline_is_not_shown_as_late(client, world):
    done = ProgrammeFactory(unit=world.district, deadline=datetime.date(2025, 9, 30))
    case_in_state(CaseState.HANDED_OVER, programme=done, household=HouseholdFactory(commune=world.commune))
    late = ProgrammeFactory(unit=world.district, deadline=datetime.date(2025, 9, 30))
    case_in_state(CaseState.APPROVED, programme=late, household=HouseholdFactory(commune=world.commune))

    done_figure = _page(client, world.district_member, "housing:programme-detail", done.pk) \
        .split('data-testid="days-left">')[1].split("</div>")[0]
    late_page = _page(client, world.district_member, "housing:programme-detail", late.pk)

    assert done_figure == "30/09/2025"
    assert 'text-danger" data-testid="days-left"' in late_page
    assert "1 hồ sơ chưa xong" in late_page

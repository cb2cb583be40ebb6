"""A house case from proposal to handover in a real browser: a commune officer proposes and
surveys it and attaches a photo, a district member approves it, the officer records the
building and hands the house over, and the programme's progress table counts it.

The housing strings are not in the Vietnamese catalogue yet, so, as in test_households, things
are found by ``data-testid``, ids, ``data-*`` values, URLs and the data the test itself typed.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from housing.choices import AttachmentKind, CaseState, ProgrammeKind
from housing.models import HousingCase

from ..factories import TEST_PASSWORD
from ..households.factories import HouseholdFactory
from ..housing.factories import TINY_PDF, ProgrammeFactory, ProgrammeTargetFactory
from .test_browser import open_menu, sign_in

HEAD_NAME = "Huỳnh Văn Tư"
CONDITION = "Nhà vách lá, mái tôn thủng, cột mục"
FINDINGS = "Khảo sát thực tế: nhà xuống cấp nặng, không ở được mùa mưa"
APPROVAL_NOTE = "Đồng ý hỗ trợ theo đề xuất của xã"
OFFICER_NAME = "Lê Thị Mai"
MEMBER_NAME = "Trần Văn Bình"
CASE_LIST_URL = re.compile(r"/housing/cases/(\?.*)?$")
CASE_URL = re.compile(r"/housing/cases/(\d+)/(#\w+)?$")


def photo_jpeg() -> bytes:
    """A real photo-sized JPEG (a house drawn in a few strokes), small enough to upload fast."""
    image = Image.new("RGB", (320, 240), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 180, 320, 240), fill=(90, 150, 70))
    draw.rectangle((100, 110, 220, 190), fill=(170, 120, 70))
    draw.polygon([(85, 115), (160, 60), (235, 115)], fill=(120, 60, 40))
    output = BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


def sign_out(page: Page) -> None:
    open_menu(page)
    page.locator("form[action$='/logout/'] button[type=submit]").click()
    expect(page.locator("#id_username")).to_be_visible()


def open_case_list(page: Page) -> None:
    open_menu(page)
    page.locator("#main-nav .nav-link[href$='/housing/cases/']").click()
    expect(page).to_have_url(CASE_LIST_URL)


def take_step(page: Page, step: str, **fields: str) -> None:
    """From the case page: open ``step``'s form, fill ``fields`` (by id), take the step, and
    come back to the case page."""
    page.get_by_test_id("case-steps").locator(f"[data-step={step}]").click()
    expect(page).to_have_url(re.compile(rf"/housing/cases/\d+/steps/{step}/$"))
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_test_id("take-step").click()
    expect(page).to_have_url(CASE_URL)


def steps_offered(page: Page):
    return page.get_by_test_id("case-steps").locator("[data-step]")


def assert_fits_width(page: Page) -> None:
    """Nothing sticks out sideways: the page does not scroll horizontally. It is measured against
    the screen's width: a phone's browser widens its window (innerWidth) to a page too wide for it."""
    widths = [page.evaluate("() => document.documentElement.scrollWidth"), page.viewport_size["width"]]
    assert widths[0] <= widths[1], f"{page.url}: content is {widths[0]}px wide in a {widths[1]}px window"


def figure_and_share(cell) -> list[str]:
    """A progress cell's figure and, under it, its share of the target ("" when none is shown)."""
    return cell.evaluate("td => [td.firstChild ? td.firstChild.textContent.trim() : '', "
                         "td.querySelector('div') ? td.querySelector('div').textContent.trim() : '']")


def typed(day: datetime.date) -> str:
    """A day as an officer types it in a date box: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


@pytest.mark.e2e
def test_case_goes_from_proposal_to_handover_and_counts_in_programme_progress(page, world, snap, celery_workers):
    celery_workers.start()  # it makes the photo's thumbnail
    today = timezone.localdate()
    # Work entered late, as officers do: each step is given the day it happened.
    proposal_day, approval_day = today - datetime.timedelta(days=25), today - datetime.timedelta(days=17)
    survey_day, start_day = today - datetime.timedelta(days=20), today - datetime.timedelta(days=14)
    completion_day, handover_day = today - datetime.timedelta(days=3), today - datetime.timedelta(days=1)
    world.commune_officer.last_name, world.commune_officer.first_name = "Lê Thị", "Mai"
    world.commune_officer.save(update_fields=["last_name", "first_name"])
    world.district_member.last_name, world.district_member.first_name = "Trần Văn", "Bình"
    world.district_member.save(update_fields=["last_name", "first_name"])
    programme = ProgrammeFactory(
        name="Xóa nhà tạm huyện Mỏ Cày Bắc", kind=ProgrammeKind.TEMPORARY_HOUSES, unit=world.district,
        created_by=world.district_member, start_date=today - datetime.timedelta(days=60),
        deadline=today + datetime.timedelta(days=120), new_build_support=60_000_000, repair_support=30_000_000,
        decision_date=today - datetime.timedelta(days=65), new_build_target=2, repair_target=0,
    )
    ProgrammeTargetFactory(programme=programme, unit=world.commune, new_builds=2, repairs=0)
    household = HouseholdFactory(commune=world.commune, head_name=HEAD_NAME, consent_recorded_by=world.commune_officer)
    # A household of the sibling commune: the officer may not propose a house for it.
    HouseholdFactory(commune=world.sibling_commune, head_name="Phạm Thị Hạnh")

    # -- The commune officer proposes the house. -------------------------------------------------
    page.goto("/")
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    open_case_list(page)
    # Only the "no cases" row, one cell across the table.
    expect(page.get_by_test_id("case-table").locator("tbody tr td[colspan]")).to_have_count(1)
    expect(page.get_by_test_id("case-table")).not_to_contain_text(HEAD_NAME)
    page.get_by_test_id("propose-case").click()

    expect(page).to_have_url(re.compile(r"/housing/cases/new/$"))
    form = page.get_by_test_id("case-form")
    household_options = form.locator("#id_household option[value]:not([value=''])")
    expect(household_options).to_have_count(1)
    expect(household_options).to_contain_text(HEAD_NAME)
    form.locator("#id_household").select_option(str(household.pk))
    form.locator("#id_programme").select_option(str(programme.pk))
    form.locator("#id_work_kind").select_option("new_build")
    form.locator("#id_estimated_cost").fill("80.000.000")
    form.locator("#id_current_condition").fill(CONDITION)
    form.locator("#id_state_budget").fill("40.000.000")
    form.locator("#id_fund_for_the_poor").fill("20.000.000")
    form.locator("#id_family_amount").fill("20.000.000")
    form.locator("#id_labour_days").fill("30")
    form.locator("#id_proposed_on").fill(typed(proposal_day))
    snap("1-proposal-form")
    page.get_by_test_id("save-case").click()

    expect(page).to_have_url(CASE_URL)
    case = HousingCase.objects.get(household=household)
    case_path = f"/housing/cases/{case.pk}/"
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    assert case.state == CaseState.PROPOSED
    assert (case.programme_id, case.commune_id, case.proposed_by_id) == (
        programme.pk, world.commune.pk, world.commune_officer.pk)
    assert (case.estimated_cost, case.state_budget, case.fund_for_the_poor, case.family_amount) == (
        80_000_000, 40_000_000, 20_000_000, 20_000_000)
    expect(page.locator("main .alert-success")).to_contain_text(f"#{case.pk}")
    expect(page.get_by_test_id("case-title")).to_contain_text(HEAD_NAME)
    expect(page.get_by_test_id("case-facts")).to_contain_text(CONDITION)
    expect(page.get_by_test_id("case-facts")).to_contain_text("80.000.000 ₫")
    expect(page.get_by_test_id("support-total")).to_have_text("60.000.000 ₫")
    # The officer may survey it; approving is the district's.
    expect(steps_offered(page)).to_have_count(1)
    expect(steps_offered(page)).to_have_attribute("data-step", "survey")

    # -- The survey. -----------------------------------------------------------------------------
    take_step(page, "survey", survey_date=typed(survey_day), survey_findings=FINDINGS)
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.get_by_test_id("case-facts")).to_contain_text(survey_day.strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("case-facts")).to_contain_text(FINDINGS)
    expect(steps_offered(page)).to_have_count(0)
    case.refresh_from_db()
    assert (case.state, case.survey_date, case.survey_findings) == (CaseState.SURVEYED, survey_day, FINDINGS)

    # -- A photo of the house as it is. ----------------------------------------------------------
    attachments = page.get_by_test_id("attachments").get_by_test_id("attachment")
    expect(attachments).to_have_count(0)
    upload = page.get_by_test_id("attachment-form")
    expect(upload.locator("#id_kind")).to_have_value(AttachmentKind.PHOTO_BEFORE)
    upload.locator("#id_file").set_input_files(
        {"name": "anh-nha-truoc.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg()})
    upload.get_by_test_id("attach").click()

    expect(page).to_have_url(re.compile(rf"{case_path}#attachments$"))
    expect(attachments).to_have_count(1)
    photo = attachments.first
    expect(photo).to_have_attribute("data-kind", AttachmentKind.PHOTO_BEFORE)
    expect(photo).to_contain_text("anh-nha-truoc.jpg")
    expect(photo).to_contain_text(OFFICER_NAME)
    # A worker makes the thumbnail once the upload has committed; the page shows it when opened again.
    for _ in range(60):
        if photo.locator("img").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    thumbnail = photo.locator("img")
    expect(thumbnail).to_have_attribute("src", re.compile(r"/housing/attachments/\d+/\?size=thumbnail$"))
    thumbnail.scroll_into_view_if_needed()
    # The thumbnail the server made is really served and drawn, not a broken image.
    page.wait_for_function("img => img.complete", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    assert case.attachments.get().kind == AttachmentKind.PHOTO_BEFORE
    assert_fits_width(page)
    snap("2-surveyed-with-photo")
    sign_out(page)

    # -- The district member approves it. --------------------------------------------------------
    sign_in(page, "member", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    open_case_list(page)
    table = page.get_by_test_id("case-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    # The district sees which commune each case is from.
    expect(table).to_contain_text(world.commune.name)
    table.get_by_role("link", name=HEAD_NAME, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    # Approve, reject or cancel.
    expect(steps_offered(page)).to_have_count(3)
    expect(page.get_by_test_id("case-steps").locator("[data-step=approve]")).to_be_visible()
    expect(page.get_by_test_id("case-steps").locator("[data-step=reject]")).to_be_visible()
    # Only the commune's officers attach files.
    expect(page.get_by_test_id("attachment-form")).to_have_count(0)
    expect(attachments).to_have_count(1)
    assert_fits_width(page)
    snap("3-member-sees-surveyed-case")
    take_step(page, "approve", note=APPROVAL_NOTE, decided_on=typed(approval_day))
    expect(steps_offered(page).locator("[data-step=approve]")).to_have_count(0)
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert list(case.transitions.values_list("name", "happened_on")) == [
        ("", proposal_day), ("survey", survey_day), ("approve", approval_day)]
    sign_out(page)

    # -- The commune officer records the building and hands the house over. ---------------------
    page.goto(case_path)
    sign_in(page, "officer", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    expect(steps_offered(page)).to_have_count(1)
    take_step(page, "start", start_date=typed(start_day))
    take_step(page, "complete", completion_date=typed(completion_day), final_cost="78.500.000")
    expect(page.get_by_test_id("case-facts")).to_contain_text("78.500.000 ₫")
    expect(page.get_by_test_id("case-facts")).to_contain_text(completion_day.strftime("%d/%m/%Y"))

    page.get_by_test_id("case-steps").locator("[data-step=hand_over]").click()
    expect(page).to_have_url(re.compile(r"/steps/hand_over/$"))
    step_form = page.get_by_test_id("step-form")
    step_form.locator("#id_handover_date").fill(typed(handover_day))
    step_form.locator("#id_handover_record").set_input_files(
        {"name": "bien-ban-ban-giao.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF})
    assert_fits_width(page)
    snap("4-handover-form")
    page.get_by_test_id("take-step").click()

    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    case.refresh_from_db()
    assert case.state == CaseState.HANDED_OVER
    assert (case.start_date, case.completion_date, case.final_cost, case.handover_date) == (
        start_day, completion_day, 78_500_000, handover_day)
    expect(page.get_by_test_id("case-state")).to_have_class(re.compile(r"\btext-bg-success\b"))
    expect(steps_offered(page)).to_have_count(0)
    expect(attachments).to_have_count(2)
    record = page.get_by_test_id("attachments").locator(f"[data-kind={AttachmentKind.HANDOVER_RECORD}]")
    expect(record).to_contain_text("bien-ban-ban-giao.pdf")
    expect(record.locator("a")).to_have_attribute("href", re.compile(r"/housing/attachments/\d+/$"))

    # The timeline: the proposal and five steps, each with who took it.
    timeline = page.get_by_test_id("transitions").locator("li")
    expect(timeline).to_have_count(6)
    actors = [OFFICER_NAME, OFFICER_NAME, MEMBER_NAME, OFFICER_NAME, OFFICER_NAME, OFFICER_NAME]
    for index, actor in enumerate(actors):
        expect(timeline.nth(index).get_by_test_id("step-actor")).to_have_text(actor)
    expect(timeline.nth(2)).to_contain_text(APPROVAL_NOTE)
    expect(page.get_by_test_id("transitions").get_by_text(APPROVAL_NOTE)).to_have_count(1)
    assert_fits_width(page)
    snap("5-handed-over")

    # -- The case list and the programme's progress. ---------------------------------------------
    open_case_list(page)
    rows = page.get_by_test_id("case-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(HEAD_NAME)
    expect(rows.first).to_contain_text("80.000.000 ₫")
    handed_over = page.get_by_test_id("state-counts").locator(f"[data-state={CaseState.HANDED_OVER}]")
    expect(handed_over.locator(".fw-semibold")).to_have_text("1")
    assert_fits_width(page)
    snap("6-case-list")

    rows.first.get_by_role("link", name=HEAD_NAME, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{case_path}$"))
    page.locator(f"main a[href$='/housing/programmes/{programme.pk}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/housing/programmes/{programme.pk}/$"))
    expect(page.get_by_test_id("programme-title")).to_have_text(programme.name)
    phone = page.viewport_size["width"] < 768
    if phone:
        # A phone gets one card per unit instead of the table.
        expect(page.get_by_test_id("progress-table")).to_be_hidden()
        card = page.get_by_test_id("progress-cards").locator(f"[data-unit='{world.commune.code}']")
        expect(card).to_contain_text(world.commune.name)
        new_houses = card.locator("[data-kind=new]")
        # "1 of 2 handed over", in whichever words the language has.
        expect(new_houses.locator("span").nth(1)).to_have_text(re.compile(r"^\D*1\D+2\D*$"))
        expect(new_houses.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    else:
        expect(page.get_by_test_id("progress-cards")).to_be_hidden()
        progress = page.get_by_test_id("progress-table")
        row = progress.get_by_test_id("progress-row").and_(progress.locator(f"[data-unit='{world.commune.code}']"))
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_contain_text(world.commune.name)
        expect(row.locator("[data-col=new-handed_over]")).to_be_visible()
        # Each cell: the figure, then its share of the target (shown when the figure is not zero).
        figures = {column: figure_and_share(row.locator(f"[data-col=new-{column}]"))
                   for column in ("target", "approved", "under_construction", "completed", "handed_over")}
        assert figures == {"target": ["2", ""], "approved": ["1", "50%"], "under_construction": ["0", ""],
                           "completed": ["1", "50%"], "handed_over": ["1", "50%"]}, figures
        assert figure_and_share(row.locator("[data-col=repair-handed_over]")) == ["0", ""]
        total = page.get_by_test_id("progress-total")
        assert figure_and_share(total.locator("[data-col=new-handed_over]")) == ["1", "50%"]
    assert_fits_width(page)
    snap("7-programme-progress")

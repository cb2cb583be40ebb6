"""A typical model from its registration to its recognition, in a real browser (issue 15's "Done
when"): the commune officer registers a model with a photo and submits it; the district's committee
puts it on the inspection plan, records the inspection with a score per criterion, holds the agency
meeting, recognises it and issues the notice, whose PDF is read back; the model's page then shows
the recognition, to the committee and to the commune.

This year's round, set up by the district on its round page and reopened for the commune on the
reopen page: after 31 March the deadline would refuse the registration otherwise, and every step is
then dated today within the round's year (the plan must be, and the inspection is on the planned
day), whatever day the test runs.

The typical-models strings are not in the Vietnamese catalogue yet: things are found by
``data-testid``, ids, ``data-*`` values, URLs and the data the test itself typed.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from models_registry.models import DEFAULT_CRITERIA, TypicalModel

from ..scope_harness import pdf_text
from .test_browser import open_menu, sign_in
from .test_housing import sign_out, typed
from .test_models_register import MODEL_NAME, MODEL_URL, fill_registration, fits_if_phone, register_and_submit

OFFICERS = "Lê Văn Hòa, Trần Thị Thu"
FINDINGS = "Ba điểm trường có nước sạch; người dân góp công lắp đặt, tổ bảo trì hoạt động đều"
# A score for each of the default criteria, in their order, within each one's weight.
POINTS = [27, 20, 18, 12, 9]
TOTAL = sum(POINTS)
CHAIR = "Nguyễn Văn Hùng"
SIGNER = "Nguyễn Văn Hùng"
SIGNER_TITLE = "Phó Chủ tịch"
NOTICE_NUMBER = 7
REFERENCE = f"{NOTICE_NUMBER}/TB-MTTQ"
RECIPIENTS = "Ban Thường trực UBMTTQ tỉnh;\nUBMTTQ thị trấn Phước Mỹ Trung;\nLưu VT."


def open_board(page: Page) -> None:
    open_menu(page)
    page.get_by_test_id("nav-models").click()
    expect(page).to_have_url(re.compile(r"/models/board/$"))
    fits_if_phone(page)


def set_up_and_reopen_round(page: Page, world, year: int, today: datetime.date) -> None:
    """As the district's member: set up the year's round from the round list, then reopen it for
    the commune for a month."""
    open_board(page)
    page.get_by_test_id("rounds-tab").click()
    page.get_by_test_id("new-round").click()
    form = page.get_by_test_id("round-form")
    form.locator("#id_year").fill(str(year))
    form.get_by_test_id("save-round").click()
    expect(page.get_by_test_id("round-title")).to_contain_text(str(year))
    expect(page.get_by_test_id("deadline")).to_have_text(f"31/03/{year}")
    expect(page.get_by_test_id("criteria").locator("tbody tr")).to_have_count(len(DEFAULT_CRITERIA))

    page.get_by_test_id("reopen").click()
    form = page.get_by_test_id("reopen-form")
    form.locator("#id_commune").select_option(str(world.commune.pk))
    form.locator("#id_until").fill(typed(today + datetime.timedelta(days=30)))
    form.locator("#id_reason").fill("Xã đăng ký bổ sung mô hình sau thời hạn")
    form.get_by_test_id("save-reopening").click()
    reopened = page.get_by_test_id("reopenings").locator("tbody tr")
    expect(reopened).to_have_count(1)
    expect(reopened).to_contain_text(world.commune.name)
    expect(reopened).to_contain_text(typed(today + datetime.timedelta(days=30)))


def plan_inspection(page: Page, model: TypicalModel, today: datetime.date, snap) -> None:
    """From the model's page: open the round's inspection plan and plan the model for today."""
    page.get_by_test_id("above-actions").get_by_test_id("above-plan").click()
    expect(page).to_have_url(re.compile(rf"/models/rounds/{model.round_id}/plan/$"))
    awaiting = page.locator(f"[data-testid=awaiting-model][data-model='{model.pk}']")
    expect(awaiting).to_contain_text(MODEL_NAME)
    awaiting.locator(f"#id_plan-{model.pk}-officers").fill(OFFICERS)
    awaiting.locator(f"#id_plan-{model.pk}-planned_on").fill(typed(today))
    fits_if_phone(page)
    snap("plan-form")
    awaiting.get_by_test_id("plan-model").click()
    expect(page.get_by_test_id("awaiting-model")).to_have_count(0)
    planned = page.locator(f"[data-testid=planned-model][data-model='{model.pk}']")
    expect(planned).to_contain_text(MODEL_NAME)
    expect(planned).to_contain_text(OFFICERS)
    expect(planned).to_contain_text(typed(today))
    fits_if_phone(page)
    snap("plan")


def record_inspection(page: Page, today: datetime.date, snap) -> None:
    """From the plan: open the inspection, which starts from the plan (its officers, its day, come),
    and score each criterion; the page then shows the scores and their total."""
    page.get_by_test_id("planned-model").get_by_test_id("inspection-link").click()
    form = page.get_by_test_id("inspection-form")
    expect(form.locator("#id_officers")).to_have_value(OFFICERS)
    expect(form.locator("#id_inspected_on")).to_have_value(typed(today))
    form.locator("#id_findings").fill(FINDINGS)
    scores = form.get_by_test_id("score-fields").locator("input")
    expect(scores).to_have_count(len(DEFAULT_CRITERIA))
    for index, ((_name, _description, weight), points) in enumerate(zip(DEFAULT_CRITERIA, POINTS, strict=True)):
        expect(scores.nth(index)).to_have_attribute("max", str(weight))
        scores.nth(index).fill(str(points))
    fits_if_phone(page)
    snap("inspection-form")
    form.get_by_test_id("save-inspection").click()

    expect(page.get_by_test_id("inspection-form")).to_have_count(0)
    expect(page.get_by_test_id("inspection")).to_contain_text(FINDINGS)
    rows = page.get_by_test_id("scores").locator("tbody tr")
    expect(rows).to_have_count(len(DEFAULT_CRITERIA))
    for index, ((name, _description, weight), points) in enumerate(zip(DEFAULT_CRITERIA, POINTS, strict=True)):
        expect(rows.nth(index)).to_contain_text(name)
        expect(rows.nth(index)).to_contain_text(f"{points} / {weight}")
    expect(page.get_by_test_id("total-score")).to_have_text(f"{TOTAL} / 100")
    fits_if_phone(page)
    snap("inspection")


def hold_meeting_and_recognise(page: Page, model: TypicalModel, today: datetime.date, snap) -> None:
    """From the model's page: record the agency meeting presenting it, then its decision."""
    page.get_by_test_id("above-actions").get_by_test_id("above-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("#id_held_on").fill(typed(today))
    form.locator("#id_chaired_by").fill(CHAIR)
    form.locator("#id_participants").fill("Ban Thường trực, các ban chuyên môn, đại diện các đoàn thể")
    choice = form.get_by_test_id("meeting-models").locator(".form-check").filter(has_text=MODEL_NAME)
    expect(choice).to_contain_text(str(TOTAL))
    choice.locator(f"input[value='{model.pk}']").check()
    fits_if_phone(page)
    form.get_by_test_id("save-meeting").click()

    expect(page).to_have_url(re.compile(r"/models/meetings/\d+/$"))
    item = page.locator(f"[data-testid=meeting-item][data-model='{model.pk}']")
    expect(item).to_contain_text(MODEL_NAME)
    expect(item).to_contain_text(str(TOTAL))
    expect(item.get_by_test_id("decision")).to_have_attribute("data-decision", "")
    item.locator("input[type=radio][value=recognised]").check()
    fits_if_phone(page)
    snap("meeting")
    item.get_by_test_id("decide").click()
    expect(item.get_by_test_id("decision")).to_have_attribute("data-decision", "recognised")
    expect(item.get_by_test_id("decision-form")).to_have_count(0)


def issue_notice(page: Page, model: TypicalModel, today: datetime.date, snap) -> None:
    """From the meeting: issue the notice recognising the model; its page lists the model and who
    receives it."""
    page.get_by_test_id("issue-notice").click()
    form = page.get_by_test_id("notice-form")
    expect(form.locator("#id_number")).to_have_value("1")  # the round's first notice
    expect(form.locator("#id_symbol")).to_have_value("TB-MTTQ")
    expect(form.locator("#id_issued_on")).to_have_value(typed(today))
    form.locator("#id_number").fill(str(NOTICE_NUMBER))
    form.locator("#id_signer").fill(SIGNER)
    form.locator("#id_signer_title").fill(SIGNER_TITLE)
    form.locator("#id_recipients").fill(RECIPIENTS)
    form.get_by_test_id("notice-models").locator(f"input[value='{model.pk}']").check()
    fits_if_phone(page)
    snap("notice-form")
    form.get_by_test_id("save-notice").click()

    expect(page).to_have_url(re.compile(r"/models/notices/\d+/$"))
    expect(page.get_by_test_id("notice-reference")).to_contain_text(REFERENCE)
    recognised = page.get_by_test_id("notice-models").locator(f"[data-model='{model.pk}']")
    expect(recognised).to_contain_text(MODEL_NAME)
    expect(page.locator("main")).to_contain_text("UBMTTQ thị trấn Phước Mỹ Trung;")
    fits_if_phone(page)
    snap("notice")


def assert_notice_pdf(page: Page, address: str) -> None:
    """The notice's PDF, fetched with the signed-in browser's session and read back."""
    printed = page.request.get(address)
    assert printed.status == 200
    assert printed.headers["content-type"] == "application/pdf"
    text = pdf_text(printed.body())
    # pdftotext may break a long name across lines: compare the words.
    words = " ".join(text.split())
    for expected in (REFERENCE, MODEL_NAME, "Nơi nhận", SIGNER, SIGNER_TITLE.upper(), "Lưu VT."):
        assert expected in words, f"{expected!r} is not in the notice:\n{text}"


def assert_recognition_shown(page: Page) -> None:
    """The model's page: recognised, the notice linked (and its PDF), the inspection's scores and total."""
    expect(page).to_have_url(MODEL_URL)
    expect(page.get_by_test_id("model-title")).to_have_text(MODEL_NAME)
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "recognised")
    notice = page.get_by_test_id("notices").get_by_test_id("notice-link")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(REFERENCE)
    expect(notice).to_contain_text(SIGNER)
    expect(notice).to_have_attribute("href", re.compile(r"/models/notices/\d+/$"))
    expect(page.get_by_test_id("notices").get_by_test_id("notice-pdf")).to_have_attribute(
        "href", re.compile(r"/models/notices/\d+/pdf/$"))
    inspection = page.get_by_test_id("inspection")
    expect(inspection).to_contain_text(FINDINGS)
    rows = inspection.get_by_test_id("scores").locator("tbody tr")
    expect(rows).to_have_count(len(DEFAULT_CRITERIA))
    for index, ((name, _description, weight), points) in enumerate(zip(DEFAULT_CRITERIA, POINTS, strict=True)):
        expect(rows.nth(index)).to_contain_text(name)
        expect(rows.nth(index)).to_contain_text(f"{points} / {weight}")
    expect(inspection.get_by_test_id("total-score")).to_have_text(f"{TOTAL} / 100")
    expect(page.get_by_test_id("meeting-decision")).to_contain_text(str(TOTAL))
    expect(page.get_by_test_id("attachment")).to_have_count(1)  # the photo registered with it
    fits_if_phone(page)


@pytest.mark.e2e
def test_district_recognises_a_commune_model_from_inspection_to_notice_and_both_see_it_on_its_page(
        page, world, snap):
    today = timezone.localdate()
    year = today.year
    page.goto("/")
    sign_in(page, "member")
    set_up_and_reopen_round(page, world, year, today)
    fits_if_phone(page)
    snap("round")

    # The commune registers a model with a photo, and submits it.
    sign_out(page)
    sign_in(page, "officer")
    open_board(page)
    page.get_by_test_id("register-model").first.click()
    fill_registration(page, year)
    page.get_by_test_id("model-form").get_by_test_id("save-model").click()
    expect(page).to_have_url(MODEL_URL)
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "draft")
    expect(page.get_by_test_id("attachment")).to_have_count(1)
    register_and_submit(page)
    model = TypicalModel.objects.get(name=MODEL_NAME)
    assert (model.round.year, model.commune_id) == (year, world.commune.pk)

    # The district: from its board to the model, the plan and the inspection.
    sign_out(page)
    sign_in(page, "member")
    open_board(page)
    page.locator("[data-testid=board-column][data-state=submitted]").get_by_role("link", name=MODEL_NAME).click()
    expect(page).to_have_url(MODEL_URL)
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "submitted")
    plan_inspection(page, model, today, snap)
    record_inspection(page, today, snap)

    # Back on the model's page: the meeting, its decision and the notice.
    page.get_by_test_id("model-link").click()
    expect(page.get_by_test_id("model-state")).to_have_attribute("data-state", "inspected")
    hold_meeting_and_recognise(page, model, today, snap)
    issue_notice(page, model, today, snap)
    assert_notice_pdf(page, page.get_by_test_id("notice-pdf").get_attribute("href"))

    page.get_by_test_id("notice-models").get_by_role("link", name=MODEL_NAME).click()
    assert_recognition_shown(page)
    snap("model-recognised")

    # The commune sees the same on its model's page, and reads the notice.
    sign_out(page)
    sign_in(page, "officer")
    open_board(page)
    snap("commune-board")
    page.locator("[data-testid=board-column][data-state=recognised]").get_by_role("link", name=MODEL_NAME).click()
    assert_recognition_shown(page)
    expect(page.get_by_test_id("above-actions")).to_have_count(0)
    snap("commune-model")
    assert_notice_pdf(page, page.get_by_test_id("notices").get_by_test_id("notice-pdf").get_attribute("href"))
    page.get_by_test_id("notices").get_by_test_id("notice-link").click()
    expect(page.get_by_test_id("notice-reference")).to_contain_text(REFERENCE)
    expect(page.get_by_test_id("notice-models")).to_contain_text(MODEL_NAME)

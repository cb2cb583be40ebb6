"""Forms that keep what was typed and say what they do (issue 11, points 1, 2 and 14).

- A household typed for longer than the idle limit: the page warns before the session ends and
  lets the officer stay signed in; sent after the end, it is kept in the tab through the sign-in
  and put back, for the same officer only.
- A double tap on "Lưu" sends the form once.
- A case is cancelled ("Hủy hồ sơ") only after its reason is confirmed; "Quay lại" backs out.

The browser's clock is moved with Playwright's ``page.clock``; the server's idle expiry is
forced by ageing or expiring the session's row.
"""

import datetime
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontwelfare.accounts.middleware import SESSION_ACTIVE_KEY
from households.choices import Relation, Sex
from households.models import Household
from housing.choices import CaseState

from ..factories import CommuneOfficerFactory
from ..households.factories import HouseholdFactory
from ..housing.factories import case_in_state
from .test_browser import sign_in
from .test_households import DUPLICATES_URL, NEW_URL, add_member_form, fill_member, member_field

HAMLET = "Ấp Phước Hậu"
HEAD = "Nguyễn Văn Tư"
WIFE = "Lê Thị Năm"


def _server_session(page: Page) -> SessionStore:
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    return SessionStore(session_key=key)


def _idle_on_the_server_for(page: Page, minutes: int) -> None:
    """The server's record of the officer's last request, moved ``minutes`` back."""
    session = _server_session(page)
    session[SESSION_ACTIVE_KEY] = (timezone.now() - datetime.timedelta(minutes=minutes)).isoformat()
    session.save()


def _session_ended_on_the_server(page: Page) -> None:
    """The expired session's row gone, as `clearsessions` does. (Expiring it in place would race
    with the page's own requests in flight, the duplicate check, which save the session again
    half an hour away.)"""
    Session.objects.all().delete()


def _drafts(page: Page) -> list[str]:
    return page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('fw-draft:'))")


def _type_a_household(page: Page) -> None:
    page.locator("#id_hamlet").fill(HAMLET)
    page.locator("#id_consent_date").fill("01/03/2025")
    fill_member(page, 0, full_name=HEAD, relation=Relation.HEAD, sex=Sex.MALE, birth_year=1958)
    add_member_form(page)
    fill_member(page, 1, full_name=WIFE, relation=Relation.SPOUSE, sex=Sex.FEMALE, birth_year=1960)
    # The duplicate check the typing set off is answered (it is activity: it renews the session),
    # and nothing else is on its way, before the test moves the server's clock.
    with page.expect_response(DUPLICATES_URL):
        member_field(page, 1, "birth_year").press("Tab")
    page.wait_for_timeout(700)


@pytest.mark.e2e
def test_a_household_typed_past_the_idle_limit_is_warned_of_and_survives_the_sign_in(page, world, snap):
    page.clock.install()
    page.goto("/households/new/")
    sign_in(page, "officer")
    expect(page).to_have_url(NEW_URL)
    _type_a_household(page)

    # 25 minutes without a request: five minutes before the end, the page says so.
    _idle_on_the_server_for(page, 26)
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("25:01")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("phiên làm việc sẽ kết thúc sau")
    expect(warning.locator("[data-countdown]")).to_have_text(re.compile(r"^[34]:\d\d$"))
    snap("warning")
    warning.get_by_role("button", name="Tiếp tục làm việc").click()
    expect(warning).to_be_hidden()
    active = datetime.datetime.fromisoformat(_server_session(page)[SESSION_ACTIVE_KEY])
    assert timezone.now() - active < datetime.timedelta(minutes=1), "staying signed in renews the session"

    # Another half hour of interviewing; the server ends the session meanwhile.
    page.locator("#id_address").fill("12 đường Lê Lợi")
    _session_ended_on_the_server(page)
    page.get_by_test_id("save-household").click()

    # The sign-in page says what happened; nothing was saved.
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("main .alert")).to_contain_text("chưa có gì được lưu")
    assert not Household.objects.exists()
    snap("signed-out")

    # Signed in again: the form, as it was typed, with a word saying so.
    sign_in(page, "officer")
    expect(page).to_have_url(NEW_URL)
    expect(page.get_by_test_id("draft-restored")).to_contain_text("đã được điền lại")
    expect(page.locator("#id_hamlet")).to_have_value(HAMLET)
    expect(page.locator("#id_address")).to_have_value("12 đường Lê Lợi")
    expect(member_field(page, 0, "full_name")).to_have_value(HEAD)
    expect(member_field(page, 1, "full_name")).to_have_value(WIFE)
    expect(member_field(page, 1, "relation")).to_have_value(Relation.SPOUSE)
    snap("restored")

    page.get_by_test_id("save-household").click()
    expect(page).to_have_url(re.compile(r"/households/\d+/$"))
    household = Household.objects.get()
    assert sorted(household.members.values_list("full_name", flat=True)) == sorted([HEAD, WIFE])
    assert _drafts(page) == [], "a saved form leaves no copy in the browser"


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_a_form_kept_when_the_session_ended_is_never_shown_to_another_officer(page, world):
    CommuneOfficerFactory(username="colleague", unit=world.commune)
    page.clock.install()
    page.goto("/households/new/")
    sign_in(page, "officer")
    expect(page).to_have_url(NEW_URL)
    _type_a_household(page)

    # Left alone past the limit: the tab goes to the sign-in page by itself, hiding the form.
    _session_ended_on_the_server(page)
    page.clock.fast_forward("25:01")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.get_by_test_id("session-ended")).to_contain_text("đăng nhập lại")
    assert len(_drafts(page)) == 1

    # A colleague signs in at the same computer: an empty form, and the draft is gone.
    sign_in(page, "colleague")
    expect(page).to_have_url(NEW_URL)
    expect(page.locator("#id_hamlet")).to_have_value("")
    expect(member_field(page, 0, "full_name")).to_have_value("")
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)
    # The colleague's tab keeps only the colleague's own (empty) form.
    kept = page.evaluate("() => Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)).join()")
    assert HAMLET not in kept and HEAD not in kept and WIFE not in kept


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_second_tap_while_the_form_is_on_its_way_sends_nothing(page, world):
    page.goto("/households/new/")
    sign_in(page, "officer")
    expect(page).to_have_url(NEW_URL)
    _type_a_household(page)
    # A connection so slow that the answer never comes: the page stays, and counts what it sends.
    page.evaluate("() => { window.sent = 0; window.addEventListener('submit', event => {"
                  " event.preventDefault(); window.sent += 1; }); }")

    save = page.get_by_test_id("save-household")
    save.click()
    expect(save).to_be_disabled()
    save.click(force=True)  # the impatient second tap
    save.dispatch_event("click")
    assert page.evaluate("() => window.sent") == 1


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_signing_out_leaves_no_draft_in_the_tab(page, world):
    page.goto("/households/new/")
    sign_in(page, "officer")
    expect(page).to_have_url(NEW_URL)
    page.locator("#id_hamlet").fill(HAMLET)
    assert len(_drafts(page)) == 1
    page.locator("form[action$='/logout/'] button[type=submit]").click()
    expect(page.locator("#id_username")).to_be_visible()
    assert _drafts(page) == []

REASON = "Gia đình đã chuyển đến ở với con tại tỉnh khác"


def _case_page(page: Page, case) -> None:
    page.goto(f"/housing/cases/{case.pk}/")
    expect(page.locator("#id_username")).to_be_visible()
    sign_in(page, "member")
    expect(page).to_have_url(re.compile(rf"/housing/cases/{case.pk}/$"))


@pytest.mark.e2e
def test_cancelling_a_case_is_named_hủy_hồ_sơ_and_asks_to_confirm_the_reason(page, world, snap):
    case = case_in_state(CaseState.APPROVED, household=HouseholdFactory(commune=world.commune))
    _case_page(page, case)
    cancel = page.get_by_test_id("case-steps").locator("[data-step=cancel]")
    expect(cancel).to_have_text("Hủy hồ sơ")
    cancel.click()

    # The step's page: its name, the reason asked for, and a way back that changes nothing.
    expect(page.locator("h1")).to_have_text("Hủy hồ sơ")
    expect(page.get_by_test_id("take-step")).to_have_text("Hủy hồ sơ")
    expect(page.get_by_test_id("step-back")).to_have_text("Quay lại")
    page.get_by_test_id("step-back").click()
    expect(page).to_have_url(re.compile(rf"/housing/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED

    page.get_by_test_id("case-steps").locator("[data-step=cancel]").click()
    page.locator("#id_note").fill(REASON)
    page.get_by_test_id("take-step").click()
    # Not cancelled yet: what will happen, with the reason, to confirm or to go back and change.
    confirmation = page.get_by_test_id("step-confirmation")
    expect(confirmation).to_contain_text(f"Hủy hồ sơ #{case.pk}")
    expect(confirmation).to_contain_text("không thể mở lại")
    expect(page.get_by_test_id("confirm-reason")).to_have_text(REASON)
    snap("confirm")
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED

    page.get_by_test_id("step-back").click()
    expect(page.locator("#id_note")).to_have_value(REASON)
    page.locator("#id_note").fill(REASON + " (đã xác minh)")
    page.get_by_test_id("take-step").click()
    expect(page.get_by_test_id("confirm-reason")).to_have_text(REASON + " (đã xác minh)")
    page.get_by_test_id("take-step").click()

    expect(page).to_have_url(re.compile(rf"/housing/cases/{case.pk}/$"))
    case.refresh_from_db()
    assert case.state == CaseState.CANCELLED
    assert case.transitions.get(name="cancel").note == REASON + " (đã xác minh)"

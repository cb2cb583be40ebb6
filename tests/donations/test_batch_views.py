"""The support pages: kinds of support, and batches — the list, a new batch, choosing recipients by
the households' filters and by hand, the duplicate-benefit review and confirmation, the deliveries
page made for a phone, closing, and the history — what they show, what they write through
donations.support.services, and what they refuse (with a message, writing nothing)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donations.selectors import fund_balance
from donations.support import services
from donations.support.choices import BatchState, Delivery
from donations.support.models import Batch, Recipient, SupportKind

from ..households.factories import HouseholdFactory
from ..scope_harness import element_texts
from .factories import DonorFactory, fund_of, manager_of
from .support_factories import TET, batch_with, deliver_all, funded_batch, kind, poor_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    """Pages in English, so that tests read the source strings (Vietnamese is the default)."""
    client.cookies.load({"django_language": "en"})
    return client


def _get(client, user, name, *args, data=None, status=200):
    client.force_login(user)
    response = client.get(reverse(name, args=args), data or {})
    assert response.status_code == status, response.content[:1000]
    return response.content.decode()


def _texts(body: str, testid: str) -> list[str]:
    return element_texts(body, data_testid=testid)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# -- kinds of support ------------------------------------------------------------------------------


def test_kinds_list_names_the_nationwide_kinds_in_the_pages_language_and_the_units_own(en, world):
    kind()  # the nationwide kinds, put back if a browser test's flush emptied the table
    services.kind_create(actor=world.commune_officer, name_vi="Hỗ trợ sửa nhà vệ sinh", name_en="Toilet repair",
                         purpose="other", recipients="household")
    services.kind_create(actor=manager_of(world.sibling_commune), name_vi="Quà Trung thu", name_en="Mid-autumn gifts",
                         purpose="other", recipients="pupil")

    rows = _texts(_get(en, world.commune_officer, "support:kind-list"), "kind-row")

    assert any(row.startswith(kind().name_en) and "Nationwide" in row for row in rows), rows
    assert any("Toilet repair" in row and world.commune.name in row for row in rows)
    assert not any("Mid-autumn gifts" in row for row in rows), "another commune's own kind"
    assert not any("Quà Tết" in row for row in rows), "the Vietnamese name on an English page"


def test_a_kind_is_added_for_the_officers_unit_and_a_name_taken_is_refused(en, world):
    en.force_login(world.commune_officer)
    data = {"name_vi": "Hỗ trợ nước sạch", "name_en": "Clean water", "purpose": "other", "recipients": "household"}

    assert en.post(reverse("support:kind-create"), data).status_code == 302
    again = en.post(reverse("support:kind-create"), data)

    assert again.status_code == 400
    assert "already exists" in again.content.decode()
    assert SupportKind.objects.filter(unit=world.commune, name_en="Clean water").count() == 1


# -- the list and a new batch -----------------------------------------------------------------------------


def test_batch_list_counts_only_the_lines_a_commune_officer_sees_of_the_districts_batch(en, world):
    households = [poor_household(world.commune), poor_household(world.commune),
                  poor_household(world.sibling_commune)]
    batch_with(world.district, households, actor=world.district_member)

    commune_rows = _texts(_get(en, world.commune_officer, "support:batch-list"), "batch-row")
    district_rows = _texts(_get(en, world.district_member, "support:batch-list"), "batch-row")

    assert len(commune_rows) == 1 and TET in commune_rows[0]
    assert re.search(r"Draft 2 0 1\.000\.000 ₫", commune_rows[0]), commune_rows
    assert re.search(r"Draft 3 0 1\.500\.000 ₫", district_rows[0]), district_rows


def test_batch_list_filters_by_occasion_typed_without_diacritics_and_by_state(en, world):
    funded_batch(world.commune, actor=world.commune_officer)
    funded_batch(world.commune, actor=world.commune_officer, occasion="Quà Trung thu 2026", money=0)

    by_occasion = _texts(_get(en, world.commune_officer, "support:batch-list", data={"occasion": "tet binh ngo"}),
                         "batch-row")
    confirmed = _texts(_get(en, world.commune_officer, "support:batch-list", data={"state": "confirmed"}),
                       "batch-row")

    assert len(by_occasion) == 1 and TET in by_occasion[0]
    assert confirmed == []


def test_batch_list_reads_as_many_queries_for_30_batches_as_for_3(en, world):
    officer = world.commune_officer
    households = [poor_household(world.commune)]
    for _ in range(3):
        batch_with(world.commune, households, actor=officer, money=1_000_000)
    en.force_login(officer)
    url = reverse("support:batch-list")
    few = _queries(en, url)
    for _ in range(27):
        batch_with(world.commune, households, actor=officer, money=1_000_000)
    assert _queries(en, url) == few


def test_new_batch_suggests_the_occasions_of_the_kind_the_officer_sees(en, world):
    funded_batch(world.district, actor=world.district_member)  # the district's Tet batch
    funded_batch(world.sibling_commune, occasion="Quà Tết của xã bên")  # not seen by the officer
    funded_batch(world.district, actor=world.district_member, code="scholarship", occasion="Học bổng 2026")
    en.force_login(world.commune_officer)

    page = en.get(reverse("support:batch-create")).content.decode()
    of_kind = en.get(reverse("support:batch-create"), {"occasions_for": "1", "kind": kind("tet_gifts").pk},
                     HTTP_HX_REQUEST="true").content.decode()

    assert f'<option value="{TET}">' in page and "Quà Tết của xã bên" not in page
    assert f'<option value="{TET}">' in of_kind and "Học bổng 2026" not in of_kind


def test_a_batch_is_drawn_up_from_the_units_fund_and_opens_as_a_draft(en, world):
    fund = fund_of(world.commune)
    en.force_login(world.commune_officer)

    response = en.post(reverse("support:batch-create"), {
        "kind": kind().pk, "occasion": TET, "happened_on": "10/02/2026", "fund": fund.pk, "earmark": "none",
        "value": "500.000"})

    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("support:batch-detail", args=[batch.pk])
    assert (batch.unit, batch.fund, batch.value, batch.state) == (world.commune, fund, 500_000, BatchState.DRAFT)
    body = en.get(response["Location"]).content.decode()
    assert _texts(body, "batch-state") == ["Draft"]
    assert _texts(body, "batch-value") == ["500.000 ₫"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"fund": ""}, "Choose the fund the batch draws on, or the donor who gives directly."),
    ({"value": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"in_kind": "on"}, "Describe the goods given in kind."),
])
def test_a_batch_with_bad_input_is_refused_with_a_message_and_nothing_is_made(en, world, changes, message):
    en.force_login(world.commune_officer)
    data = {"kind": kind().pk, "occasion": TET, "happened_on": "10/02/2026", "fund": fund_of(world.commune).pk,
            "earmark": "none", "value": "500.000", **changes}

    response = en.post(reverse("support:batch-create"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Batch.objects.exists()


def test_a_batch_given_directly_by_a_donor_is_drawn_up_without_a_fund(en, world):
    donor = DonorFactory(unit=world.commune)
    en.force_login(world.commune_officer)

    response = en.post(reverse("support:batch-create"), {
        "kind": kind().pk, "occasion": TET, "happened_on": "10/02/2026", "donor": donor.pk, "earmark": "none",
        "value": "300.000", "in_kind": "on", "goods": "10 kg gạo, 1 thùng mì"})

    assert response.status_code == 302
    assert Batch.objects.get().donor == donor


# -- choosing recipients ----------------------------------------------------------------------------------


def test_choosing_shows_how_many_poor_households_match_then_adds_them(en, world):
    poor = [poor_household(world.commune) for _ in range(3)]
    poor_household(world.commune, category="near_poor")
    batch = funded_batch(world.commune, actor=world.commune_officer)
    filters = {"category": "poor", "year": "2026"}

    body = _get(en, world.commune_officer, "support:batch-choose", batch.pk, data=filters)
    assert _texts(body, "matching-count") == ["3"]
    assert "Add 3 households to the batch" in body

    response = en.post(reverse("support:batch-choose", args=[batch.pk]), filters)

    assert response.status_code == 302
    assert set(batch.recipients.values_list("household_id", flat=True)) == {h.pk for h in poor}
    detail = en.get(response["Location"]).content.decode()
    assert "3 lines added to the batch." in detail
    assert _texts(detail, "figure-lines") == ["3"]
    again = _get(en, world.commune_officer, "support:batch-choose", batch.pk, data=filters)
    assert _texts(again, "new-count") == ["0"] and "add-households" not in again


def test_choosing_without_any_filter_adds_nobody(en, world):
    poor_household(world.commune)
    batch = funded_batch(world.commune, actor=world.commune_officer)
    en.force_login(world.commune_officer)

    response = en.post(reverse("support:batch-choose", args=[batch.pk]), {"year": ""})

    assert response.status_code == 400
    assert "Choose at least one filter" in response.content.decode()
    assert not batch.recipients.exists()


def test_the_units_above_see_a_draft_but_do_not_choose_its_recipients(en, world):
    batch = funded_batch(world.commune, actor=world.commune_officer)

    body = _get(en, world.district_member, "support:batch-detail", batch.pk)

    assert "choose-recipients" not in body and "confirm-form" not in body
    _get(en, world.district_member, "support:batch-choose", batch.pk, status=403)


def test_a_household_is_added_by_hand_by_its_code_with_a_reason(en, world):
    household = HouseholdFactory(commune=world.commune, head_name="Trần Văn Mười")
    batch = funded_batch(world.commune, actor=world.commune_officer)
    en.force_login(world.commune_officer)
    url = reverse("support:recipient-add", args=[batch.pk])

    no_reason = en.post(url, {"household": household.code, "reason": ""})
    unknown = en.post(url, {"household": "99999-9999", "reason": "Ốm nặng"})
    assert (no_reason.status_code, unknown.status_code) == (400, 400)
    assert "No household of code 99999-9999 in the batch's unit." in html.unescape(unknown.content.decode())
    assert not batch.recipients.exists()

    assert en.post(url, {"household": household.code, "reason": "Ốm nặng, mới phát sinh"}).status_code == 302
    body = en.get(reverse("support:batch-detail", args=[batch.pk])).content.decode()
    assert any("Trần Văn Mười" in line and "Added by hand: Ốm nặng, mới phát sinh" in line
               for line in _texts(body, "line"))


def test_the_household_search_finds_by_name_within_the_batchs_unit_only(en, world):
    HouseholdFactory(commune=world.commune, head_name="Nguyễn Thị Lành")
    HouseholdFactory(commune=world.sibling_commune, head_name="Nguyễn Thị Lành Khác")
    batch = funded_batch(world.commune, actor=world.commune_officer)
    en.force_login(world.commune_officer)

    found = en.get(reverse("support:batch-detail", args=[batch.pk]), {"find": "nguyen thi lanh"},
                   HTTP_HX_REQUEST="true").content.decode()

    assert "Nguyễn Thị Lành" in found and "Lành Khác" not in found


def test_a_line_is_taken_out_only_with_a_reason_and_keeps_it(en, world):
    household = poor_household(world.commune)
    batch = batch_with(world.commune, [household], actor=world.commune_officer)
    line = batch.recipients.get()
    en.force_login(world.commune_officer)
    url = reverse("support:recipient-remove", args=[line.pk])

    refused = en.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert _texts(refused.content.decode(), "remove-error") == ["Say why this household is taken out of the batch."]
    line.refresh_from_db()
    assert not line.removed

    assert en.post(url, {"reason": "Đã chuyển đi"}).status_code == 302
    body = en.get(reverse("support:batch-detail", args=[batch.pk]), {"show": "removed"}).content.decode()
    assert _texts(body, "removed-reason") == ["Taken out: Đã chuyển đi"]
    assert _texts(en.get(reverse("support:batch-detail", args=[batch.pk])).content.decode(), "figure-lines") == ["0"]


# -- the duplicate-benefit review and confirmation ---------------------------------------------------------


def _flagged_setup(world):
    """A household helped for Tet by the district and by the other district's batch (out of the
    commune officer's scope... and of the district member's), now in the commune's draft."""
    household = poor_household(world.commune, head_name="Võ Văn Hai")
    district = batch_with(world.district, [household], actor=world.district_member)
    batch = batch_with(world.commune, [household, poor_household(world.commune)], actor=world.commune_officer)
    return household, district, batch


def test_a_line_already_helped_is_flagged_with_a_link_to_the_batch_the_viewer_sees(en, world):
    _household, district, batch = _flagged_setup(world)

    body = _get(en, world.commune_officer, "support:batch-detail", batch.pk, data={"show": "flagged"})

    assert _texts(body, "figure-lines") == ["2"]
    helped = _texts(body, "helped-elsewhere")
    assert len(helped) == 1 and world.district.name in helped[0] and "10/02/2026" in helped[0]
    assert reverse("support:batch-detail", args=[district.pk]) in body
    assert "1 recipient was already helped for this occasion" in body


def test_a_line_helped_by_a_batch_out_of_scope_shows_only_the_units_name(en, world):
    household = poor_household(world.commune)
    Recipient.objects.create(batch=funded_batch(world.other_district_commune), household=household, value=1)
    batch = batch_with(world.commune, [household], actor=world.commune_officer)

    body = _get(en, world.commune_officer, "support:batch-detail", batch.pk)

    unit = world.other_district_commune.name
    assert _texts(body, "helped-elsewhere") == [f"Already helped for this occasion: {unit}"]


def test_confirming_flagged_lines_needs_a_reason(en, world):
    _household, _district, batch = _flagged_setup(world)
    en.force_login(world.commune_officer)
    url = reverse("support:batch-confirm", args=[batch.pk])

    refused = en.post(url, {"duplicate_reason": ""})
    assert refused.status_code == 400
    assert "1 recipient was already helped for this occasion: say why" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.state == BatchState.DRAFT

    assert en.post(url, {"duplicate_reason": "Hộ có người ốm nặng"}).status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.duplicate_reason) == (BatchState.CONFIRMED, "Hộ có người ốm nặng")


def test_a_confirmed_batch_offers_deliveries_per_hamlet_and_closing_with_the_pending_count(en, world):
    batch = batch_with(world.commune, [poor_household(world.commune, hamlet="Ấp 1"),
                                       poor_household(world.commune, hamlet="Ấp 2")], actor=world.commune_officer)
    services.batch_confirm(actor=world.commune_officer, batch=batch)

    body = _get(en, world.commune_officer, "support:batch-detail", batch.pk)

    hamlets = _texts(body, "hamlet-row")
    assert [row.split(" ·")[0] for row in hamlets] == ["Ấp 1", "Ấp 2"]
    deliveries = reverse("support:batch-deliveries", args=[batch.pk])
    assert f"{deliveries}?commune={world.commune.pk}&amp;hamlet=%E1%BA%A4p%201" in body
    assert _texts(body, "pending-note")[0].startswith("2 recipients have no delivery recorded yet")
    closing = en.post(reverse("support:batch-close", args=[batch.pk]), follow=True).content.decode()
    assert "2 recipients have no delivery recorded" in closing
    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED


def test_closing_posts_the_delivered_lines_and_the_page_links_the_fund(en, world):
    batch = batch_with(world.commune, [poor_household(world.commune), poor_household(world.commune)],
                       actor=world.commune_officer, money=10_000_000)
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    deliver_all(batch, world.commune_officer)
    en.force_login(world.commune_officer)

    closed = en.post(reverse("support:batch-close", args=[batch.pk]), follow=True).content.decode()

    assert _texts(closed, "batch-state") == ["Closed"]
    assert _texts(closed, "closed-total") == ["2 recipients received 1.000.000 ₫."]
    assert reverse("donations:fund-detail", args=[batch.fund_id]) in closed
    assert fund_balance(batch.fund) == 9_000_000


# -- deliveries --------------------------------------------------------------------------------------------


def _confirmed(world, *households):
    batch = batch_with(world.commune, households, actor=world.commune_officer)
    return services.batch_confirm(actor=world.commune_officer, batch=batch)


def _deliveries(batch, commune, hamlet="Ấp Phước Hậu"):
    return reverse("support:batch-deliveries", args=[batch.pk]), {"commune": commune.pk, "hamlet": hamlet}


def test_the_deliveries_page_shows_a_card_per_line_of_the_hamlet_with_its_progress(en, world):
    batch = _confirmed(world, poor_household(world.commune, head_name="Lê Văn Một"),
                       poor_household(world.commune, head_name="Lê Văn Hai"),
                       poor_household(world.commune, hamlet="Ấp Khác", head_name="Lê Văn Ba"))
    en.force_login(world.commune_officer)
    url, query = _deliveries(batch, world.commune)

    body = en.get(url, query).content.decode()

    assert _texts(body, "card-name") == ["Lê Văn Hai", "Lê Văn Một"]
    assert _texts(body, "progress-text") == ["0 of 2 delivered"]
    choice = en.get(url).content.decode()
    assert "Ấp Khác" in choice and "0 of 1 delivered" in choice


def test_a_tap_with_htmx_records_the_delivery_and_swaps_the_card_and_the_progress(en, world):
    batch = _confirmed(world, poor_household(world.commune), poor_household(world.commune))
    line = batch.recipients.first()
    en.force_login(world.commune_officer)

    response = en.post(reverse("support:delivery-record", args=[line.pk]),
                       {"delivery": "delivered", "delivered_on": "10/02/2026"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert _texts(body, "card-state") == ["✓ Delivered · 10/02/2026"]
    assert 'hx-swap-oob="true"' in body and _texts(body, "progress-text") == ["1 of 2 delivered"]
    line.refresh_from_db()
    assert (line.delivery, line.delivered_on.isoformat(), line.delivery_recorded_by) == (
        Delivery.DELIVERED, "2026-02-10", world.commune_officer)


def test_a_tap_without_javascript_records_and_comes_back_to_the_card(en, world):
    batch = _confirmed(world, poor_household(world.commune))
    line = batch.recipients.get()
    en.force_login(world.commune_officer)

    response = en.post(reverse("support:delivery-record", args=[line.pk]), {"delivery": "not_found"})

    assert response.status_code == 302 and response["Location"].endswith(f"#line-{line.pk}")
    line.refresh_from_db()
    assert line.delivery == Delivery.NOT_FOUND and line.delivered_on is None
    said = [str(message) for message in en.get(response["Location"]).context["messages"]]
    assert said == [f"{line.household.head_name}: not found."]


@pytest.mark.parametrize(("data", "message"), [
    ({"delivery": "representative", "delivered_on": "10/02/2026"}, "Enter the name of the person who received it."),
    ({"delivery": "delivered", "delivered_on": "31/12/2099"}, "The day of delivery cannot be in the future."),
    ({"delivery": "pending"}, "Choose what happened."),
])
def test_a_bad_tap_says_why_on_the_card_and_changes_nothing(en, world, data, message):
    batch = _confirmed(world, poor_household(world.commune))
    line = batch.recipients.get()
    en.force_login(world.commune_officer)

    body = en.post(reverse("support:delivery-record", args=[line.pk]), data, HTTP_HX_REQUEST="true").content.decode()

    assert _texts(body, "card-error") == [message]
    line.refresh_from_db()
    assert line.delivery == Delivery.PENDING and line.delivery_recorded_by is None


def test_a_commune_officer_sees_and_records_only_their_communes_lines_of_the_districts_batch(en, world):
    own = poor_household(world.commune, head_name="Người Trong Xã")
    other = poor_household(world.sibling_commune, head_name="Người Xã Bên")
    batch = batch_with(world.district, [own, other], actor=world.district_member)
    services.batch_confirm(actor=world.district_member, batch=batch)
    en.force_login(world.commune_officer)

    detail = en.get(reverse("support:batch-detail", args=[batch.pk])).content.decode()
    url, query = _deliveries(batch, world.sibling_commune)
    theirs = en.get(url, query).content.decode()
    other_line = batch.recipients.get(household=other)
    tap = en.post(reverse("support:delivery-record", args=[other_line.pk]), {"delivery": "refused"})

    assert _texts(detail, "figure-lines") == ["1"]
    assert "Người Trong Xã" in detail and "Người Xã Bên" not in detail
    assert [row.split(" ·")[1].strip() for row in _texts(detail, "hamlet-row")] == [world.commune.name]
    assert _texts(theirs, "card-name") == [] and _texts(theirs, "progress-text") == ["0 of 0 delivered"]
    assert tap.status_code == 404
    other_line.refresh_from_db()
    assert other_line.delivery == Delivery.PENDING


def test_a_closed_batchs_deliveries_page_offers_no_buttons(en, world):
    batch = _confirmed(world, poor_household(world.commune))
    deliver_all(batch, world.commune_officer, day=timezone.localdate())
    services.batch_close(actor=world.commune_officer, batch=batch)
    en.force_login(world.commune_officer)
    url, query = _deliveries(batch, world.commune)

    body = en.get(url, query).content.decode()

    assert "delivery-form" not in body and "The batch is closed" in body


# -- history, scope and query ceilings --------------------------------------------------------------------


def test_the_history_shows_the_batch_drawn_up_and_confirmed(en, world):
    batch = _confirmed(world, poor_household(world.commune))

    body = _get(en, world.commune_officer, "support:batch-history", batch.pk)

    assert "state: Draft → Confirmed" in " ".join(_texts(body, "history"))


def test_an_outsider_gets_404_on_every_page_of_a_batch(en, world):
    batch = _confirmed(world, poor_household(world.commune))
    line = batch.recipients.get()
    pages = ("support:batch-detail", "support:batch-deliveries", "support:batch-history")
    en.force_login(world.commune_officer)  # the pages exist, for the batch's own commune
    assert all(en.get(reverse(name, args=[batch.pk])).status_code == 200 for name in pages)
    en.force_login(manager_of(world.sibling_commune))

    for name in (*pages, "support:batch-choose"):
        assert en.get(reverse(name, args=[batch.pk])).status_code == 404, name
    assert en.post(reverse("support:delivery-record", args=[line.pk]), {"delivery": "refused"}).status_code == 404
    assert en.post(reverse("support:batch-close", args=[batch.pk])).status_code == 404
    line.refresh_from_db()
    batch.refresh_from_db()
    assert (line.delivery, batch.state) == ("pending", "confirmed")


def _lines(world, count):
    return [poor_household(world.commune, hamlet="Ấp 1") for _ in range(count)]


@pytest.mark.parametrize("state", ["draft", "confirmed"])
def test_the_batch_page_reads_as_many_queries_for_30_lines_as_for_3(en, world, state):
    few = batch_with(world.commune, _lines(world, 3), actor=world.commune_officer)
    many = batch_with(world.commune, _lines(world, 30), actor=world.commune_officer, occasion="Quà Tết khác")
    if state == "confirmed":
        for batch in (few, many):
            services.batch_confirm(actor=world.commune_officer, batch=batch)
    en.force_login(world.commune_officer)

    assert _queries(en, reverse("support:batch-detail", args=[few.pk])) == \
        _queries(en, reverse("support:batch-detail", args=[many.pk]))


def test_the_deliveries_page_reads_as_many_queries_for_30_lines_as_for_3(en, world):
    few = _confirmed(world, *_lines(world, 3))
    many = batch_with(world.commune, _lines(world, 30), actor=world.commune_officer, occasion="Quà Tết khác")
    services.batch_confirm(actor=world.commune_officer, batch=many)
    en.force_login(world.commune_officer)

    counts = [_queries(en, reverse("support:batch-deliveries", args=[batch.pk]) + f"?commune={world.commune.pk}"
                       "&hamlet=%E1%BA%A4p%201") for batch in (few, many)]

    assert counts[0] == counts[1]


def test_the_batch_page_warns_its_keeper_when_the_fund_holds_less_than_the_batch_is_worth(client, world):
    commune = world.commune
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune) for _ in range(3)], actor=officer, money=1_000_000,
                       value=400_000)
    services.batch_confirm(actor=officer, batch=batch)
    client.force_login(officer)
    client.cookies.load({"django_language": "en"})

    body = client.get(reverse("support:batch-detail", args=[batch.pk])).content.decode()

    warning = body.split('data-testid="fund-holds"', 1)[1].split("</p>", 1)[0]
    assert "The fund holds 1.000.000 ₫ for this batch's earmark." in warning
    assert "closing it will be refused" in warning


def test_a_pupils_school_grade_and_year_are_recorded_on_their_line_and_shown_on_the_batch(client, world):
    from .support_factories import pupil_of

    officer = manager_of(world.commune)
    household = poor_household(world.commune)
    pupil_of(household, full_name="Lê Thị Học")
    batch = batch_with(world.commune, [household], actor=officer, code="scholarship", occasion="Học bổng 2025-2026")
    line = batch.recipients.get()
    client.force_login(officer)
    address = reverse("support:recipient-details", args=[line.pk])
    form = client.get(address).content.decode()
    assert 'name="school"' in form and 'name="card_number"' not in form and "Lê Thị Học" in form

    answer = client.post(address, {"school": "Trường Tiểu học Phước Mỹ Trung", "grade": "3",
                                   "school_year": "2025-2026"})

    assert answer.status_code == 302
    line.refresh_from_db()
    assert (line.school, line.grade, line.school_year) == ("Trường Tiểu học Phước Mỹ Trung", "3", "2025-2026")
    page = client.get(reverse("support:batch-detail", args=[batch.pk])).content.decode()
    assert "Trường Tiểu học Phước Mỹ Trung" in page.split('data-testid="line-details"', 1)[1].split("</div>", 1)[0]


def test_a_tet_gift_records_no_details(client, world):
    officer = manager_of(world.commune)
    batch = batch_with(world.commune, [poor_household(world.commune)], actor=officer)
    client.force_login(officer)

    assert client.get(reverse("support:recipient-details", args=[batch.recipients.get().pk])).status_code == 404


def test_a_pupil_is_added_by_hand_by_name_and_a_name_not_among_the_households_pupils_is_refused(client, world):
    from .support_factories import pupil_of

    officer = manager_of(world.commune)
    household = poor_household(world.commune)
    pupil_of(household, full_name="Lê Văn Một")
    second = pupil_of(household, full_name="Lê Thị Hai")
    batch = funded_batch(world.commune, actor=officer, code="scholarship", occasion="Học bổng 2025-2026")
    client.force_login(officer)
    client.cookies.load({"django_language": "en"})
    address = reverse("support:recipient-add", args=[batch.pk])

    refused = client.post(address, {"household": household.code, "reason": "Học giỏi", "pupil": "Lê Văn Ba"})
    added = client.post(address, {"household": household.code, "reason": "Học giỏi", "pupil": "le thi hai"})

    assert refused.status_code == 400
    assert "No pupil of this household is named “Lê Văn Ba”." in refused.content.decode()
    assert added.status_code == 302
    assert list(batch.recipients.values_list("pupil_id", flat=True)) == [second.pk]

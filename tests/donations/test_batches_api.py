"""The API of support batches (/api/v1/donations/support-kinds/, batches/, recipients/): the pages'
services, FilterSets and scope, as JSON. A refused write answers 400 (with the service's message),
403 or 404 and writes nothing. Scope on every route for every role is also walked by
tests/test_scope.py."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from donations.api.support_batches import HouseholdFiltersSerializer
from donations.models import Posting, PostingLine
from donations.permissions import NOT_BATCH_KEEPER
from donations.selectors import fund_balance
from donations.support import services
from donations.support.models import Batch, Recipient
from households.filters import HouseholdFilterSet
from households.models import Household

from ..factories import CommuneFactory
from .factories import DonorFactory, fund_of, manager_of, receipt_into
from .support_factories import (
    HANDED_OVER,
    TET,
    batch_with,
    confirmed_batch,
    deliver_all,
    funded_batch,
    kind,
    poor_household,
)

pytestmark = pytest.mark.django_db

DAY = HANDED_OVER.isoformat()


@pytest.fixture
def api():
    """A client signed in as ``user``, reading the answers in English (the msgids)."""

    def signed_in(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


def _url(name, *args):
    return reverse(f"api:donations-{name}", args=args)


def _new_batch(from_fund, **fields) -> dict:
    return {"kind": kind().pk, "occasion": TET, "happened_on": DAY, "fund": from_fund.pk, "value": 500_000,
            **fields}


def _rows() -> tuple[int, int, int, int]:
    return Batch.objects.count(), Recipient.objects.count(), Posting.objects.count(), PostingLine.objects.count()


# -- the whole flow --------------------------------------------------------------------------------


def test_a_commune_draws_up_flags_confirms_hands_out_and_closes_a_tet_batch(api, world):
    commune, officer = world.commune, world.commune_officer
    poor = [poor_household(commune, head_name=f"Nguyễn Văn Nghèo {n}") for n in range(3)]
    poor_household(commune, category="near_poor")
    district_batch = batch_with(world.district, [poor[0]])  # the district's Tet gift reached one of them
    fund = fund_of(commune)
    receipt_into(fund, actor=officer, amount=10_000_000)
    client = api(officer)

    made = client.post(_url("batch-list"), _new_batch(fund), format="json")
    assert made.status_code == 201, made.content
    batch = made.json()
    assert (batch["state"], batch["unit"]["id"], batch["fund"]["id"], batch["figures"]["lines"]) == (
        "draft", commune.pk, fund.pk, 0)

    added = client.post(_url("batch-recipients-by-filter", batch["id"]), {"category": "poor", "year": 2026},
                        format="json")
    assert added.status_code == 200, added.content
    assert added.json() == {"added": 3}
    assert client.get(_url("batch-detail", batch["id"])).json()["flagged"] == 1

    flags = client.get(_url("batch-flags", batch["id"])).json()
    assert flags["count"] == 1
    (flag,) = flags["results"]
    assert flag["household"]["id"] == poor[0].pk
    assert flag["helped_elsewhere"] == [{"unit_name": world.district.name, "batch": district_batch.pk,
                                         "occasion": TET, "happened_on": DAY}]

    refused = client.post(_url("batch-confirm", batch["id"]), {}, format="json")
    assert refused.status_code == 400
    assert "1 recipient was already helped for this occasion" in refused.json()["duplicate_reason"][0]
    assert Batch.objects.get(pk=batch["id"]).state == "draft"
    confirmed = client.post(_url("batch-confirm", batch["id"]), {"duplicate_reason": "Hộ neo đơn"}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert (confirmed.json()["state"], confirmed.json()["duplicates_at_confirmation"]) == ("confirmed", 1)

    lines = client.get(_url("recipient-list"), {"batch": batch["id"]}).json()["results"]
    assert sorted(line["household"]["id"] for line in lines) == sorted(h.pk for h in poor)
    delivered, absent, represented = sorted(lines, key=lambda line: line["id"])
    for line, body in ((delivered, {"delivery": "delivered", "delivered_on": DAY}),
                       (absent, {"delivery": "not_found"}),
                       (represented, {"delivery": "representative", "delivered_on": DAY,
                                      "representative": "Nguyễn Thị Con"})):
        answer = client.post(_url("recipient-delivery", line["id"]), body, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.json()["delivery"] == body["delivery"]

    closed = client.post(_url("batch-close", batch["id"]), format="json")

    assert closed.status_code == 200, closed.content
    shown = closed.json()
    assert shown["state"] == "closed" and shown["posting"] is not None
    assert (shown["figures"]["delivered"], shown["figures"]["delivered_value"], shown["figures"]["not_found"]) == (
        2, 1_000_000, 1)
    assert fund_balance(fund) == 10_000_000 - 2 * 500_000  # the line not found is not paid
    paid = PostingLine.objects.filter(posting_id=shown["posting"], party="fund")
    assert sorted(paid.values_list("household_id", flat=True)) == sorted(
        [delivered["household"]["id"], represented["household"]["id"]])


def test_a_batch_the_viewer_does_not_see_is_named_only_by_its_unit(api, world):
    """A family helped by its old commune moved before Tet: the new commune learns which commune
    helped it, not that commune's batch."""
    old, new = world.sibling_commune, world.commune
    household = poor_household(old)
    batch_with(old, [household])
    Household.objects.filter(pk=household.pk).update(commune=new)
    batch = batch_with(new, [household], actor=world.commune_officer)

    (flag,) = api(world.commune_officer).get(_url("batch-flags", batch.pk)).json()["results"]

    assert flag["helped_elsewhere"] == [{"unit_name": old.name, "batch": None, "occasion": "", "happened_on": None}]


def test_a_commune_officer_sees_and_counts_only_their_communes_lines_of_the_district_batch(api, world):
    ours = [poor_household(world.commune) for _ in range(2)]
    theirs = poor_household(world.sibling_commune, head_name="Trần Thị Xã Bên")
    batch = batch_with(world.district, [*ours, theirs], actor=world.district_member)
    client = api(world.commune_officer)

    listed = client.get(_url("recipient-list"), {"batch": batch.pk}).json()
    detail = client.get(_url("batch-detail", batch.pk)).json()
    (row,) = [row for row in client.get(_url("batch-list")).json()["results"] if row["id"] == batch.pk]

    assert listed["count"] == 2
    assert {line["household"]["id"] for line in listed["results"]} == {h.pk for h in ours}
    assert "Trần Thị Xã Bên" not in str(listed)
    assert (detail["figures"]["lines"], detail["figures"]["value"], row["recipients"]) == (2, 1_000_000, 2)
    assert detail["fund"] is None and detail["can_manage"] is False  # the district's fund is not the commune's
    other_line = batch.recipients.get(household=theirs)
    assert client.get(_url("recipient-detail", other_line.pk)).status_code == 404


def test_a_commune_records_deliveries_of_the_district_batch_but_only_the_district_closes_it(api, world, english):
    household = poor_household(world.commune)
    batch = batch_with(world.district, [household], actor=world.district_member)
    services.batch_confirm(actor=world.district_member, batch=batch)
    line = batch.recipients.get()
    client = api(world.commune_officer)

    recorded = client.post(_url("recipient-delivery", line.pk), {"delivery": "delivered", "delivered_on": DAY},
                           format="json")
    refused = client.post(_url("batch-close", batch.pk), format="json")

    assert recorded.status_code == 200
    assert refused.status_code == 403
    assert refused.json()["detail"] == str(NOT_BATCH_KEEPER)
    assert Batch.objects.get(pk=batch.pk).state == "confirmed"


# -- kinds, drafts and lines by hand -----------------------------------------------------------------


def test_a_unit_adds_its_own_kind_of_support_seen_by_it_and_not_by_its_neighbour(api, world):
    client = api(world.commune_officer)
    body = {"name_vi": "Hỗ trợ người cao tuổi neo đơn", "name_en": "Support for lonely elderly people",
            "purpose": "other", "recipients": "household"}

    made = client.post(_url("support-kind-list"), body, format="json")
    again = client.post(_url("support-kind-list"), body, format="json")

    assert made.status_code == 201, made.content
    assert (made.json()["code"], made.json()["unit"]["id"]) == ("support-for-lonely-elderly-people", world.commune.pk)
    assert again.status_code == 400
    assert again.json()["name_en"] == ["A kind of support of this name already exists."]
    codes = {row["code"] for row in client.get(_url("support-kind-list")).json()["results"]}
    assert {"tet_gifts", "scholarship", "support-for-lonely-elderly-people"} <= codes
    neighbour = api(manager_of(world.sibling_commune)).get(_url("support-kind-list")).json()["results"]
    assert "support-for-lonely-elderly-people" not in {row["code"] for row in neighbour}


def test_a_draft_is_changed_and_thrown_away_but_a_confirmed_batch_is_not(api, world):
    households = [poor_household(world.commune) for _ in range(2)]
    batch = batch_with(world.commune, households, actor=world.commune_officer)
    client = api(world.commune_officer)

    changed = client.patch(_url("batch-detail", batch.pk), {"value": 600_000}, format="json")

    assert changed.status_code == 200, changed.content
    assert (changed.json()["value"], changed.json()["figures"]["value"]) == (600_000, 1_200_000)
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    refused = client.patch(_url("batch-detail", batch.pk), {"value": 700_000}, format="json")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"] == ["This batch is confirmed: it can no longer be changed this way."]
    assert client.delete(_url("batch-detail", batch.pk)).status_code == 400
    draft = funded_batch(world.commune, actor=world.commune_officer, money=0, occasion="Quà Trung thu 2026")
    assert client.delete(_url("batch-detail", draft.pk)).status_code == 204
    assert not Batch.objects.filter(pk=draft.pk).exists()


def test_a_household_is_added_by_hand_with_a_reason_and_taken_out_with_one(api, world):
    household = poor_household(world.commune, category="near_poor")
    batch = funded_batch(world.commune, actor=world.commune_officer)
    client = api(world.commune_officer)

    refused = client.post(_url("recipient-list"), {"batch": batch.pk, "household": household.pk, "reason": " "},
                          format="json")
    assert refused.status_code == 400
    assert refused.json()["reason"] == ["Say why this household is added by hand."]
    assert not Recipient.objects.exists()

    added = client.post(_url("recipient-list"), {"batch": batch.pk, "household": household.pk,
                                                 "reason": "Ốm nặng, mất sức lao động"}, format="json")
    assert added.status_code == 201, added.content
    line = added.json()
    assert (line["household"]["id"], line["added_reason"], line["value"]) == (
        household.pk, "Ốm nặng, mất sức lao động", 500_000)

    removed = client.post(_url("recipient-remove", line["id"]), {"reason": "Chuyển đi nơi khác"}, format="json")
    assert removed.status_code == 200
    assert (removed.json()["removed"], removed.json()["removed_reason"]) == (True, "Chuyển đi nơi khác")
    assert client.get(_url("batch-detail", batch.pk)).json()["figures"]["lines"] == 0


# -- bad input: a message, and nothing written --------------------------------------------------------


def test_bad_batches_are_refused_with_a_message_and_nothing_is_written(api, world):
    fund = fund_of(world.commune)
    client = api(world.commune_officer)
    before = _rows()

    neither = client.post(_url("batch-list"), _new_batch(fund, fund=None), format="json")
    both = client.post(_url("batch-list"), _new_batch(fund, donor=DonorFactory(unit=world.commune).pk), format="json")
    quoted = client.post(_url("batch-list"), _new_batch(fund, value="500000"), format="json")
    others_fund = client.post(_url("batch-list"), _new_batch(fund_of(world.district)), format="json")

    message = "Choose the fund the batch draws on, or the donor who gives directly."
    assert (neither.status_code, neither.json()["non_field_errors"]) == (400, [message])
    assert (both.status_code, both.json()["non_field_errors"]) == (400, [message])
    assert quoted.status_code == 400 and "whole number of đồng" in quoted.json()["value"][0]
    assert others_fund.status_code == 400 and "fund" in others_fund.json()  # the district's: not the commune's
    assert _rows() == before


def test_bad_filters_and_deliveries_are_refused_with_a_message_and_nothing_is_written(api, world):
    poor_household(world.commune)
    batch = funded_batch(world.commune, actor=world.commune_officer)
    client = api(world.commune_officer)
    by_filter = _url("batch-recipients-by-filter", batch.pk)

    assert client.post(by_filter, {"category": "rich"}, format="json").json() == {
        "category": ['"rich" is not a valid choice.']}
    assert "year" in client.post(by_filter, {"category": "poor", "year": 1990}, format="json").json()
    assert client.post(by_filter, {"unit": world.sibling_commune.pk}, format="json").status_code == 400
    assert client.post(by_filter, ["poor"], format="json").status_code == 400
    assert not Recipient.objects.exists()

    client.post(by_filter, {"category": "poor", "year": 2026}, format="json")
    line = Recipient.objects.get()
    early = client.post(_url("recipient-delivery", line.pk), {"delivery": "delivered", "delivered_on": DAY},
                        format="json")
    assert early.status_code == 400
    assert early.json()["non_field_errors"] == [
        "Deliveries are recorded once the batch is confirmed and until it is closed."]
    services.batch_confirm(actor=world.commune_officer, batch=batch)
    undated = client.post(_url("recipient-delivery", line.pk), {"delivery": "delivered"}, format="json")
    unnamed = client.post(_url("recipient-delivery", line.pk), {"delivery": "representative", "delivered_on": DAY},
                          format="json")
    pending = client.post(_url("recipient-delivery", line.pk), {"delivery": "pending"}, format="json")
    assert undated.json() == {"delivered_on": ["Enter the day it was handed over."]}
    assert unnamed.json() == {"representative": ["Enter the name of the person who received it."]}
    assert pending.status_code == 400 and "delivery" in pending.json()
    line.refresh_from_db()
    assert (line.delivery, line.delivered_on, line.delivery_recorded_by) == ("pending", None, None)


def test_a_batch_larger_than_its_fund_is_refused_whole_through_the_api(api, world):
    officer = world.commune_officer
    batch = batch_with(world.commune, [poor_household(world.commune) for _ in range(3)], actor=officer,
                       money=1_000_000, value=400_000)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    before = _rows()

    refused = api(officer).post(_url("batch-close", batch.pk), format="json")

    assert refused.status_code == 400
    assert "it cannot pay out 1.200.000 ₫" in refused.json()["amount"][0]  # the ledger's own refusal
    assert _rows() == before
    assert Batch.objects.get(pk=batch.pk).state == "confirmed"
    assert fund_balance(fund_of(world.commune)) == 1_000_000


def test_an_outsider_gets_404_and_changes_nothing(api, world):
    batch = batch_with(world.sibling_commune, [poor_household(world.sibling_commune)])
    line = batch.recipients.get()
    client = api(world.commune_officer)

    for url, method in ((_url("batch-detail", batch.pk), "get"), (_url("batch-flags", batch.pk), "get"),
                        (_url("batch-confirm", batch.pk), "post"), (_url("batch-detail", batch.pk), "delete"),
                        (_url("recipient-remove", line.pk), "post")):
        assert getattr(client, method)(url, {"reason": "x"}, format="json").status_code == 404, url
    added = client.post(_url("recipient-list"), {"batch": batch.pk, "household": line.household_id,
                                                 "reason": "Ốm nặng"}, format="json")
    assert added.status_code == 400 and set(added.json()) == {"batch", "household"}
    assert Batch.objects.get(pk=batch.pk).state == "draft" and not Recipient.objects.filter(removed=True).exists()


def test_the_body_of_recipients_by_filter_names_the_household_filters():
    assert set(HouseholdFiltersSerializer().fields) == set(HouseholdFilterSet.base_filters)


# -- query counts ---------------------------------------------------------------------------------


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code < 400, response.content
    return len(queries)


def test_adding_by_filter_costs_the_same_for_3_and_30_households(api):
    counts = []
    for size in (3, 30):
        commune = CommuneFactory()
        officer = manager_of(commune)
        for _ in range(size):
            poor_household(commune)
        batch = funded_batch(commune, actor=officer)
        client = api(officer)
        counts.append(_queries(lambda client=client, batch=batch: client.post(
            _url("batch-recipients-by-filter", batch.pk), {"category": "poor", "year": 2026}, format="json")))
        assert batch.recipients.count() == size
    assert counts[0] == counts[1]
    assert counts[1] <= 9


def test_the_lists_read_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    officer = world.commune_officer
    client = api(officer)
    first = [poor_household(world.commune) for _ in range(3)]
    batch = batch_with(world.commune, first, actor=officer)
    district_tet = batch_with(world.district, first, actor=world.district_member)  # every line flagged
    few = [_queries(lambda: client.get(_url("batch-list"))), _queries(lambda: client.get(_url("recipient-list"))),
           _queries(lambda: client.get(_url("batch-detail", batch.pk))),
           _queries(lambda: client.get(_url("batch-flags", batch.pk)))]
    for n in range(12):
        batch_with(world.commune, [poor_household(world.commune) for _ in range(3)], actor=officer,
                   occasion=f"Quà Tết {n}")
        batch_with(world.district, [poor_household(world.commune)], occasion=f"Quà Tết {n}")
    more = Household.objects.filter(pk__in=[poor_household(world.commune).pk for _ in range(4)])
    services.batch_add_by_filter(actor=officer, batch=batch, households=more)
    services.batch_add_by_filter(actor=world.district_member, batch=district_tet, households=more)

    with django_assert_max_num_queries(few[0]):
        assert client.get(_url("batch-list")).json()["count"] == 2 + 12 * 2
    with django_assert_max_num_queries(few[1]):
        assert client.get(_url("recipient-list")).json()["count"] == 2 * 7 + 12 * 4
    with django_assert_max_num_queries(few[2]):
        assert client.get(_url("batch-detail", batch.pk)).json()["flagged"] == 7
    with django_assert_max_num_queries(few[3]):
        assert client.get(_url("batch-flags", batch.pk)).json()["count"] == 7
    assert max(few) <= 8


# -- filters --------------------------------------------------------------------------------------


def test_batches_are_filtered_by_occasion_without_diacritics_kind_state_unit_and_year(api, world):
    officer = world.commune_officer
    tet = batch_with(world.commune, [poor_household(world.commune)], actor=officer)
    services.batch_confirm(actor=officer, batch=tet)
    scholarships = funded_batch(world.commune, actor=officer, money=0, code="scholarship",
                                occasion="Học bổng năm học 2025-2026")
    district = funded_batch(world.district, occasion="Quà Tết huyện 2025")
    Batch.objects.filter(pk=district.pk).update(happened_on="2025-01-20")
    client = api(world.district_member)

    def listed(**params) -> set[int]:
        response = client.get(_url("batch-list"), params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert listed() == {tet.pk, scholarships.pk, district.pk}
    assert listed(occasion="qua tet  BINH ngo") == {tet.pk}
    assert listed(kind=kind("scholarship").pk) == {scholarships.pk}
    assert listed(state="confirmed") == {tet.pk}
    assert listed(unit=world.commune.pk) == {tet.pk, scholarships.pk}
    assert listed(year=2025) == {district.pk}
    assert client.get(_url("batch-list"), {"year": 1990}).status_code == 400
    assert client.get(_url("batch-list"), {"unit": world.other_district.pk}).status_code == 400


def test_recipients_are_filtered_by_batch_delivery_and_hamlet(api, world):
    officer = world.commune_officer
    hau, tay = poor_household(world.commune, hamlet="Ấp Phước Hậu"), poor_household(world.commune, hamlet="Ấp Tây")
    batch = confirmed_batch(world.commune, [hau, tay], actor=officer)
    other = batch_with(world.commune, [hau], actor=officer, occasion="Quà Trung thu 2026")
    services.delivery_record(actor=officer, recipient=batch.recipients.get(household=tay), delivery="refused")
    client = api(officer)

    def listed(**params) -> set[tuple[int, int]]:
        rows = client.get(_url("recipient-list"), params).json()["results"]
        return {(row["batch"]["id"], row["household"]["id"]) for row in rows}

    assert listed(batch=batch.pk) == {(batch.pk, hau.pk), (batch.pk, tay.pk)}
    assert listed(delivery="refused") == {(batch.pk, tay.pk)}
    assert listed(hamlet="phước hậu") == {(batch.pk, hau.pk), (other.pk, hau.pk)}
    assert client.get(_url("recipient-list"), {"delivery": "lost"}).status_code == 400


def test_choosing_recipients_without_any_filter_is_refused_as_on_the_page(api, world):
    officer = manager_of(world.commune)
    poor_household(world.commune)
    batch = funded_batch(world.commune, actor=officer)

    answer = api(officer).post(_url("batch-recipients-by-filter", batch.pk), {}, format="json")

    assert answer.status_code == 400
    assert "Choose at least one filter" in answer.content.decode()
    assert not batch.recipients.exists()

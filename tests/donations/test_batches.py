"""Batches of support: recipients by filter and by hand, the duplicate-benefit check, deliveries,
and closing, which posts only the delivered lines to the fund."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from donations.models import PostingLine
from donations.selectors import fund_balance
from donations.support import services
from donations.support.choices import BatchState
from donations.support.selectors import duplicate_count, helped_elsewhere
from households.filters import HouseholdFilterSet
from households.models import Household

from ..factories import CommuneFactory, DistrictFactory
from .factories import fund_of, manager_of
from .support_factories import HANDED_OVER, batch_with, deliver_all, funded_batch, poor_household, pupil_of

pytestmark = pytest.mark.django_db


def _by_filter(actor, batch, **data):
    class Request:
        user = actor

    filterset = HouseholdFilterSet(data=data, queryset=Household.objects.visible_to(actor), request=Request())
    assert filterset.is_valid(), filterset.errors
    return services.batch_add_by_filter(actor=actor, batch=batch, households=filterset.qs,
                                        school_level=data.get("school_level", ""))


def test_recipients_chosen_by_category_are_the_units_poor_households_only():
    commune = CommuneFactory()
    officer = manager_of(commune)
    poor = [poor_household(commune) for _ in range(3)]
    poor_household(commune, category="near_poor")
    poor_household(CommuneFactory())  # another commune's poor household
    batch = funded_batch(commune, actor=officer)

    added = _by_filter(officer, batch, category="poor", year="2026")

    assert added == 3
    assert set(batch.recipients.values_list("household_id", flat=True)) == {h.pk for h in poor}
    assert set(batch.recipients.values_list("value", flat=True)) == {500_000}
    assert _by_filter(officer, batch, category="poor", year="2026") == 0  # nobody twice


def test_a_per_pupil_kind_gives_one_line_per_pupil():
    commune = CommuneFactory()
    officer = manager_of(commune)
    household = poor_household(commune)
    pupils = [pupil_of(household), pupil_of(household, school_level="lower_secondary")]
    batch = funded_batch(commune, actor=officer, code="scholarship", occasion="Học bổng năm học 2025-2026")

    assert _by_filter(officer, batch, category="poor", year="2026", school_level="lower_secondary") == 1
    assert _by_filter(officer, batch, category="poor", year="2026") == 1
    assert set(batch.recipients.values_list("pupil_id", flat=True)) == {p.pk for p in pupils}


def test_a_household_added_by_hand_needs_a_reason_and_a_removed_one_keeps_its_reason():
    commune = CommuneFactory()
    officer = manager_of(commune)
    household = poor_household(commune)
    batch = funded_batch(commune, actor=officer)

    with pytest.raises(ValidationError):
        services.recipient_add(actor=officer, batch=batch, household=household, reason=" ")
    line = services.recipient_add(actor=officer, batch=batch, household=household, reason="Ốm nặng")
    services.recipient_remove(actor=officer, recipient=line, reason="Chuyển đi nơi khác")

    line.refresh_from_db()
    assert (line.removed, line.removed_reason, line.added_reason) == (True, "Chuyển đi nơi khác", "Ốm nặng")
    with pytest.raises(ValidationError):
        services.batch_confirm(actor=officer, batch=batch)  # nobody left to help


def test_a_household_helped_by_the_district_for_the_same_occasion_is_flagged_showing_only_the_unit():
    district = DistrictFactory()
    commune = CommuneFactory(district=district, province=district.province)
    household = poor_household(commune)
    district_batch = batch_with(district, [household])
    commune_officer = manager_of(commune)
    batch = batch_with(commune, [household], actor=commune_officer, occasion="quà tết bính ngọ  2026")
    line = batch.recipients.get()

    assert duplicate_count(batch) == 1
    where = helped_elsewhere(batch, [line], commune_officer)[line.pk]
    assert [(w.unit_name, w.batch_id) for w in where] == [(district.name, district_batch.pk)]

    with pytest.raises(ValidationError) as refused:
        services.batch_confirm(actor=commune_officer, batch=batch)
    assert "duplicate_reason" in refused.value.message_dict
    confirmed = services.batch_confirm(actor=commune_officer, batch=batch, duplicate_reason="Hộ neo đơn")
    assert (confirmed.state, confirmed.duplicates_at_confirmation) == (BatchState.CONFIRMED, 1)


def test_closing_posts_only_the_delivered_lines_to_the_fund():
    commune = CommuneFactory()
    officer = manager_of(commune)
    households = [poor_household(commune) for _ in range(3)]
    batch = batch_with(commune, households, actor=officer, money=10_000_000, value=400_000)
    services.batch_confirm(actor=officer, batch=batch)
    delivered, absent, representative = batch.recipients.order_by("pk")
    services.delivery_record(actor=officer, recipient=delivered, delivery="delivered", delivered_on=HANDED_OVER)
    services.delivery_record(actor=officer, recipient=absent, delivery="not_found")
    with pytest.raises(ValidationError):
        services.batch_close(actor=officer, batch=batch)  # one line still pending
    services.delivery_record(actor=officer, recipient=representative, delivery="representative",
                             delivered_on=HANDED_OVER, representative="Nguyễn Thị Con")

    closed = services.batch_close(actor=officer, batch=batch)

    assert closed.state == BatchState.CLOSED
    assert fund_balance(fund_of(commune)) == 10_000_000 - 800_000
    paid = PostingLine.objects.filter(posting=closed.posting, party="fund")
    assert sorted(paid.values_list("household_id", flat=True)) == sorted([delivered.household_id,
                                                                          representative.household_id])
    assert set(paid.values_list("purpose", flat=True)) == {"tet_gifts"}
    delivered.refresh_from_db()
    assert delivered.line.posting_id == closed.posting_id


def test_a_batch_larger_than_its_fund_is_refused_whole():
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune) for _ in range(3)], actor=officer, money=1_000_000,
                       value=400_000)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)

    with pytest.raises(ValidationError):
        services.batch_close(actor=officer, batch=batch)

    batch.refresh_from_db()
    assert batch.state == BatchState.CONFIRMED and batch.posting is None
    assert fund_balance(fund_of(commune)) == 1_000_000
    assert not batch.recipients.filter(line__isnull=False).exists()


def test_a_batch_out_of_the_viewers_scope_is_named_only_by_its_unit():
    """A family helped by its old commune moved to another before Tet: the new commune's officer
    learns which commune helped it, not that commune's batch."""
    district = DistrictFactory()
    old, new = (CommuneFactory(district=district, province=district.province) for _ in range(2))
    household = poor_household(old)
    batch_with(old, [household])
    Household.objects.filter(pk=household.pk).update(commune=new)
    officer = manager_of(new)
    batch = batch_with(new, [household], actor=officer)
    line = batch.recipients.get()

    (where,) = helped_elsewhere(batch, [line], officer)[line.pk]

    assert (where.unit_name, where.batch_id, where.occasion, where.happened_on) == (old.name, None, "", None)


def test_only_the_batchs_unit_closes_it_and_a_commune_records_its_own_deliveries_of_a_district_batch():
    district = DistrictFactory()
    commune, other = (CommuneFactory(district=district, province=district.province) for _ in range(2))
    ours, theirs = poor_household(commune), poor_household(other)
    district_officer = manager_of(district)
    batch = batch_with(district, [ours, theirs], actor=district_officer)
    services.batch_confirm(actor=district_officer, batch=batch)
    commune_officer = manager_of(commune)

    services.delivery_record(actor=commune_officer, recipient=batch.recipients.get(household=ours),
                             delivery="delivered", delivered_on=HANDED_OVER)
    with pytest.raises(batch.recipients.model.DoesNotExist):
        services.delivery_record(actor=commune_officer, recipient=batch.recipients.get(household=theirs),
                                 delivery="delivered", delivered_on=HANDED_OVER)
    with pytest.raises(PermissionDenied):
        services.batch_close(actor=commune_officer, batch=batch)

"""The rules of a batch beyond its happy path: what a draft refuses, deliveries' inputs, a donor's
direct gift, a member organisation's batch in the duplicate check, two officers closing at once,
and the cost of closing a big batch."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from donations.models import Posting, PostingLine
from donations.selectors import fund_balance
from donations.support import services
from donations.support.choices import BatchState
from donations.support.models import Batch, Organisation
from donations.support.selectors import duplicate_count

from ..factories import CommuneFactory, DistrictFactory
from .factories import DonorFactory, fund_of, manager_of
from .support_factories import HANDED_OVER, TET, batch_with, deliver_all, funded_batch, kind, poor_household

pytestmark = pytest.mark.django_db


def test_a_batch_draws_on_a_fund_of_its_own_unit_or_a_donor_never_both():
    district = DistrictFactory()
    commune = CommuneFactory(district=district, province=district.province)
    officer = manager_of(commune)
    values = {"kind": kind(), "occasion": TET, "happened_on": HANDED_OVER, "value": 300_000}

    with pytest.raises(ValidationError) as districts_fund:
        services.batch_create(actor=officer, fund=fund_of(district), **values)
    with pytest.raises(ValidationError):
        services.batch_create(actor=officer, fund=fund_of(commune), donor=DonorFactory(unit=commune), **values)
    with pytest.raises(ValidationError):
        services.batch_create(actor=officer, **values)  # neither
    with pytest.raises(ValidationError) as undescribed:
        services.batch_create(actor=officer, fund=fund_of(commune), in_kind=True, **values)
    with pytest.raises(ValidationError):
        services.batch_create(actor=officer, fund=fund_of(commune), **{**values, "value": 0})

    assert "fund" in districts_fund.value.message_dict
    assert "goods" in str(undescribed.value) or "__all__" in undescribed.value.message_dict
    assert not Batch.objects.exists()


@pytest.mark.parametrize(("delivery", "fields", "field"), [
    ("delivered", {}, "delivered_on"),
    ("representative", {"delivered_on": HANDED_OVER}, "representative"),
    ("pending", {}, "delivery"),
    ("delivered", {"delivered_on": datetime.date(2099, 1, 1)}, "delivered_on"),
])
def test_a_delivery_without_what_it_needs_is_refused_and_nothing_changes(delivery, fields, field):
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune)], actor=officer)
    services.batch_confirm(actor=officer, batch=batch)
    line = batch.recipients.get()

    with pytest.raises(ValidationError) as refused:
        services.delivery_record(actor=officer, recipient=line, delivery=delivery, **fields)

    assert field in refused.value.message_dict
    line.refresh_from_db()
    assert (line.delivery, line.delivered_on, line.delivery_recorded_by) == ("pending", None, None)


def test_deliveries_are_refused_on_a_draft_and_a_closed_batch():
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune)], actor=officer)
    line = batch.recipients.get()
    with pytest.raises(ValidationError):
        services.delivery_record(actor=officer, recipient=line, delivery="delivered", delivered_on=HANDED_OVER)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    services.batch_close(actor=officer, batch=batch)
    with pytest.raises(ValidationError):
        services.delivery_record(actor=officer, recipient=line, delivery="refused")


def test_a_donors_direct_gift_posts_nothing_to_any_fund():
    commune = CommuneFactory()
    officer = manager_of(commune)
    donor = DonorFactory(unit=commune, created_by=officer)
    batch = services.batch_create(actor=officer, kind=kind(), occasion=TET, happened_on=HANDED_OVER, donor=donor,
                                  value=1_000_000, in_kind=True, goods="10 kg gạo, 1 thùng mì")
    services.recipient_add(actor=officer, batch=batch, household=poor_household(commune), reason="Hộ nghèo")
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)

    closed = services.batch_close(actor=officer, batch=batch)

    assert closed.state == BatchState.CLOSED and closed.posting is None
    assert not Posting.objects.filter(kind="disbursement").exists()


def test_a_member_organisations_batch_for_the_same_occasion_flags_the_household():
    commune = CommuneFactory()
    officer = manager_of(commune)
    household = poor_household(commune)
    red_cross = Organisation.objects.create(unit=commune, kind="red_cross", name="Hội Chữ thập đỏ xã",
                                            created_by=officer)
    gift = services.batch_create(actor=officer, kind=kind(), occasion=TET, happened_on=HANDED_OVER,
                                 donor=DonorFactory(unit=commune, created_by=officer), organisation=red_cross,
                                 value=200_000)
    services.recipient_add(actor=officer, batch=gift, household=household, reason="Danh sách của Hội")

    batch = batch_with(commune, [household], actor=officer)

    assert duplicate_count(batch) == 1
    assert duplicate_count(batch_with(commune, [household], actor=officer, occasion="Quà Trung thu 2026")) == 0


@pytest.mark.django_db(transaction=True)
def test_two_officers_closing_a_batch_at_once_post_it_once():
    commune = CommuneFactory()
    officer = manager_of(commune)
    batch = batch_with(commune, [poor_household(commune) for _ in range(5)], actor=officer, money=10_000_000)
    services.batch_confirm(actor=officer, batch=batch)
    deliver_all(batch, officer)
    start, outcomes, errors = threading.Barrier(2), [], []

    def close():
        try:
            start.wait()
            services.batch_close(actor=officer, batch=batch)
            outcomes.append("closed")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and sorted(outcomes) == ["closed", "refused"]
    assert Posting.objects.filter(kind="disbursement").count() == 1
    assert fund_balance(fund_of(commune)) == 10_000_000 - 5 * 500_000
    assert PostingLine.objects.aggregate(total=Sum("amount"))["total"] == 0


@pytest.mark.parametrize("size", [3, 30])
def test_adding_confirming_and_closing_cost_the_same_queries_for_3_or_30_households(size,
                                                                                    django_assert_max_num_queries):
    from households.models import Household

    commune = CommuneFactory()
    officer = manager_of(commune)
    households = [poor_household(commune) for _ in range(size)]
    batch = funded_batch(commune, actor=officer, money=100_000_000)
    chosen = Household.objects.filter(pk__in=[h.pk for h in households])

    with django_assert_max_num_queries(12):
        services.batch_add_by_filter(actor=officer, batch=batch, households=chosen)
    with django_assert_max_num_queries(10):
        services.batch_confirm(actor=officer, batch=batch)
    for line in batch.recipients.all():
        services.delivery_record(actor=officer, recipient=line, delivery="delivered", delivered_on=HANDED_OVER)
    with django_assert_max_num_queries(22):
        services.batch_close(actor=officer, batch=batch)

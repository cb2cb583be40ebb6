"""The fund's lock (donations.services._post) under real concurrency, on PostgreSQL: each thread
is its own connection, so the disbursements race as two clerks' requests would."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import translation

from donations import services
from donations.models import PostingLine
from donations.selectors import fund_balance

from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 11, 5)
THREADS = 50  # connections at once, well under PostgreSQL's default max_connections of 100
ATTEMPTS = 1_000


@pytest.mark.django_db(transaction=True)
def test_a_thousand_concurrent_disbursements_of_one_dong_from_a_hundred_leave_exactly_zero(world):
    fund = FundFactory(unit=world.commune)
    services.receipt_record(actor=world.commune_officer, fund=fund, amount=100, happened_on=DAY,
                            donor=DonorFactory(unit=world.commune))
    start = threading.Barrier(THREADS)
    outcomes = {"paid": 0, "refused": 0}
    errors = []
    tally = threading.Lock()

    def disburse(attempts: int):
        try:
            start.wait()
            for _ in range(attempts):
                try:
                    services.disbursement_record(actor=world.commune_officer, fund=fund, amount=1, happened_on=DAY)
                    outcome = "paid"
                except ValidationError:
                    outcome = "refused"
                with tally:
                    outcomes[outcome] += 1
        except Exception as error:  # anything but the refusal fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=disburse, args=(ATTEMPTS // THREADS,)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes == {"paid": 100, "refused": 900}
    assert fund_balance(fund) == 0
    assert PostingLine.objects.aggregate(total=Sum("amount"))["total"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_officers_reversing_the_same_posting_at_once_get_one_reversal_and_a_clear_refusal(world):
    """The second reversal waits for the first and is refused with a message, not an IntegrityError
    of the one-to-one ``reverses`` (a 500). A payment's reversal puts money back: it takes no fund's
    lock, so only the posting's own lock keeps the two apart."""
    fund = FundFactory(unit=world.commune)
    services.receipt_record(actor=world.commune_officer, fund=fund, amount=100, happened_on=DAY,
                            donor=DonorFactory(unit=world.commune))
    paid = services.disbursement_record(actor=world.commune_officer, fund=fund, amount=60, happened_on=DAY)
    first_reversed, second_started = threading.Event(), threading.Event()
    outcomes = {}

    def reverse(name: str, *, hold: bool):
        try:
            with translation.override("en"), transaction.atomic():
                if not hold:
                    first_reversed.wait(5)
                    second_started.set()
                services.posting_reverse(actor=world.district_member, posting=paid, reason="Ghi trùng",
                                         happened_on=DAY)
                if hold:  # the first keeps its transaction open while the second starts
                    first_reversed.set()
                    second_started.wait(5)
                    time.sleep(0.5)
            outcomes[name] = "reversed"
        except ValidationError as refusal:
            outcomes[name] = " ".join(refusal.messages)
        except Exception as error:  # anything but the refusal fails the test
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reverse, args=("first",), kwargs={"hold": True}),
               threading.Thread(target=reverse, args=("second",), kwargs={"hold": False})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {"first": "reversed", "second": "This posting has already been reversed."}
    assert fund_balance(fund) == 100


@pytest.mark.django_db(transaction=True)
def test_two_receipts_settling_the_same_pledge_at_once_do_not_settle_more_than_it_pledged(world):
    """The second receipt waits for the first (the pledge's row is locked while what it has left is
    read) and is refused: a pledge of 10,000,000 is never settled by 20,000,000."""
    fund = FundFactory(unit=world.commune)
    donor = DonorFactory(unit=world.commune)
    campaign = services.campaign_create(actor=world.commune_officer, kind="month_for_the_poor", name="VNN 2025",
                                        code="VNNPT2025", starts_on=DAY, ends_on=DAY, fund=fund)
    pledge = services.pledge_record(actor=world.commune_officer, campaign=campaign, donor=donor,
                                    amount=10_000_000, pledged_on=DAY)
    first_recorded, second_started = threading.Event(), threading.Event()
    outcomes = {}

    def settle(name: str, *, hold: bool):
        try:
            with translation.override("en"), transaction.atomic():
                if not hold:
                    first_recorded.wait(5)
                    second_started.set()
                services.receipt_record(actor=world.commune_officer, fund=fund, donor=donor, amount=10_000_000,
                                        happened_on=DAY, campaign=campaign, pledge=pledge)
                if hold:  # the first keeps its transaction open while the second starts
                    first_recorded.set()
                    second_started.wait(5)
                    time.sleep(0.5)
            outcomes[name] = "recorded"
        except ValidationError as refusal:
            outcomes[name] = refusal.message_dict.get("pledge")
        except Exception as error:  # anything but the refusal fails the test
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=settle, args=("first",), kwargs={"hold": True}),
               threading.Thread(target=settle, args=("second",), kwargs={"hold": False})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {"first": "recorded",
                        "second": ["The pledge has 0 ₫ left to settle: the receipt is larger."]}
    assert services.pledge_outstanding(pledge) == 0


@pytest.mark.django_db(transaction=True)
def test_two_campaigns_created_at_once_with_one_code_get_one_campaign_and_a_clear_refusal(world):
    """The second officer's campaign is refused on its code, not with an IntegrityError (a 500):
    the check of the code before saving cannot see a campaign not yet committed."""
    fund = FundFactory(unit=world.commune)
    first_created, second_started = threading.Event(), threading.Event()
    outcomes = {}

    def create(name: str, *, hold: bool):
        translation.activate("en")
        try:
            with transaction.atomic():
                if not hold:
                    first_created.wait(5)
                    second_started.set()
                services.campaign_create(actor=world.commune_officer, kind="tet", name=f"Tết 2026 ({name})",
                                         code="TET2026", starts_on=DAY, ends_on=DAY, fund=fund)
                if hold:  # the first keeps its transaction open while the second starts
                    first_created.set()
                    second_started.wait(5)
                    time.sleep(0.5)
            outcomes[name] = "created"
        except ValidationError as refusal:
            outcomes[name] = refusal.message_dict
        except Exception as error:  # anything but the refusal fails the test
            outcomes[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=("first",), kwargs={"hold": True}),
               threading.Thread(target=create, args=("second",), kwargs={"hold": False})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {"first": "created", "second": {"code": ["Campaign with this Code already exists."]}}

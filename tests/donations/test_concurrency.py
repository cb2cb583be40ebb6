"""The fund's lock (donations.services._post) under real concurrency, on PostgreSQL: each thread
is its own connection, so the disbursements race as two clerks' requests would."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

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

"""The bench's bulk ledger (tests/bench_donations.py) is one the services could have written: its
1,000,000 lines are only worth timing if they keep the ledger's rules. Checked here on 2,000
postings, and the services then go on paying from it."""

import datetime
import random

from django.db.models import Count

from donations import services
from donations.choices import Earmark
from donations.models import Posting, PostingLine, Receipt, ReceiptSeries
from donations.selectors import earmark_balances
from tests.bench_donations import _Ledger, check_ledger

from .factories import DonorFactory, FundFactory


def test_the_bulk_ledger_keeps_the_rules_and_the_services_pay_from_it(world):
    officers = {world.province: world.provincial_officer, world.district: world.district_member,
                world.commune: world.commune_officer, world.sibling_commune: world.commune_officer}
    funds = [FundFactory(unit=unit) for unit in officers]
    commune_fund = funds[2]
    # A receipt through the service first: the bulk receipts of its fund and year are numbered after it.
    services.receipt_record(actor=world.commune_officer, fund=commune_fund, amount=1_000_000,
                            happened_on=datetime.date(2025, 1, 2), donor=DonorFactory(unit=world.commune))
    donors = {unit.pk: [DonorFactory(unit=unit).pk for _ in range(3)] for unit in officers}
    ledger = _Ledger(funds, donors, {unit.pk: user.pk for unit, user in officers.items()}, random.Random(7),
                     postings=2_000)

    ledger.generate()
    ledger.write()

    check_ledger()
    assert PostingLine.objects.count() == 2 * 2_001
    assert set(Posting.objects.values_list("kind", flat=True)) == {"receipt", "disbursement", "transfer"}
    for series in ReceiptSeries.objects.all():
        numbers = list(Receipt.objects.filter(fund=series.fund_id, year=series.year).order_by("sequence")
                       .values_list("sequence", flat=True))
        assert numbers == list(range(1, series.last + 1))
    assert not Receipt.objects.values("number", "fund").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The services read the bulk ledger as their own: a payment draws on its receipts, oldest first.
    held = earmark_balances(commune_fund)[Earmark.NONE]
    assert held > 0
    services.disbursement_record(actor=world.commune_officer, fund=commune_fund, amount=held,
                                 happened_on=datetime.date(2026, 1, 5))
    check_ledger()
    assert earmark_balances(commune_fund)[Earmark.NONE] == 0

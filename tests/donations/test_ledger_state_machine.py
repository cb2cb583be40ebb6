"""The ledger's invariants under any sequence of receipts, disbursements, transfers and reversals
(Hypothesis's stateful testing), on PostgreSQL: every posting sums to zero; every fund's balance
per earmark is the sum of its lines, never below zero, and what a model of the funds kept beside
the ledger expects; a refusal happens exactly when the money is not there; no line ever changes;
every fund line is traced to receipts, and what each receipt still holds in each fund is what the
model's own oldest-first drawing gives."""

import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from donations import services
from donations.choices import Earmark
from donations.models import Posting, PostingLine, Trace

from ..factories import UserFactory
from .factories import DonorFactory, FundFactory

DAY = datetime.date(2025, 12, 1)
EARMARKS = [Earmark.NONE, Earmark.HOUSING, Earmark.TET_GIFTS]
AMOUNTS = st.integers(min_value=1, max_value=5_000_000)


class LedgerMachine(RuleBasedStateMachine):
    world = None  # set by the test

    def __init__(self):
        super().__init__()
        world = self.world
        self.district = FundFactory(unit=world.district)
        self.communes = [FundFactory(unit=world.commune), FundFactory(unit=world.sibling_commune)]
        self.officer_of = {self.district.pk: world.district_member, self.communes[0].pk: world.commune_officer,
                           self.communes[1].pk: self.sibling_officer}
        self.reverser_of = {world.district.pk: world.provincial_officer, world.commune.pk: world.district_member,
                            world.sibling_commune.pk: world.district_member}
        self.donors = {fund.pk: DonorFactory(unit=fund.unit) for fund in self.funds}
        self.expected = defaultdict(int)  # (fund id, earmark): what the fund should hold
        # (fund id, earmark) -> {receipt posting id: what that receipt's money still is there}
        self.held = defaultdict(dict)
        self.parts = {}  # posting id -> [(fund id, earmark, receipt posting id, amount)]: its traces
        self.postings: list[Posting] = []
        self.seen_lines: dict[int, tuple] = {}

    @property
    def funds(self):
        return [self.district, *self.communes]

    def _apply(self, posting, parts) -> None:
        for fund_id, earmark, amount in posting.lines.filter(fund__isnull=False).values_list(
                "fund_id", "earmark", "amount"):
            self.expected[(fund_id, earmark)] += amount
        for fund_id, earmark, source, amount in parts:
            held = self.held[(fund_id, earmark)]
            held[source] = held.get(source, 0) + amount
        self.parts[posting.pk] = parts
        self.postings.append(posting)

    def _draw(self, fund_id, earmark, amount) -> list:
        """The model's oldest-first drawing: receipts in the order they were recorded (one day)."""
        parts = []
        for source in sorted(self.held[(fund_id, earmark)]):
            part = min(self.held[(fund_id, earmark)][source], amount)
            if part > 0:
                parts.append((fund_id, earmark, source, -part))
                amount -= part
        return parts

    def _attempt(self, changes: dict, make, parts) -> None:
        """Run ``make``; it must succeed exactly when no fund's earmark (and no receipt's money in
        it, for ``parts`` named) would go below zero."""
        affordable = all(self.expected[key] + change >= 0 for key, change in changes.items()) and all(
            self.held[(fund_id, earmark)].get(source, 0) + amount >= 0 for fund_id, earmark, source, amount in parts)
        try:
            posting = make()
        except ValidationError:
            assert not affordable, "refused although the money was there"
            return
        assert affordable, "posted although the money was not there"
        self._apply(posting, parts)

    @rule(fund=st.integers(0, 2), earmark=st.sampled_from(EARMARKS), amount=AMOUNTS)
    def receive(self, fund, earmark, amount):
        fund = self.funds[fund]
        posting = services.receipt_record(actor=self.officer_of[fund.pk], fund=fund, amount=amount,
                                          happened_on=DAY, earmark=earmark, donor=self.donors[fund.pk]).posting
        self._apply(posting, [(fund.pk, earmark, posting.pk, amount)])

    @rule(fund=st.integers(0, 2), earmark=st.sampled_from(EARMARKS), amount=AMOUNTS)
    def disburse(self, fund, earmark, amount):
        fund = self.funds[fund]
        self._attempt({(fund.pk, earmark): -amount}, lambda: services.disbursement_record(
            actor=self.officer_of[fund.pk], fund=fund, amount=amount, happened_on=DAY, earmark=earmark),
            self._draw(fund.pk, earmark, amount))

    @rule(commune=st.integers(0, 1), down=st.booleans(), earmark=st.sampled_from(EARMARKS), amount=AMOUNTS)
    def transfer(self, commune, down, earmark, amount):
        source, destination = ((self.district, self.communes[commune]) if down
                               else (self.communes[commune], self.district))
        drawn = self._draw(source.pk, earmark, amount)
        carried = [(destination.pk, earmark, receipt, -part) for _fund, _earmark, receipt, part in drawn]
        self._attempt({(source.pk, earmark): -amount}, lambda: services.transfer_record(
            actor=self.officer_of[source.pk], source=source, destination=destination, amount=amount,
            happened_on=DAY, earmark=earmark), drawn + carried)

    @rule(data=st.data())
    def reverse(self, data):
        candidates = [posting for posting in self.postings
                      if posting.kind != "reversal" and not Posting.objects.filter(reverses=posting).exists()]
        if not candidates:
            return
        posting = data.draw(st.sampled_from(candidates))
        changes = defaultdict(int)
        for fund_id, earmark, amount in posting.lines.filter(fund__isnull=False).values_list(
                "fund_id", "earmark", "amount"):
            changes[(fund_id, earmark)] -= amount
        undone = [(fund_id, earmark, source, -amount) for fund_id, earmark, source, amount in self.parts[posting.pk]]
        self._attempt({key: change for key, change in changes.items() if change < 0},
                      lambda: services.posting_reverse(actor=self.reverser_of[posting.unit_id], posting=posting,
                                                       reason="Ghi nhầm", happened_on=DAY), undone)

    @invariant()
    def every_posting_sums_to_zero(self):
        unbalanced = (Posting.objects.filter(pk__in=[posting.pk for posting in self.postings])
                      .annotate(total=Sum("lines__amount")).exclude(total=0))
        assert not unbalanced.exists()

    @invariant()
    def balances_are_the_sums_of_lines_never_below_zero_and_as_expected(self):
        held = dict(((fund, earmark), total) for fund, earmark, total in PostingLine.objects.filter(
            fund__in=self.funds).values_list("fund", "earmark").annotate(total=Sum("amount")).order_by())
        for fund in self.funds:
            for earmark in Earmark.values:
                assert held.get((fund.pk, earmark), 0) == self.expected[(fund.pk, earmark)] >= 0

    @invariant()
    def every_fund_line_is_traced_to_receipts_holding_what_the_model_draws(self):
        untraced = (PostingLine.objects.filter(fund__in=self.funds).annotate(traced=Sum("traces__amount"))
                    .exclude(traced=F("amount")))
        assert not untraced.exists()
        held = defaultdict(dict)
        for fund_id, earmark, source, total in Trace.objects.filter(fund__in=self.funds).values_list(
                "fund", "earmark", "source").annotate(total=Sum("amount")).order_by():
            if total:
                held[(fund_id, earmark)][source] = total
            assert total >= 0
        model = {key: {source: amount for source, amount in sources.items() if amount}
                 for key, sources in self.held.items()}
        assert {key: sources for key, sources in held.items() if sources} == {
            key: sources for key, sources in model.items() if sources}

    @invariant()
    def no_line_ever_changes(self):
        lines = {line_id: rest for line_id, *rest in PostingLine.objects.filter(
            posting__in=[posting.pk for posting in self.postings]).values_list(
            "pk", "posting_id", "party", "fund_id", "earmark", "amount")}
        for line_id, before in self.seen_lines.items():
            assert tuple(lines[line_id]) == before
        self.seen_lines = {line_id: tuple(rest) for line_id, rest in lines.items()}


@pytest.mark.django_db
def test_the_ledger_keeps_its_invariants_under_any_sequence_of_postings(world):
    LedgerMachine.world = world
    LedgerMachine.sibling_officer = UserFactory(unit=world.sibling_commune)
    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=25, stateful_step_count=30, deadline=None, database=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))

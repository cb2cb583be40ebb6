"""Reads of the ledger: a fund's balance, in all and per earmark, always summed from its lines."""

from django.db.models import Sum

from .choices import Earmark
from .models import Fund, PostingLine


def fund_balance(fund: Fund) -> int:
    """What ``fund`` holds: the sum of its lines (one index-only read, donations_line_balance)."""
    return PostingLine.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or 0


def earmark_balances(fund: Fund) -> dict[str, int]:
    """{earmark: what ``fund`` holds of it} for every earmark, zero included."""
    held = dict(PostingLine.objects.filter(fund=fund).values_list("earmark").annotate(total=Sum("amount"))
                .order_by())
    return {earmark: held.get(earmark, 0) for earmark in Earmark.values}

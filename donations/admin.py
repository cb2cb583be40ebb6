"""The ledger is not in the admin on purpose: money is recorded by the officers of each fund's
unit through the pages and the API, whose services keep its rules (a posting sums to zero, no
earmark below zero, corrections only by reversal). Rows edited here would bypass them, and the
ledger's rows refuse any change anyway (donations.models.AppendOnlyModel and the database trigger).
Donors and campaigns are likewise kept by their units."""

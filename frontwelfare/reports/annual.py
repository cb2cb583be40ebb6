"""The year-end report of the Front's social-security work (báo cáo tổng kết): every domain's
sections in the order of a committee's report — the households in need, housing, the funds and
campaigns, the support given, the member organisations, the typical models — each table after its
totals beside the previous period's and the change (reports.comparison). For a year, or any period
(Lâm Đồng's report on 2014-2024).

It names the sections of the domain apps by their registered names only: frontwelfare.reports
imports no domain app. Registered in ReportsConfig.ready()."""

from django.utils.translation import gettext_lazy

from .registry import ReportKindSpec, register_kind

ANNUAL_REPORT = "annual_report"
# (heading, sections), in the order of the report.
PARTS = (
    (gettext_lazy("Poor, near-poor and policy households"),
     ("households.categories", "households.movements", "households.policies")),
    (gettext_lazy("Housing for the poor"), ("housing.programmes", "housing.stages", "housing.money")),
    (gettext_lazy("Funds and campaigns"),
     ("donations.balances", "donations.funds", "donations.receipts", "donations.spending", "donations.campaigns")),
    (gettext_lazy("Support given to households"), ("donations.support_given",)),
    (gettext_lazy("Member organisations' social work"), ("donations.organisations", "donations.activities")),
    (gettext_lazy("Typical models"),
     ("models_registry.activity", "models_registry.by_field", "models_registry.replication")),
)

ANNUAL_KIND = ReportKindSpec(
    ANNUAL_REPORT, gettext_lazy("Year-end report"),
    gettext_lazy("Year-end report on the Front's social-security work"),
    sections=tuple(name for _heading, names in PARTS for name in names),
    part_headings=tuple((names[0], heading) for heading, names in PARTS),
    compare_previous=True, file_word="tong-ket")


def register() -> None:
    register_kind(ANNUAL_KIND)

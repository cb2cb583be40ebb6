from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Funds and donations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The household page's support timeline lists the payments to the household out of a fund.
        from households.timeline import register_helped_since, register_timeline_source

        from .report_sections import register as register_report_sections
        from .support.selectors import households_helped_since
        from .support.timeline import support_timeline_entries
        from .timeline import donations_timeline_entries, households_paid_since

        register_timeline_source("donations", donations_timeline_entries)
        # And what it received in batches of support, and the activities that name it.
        register_timeline_source("support", support_timeline_entries)
        # The household list's "no support since…": payments out of a fund, and batches' lines
        # delivered (before their batch is closed and posted, too).
        register_helped_since("donations", households_paid_since)
        register_helped_since("support", households_helped_since)
        # The fund statement, the campaign report and the dashboard's funds panel (frontwelfare.reports).
        register_report_sections()
        # The housing link: a house case's Fund-for-the-Poor part is paid when its construction
        # starts, and the case's page lists what funds paid for it (housing.hooks).
        from housing.hooks import register_case_payments, register_construction_start

        from .selectors import case_payments
        from .services import case_construction_pay

        register_construction_start("donations", case_construction_pay)
        register_case_payments("donations", case_payments)

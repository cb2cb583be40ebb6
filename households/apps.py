from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The social-security summary and the dashboard's households panel (frontwelfare.reports).
        from .report_sections import register

        register()
        # The list's big exports, made in the background (frontwelfare.reports.exports).
        from .exports import register as register_exports

        register_exports()
        # A former commune no longer split (a corrected mapping): its households follow it whole again.
        from frontwelfare.areas.signals import communes_no_longer_split

        from .services import households_unassign

        communes_no_longer_split.connect(households_unassign, dispatch_uid="households_unassign")

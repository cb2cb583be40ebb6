from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "frontwelfare.reports"
    verbose_name = _("Reports and dashboards")

    def ready(self):
        from .annual import register

        register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Funds and donations")
    default_auto_field = "django.db.models.BigAutoField"

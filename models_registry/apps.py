from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    name = "models_registry"
    verbose_name = _("Typical models")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The typical-models report, the round's synthesis and the dashboard panel (frontwelfare.reports).
        from .report_sections import register

        register()

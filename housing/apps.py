from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = _("Housing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Pillow refuses, wherever an image is opened in this process, one of far more pixels than
        # an upload may have (housing.attachments).
        from PIL import Image

        from .attachments import MAX_IMAGE_PIXELS

        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

        # The household page's support timeline lists the household's house cases.
        from households.timeline import register_helped_since, register_timeline_source

        from .report_sections import register as register_report_sections
        from .timeline import households_housed_since, housing_timeline_entries

        register_timeline_source("housing", housing_timeline_entries)
        # A house handed over is support: the household list's "no support since…".
        register_helped_since("housing", households_housed_since)
        # The housing programme progress report and the dashboard's housing panel (frontwelfare.reports).
        register_report_sections()

import time

from django.core.management.base import BaseCommand

from frontwelfare.areas.services import areas_load


class Command(BaseCommand):
    help = "Load or refresh Vietnam's administrative units (before and after 1 July 2025) from vietnam-provinces."

    def handle(self, *args, **options):
        started = time.monotonic()
        result = areas_load()
        self.stdout.write(
            f"Administrative units: {result.units} units, {result.successions} legacy→current links "
            f"({time.monotonic() - started:.1f} s)."
        )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from frontwelfare.demo import DEMO_PASSWORD, AreasMissing, demo_load


class Command(BaseCommand):
    help = "Load the demo data set and one demo user per role (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Load even with DEBUG off (never on a real deployment).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have a published password: refusing with DEBUG off (use --force).")
        try:
            rows = demo_load()
        except AreasMissing as exc:
            raise CommandError("Load the administrative units first: manage.py load_areas") from exc
        self.stdout.write("")
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD})")
        for demo, unit, created in rows:
            where = unit.name if unit else "—"
            note = "" if created else " (already there)"
            self.stdout.write(f"  {demo.username:<16} {demo.role.label:<28} {where}{note}")
        self.stdout.write("")

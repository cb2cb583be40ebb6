"""``manage.py registry_rebuild [--check]``: derive the registry's kept values again from its rows.

The values households.tallies keeps (each household's member counts, each commune's household and
category tallies) are written by the services in the same transaction as what they count; this
command rebuilds them all, for a database loaded by other means (a restore, a bulk load) or to
settle a doubt. ``--check`` rebuilds nothing: it says whether they agree with the rows, and
exits with status 1 when they do not.
"""

from django.core.management.base import BaseCommand, CommandError

from households.tallies import registry_differences, registry_rebuild


class Command(BaseCommand):
    help = "Rebuild the household registry's member counts and tallies from its rows (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 when they differ.")

    def handle(self, *args, check: bool = False, **options):
        if check:
            differences = registry_differences()
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError("The kept counts differ from the registry: run registry_rebuild.")
            self.stdout.write("The kept counts agree with the registry.")
            return
        rebuilt = registry_rebuild(progress=lambda done: self.stdout.write(f"{done:,} households…"))
        self.stdout.write(self.style.SUCCESS(
            f"Rebuilt the counts of {rebuilt['households']:,} households and the tallies of "
            f"{rebuilt['communes']:,} communes."))

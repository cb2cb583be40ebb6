"""Fill `current_province` and `current_commune` of the units already loaded, from their successors."""

from django.db import migrations


def forwards(apps, schema_editor):
    from frontwelfare.areas.services import units_map_to_current

    units_map_to_current(apps.get_model("areas", "AdministrativeUnit"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_current_units")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

# The three indexes of members' names (0006) carry the household too, so that a search reads the
# households named from the indexes alone, one range at a time (households.filters.households_named).
# PostgreSQL only, as in 0006. Rebuilding them takes about 15 s for 6 million members.

from django.db import migrations

NAME_INDEXES = {
    "households_member_name_start": "(full_name_folded varchar_pattern_ops)",
    "households_member_name_after_surname":
        "((SUBSTRING(full_name_folded, (STRPOS(full_name_folded, ' ') + 1))) text_pattern_ops)",
    "households_member_given_name": "((REGEXP_REPLACE(full_name_folded, '^.* ', '')) text_pattern_ops)",
}


def _rebuild(schema_editor, include: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, key in NAME_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON households_member {key}{include}")


def include_the_household(apps, schema_editor):
    _rebuild(schema_editor, " INCLUDE (household_id)")


def leave_the_household_out(apps, schema_editor):
    _rebuild(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("households", "0006_registry_summaries_and_tallies")]

    operations = [migrations.RunPython(include_the_household, leave_the_household_out)]

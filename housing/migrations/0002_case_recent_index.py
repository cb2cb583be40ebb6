"""An index for the case lists' order (newest change first), so that the first page of a
province's or a district's cases reads 50 index entries instead of sorting every case in scope."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("housing", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="housingcase",
            index=models.Index(fields=["-updated_at", "-id"], name="housing_case_recent"),
        ),
    ]

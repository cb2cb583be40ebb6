"""A report's options in one JSON column ({"programme": 12}) instead of a foreign key to the housing
programme: frontwelfare.reports knows no domain app (reports.registry). Existing reports keep their
programme, as an option; 0003 then drops the column (apart, so that the rows updated here leave no
pending trigger events when the table is altered)."""

from django.db import migrations, models



def programme_into_options(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.exclude(programme_id=None).only("pk", "programme_id").iterator():
        Report.objects.filter(pk=report.pk).update(options={"programme": report.programme_id})


def options_into_programme(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.filter(options__has_key="programme").only("pk", "options").iterator():
        Report.objects.filter(pk=report.pk).update(programme_id=report.options["programme"])


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='options',
            field=models.JSONField(blank=True, default=dict, verbose_name='options'),
        ),
        migrations.RunPython(programme_into_options, options_into_programme),
    ]

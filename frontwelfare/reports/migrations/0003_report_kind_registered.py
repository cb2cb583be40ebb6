"""The programme is an option now (0002); a report's kind is one of the kinds registered."""

from django.db import migrations, models

import frontwelfare.reports.registry


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_report_options'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='report',
            name='programme',
        ),
        migrations.AlterField(
            model_name='report',
            name='kind',
            field=models.CharField(choices=frontwelfare.reports.registry.kind_choices, max_length=40,
                                   verbose_name='kind'),
        ),
    ]

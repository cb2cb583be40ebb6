"""Each workflow step records the day it happened, apart from when it was entered.

Steps already recorded take the day from the case's own date for that step (survey, start,
completion, handover); the others (proposal, approval, rejection, cancellation) had none, so they
take the local day they were entered, which is all that is known of them.
"""

import django.db.models.functions
import django.utils.timezone
from django.db import migrations, models

STEP_DAY_FIELDS = {"survey": "survey_date", "start": "start_date", "complete": "completion_date",
                   "hand_over": "handover_date"}


def date_recorded_steps(apps, schema_editor):
    CaseTransition = apps.get_model("housing", "CaseTransition")
    HousingCase = apps.get_model("housing", "HousingCase")
    for step, field_name in STEP_DAY_FIELDS.items():
        CaseTransition.objects.filter(name=step).update(happened_on=models.Subquery(
            HousingCase.objects.filter(pk=models.OuterRef("case_id")).values(field_name)[:1]))
    # TruncDate uses the project's time zone (Asia/Ho_Chi_Minh): the local day it was entered.
    CaseTransition.objects.filter(happened_on__isnull=True).update(
        happened_on=django.db.models.functions.TruncDate("at"))


class Migration(migrations.Migration):

    dependencies = [
        ("housing", "0002_case_recent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="casetransition",
            name="happened_on",
            field=models.DateField(null=True, verbose_name="day it happened"),
        ),
        migrations.RunPython(date_recorded_steps, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="casetransition",
            name="happened_on",
            field=models.DateField(verbose_name="day it happened"),
        ),
        migrations.AlterField(
            model_name="casetransition",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="entered at"),
        ),
        migrations.AlterModelOptions(
            name="casetransition",
            options={"ordering": ["happened_on", "id"], "verbose_name": "case step",
                     "verbose_name_plural": "case steps"},
        ),
        migrations.AddIndex(
            model_name="casetransition",
            index=models.Index(fields=["case", "-happened_on", "-id"], name="housing_step_by_day"),
        ),
    ]

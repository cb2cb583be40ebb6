"""The nationwide kinds of support (SupportKind with no unit): the Front's usual work. Committees
add their own from the kinds page."""

from django.db import migrations

# code, Vietnamese, English, purpose (donations.choices.Purpose), per household or pupil, details
KINDS = [
    ("tet_gifts", "Quà Tết", "Tet gifts", "tet_gifts", "household", ""),
    ("occasion_gifts", "Quà dịp lễ", "Occasion gifts", "tet_gifts", "household", ""),
    ("scholarship", "Học bổng", "Scholarship", "scholarships", "pupil", "school"),
    ("school_supplies", "Dụng cụ học tập", "School supplies", "scholarships", "pupil", "school"),
    ("livelihood", "Hỗ trợ sinh kế (vốn, con giống, cây giống)",
     "Livelihood support (capital, breeding animals, seedlings)", "livelihood", "household", "goods"),
    ("medical", "Khám bệnh, cấp thuốc miễn phí", "Free medical examination and medicine", "medical",
     "household", ""),
    ("health_insurance", "Thẻ bảo hiểm y tế cho người nghèo", "Health-insurance card for the poor", "medical",
     "household", "insurance_card"),
    ("disaster_relief", "Cứu trợ thiên tai", "Disaster relief", "disaster_relief", "household", ""),
    ("other", "Hỗ trợ khác", "Other support", "other", "household", ""),
]


def add_kinds(apps, schema_editor):
    SupportKind = apps.get_model("donations", "SupportKind")
    for code, name_vi, name_en, purpose, recipients, details in KINDS:
        SupportKind.objects.update_or_create(unit=None, code=code, defaults={
            "name_vi": name_vi, "name_en": name_en, "purpose": purpose, "recipients": recipients,
            "details": details})


class Migration(migrations.Migration):
    dependencies = [("donations", "0006_support_batches_and_organisations")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]

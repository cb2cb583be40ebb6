"""Ship the 2022–2025 multidimensional poverty standard (Decree 07/2021/NĐ-CP) as data."""

import datetime

from django.db import migrations

DECREE_07_INDICATORS = [
    "employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
    "housing_quality", "floor_area", "domestic_water", "latrine", "telecommunication", "information_access",
]


def add_standard(apps, schema_editor):
    PovertyStandard = apps.get_model("households", "PovertyStandard")
    PovertyStandard.objects.get_or_create(
        legal_basis="07/2021/NĐ-CP",
        defaults={
            "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
            "valid_from": datetime.date(2022, 1, 1),
            # Decree 07 was extended to the end of 2025 awaiting the next standard; a new row
            # for 2026 onward is added by an administrator when the Government issues it.
            "valid_until": None,
            "rural_income_line": 1_500_000,
            "urban_income_line": 2_000_000,
            "poor_min_deprivations": 3,
            "indicators": DECREE_07_INDICATORS,
        },
    )


def remove_standard(apps, schema_editor):
    apps.get_model("households", "PovertyStandard").objects.filter(legal_basis="07/2021/NĐ-CP").delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(add_standard, remove_standard)]

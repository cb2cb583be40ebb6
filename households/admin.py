"""The administrator keeps the reference data of the registry: the poverty standards.

Households and members are not in the admin on purpose: they are entered by commune officers
through the pages (with their rules and history), and the admin would show administrators
full citizen IDs, which they are not meant to see.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PovertyStandard


@admin.register(PovertyStandard)
class PovertyStandardAdmin(SimpleHistoryAdmin):
    """The standard decides who is poor: its admin page shows its change history (who, when, what)."""

    list_display = ["name", "legal_basis", "valid_from", "valid_until", "rural_income_line", "urban_income_line",
                    "poor_min_deprivations"]
    ordering = ["-valid_from"]
    history_list_display = ["rural_income_line", "urban_income_line", "poor_min_deprivations", "valid_until"]

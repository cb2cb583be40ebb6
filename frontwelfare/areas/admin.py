from django.contrib import admin

from .models import AdministrativeUnit


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """Units come from the GSO data package (`load_areas`); the admin only reads them."""

    list_display = ["code", "name", "level", "era", "parent"]
    list_filter = ["era", "level", "division_type"]
    search_fields = ["code", "name", "name_folded"]
    list_select_related = ["parent"]
    readonly_fields = [f.name for f in AdministrativeUnit._meta.fields] + ["successors"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from rest_framework import serializers

from frontwelfare.areas.models import AdministrativeUnit


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "era", "level", "code", "name", "name_folded", "division_type",
                  "parent", "province", "district"]

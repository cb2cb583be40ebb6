from rest_framework import serializers

from frontwelfare.accounts.models import User


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    # An administrator has no unit: null, as the schema says.
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "unit", "unit_name", "is_active"]

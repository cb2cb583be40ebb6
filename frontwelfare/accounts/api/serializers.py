from rest_framework import serializers

from frontwelfare.accounts.models import User


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "unit", "unit_name", "is_active"]

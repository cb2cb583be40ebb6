# Placeholder: the API viewsets are being written in this file.
from frontwelfare.api import ScopedModelViewSet
from households.models import Household, Member


class HouseholdViewSet(ScopedModelViewSet):
    model = Household


class MemberViewSet(ScopedModelViewSet):
    model = Member

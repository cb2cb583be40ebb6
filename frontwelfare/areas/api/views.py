from frontwelfare.api import ScopedReadOnlyViewSet
from frontwelfare.areas.filters import AdministrativeUnitFilterSet
from frontwelfare.areas.models import AdministrativeUnit

from .serializers import AdministrativeUnitSerializer


class AdministrativeUnitViewSet(ScopedReadOnlyViewSet):
    """Provinces, districts and communes of both eras, with their GSO codes (read-only)."""

    model = AdministrativeUnit
    serializer_class = AdministrativeUnitSerializer
    filterset_class = AdministrativeUnitFilterSet

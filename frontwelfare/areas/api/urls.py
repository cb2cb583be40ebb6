from frontwelfare.areas.api.views import AdministrativeUnitViewSet


def register(router):
    router.register("units", AdministrativeUnitViewSet, basename="unit")

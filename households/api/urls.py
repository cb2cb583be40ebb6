from . import views


def register(router) -> None:
    router.register("households", views.HouseholdViewSet, basename="household")
    router.register("members", views.MemberViewSet, basename="member")

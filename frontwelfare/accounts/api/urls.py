from frontwelfare.accounts.api.views import UserViewSet


def register(router):
    router.register("users", UserViewSet, basename="user")

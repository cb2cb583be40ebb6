from . import views  # noqa: F401 (the viewsets registered below)


def register(router) -> None:
    """The routes of `/api/v1/donations/…`."""

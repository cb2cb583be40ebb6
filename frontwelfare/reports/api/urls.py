from . import views


def register(router) -> None:
    router.register("reports", views.ReportViewSet, basename="report")

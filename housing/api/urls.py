from . import views


def register(router) -> None:
    router.register("housing/programmes", views.ProgrammeViewSet, basename="housing-programme")
    router.register("housing/cases", views.CaseViewSet, basename="housing-case")

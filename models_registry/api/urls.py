from . import views


def register(router) -> None:
    """The typical models' API under /api/v1/models/ (models_registry.api.views)."""
    router.register("models/rounds", views.RoundViewSet, basename="models-round")
    router.register("models/models", views.TypicalModelViewSet, basename="models-model")
    router.register("models/meetings", views.MeetingViewSet, basename="models-meeting")
    router.register("models/notices", views.NoticeViewSet, basename="models-notice")

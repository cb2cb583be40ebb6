def register(router) -> None:
    """The typical models' API under /api/v1/models/ (models_registry.api.views)."""

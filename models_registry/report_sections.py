"""The typical models in the reports (frontwelfare.reports.registry). Filled in by the reports work."""


def register() -> None:
    """Register the sections, kinds and dashboard panel (called from the AppConfig)."""

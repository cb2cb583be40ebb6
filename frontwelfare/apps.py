from django.apps import AppConfig


class FrontWelfareConfig(AppConfig):
    """The project package is also an app, for shared templates, template tags and the catalogue."""

    name = "frontwelfare"
    verbose_name = "FrontWelfare"

    def ready(self):
        # Registers the Vietnamese collation on every SQLite connection (the quick start).
        from . import db  # noqa: F401

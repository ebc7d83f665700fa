from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore with the purge journal (AVG-3), the bench's bare view and query counter."""

    name = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import journal

        journal.connect()

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from . import chain  # noqa: F401  (registers the periodic job audit.checkpoint)

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.core.signals import request_started

        from . import chain  # noqa: F401  (registers the periodic job audit.checkpoint)
        from .audit import forget_written_heads

        request_started.connect(forget_written_heads, dispatch_uid="audit.forget_written_heads")

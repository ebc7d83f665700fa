from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup and restore with the purge journal (AVG-3), the bench's bare view and query counter."""

    name = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.labels import register_action_labels

        from . import journal

        journal.connect()
        register_action_labels(
            {
                "ops.journal.hold_placed_again": _("bewaarstop teruggezet na herstel van een back-up"),
                "ops.journal.hold_lifted_again": _("bewaarstop opgeheven na herstel van een back-up"),
            }
        )

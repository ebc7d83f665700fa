from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Organisatie en mensen"

    def ready(self) -> None:
        from dossier.audit_labels import register_action_labels

        from . import signals  # noqa: F401
        from .audit_labels import SCHOOLS_LABELS

        register_action_labels(SCHOOLS_LABELS)  # AVG-4

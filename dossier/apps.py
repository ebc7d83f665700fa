from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Leerlingdossier"

    def ready(self) -> None:
        from .audit_labels import DOSSIER_LABELS, register_action_labels

        register_action_labels(DOSSIER_LABELS)  # AVG-4

        from .protocol_settings import declare

        declare()  # AVG-3: the retention periods are protocol settings

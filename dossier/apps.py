from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Leerlingdossier"

    def ready(self) -> None:
        from . import home, jobs  # noqa: F401  (registers the home sections and periodic jobs)
        from .audit_labels import DOSSIER_LABELS, register_action_labels
        from .entry_kinds import register_dossier_kinds
        from .letters.defaults import register_defaults

        register_action_labels(DOSSIER_LABELS)  # AVG-4
        register_dossier_kinds()
        register_defaults()

        from .protocol_settings import declare

        declare()  # AVG-3: the retention periods are protocol settings

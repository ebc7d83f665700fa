from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Leerlingdossier"

    def ready(self) -> None:
        from audit.labels import DOSSIER_LABELS, register_action_labels

        from . import jobs  # noqa: F401  (registers the periodic jobs)
        from .entry_kinds import register_dossier_kinds

        register_action_labels(DOSSIER_LABELS)  # AVG-4
        register_dossier_kinds()

        from schools.demo.fillers import register_demo_filler

        from .demo import fill_demo_files

        register_demo_filler(fill_demo_files)  # `manage.py demo` fills the files

        from .protocol_settings import declare

        declare()  # AVG-3: the retention periods are protocol settings

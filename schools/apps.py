from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Organisatie en mensen"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy

        from audit.labels import register_action_labels

        from . import signals  # noqa: F401
        from .audit_labels import SCHOOLS_LABELS

        register_action_labels(SCHOOLS_LABELS)  # AVG-4
        from .home import register_home_provider, role_changes

        register_home_provider(role_changes, order=900)
        # Django 6.1's empty choice "- Select an option -" has no Dutch translation yet: name our own.
        fields.BLANK_CHOICE_LABEL = gettext_lazy("– Kies –")

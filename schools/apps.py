from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Organisatie en mensen"

    def ready(self) -> None:
        from . import signals  # noqa: F401

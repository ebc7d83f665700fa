from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Termijnen"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home sections "Mijn termijnen", "Verlopen termijnen")
        from .services import deadlines  # noqa: F401  (registers the periodic job deadlines.remind)

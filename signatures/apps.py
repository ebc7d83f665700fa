from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = "Ondertekening"

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers the home section "Te ondertekenen")

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Brieven en berichten"

    def ready(self) -> None:
        from .letters.defaults import register_defaults
        from .services import outbox  # noqa: F401  (registers the periodic job outbox.retry)

        register_defaults()

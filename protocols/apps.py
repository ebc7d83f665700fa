"""A school's protocol configuration (issue 9: protocols as configuration) lives here."""

from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from audit.labels import register_action_labels

        from . import rules  # noqa: F401
        from .declarations import declare

        declare()
        register_action_labels(
            {
                "protocols.version.created": _("protocolversie gemaakt"),
                "protocols.version.view_denied": _("geweigerde poging om een protocolversie te bekijken"),
            }
        )

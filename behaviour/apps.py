"""Het gedragsprotocol (GP-n, SV-n): registers its records, kinds, letters and jobs from ready()."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BehaviourConfig(AppConfig):
    name = "behaviour"
    verbose_name = _("Gedragsprotocol")

    def ready(self) -> None:
        from dossier.models import EntryKind
        from dossier.retention_table import RetentionRule, register_retention_rules

        # AVG-3: a case on the ladder is part of the behaviour file (2 years by default).
        register_retention_rules(
            RetentionRule(
                "behaviour_case", _("gedragszaken"), "behaviour.BehaviourCase", "student", (EntryKind.INCIDENT,)
            )
        )
        __import__("behaviour.apps_plans", fromlist=["ready_plans"]).ready_plans()  # steps 2–4, GP-8 – GP-22

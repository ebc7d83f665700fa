"""Het gedragsprotocol (GP-n, SV-n): registers its records, kinds, letters and jobs from ready()."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BehaviourConfig(AppConfig):
    name = "behaviour"
    verbose_name = _("Gedragsprotocol")

    def ready(self) -> None:
        from dossier.models import EntryKind
        from dossier.retention_table import RetentionRule, register_retention_rules

        from . import policy_ladder, settings  # noqa: F401  (the rules register on import)

        settings.declare()
        # AVG-3: the ladder's rows go with the behaviour file (2 years by default), before the case.
        incident = (EntryKind.INCIDENT,)
        register_retention_rules(
            # An incident holds every student in it: it goes when the last of them is past the boundary,
            # before their involvements (it is found through them).
            RetentionRule(
                "behaviour_incident",
                _("incidenten"),
                "behaviour.Incident",
                "involvements__student",
                incident,
                shared="involvements__student",
            ),
            RetentionRule(
                "behaviour_consent",
                _("instemmingen met stap 2"),
                "behaviour.Consent",
                "request__case__student",
                incident,
            ),
            RetentionRule(
                "behaviour_escalation",
                _("verzoeken om stap 2"),
                "behaviour.EscalationRequest",
                "case__student",
                incident,
            ),
            RetentionRule(
                "behaviour_measure",
                _("maatregelen op de ladder"),
                "behaviour.LadderMeasure",
                "case__student",
                incident,
            ),
            RetentionRule(
                "behaviour_involvement",
                _("betrokkenheid bij incidenten"),
                "behaviour.Involvement",
                "student",
                incident,
            ),
            RetentionRule(
                "behaviour_bullying",
                _("meldingen mogelijk pesten"),
                "behaviour.BullyingFlag",
                "student",
                incident,
            ),
        )
        # AVG-3: a case on the ladder is part of the behaviour file (2 years by default).
        register_retention_rules(
            RetentionRule(
                "behaviour_case",
                _("gedragszaken"),
                "behaviour.BehaviourCase",
                "student",
                (EntryKind.INCIDENT,),
            )
        )
        self._register_ladder()
        __import__("behaviour.apps_plans", fromlist=["ready_plans"]).ready_plans()  # steps 2–4, GP-8 – GP-22
        __import__("behaviour.student_panel", fromlist=["register"]).register()  # the student's overview (§8)

        from schools.demo.fillers import register_demo_filler

        from .demo import fill_demo_behaviour, remove_demo_behaviour

        # `manage.py demo`: incidents, the ladder, a step-2 plan
        register_demo_filler(fill_demo_behaviour, remove=remove_demo_behaviour)

    def _register_ladder(self) -> None:
        from audit.labels import register_action_labels
        from dossier.entry_kinds import register_entry_kind
        from messaging.letters.registry import register_letter_template
        from schools.benchmarks import register_benchmark
        from schools.home import register_home_provider
        from schools.matrix import register_matrix_rows

        from . import home
        from .services.ladder import OUT_OF_CLASS_TEMPLATE, STEP_KIND

        register_entry_kind(STEP_KIND, _("stap gedragsprotocol"), icon="🪜", detail_url=_student_url)
        register_action_labels(
            {
                "behaviour.incident.registered": _("incident vastgelegd"),
                "behaviour.case.opened": _("gedragszaak geopend"),
                "behaviour.case.restarted": _("ladder opnieuw begonnen"),
                "behaviour.case.step_changed": _("stap van het gedragsprotocol gewijzigd"),
                "behaviour.measure.confirmed": _("maatregel op de ladder bevestigd"),
                "behaviour.escalation.requested": _("instemming met stap 2 gevraagd"),
                "behaviour.escalation.consented": _("ingestemd met stap 2"),
                "behaviour.escalation.refused": _("niet ingestemd met stap 2"),
                "behaviour.aftercare.recorded": _("nazorg voor een slachtoffer vastgelegd"),
                "behaviour.bullying.flagged": _("mogelijk pesten gemeld"),
                "behaviour.bullying.handled": _("melding mogelijk pesten afgehandeld"),
                "behaviour.page.viewed": _("gedragspagina bekeken"),
                "behaviour.view_denied": _("geweigerde poging een gedragspagina te openen"),
            }
        )
        # GP-4: the parents' message at an out-of-class stage; copies and named people per stage come
        # from the school's setting (out_of_class_copies, out_of_class_named), given at sending.
        register_letter_template(
            OUT_OF_CLASS_TEMPLATE,
            "{{ student.first_name }} was vandaag buiten de klas",
            "Beste ouder(s)/verzorger(s),\n\n"
            "Vandaag is {{ student.first_name }} opgevangen in een andere klas ({{ host_group }}): {{ stage_text }}. "
            "Dit is stap {{ stage }} buiten de klas van ons gedragsprotocol, na eerdere waarschuwingen. "
            "{{ student.first_name }} heeft werk meegekregen: {{ work }}.\n\n"
            "{% if named.director %}Onze directeur, {{ named.director }}, is op de hoogte en leest mee.\n\n{% endif %}"
            "Met vriendelijke groet,\n{{ teacher }}\n{{ school.name }}",
            rule="GP-4",
            title="Bericht aan ouders: buiten de klas (stap 1)",
            recipients={"to": ["guardians_with_authority"], "cc": ["director", "care_coordinator"]},
            variables=("stage", "stage_text", "host_group", "work", "teacher"),
        )
        register_home_provider(home.consent_requests, order=35)
        register_home_provider(home.bullying_flags, order=36)
        register_matrix_rows(
            "behaviour",
            pages=["/gedrag/leerling/{student}/", "/gedrag/groep/{group}/"],
            posts=[
                "/gedrag/leerling/{student}/maatregel/",
                "/gedrag/leerling/{student}/stap-2/",
                "/gedrag/instemming/{behaviour_escalation}/",
                "/gedrag/nazorg/{behaviour_involvement}/",
                "/gedrag/pesten/{behaviour_flag}/",
            ],
            objects="behaviour.matrix.school_b_objects",
        )
        register_benchmark("behaviour.bench")


def _student_url(entry) -> str:
    from django.urls import reverse

    return reverse("behaviour_student", args=[entry.student_id])

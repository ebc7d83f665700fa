"""Registrations of steps 2–4 of het gedragsprotocol, called once from BehaviourConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

STEP2_PLAN_BODY = """Beste {{ guardians }},

Op {{ plan.talk_on }} spraken wij met u over het gedrag van {{ student.first_name }}. Aanwezig: {{ plan.participants }}.
Dit zijn de afspraken (stap 2 van het gedragsprotocol):

Gewenst gedrag: {{ plan.desired_behaviour }}
Beloning: {{ plan.reward }}
Sanctie bij grensoverschrijdend gedrag: {{ plan.sanction }}
Consequenties: {{ plan.consequences }}
Terugkoppeling aan u: {{ plan.feedback }}, via {{ plan.channel }}.

Op of kort na {{ plan.evaluation_due }} evalueren wij het plan met alle betrokkenen.
Wilt u het plan ondertekenen?

Met vriendelijke groet,
{{ author }}
{{ school.name }}"""

STEP3_INVITATION_BODY = """Beste {{ guardians }},

Het gedrag van {{ student.first_name }} blijft ondanks de afspraken van het gedragsplan zorgen geven.
Wij nodigen u daarom zo spoedig mogelijk uit voor een gesprek op school met de leerkracht, de
gedragsspecialist of intern begeleider en de directie (stap 3 van het gedragsprotocol). Daarin
maken wij samen afspraken over het gewenste gedrag en over de maatregel bij grensoverschrijdend gedrag.

Wilt u contact opnemen om een afspraak te maken?

Met vriendelijke groet,
{{ director }}
{{ school.name }}"""

STEP4_INVITATION_BODY = """Beste {{ guardians }},

Wij nodigen u zo spoedig mogelijk uit voor een gesprek op school over het gedrag van {{ student.first_name }}
(stap 4 van het gedragsprotocol). Bij het gesprek zijn de leerkracht, de gedragsspecialist en de directeur aanwezig.
Wij bespreken een time-out van één week in een andere groep, onder een schriftelijk stappenplan.

Met vriendelijke groet,
{{ director }}
{{ school.name }}"""

STEP4_PLAN_BODY = """Beste {{ guardians }},

Stappenplan (stap 4 van het gedragsprotocol) voor {{ student.first_name }}:

{{ student.first_name }} werkt van {{ placement.starts_on }} tot en met {{ placement.ends_on }} in {{ placement.host_group }},
bij {{ placement.host_teacher }}. Deze week is er geen contact met de eigen groep.
Afspraken: {{ placement.agreements }}
Werk: {{ placement.work }} ({{ placement.own_teacher }} blijft verantwoordelijk voor het werk.)

Houdt {{ student.first_name }} zich aan de afspraken, dan gaat hij of zij na de week terug naar de eigen groep.
Dit stappenplan gaat pas in als de school, u en {{ student.first_name }} het hebben ondertekend.

Met vriendelijke groet,
{{ director }}
{{ school.name }}"""


def plan_page_url(entry) -> str:
    return reverse("behaviour_plans", args=[entry.student_id])


def ready_plans() -> None:
    from audit.labels import register_action_labels
    from dossier.entry_kinds import register_entry_kind
    from dossier.models import EntryKind
    from dossier.retention_table import RetentionRule, register_retention_rules
    from messaging.letters.registry import register_letter_template
    from schools.home import register_home_provider
    from schools.matrix import register_matrix_rows

    from . import home_plans, rules_plans  # noqa: F401  (rules register on import)
    from .plan_settings import declare_plan_settings
    from .services.placements import INVITATION_LETTER as STEP4_INVITATION
    from .services.placements import PLACEMENT_KIND
    from .services.placements import PLAN_LETTER as STEP4_PLAN
    from .services.plans import FEEDBACK_KIND, PLAN_LETTER
    from .services.step3 import INVITATION_LETTER

    declare_plan_settings()
    register_entry_kind(FEEDBACK_KIND, _("terugkoppeling aan ouders"), icon="↩", detail_url=plan_page_url)
    register_entry_kind(
        PLACEMENT_KIND, _("plaatsing in een andere groep"), icon="⇄", detail_url=plan_page_url
    )
    register_action_labels(
        {
            "behaviour.plan.created": _("gedragsplan (stap 2) vastgelegd"),
            "behaviour.plan.feedback_recorded": _("terugkoppeling aan ouders vastgelegd"),
            "behaviour.plan.evaluated": _("gedragsplan geëvalueerd"),
            "behaviour.step3.invited": _("ouders uitgenodigd voor stap 3"),
            "behaviour.step3.talk_held": _("gesprek stap 3 vastgelegd"),
            "behaviour.step3.progress_recorded": _("voortgangsgesprek stap 3 vastgelegd"),
            "behaviour.step3.external_contact": _("contact met externe instantie vastgelegd"),
            "behaviour.step3.evaluated": _("stap 3 geëvalueerd"),
            "behaviour.step4.invited": _("ouders uitgenodigd voor stap 4"),
            "behaviour.placement.planned": _("plaatsing in een andere groep gepland"),
            "behaviour.placement.started": _("plaatsing in een andere groep begonnen"),
            "behaviour.placement.ended": _("plaatsing in een andere groep afgerond"),
            "behaviour.plans.viewed": _("stappen van het gedragsprotocol bekeken"),
            "behaviour.plans.view_denied": _(
                "geweigerde poging om de stappen van het gedragsprotocol te bekijken"
            ),
        }
    )
    register_letter_template(
        PLAN_LETTER, "Gedragsplan voor {{ student.first_name }}", STEP2_PLAN_BODY, rule="GP-8",
        title="Gedragsplan (stap 2)", recipients={"to": ["guardians_with_authority"], "cc": ["care_coordinator"]},
        variables=("plan",),
    )  # fmt: skip
    register_letter_template(
        INVITATION_LETTER, "Uitnodiging voor een gesprek over {{ student.first_name }}", STEP3_INVITATION_BODY,
        rule="GP-13", title="Uitnodiging gesprek stap 3",
        recipients={"to": ["guardians_with_authority"], "cc": ["director", "care_coordinator", "behaviour_specialist"]},
    )  # fmt: skip
    register_letter_template(
        STEP4_INVITATION, "Uitnodiging voor een gesprek over {{ student.first_name }} (stap 4)", STEP4_INVITATION_BODY,
        rule="GP-20", title="Uitnodiging gesprek stap 4",
        recipients={"to": ["guardians_with_authority"], "cc": ["director", "behaviour_specialist"]},
    )  # fmt: skip
    register_letter_template(
        STEP4_PLAN, "Stappenplan voor {{ student.first_name }}: een week in een andere groep", STEP4_PLAN_BODY,
        rule="GP-21", title="Stappenplan stap 4", recipients={"to": ["guardians_with_authority"], "cc": ["director"]},
        variables=("placement",),
    )  # fmt: skip
    kinds = (EntryKind.AGREEMENT, EntryKind.TALK, EntryKind.EVALUATION, FEEDBACK_KIND, PLACEMENT_KIND)
    register_retention_rules(
        RetentionRule("behaviour_plan", _("gedragsplannen"), "behaviour.BehaviourPlan", "student", kinds),
        RetentionRule("behaviour_step3", _("afspraken stap 3"), "behaviour.Step3Plan", "student", kinds),
        RetentionRule(
            "behaviour_placement",
            _("plaatsingen in een andere groep"),
            "behaviour.Placement",
            "student",
            kinds,
        ),
    )
    register_home_provider(home_plans.my_behaviour_actions, order=45)
    register_matrix_rows(
        "behaviour_plans",
        pages=["/gedrag/stappen/leerling/{student}/"],
        posts=[f"/gedrag/stappen/leerling/{{student}}/{action}/" for action in ACTIONS],
    )


# The action pages of steps 2–4 (behaviour/urls_plans.py), by URL segment.
ACTIONS = (
    "stap-2/gesprek",
    "stap-2/terugkoppeling",
    "stap-2/evaluatie",
    "stap-3/uitnodigen",
    "stap-3/gesprek",
    "stap-3/voortgang",
    "stap-3/extern",
    "stap-3/evaluatie",
    "stap-4/uitnodigen",
    "stap-4/plan",
    "stap-4/starten",
    "stap-4/logboek",
    "stap-4/terugkeer",
)

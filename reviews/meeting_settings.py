"""The review protocol's numbers for the meeting side, declared once (protocols.registry).

Every key is prefixed `meeting_`, `agreement_`, `proposal_` or `followup_`; the planning side of the
review protocol declares its own keys next to these.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protocols.registry import REVIEW, ChoiceSetting, IntSetting, ListSetting, register_settings

YES, NO = "yes", "no"


def declare_meeting_settings() -> None:
    register_settings(
        REVIEW,
        {
            "meeting_minutes_per_student": IntSetting(
                default=5,
                label=_("minuten per leerling"),
                help_text=_("De tijd die de voorzitter per leerling bewaakt (LB-6)."),
                rule="LB-6",
                minimum=1,
                maximum=60,
                unit=_("minuten"),
            ),
            "agreement_start_weeks": IntSetting(
                default=1,
                label=_("start van de afspraken"),
                help_text=_("Weken na de bespreking dat de afspraken in de lessen starten (LB-12)."),
                rule="LB-12",
                minimum=0,
                maximum=6,
                unit=_("weken"),
            ),
            "agreement_evaluation_weeks": IntSetting(
                default=6,
                label=_("voorgestelde evaluatietermijn"),
                help_text=_("Weken na de start die als evaluatiedatum worden voorgesteld (LB-9, LB-13)."),
                rule="LB-13",
                minimum=1,
                maximum=26,
                unit=_("weken"),
            ),
            "proposal_min_teachers": IntSetting(
                default=2,
                label=_("voorstel: aantal docenten met een zorg"),
                help_text=_("Een leerling wordt voorgesteld als zoveel docenten een zorg aangeven (LB-5)."),
                rule="LB-5",
                minimum=1,
                maximum=20,
                unit=_("docenten"),
            ),
            "proposal_any_concern_topics": ListSetting(
                default=("sociaal-emotioneel",),
                label=_("voorstel: onderwerpen waarbij één zorg genoeg is"),
                help_text=_(
                    "Eén per regel. Eén zorg op zo'n onderwerp zet de leerling op het voorstel (LB-5)."
                ),
                rule="LB-5",
                minimum=0,
                maximum=10,
                max_length=60,
            ),
            "proposal_concern_values": ListSetting(
                default=("zorg", "zorgelijk", "onvoldoende", "slecht"),
                label=_("voorstel: antwoorden die een zorg zijn"),
                help_text=_(
                    "Eén per regel: de antwoorden op een signaleringslijst die als zorg tellen (LB-5)."
                ),
                rule="LB-5",
                minimum=1,
                maximum=20,
                max_length=40,
            ),
            "proposal_open_agreements": ChoiceSetting(
                default=YES,
                label=_("voorstel: lopende afspraken"),
                help_text=_(
                    "Leerlingen met een afspraak die vóór de bespreking geëvalueerd moet zijn (LB-5, LB-13)."
                ),
                rule="LB-5",
                choices=((YES, _("voorstellen")), (NO, _("niet voorstellen"))),
            ),
            "followup_talk_school_days": IntSetting(
                default=5,
                label=_("nazorg: gesprek met de leerling"),
                help_text=_(
                    "Schooldagen na de bespreking voor het gesprek van de mentor met de leerling (LB-12)."
                ),
                rule="LB-12",
                minimum=1,
                maximum=20,
                unit=_("schooldagen"),
            ),
            "followup_parents_school_days": IntSetting(
                default=5,
                label=_("nazorg: terugkoppeling aan de ouders"),
                help_text=_("Schooldagen na de bespreking voor de terugkoppeling aan de ouders (LB-12)."),
                rule="LB-12",
                minimum=1,
                maximum=20,
                unit=_("schooldagen"),
            ),
        },
    )

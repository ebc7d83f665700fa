"""The protocol settings that exist today and the legal ones the coming protocols need.

The protocol apps (behaviour, reviews, measures) will declare their own keys from their
`AppConfig.ready()`; these are declared here so the bounds are in force before those apps exist.
The file's retention periods are declared by the dossier app (dossier/protocol_settings.py).
"""

from django.utils.translation import gettext_lazy as _

from .registry import BEHAVIOUR, FILE, MEASURES, IntSetting, register_settings

DAYS, WEEKS, MINUTES = _("dagen"), _("weken"), _("minuten")


def declare() -> None:
    register_settings(
        MEASURES,
        {
            # LAW-1, SV-2: at most one week, i.e. five school days.
            "suspension_max_school_days": IntSetting(
                default=5,
                label=_("maximale duur van een schorsing (schooldagen)"),
                help_text=_(
                    "Een schorsing duurt ten hoogste 5 schooldagen (SV-2; de wet: ten hoogste een week, LAW-1)."
                ),
                rule="SV-2",
                minimum=1,
                maximum=5,
                bound_rule="LAW-1, SV-2",
                unit=DAYS,
            ),
            # SV-1: a time-out may be extended by one day at most; after that only suspension remains.
            "timeout_extension_max_days": IntSetting(
                default=1,
                label=_("maximale verlenging van een time-out (dagen)"),
                help_text=_(
                    "Een time-out mag met ten hoogste één dag worden verlengd; daarna blijft alleen schorsing (SV-1)."
                ),
                rule="SV-1",
                minimum=0,
                maximum=1,
                bound_rule="SV-1",
                unit=DAYS,
            ),
            # LAW-4: parents object within six weeks of the decision.
            "objection_period_weeks": IntSetting(
                default=6,
                label=_("bezwaartermijn voor ouders (weken)"),
                help_text=_("Ouders maken binnen zes weken na het besluit bezwaar (LAW-4)."),
                rule="LAW-4",
                minimum=6,
                maximum=6,
                bound_rule="LAW-4",
                unit=WEEKS,
            ),
            # LAW-4, SV-3: the board decides on an objection within four weeks of receiving it.
            "decision_term_weeks": IntSetting(
                default=4,
                label=_("beslistermijn op een bezwaar (weken)"),
                help_text=_(
                    "Het bestuur beslist binnen vier weken na ontvangst van het bezwaar (LAW-4, SV-3)."
                ),
                rule="LAW-4",
                minimum=1,
                maximum=4,
                bound_rule="LAW-4",
                unit=WEEKS,
            ),
        },
    )
    register_settings(
        BEHAVIOUR,
        {
            "step_2_evaluation_weeks": IntSetting(
                default=8,
                label=_("eindevaluatie van stap 2 na (weken)"),
                help_text=_("Een eindevaluatie met alle betrokkenen na 2 maanden (GP-10)."),
                rule="GP-10",
                minimum=2,
                maximum=16,
                unit=WEEKS,
            ),
            "step_3_evaluation_weeks": IntSetting(
                default=6,
                label=_("evaluatie van stap 3 na (weken)"),
                help_text=_("Een tussen- of eindevaluatie na 6 weken (GP-16)."),
                rule="GP-16",
                minimum=2,
                maximum=12,
                unit=WEEKS,
            ),
        },
    )
    register_settings(
        FILE,
        {
            # One range for the dagdeel (the settings form said 60–360, the service 60–300).
            "dagdeel_minutes": IntSetting(
                default=180,
                label=_("lengte van een dagdeel (minuten)"),
                help_text=_(
                    "Een dagdeel is een halve schooldag, bijvoorbeeld voor een dagdeel in een andere groep (GP-4)."
                ),
                rule="GP-4",
                minimum=60,
                maximum=300,
                unit=MINUTES,
            ),
            "reminder_school_days_before": IntSetting(
                default=2,
                label=_("herinnering vóór een termijn (schooldagen)"),
                help_text=_(
                    "Zoveel schooldagen vóór een termijn krijgt de eigenaar een herinnering, en op de dag zelf nog een (termijnen)."
                ),
                rule="",
                minimum=1,
                maximum=10,
                unit=DAYS,
            ),
        },
    )

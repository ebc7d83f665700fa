"""The settings of steps 2–4 of het gedragsprotocol (declared once; the seed's values as default).

The evaluation terms of steps 2 and 3 are already declared by the engine (protocols/declarations.py:
`step_2_evaluation_weeks` GP-10, `step_3_evaluation_weeks` GP-16) and are reused, not redeclared.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from protocols.registry import BEHAVIOUR, ChoiceSetting, IntSetting, ListSetting, register_settings
from schools.models import Phase

STEP2_EVALUATION = "step_2_evaluation_weeks"  # GP-10 (engine declaration)
STEP3_EVALUATION = "step_3_evaluation_weeks"  # GP-16 (engine declaration)
ARROWS = ("→", "->")


def parse_phase_mapping(lines: list[str]) -> dict[str, str]:
    """ "onderbouw → middenbouw" lines as {from: to}; a Dutch ValidationError on a line that is not."""
    known = {str(p.value): p.value for p in Phase} | {str(p.label): p.value for p in Phase}
    mapping: dict[str, str] = {}
    for line in lines:
        parts = None
        for arrow in ARROWS:
            if arrow in line:
                parts = [p.strip().casefold() for p in line.split(arrow, 1)]
                break
        if not parts or parts[0] not in known or parts[1] not in known:
            raise ValidationError(
                gettext("Schrijf elke regel als “onderbouw → middenbouw” (GP-21): %(line)s") % {"line": line}
            )
        if known[parts[0]] == known[parts[1]]:
            raise ValidationError(
                gettext("Een leerling gaat naar een andere bouw (GP-21): %(line)s") % {"line": line}
            )
        mapping[known[parts[0]]] = known[parts[1]]
    return mapping


def _valid_mapping(lines: list[str]) -> None:
    parse_phase_mapping(lines)


HOST_SAME_YEAR, HOST_YEAR_BELOW, HOST_YEAR_ABOVE, HOST_OTHER_DEPARTMENT = (
    "same_year",
    "year_below",
    "year_above",
    "other_department",
)
AFTER_SCHOOL_TIMES = tuple(
    (f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(12, 17) for m in (0, 15, 30, 45)
)


def declare_plan_settings() -> None:
    register_settings(
        BEHAVIOUR,
        {
            "step2_feedback_frequency": ChoiceSetting(
                default="weekly",
                label=_("voorgestelde frequentie van terugkoppeling aan ouders (stap 2)"),
                help_text=_(
                    "Met de ouders wordt afgesproken hoe vaak en hoe de leerkracht terugkoppelt (GP-8, GP-9)."
                ),
                rule="GP-8",
                choices=(
                    ("daily", _("elke schooldag")),
                    ("weekly", _("elke week")),
                    ("biweekly", _("om de week")),
                ),
            ),
            "step2_feedback_channels": ListSetting(
                default=("e-mail", "telefoon", "heen-en-weerschrift", "gesprek bij het ophalen"),
                label=_("manieren van terugkoppelen aan ouders (stap 2)"),
                help_text=_("Eén manier per regel; in het gesprek wordt er één afgesproken (GP-8)."),
                rule="GP-8",
                minimum=1,
                maximum=10,
                max_length=100,
            ),
            "step2_consequences": ListSetting(
                default=(
                    "schade herstellen of vergoeden",
                    "een excuusbrief of excuusgesprek",
                    "een natuurlijke consequentie",
                    "een consequentie passend bij de persoon",
                    "de leerling laten meedenken",
                ),
                label=_("consequenties als richtlijn (stap 2)"),
                help_text=_("Eén consequentie per regel; in het plan kies je er een of meer (GP-11)."),
                rule="GP-11",
                minimum=1,
                maximum=20,
            ),
            "step3_after_school_weeks": IntSetting(
                default=2,
                label=_("nablijven na schooltijd (weken, stap 3)"),
                help_text=_("Als richtlijn blijft de leerling twee weken een half uur na (GP-19)."),
                rule="GP-19",
                minimum=1,
                maximum=6,
                unit=_("weken"),
            ),
            "step3_after_school_minutes": IntSetting(
                default=30,
                label=_("nablijven per dag (minuten, stap 3)"),
                help_text=_("Een half uur na schooltijd (GP-19)."),
                rule="GP-19",
                minimum=10,
                maximum=60,
                unit=_("minuten"),
            ),
            "step3_after_school_from": ChoiceSetting(
                default="14:45",
                label=_("nablijven vanaf (stap 3)"),
                help_text=_("Het tijdstip waarop het nablijven begint (GP-19: 14.45 uur)."),
                rule="GP-19",
                choices=AFTER_SCHOOL_TIMES,
            ),
            "step4_placement_school_days": IntSetting(
                default=5,
                label=_("duur van de plaatsing in een andere groep (schooldagen)"),
                help_text=_("Een time-out van één week in een andere groep (GP-21)."),
                rule="GP-21",
                minimum=1,
                maximum=10,
                unit=_("dagen"),
            ),
            "step4_phase_mapping": ListSetting(
                default=("onderbouw → middenbouw", "middenbouw → bovenbouw", "bovenbouw → onderbouw"),
                label=_("gastgroep per bouw (stap 4, po)"),
                help_text=_(
                    "Richtlijn voor de gastgroep: “onderbouw → middenbouw”, één bouw per regel (GP-21)."
                ),
                rule="GP-21",
                minimum=1,
                maximum=3,
                max_length=60,
                validators=(_valid_mapping,),
            ),
            "step4_vo_host_rule": ChoiceSetting(
                default=HOST_SAME_YEAR,
                label=_("gastklas in het vo (stap 4)"),
                help_text=_(
                    "In het vo zijn er geen bouwen: welke klas de leerling een week opvangt (GP-21)."
                ),
                rule="GP-21",
                choices=(
                    (HOST_SAME_YEAR, _("een andere klas van hetzelfde leerjaar")),
                    (HOST_YEAR_BELOW, _("een klas een leerjaar lager")),
                    (HOST_YEAR_ABOVE, _("een klas een leerjaar hoger")),
                    (HOST_OTHER_DEPARTMENT, _("een klas van hetzelfde leerjaar in een andere afdeling")),
                ),
            ),
        },
    )

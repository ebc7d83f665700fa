"""The behaviour protocol's declared settings (issue 10 §1), with the seed's values as default.

Every number and list the ladder, the incidents and steps 2–4 read is declared here once and read
from the version a case started under (`case.setting(key)`) or the version in force
(`protocols.services.protocol_value`). The step lengths of step 2 (GP-10, 2 months) and step 3
(GP-16, 6 weeks) are already declared by the engine (protocols/declarations.py:
`step_2_evaluation_weeks`, `step_3_evaluation_weeks`) and are reused, not redeclared.

People in lists (copies, consent) are written as Dutch role words, one vocabulary for the school:
  leerkracht (the teacher who confirms the measure), mentor, directeur, ib-er (care coordinator),
  gedragsspecialist; per out-of-class stage as "stap: rollen" ("1: leerkracht, directeur, ib-er").
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from protocols.registry import BEHAVIOUR, ChoiceSetting, IntSetting, ListSetting, register_settings

# Dutch role word in a setting → recipient token (dossier/services/recipients.py) or "teacher".
ROLE_WORDS: dict[str, str] = {
    "leerkracht": "teacher",
    "mentor": "mentor",
    "directeur": "director",
    "ib-er": "care_coordinator",
    "gedragsspecialist": "behaviour_specialist",
}
NOBODY = "geen"
ARROW = re.compile(r"\s*(?:→|->)\s*")

# The seed (../shared/seeds/002: "Gedragsprotocol voorbeeld"), cited per key below.
SEED_CATEGORIES = (
    "fysieke agressie of geweld",
    "verbale of schriftelijke agressie (ook online)",
    "vernieling en vandalisme",
    "niet luisteren",
)
SEED_SMALL_SANCTIONS = ("even afkoelen", "corrigerend gesprek", "één keer binnenblijven in de pauze")
SEED_STAGES = ("één uur in een andere klas", "één dagdeel in een andere klas", "één dag in een andere klas")
# One line per stage that has anyone: "stap: rollen" (a stage without a line has nobody).
SEED_STAGE_COPIES = ("1: leerkracht, directeur, ib-er", "3: directeur")
SEED_STAGE_NAMED = ("3: directeur",)
STAGE_LINE = re.compile(r"^\s*(\d+)\s*:\s*(.*)$")
SEED_CONSENT = ("directeur", "gedragsspecialist")
SEED_HOST_MAPPING = ("onderbouw → middenbouw", "middenbouw → bovenbouw", "bovenbouw → onderbouw")
SEED_AFTERCARE = ("nagesprek met de leerling", "ouders geïnformeerd")

RESTART_SCHOOL_YEAR, RESTART_NEVER = "school_year", "never"
HOST_BY_YEAR_LEVEL, HOST_BY_DEPARTMENT = "year_level", "department"


def role_words(line: str) -> list[str]:
    """The role words of one line ("leerkracht, directeur" → ["leerkracht", "directeur"]); "geen" → []."""
    words = [word.strip().lower() for word in line.split(",") if word.strip()]
    return [] if words == [NOBODY] else words


def per_stage(lines: list[str], stage: int) -> list[str]:
    """The role words for `stage` (1-based) from "stap: rollen" lines."""
    for line in lines:
        match = STAGE_LINE.match(line)
        if match and int(match.group(1)) == stage:
            return role_words(match.group(2))
    return []


def _stage_lines(lines: list[str]) -> None:
    for line in lines:
        match = STAGE_LINE.match(line)
        if not match:
            raise ValidationError(
                gettext(
                    "Schrijf elke regel als “stap: rollen”, bijvoorbeeld “1: leerkracht, directeur” (GP-4)."
                )
            )
        _known_role_words([match.group(2)])


def _known_role_words(lines: list[str]) -> None:
    for line in lines:
        for word in role_words(line):
            if word not in ROLE_WORDS:
                raise ValidationError(
                    gettext("“%(word)s” is geen bekende rol; gebruik %(known)s of “geen”.")
                    % {"word": word, "known": ", ".join(ROLE_WORDS)}
                )


def _consent_of_director_and_specialist(lines: list[str]) -> None:
    # GP-6, GP-7: the step to step 2 is decided together with the director and the behaviour specialist.
    _known_role_words(lines)
    words = {word for line in lines for word in role_words(line)}
    if not {"directeur", "gedragsspecialist"} <= words:
        raise ValidationError(
            gettext("De directeur en de gedragsspecialist stemmen altijd in met stap 2 (GP-6, GP-7).")
        )


def host_mapping(lines: list[str]) -> dict[str, str]:
    """{"onderbouw": "middenbouw", …} from "onderbouw → middenbouw" lines (GP-21)."""
    mapping = {}
    for line in lines:
        parts = ARROW.split(line)
        if len(parts) == 2 and all(p.strip() for p in parts):
            mapping[parts[0].strip().lower()] = parts[1].strip().lower()
    return mapping


def _host_mapping_lines(lines: list[str]) -> None:
    for line in lines:
        parts = ARROW.split(line)
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise ValidationError(gettext("Schrijf elke regel als “eigen bouw → gastbouw” (GP-21)."))
        if parts[0].strip().lower() == parts[1].strip().lower():
            raise ValidationError(gettext("Een leerling gaat nooit naar de eigen bouw (GP-21)."))


def declare() -> None:
    register_settings(
        BEHAVIOUR,
        {
            # GP-1: the four categories of the seed; a school adds its own.
            "incident_categories": ListSetting(
                default=SEED_CATEGORIES,
                label=_("categorieën van incidenten"),
                help_text=_("Eén categorie per regel; de school mag eigen categorieën toevoegen (GP-1)."),
                rule="GP-1",
                minimum=1,
                maximum=20,
                max_length=80,
            ),
            # GP-3: first and second warning, each naming the desired behaviour.
            "warnings": IntSetting(
                default=2,
                label=_("aantal waarschuwingen"),
                help_text=_(
                    "Eerst waarschuwen en het gewenste gedrag noemen; de tweede keer opnieuw (GP-3)."
                ),
                rule="GP-3",
                minimum=1,
                maximum=5,
            ),
            # GP-3: "indien nodig volgt een kleine sanctie".
            "small_sanctions": ListSetting(
                default=SEED_SMALL_SANCTIONS,
                label=_("kleine sancties"),
                help_text=_("Kleine sancties na de waarschuwingen, één per regel (GP-3)."),
                rule="GP-3",
                minimum=1,
                maximum=10,
                max_length=100,
            ),
            "small_sanction_count": IntSetting(
                default=1,
                label=_("aantal kleine sancties vóór de stappen buiten de klas"),
                help_text=_(
                    "Zoveel keer een kleine sanctie voordat de stappen buiten de klas volgen (GP-3, GP-4)."
                ),
                rule="GP-3",
                minimum=0,
                maximum=5,
            ),
            # GP-4: hour, dagdeel, day in another class, with work.
            "out_of_class_stages": ListSetting(
                default=SEED_STAGES,
                label=_("stappen buiten de klas"),
                help_text=_("Elke nieuwe keer één stap verder: één regel per stap, in volgorde (GP-4)."),
                rule="GP-4",
                minimum=1,
                maximum=6,
                max_length=100,
            ),
            # GP-4: stage 1 teacher, director and ib-er in cc; stage 3 the director in cc.
            "out_of_class_copies": ListSetting(
                default=SEED_STAGE_COPIES,
                label=_("in kopie bij het bericht aan ouders, per stap"),
                help_text=_(
                    "Per stap buiten de klas wie een kopie krijgt, als “stap: rollen” (leerkracht, mentor, "
                    "directeur, ib-er, gedragsspecialist); een stap zonder regel heeft geen kopie (GP-4)."
                ),
                rule="GP-4",
                minimum=0,
                maximum=6,
                validators=(_stage_lines,),
            ),
            # GP-4 stage 3: "neem de directeur in de cc mee en geef dit ook aan in de mail".
            "out_of_class_named": ListSetting(
                default=SEED_STAGE_NAMED,
                label=_("genoemd in het bericht aan ouders, per stap"),
                help_text=_(
                    "Per stap buiten de klas wie in de tekst genoemd wordt, als “stap: rollen” (GP-4)."
                ),
                rule="GP-4",
                minimum=0,
                maximum=6,
                validators=(_stage_lines,),
            ),
            # GP-6, GP-7: whose recorded consent the step to step 2 needs.
            "escalation_consent": ListSetting(
                default=SEED_CONSENT,
                label=_("instemming nodig voor stap 2"),
                help_text=_(
                    "Wie moet instemmen voordat een leerling naar stap 2 gaat; altijd de directeur en de "
                    "gedragsspecialist (GP-6, GP-7)."
                ),
                rule="GP-7",
                minimum=2,
                maximum=5,
                bound_rule="GP-6, GP-7",
                validators=(_consent_of_director_and_specialist,),
            ),
            "consent_school_days": IntSetting(
                default=2,
                label=_("termijn om in te stemmen (schooldagen)"),
                help_text=_(
                    "Binnen zoveel schooldagen geven de directeur en de gedragsspecialist hun besluit (GP-6, GP-7)."
                ),
                rule="GP-7",
                minimum=1,
                maximum=10,
                unit=_("dagen"),
            ),
            # GP-21: one week in another group.
            "step_4_placement_weeks": IntSetting(
                default=1,
                label=_("duur van de plaatsing in een andere groep (weken)"),
                help_text=_("Een time-out van één week in een andere groep (GP-21, GP-22)."),
                rule="GP-21",
                minimum=1,
                maximum=2,
                unit=_("weken"),
            ),
            # GP-21: onderbouw → middenbouw → bovenbouw → onderbouw.
            "host_group_mapping": ListSetting(
                default=SEED_HOST_MAPPING,
                label=_("gastbouw bij stap 4"),
                help_text=_(
                    "Welke bouw een leerling opvangt: “eigen bouw → gastbouw”, één per regel (GP-21)."
                ),
                rule="GP-21",
                minimum=0,
                maximum=10,
                validators=(_host_mapping_lines,),
            ),
            # GP-21 in vo, where there are no bouwen: the school says which class hosts.
            "host_group_vo": ChoiceSetting(
                default=HOST_BY_YEAR_LEVEL,
                label=_("gastklas in het vo"),
                help_text=_(
                    "In het vo, zonder bouwen: een klas van een ander leerjaar of een andere afdeling (GP-21)."
                ),
                rule="GP-21",
                choices=(
                    (HOST_BY_YEAR_LEVEL, _("een klas van een ander leerjaar")),
                    (HOST_BY_DEPARTMENT, _("een klas van een andere afdeling")),
                ),
            ),
            # GP-3: when a student's ladder starts again (default each school year).
            "ladder_restart": ChoiceSetting(
                default=RESTART_SCHOOL_YEAR,
                label=_("ladder begint opnieuw"),
                help_text=_(
                    "Wanneer de stappen van een leerling weer bij de eerste waarschuwing beginnen (GP-3)."
                ),
                rule="GP-3",
                choices=((RESTART_SCHOOL_YEAR, _("elk schooljaar")), (RESTART_NEVER, _("nooit vanzelf"))),
            ),
            # Issue 10 §3 (Wet veiligheid op school): aftercare for a victim.
            "victim_aftercare": ListSetting(
                default=SEED_AFTERCARE,
                label=_("nazorg voor een slachtoffer"),
                help_text=_(
                    "Wat er na een incident voor het slachtoffer gebeurt, één per regel (GP-1, nazorg)."
                ),
                rule="GP-1",
                minimum=1,
                maximum=10,
                max_length=100,
            ),
            # Issue 10 §3: possible bullying (pesten) flagged to the anti-pest coordinator.
            "bullying_victim_incidents": IntSetting(
                default=3,
                label=_("mogelijk pesten: incidenten tegen één leerling"),
                help_text=_(
                    "Zoveel incidenten tegen dezelfde leerling binnen de periode hieronder melden we als mogelijk "
                    "pesten aan de anti-pestcoördinator (GP-1, Wet veiligheid op school)."
                ),
                rule="GP-1",
                minimum=2,
                maximum=20,
            ),
            "bullying_actor_victims": IntSetting(
                default=3,
                label=_("mogelijk pesten: verschillende slachtoffers van één leerling"),
                help_text=_(
                    "Zoveel verschillende slachtoffers van dezelfde leerling binnen de periode hieronder melden we "
                    "als mogelijk pesten (GP-1, Wet veiligheid op school)."
                ),
                rule="GP-1",
                minimum=2,
                maximum=20,
            ),
            "bullying_window_weeks": IntSetting(
                default=8,
                label=_("mogelijk pesten: periode (weken)"),
                help_text=_("De periode waarover we incidenten tellen voor mogelijk pesten (GP-1)."),
                rule="GP-1",
                minimum=1,
                maximum=52,
                unit=_("weken"),
            ),
        },
    )

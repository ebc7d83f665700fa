"""The review protocol's numbers and lists (LB-1, LB-4, LB-5, LB-12), declared once.

Every offset of the review cycle is read from the meeting's protocol version (`meeting.setting(key)`),
never from a constant. Keys starting with `meeting_`, `agreement_`, `proposal_`, `followup_` belong
to the meeting part of this app (reviews/meeting_settings.py).
"""

from django.utils.translation import gettext_lazy as _

from protocols.registry import REVIEW, IntSetting, ListSetting, register_settings

WEEKS, SCHOOL_DAYS = _("weken"), _("schooldagen")

DEFAULT_SIGNAL_QUESTIONS = (
    "Werkhouding",
    "Gedrag in de les",
    "Sociaal-emotioneel",
    "Resultaten",
    "Verzuim / te laat",
    "Sterke kanten",
)


def declare_cycle_settings() -> None:
    register_settings(
        REVIEW,
        {
            # LB-1: reviews recur, a school plans rounds per school year.
            "rounds_per_year": IntSetting(
                default=3,
                label=_("bespreekrondes per schooljaar"),
                help_text=_("Het aantal rondes leerlingbesprekingen per schooljaar (LB-1)."),
                rule="LB-1",
                minimum=1,
                maximum=6,
            ),
            # LB-4: the signal lists go out two weeks before the review...
            "signal_lists_out_weeks_before": IntSetting(
                default=2,
                label=_("signaleringslijsten uitzetten (weken voor de bespreking)"),
                help_text=_("Twee weken voor de bespreking gaan de signaleringslijsten uit (LB-4)."),
                rule="LB-4",
                minimum=1,
                maximum=6,
                unit=WEEKS,
            ),
            # ...and teachers complete them within one week.
            "signal_lists_due_weeks_before": IntSetting(
                default=1,
                label=_("signaleringslijsten ingevuld (weken voor de bespreking)"),
                help_text=_(
                    "Docenten vullen de lijsten binnen een week in: een week voor de bespreking (LB-4)."
                ),
                rule="LB-4",
                minimum=0,
                maximum=5,
                unit=WEEKS,
            ),
            "signal_reminder_school_days_before": IntSetting(
                default=2,
                label=_("herinnering signaleringslijst (schooldagen voor de inleverdatum)"),
                help_text=_(
                    "Docenten die hun lijst nog niet af hebben krijgen zoveel schooldagen voor de inleverdatum een herinnering (LB-4)."
                ),
                rule="LB-4",
                minimum=0,
                maximum=10,
                unit=SCHOOL_DAYS,
            ),
            # LB-5: one week before, the mentor compiles the discussion list and sends it.
            "discussion_list_weeks_before": IntSetting(
                default=1,
                label=_("bespreeklijst klaar (weken voor de bespreking)"),
                help_text=_(
                    "Een week voor de bespreking stelt de mentor de bespreeklijst op en stuurt die rond (LB-5)."
                ),
                rule="LB-5",
                minimum=0,
                maximum=4,
                unit=WEEKS,
            ),
            # LB-2: an absent teacher hands in written input before the meeting (reminded).
            "written_input_reminder_school_days_before": IntSetting(
                default=2,
                label=_("herinnering schriftelijke inbreng (schooldagen voor de bespreking)"),
                help_text=_(
                    "Een docent met verlof krijgt zoveel schooldagen voor de bespreking een herinnering om schriftelijke inbreng te leveren (LB-2)."
                ),
                rule="LB-2",
                minimum=0,
                maximum=10,
                unit=SCHOOL_DAYS,
            ),
            # LB-4: the signal list of the school, one question per line; a free remark always follows.
            "signal_questions": ListSetting(
                default=DEFAULT_SIGNAL_QUESTIONS,
                label=_("vragen van de signaleringslijst"),
                help_text=_(
                    "Eén onderwerp per regel; elk wordt gescoord (goed / let op / zorg). Een vrije opmerking staat er altijd bij (LB-4)."
                ),
                rule="LB-4",
                minimum=1,
                maximum=12,
                max_length=60,
            ),
        },
    )

"""De leerlingbespreking (LB-n): registers its records, kinds, letters and jobs from ready()."""

import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Leerlingbespreking")

    def ready(self) -> None:
        from .apps_meeting import ready_meeting
        from .selectors import signal_answers_of_meeting
        from .selectors_meeting import set_signal_answer_provider

        self.ready_cycle()
        ready_meeting()  # the meeting side (LB-3, LB-5 … LB-13)
        __import__(
            "reviews.student_panel", fromlist=["register"]
        ).register()  # the student's overview (LB-12)
        # LB-5: the preparation reads the teachers' signal lists through one door.
        set_signal_answer_provider(signal_answers_of_meeting)

        from schools.demo.fillers import register_demo_filler

        from .demo import fill_demo_reviews, remove_demo_reviews

        # `manage.py demo`: a planned meeting for the mentor's class, signal lists out for another class
        register_demo_filler(fill_demo_reviews, remove=remove_demo_reviews)

    def ready_cycle(self) -> None:
        """The review cycle: planning, schedule, signal lists, leave (issue 12 items 1-3, 5, 9)."""
        from audit.labels import register_action_labels
        from dossier.retention_table import RetentionRule, register_retention_rules
        from schools.benchmarks import register_benchmark
        from schools.home import register_home_provider
        from schools.matrix import register_matrix_rows
        from schools.periodic import register_periodic_job

        from . import home_cycle, jobs_cycle
        from .rules_cycle import declare_rules
        from .settings import declare_cycle_settings

        declare_cycle_settings()
        declare_rules()
        register_action_labels(
            {
                "reviews.access_denied": _("geweigerde poging een leerlingbespreking te openen"),
                "reviews.round.planned": _("bespreekronde gepland"),
                "reviews.meeting.planned": _("leerlingbespreking gepland"),
                "reviews.meeting.moved": _("leerlingbespreking verplaatst"),
                "reviews.meeting.cancelled": _("leerlingbespreking geannuleerd"),
                "reviews.signal_round.opened": _("signaleringslijsten uitgezet"),
                "reviews.signal_list.finished": _("signaleringslijst ingeleverd"),
                "reviews.signal.raised": _("signaal buiten de leerlingbespreking gemeld"),
                "reviews.leave.requested": _("verlof voor een leerlingbespreking aangevraagd"),
                "reviews.leave.approved": _("verlof voor een leerlingbespreking toegekend"),
                "reviews.leave.denied": _("verlof voor een leerlingbespreking afgewezen"),
                "reviews.written_input.saved": _(
                    "schriftelijke inbreng voor een leerlingbespreking opgeslagen"
                ),
                "reviews.agreements.read": _("afspraken van een leerlingbespreking gelezen"),
            }
        )
        register_periodic_job("reviews.cycle", jobs_cycle.run_cycle, every=datetime.timedelta(days=1))
        register_home_provider(home_cycle.my_signal_lists, order=30)
        register_home_provider(home_cycle.leave_to_decide, order=31)
        register_home_provider(home_cycle.upcoming_meetings, order=32)
        register_retention_rules(
            RetentionRule("review_signal_response", _("antwoorden op signaleringslijsten"), "reviews.SignalResponse",
                          "student", ("signal",)),
            RetentionRule("review_out_of_cycle_signal", _("signalen buiten de leerlingbespreking"),
                          "reviews.OutOfCycleSignal", "student", ("signal",)),
            RetentionRule("review_written_input", _("schriftelijke inbreng"), "reviews.WrittenInput", "student",
                          ("signal",)),
        )  # fmt: skip
        register_matrix_rows(
            "reviews_cycle",
            pages=["/leerlingbespreking/{review_meeting}/cyclus/", "/signaleringslijst/{signal_round}/",
                   "/leerlingbespreking/verlof/{leave_request}/", "/leerlingbespreking/leerling/{student}/signaal/",
                   "/leerlingbespreking/ronde/{review_round}/bespreking/nieuw/"],
            posts=["/leerlingbespreking/{review_meeting}/verplaatsen/", "/leerlingbespreking/{review_meeting}/annuleren/",
                   "/leerlingbespreking/{review_meeting}/lijsten-uitzetten/", "/leerlingbespreking/{review_meeting}/verlof/",
                   "/leerlingbespreking/{review_meeting}/afspraken-gelezen/", "/signaleringslijst/{signal_round}/antwoord/",
                   "/signaleringslijst/{signal_round}/inleveren/", "/leerlingbespreking/verlof/{leave_request}/inbreng/"],
            objects="reviews.matrix_cycle.school_b_objects",
        )  # fmt: skip
        register_benchmark("reviews.bench_cycle")

"""Registrations of the meeting side of the leerlingbespreking; `ready_meeting()` is called from
ReviewsConfig.ready() (one line)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _


def ready_meeting() -> None:
    from django.db.models.signals import post_save

    from audit.labels import register_action_labels
    from deadlines.services.calendar_feed import register_calendar_provider
    from dossier.models import EntryKind
    from dossier.retention_table import RetentionRule, register_retention_rules
    from messaging.letters.registry import register_letter_template
    from schools.home import register_home_provider
    from schools.matrix import register_matrix_rows
    from schools.models import TeachingAssignment
    from schools.periodic import register_periodic_job

    from . import calendar_events, home_meeting, jobs_cycle, rules_meeting  # noqa: F401  (rules register on import)
    from .meeting_settings import declare_meeting_settings
    from .services import follow_up, report_back

    declare_meeting_settings()
    register_action_labels(
        {
            "reviews.discussion_item.saved": _("leerling op de bespreeklijst bijgewerkt"),
            "reviews.discussion_item.removed": _("leerling van de bespreeklijst gehaald"),
            "reviews.discussion_list.sent": _("bespreeklijst verstuurd"),
            "reviews.meeting_mode.started": _("leerlingbespreking gestart"),
            "reviews.discussion.saved": _("bespreking van een leerling bijgewerkt"),
            "reviews.minutes.filed": _("notulen in het dossier gezet"),
            "reviews.meeting_mode.closed": _("leerlingbespreking afgesloten"),
            "reviews.meeting_mode.view_denied": _("geweigerde poging om een leerlingbespreking te openen"),
            "reviews.agreement.added": _("afspraak gemaakt"),
            "reviews.agreement.changed": _("afspraak gewijzigd"),
            "reviews.agreement.evaluated": _("afspraak geëvalueerd"),
            "reviews.agreement.view_denied": _("geweigerde poging om een afspraak te openen"),
            "reviews.referral.made": _("verwijzing gemaakt"),
            "reviews.referral.answered": _("verwijzing beantwoord"),
            "reviews.referral.viewed": _("verwijzing bekeken"),
            "reviews.referral.view_denied": _("geweigerde poging om een verwijzing te openen"),
            "reviews.follow_up.recorded": _("nazorg vastgelegd"),
            "reviews.follow_up.view_denied": _("geweigerde poging om nazorg te openen"),
            report_back.REPORTED: _("evaluatie teruggekoppeld aan collega's, leerling en ouders"),
            "reviews.signal_round.teachers_added": _(
                "signaleringslijsten aan nieuwe docenten van de groep gegeven"
            ),
        }
    )
    register_letter_template(  # LB-13: the evaluation reported back to the parents
        report_back.PARENT_TEMPLATE, report_back.PARENT_SUBJECT, report_back.PARENT_BODY, rule="LB-13",
        title="Evaluatie afspraak leerlingbespreking", variables=("goal", "outcome", "what_next"),
    )  # fmt: skip
    register_periodic_job(
        "reviews.overdue_evaluations", follow_up.remind_overdue_evaluations, every=datetime.timedelta(days=1)
    )
    register_calendar_provider(calendar_events.meeting_events)  # LB-1: the meeting as a timed event
    # LB-4, LB-5: a teacher given a teaching assignment in the group later gets the lists too.
    post_save.connect(jobs_cycle.teaching_assignment_made, sender=TeachingAssignment,
                      dispatch_uid="reviews.teaching_assignment_made")  # fmt: skip
    register_home_provider(home_meeting.my_meetings, order=42)
    register_home_provider(home_meeting.my_recap, order=44)
    register_home_provider(home_meeting.round_status, order=46)
    register_matrix_rows(
        "reviews_meeting",
        pages=[
            "/besprekingen/{review_meeting_live}/voorbereiden/",
            "/besprekingen/{review_meeting_live}/bespreeklijst.pdf",
            "/besprekingen/{review_meeting_live}/vergadering/",
            "/besprekingen/{review_meeting_live}/nazorg/",
            "/besprekingen/verwijzing/{review_referral}/",
            "/besprekingen/afspraak/{review_agreement}/evalueren/",
        ],
        posts=[
            "/besprekingen/{review_meeting_live}/voorbereiden/",
            "/besprekingen/{review_meeting_live}/bespreeklijst/versturen/",
            "/besprekingen/{review_meeting_live}/vergadering/starten/",
            "/besprekingen/{review_meeting_live}/vergadering/leerling/{student}/",
            "/besprekingen/{review_meeting_live}/vergadering/leerling/{student}/afspraak/",
            "/besprekingen/{review_meeting_live}/vergadering/leerling/{student}/verwijzing/",
            "/besprekingen/afspraak/{review_agreement}/",
            "/besprekingen/{review_meeting_live}/afsluiten/",
            "/besprekingen/verwijzing/{review_referral}/",
            "/besprekingen/afspraak/{review_agreement}/evalueren/",
            "/besprekingen/nazorg/{review_follow_up}/",
            "/besprekingen/evaluatie/{review_evaluation}/terugkoppelen/",
        ],
        objects="reviews.matrix_meeting.school_b_objects",
    )
    register_retention_rules(
        RetentionRule(
            "review_item", _("bespreeklijsten"), "reviews.DiscussionItem", "student", (EntryKind.AGREEMENT,)
        ),
        RetentionRule(
            "review_discussion",
            _("besprekingen van leerlingen"),
            "reviews.StudentDiscussion",
            "student",
            (EntryKind.AGREEMENT,),
        ),  # fmt: skip
        RetentionRule(
            "review_evaluation",
            _("evaluaties"),
            "reviews.Evaluation",
            "agreement__student",
            (EntryKind.EVALUATION, EntryKind.AGREEMENT),
        ),  # fmt: skip
        RetentionRule(
            "review_agreement",
            _("afspraken"),
            "reviews.Agreement",
            "student",
            (EntryKind.AGREEMENT, EntryKind.EVALUATION),
        ),  # fmt: skip
        RetentionRule(
            "review_action_plan",
            _("handelingsplannen"),
            "reviews.ActionPlan",
            "student",
            (EntryKind.AGREEMENT,),
        ),  # fmt: skip
        RetentionRule(
            "review_referral", _("verwijzingen"), "reviews.Referral", "student", (EntryKind.REFERRAL,)
        ),
        RetentionRule("review_follow_up", _("nazorg"), "reviews.FollowUp", "student", (EntryKind.TALK,)),
    )

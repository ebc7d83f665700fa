"""The meeting side of the leerlingbespreking (LB-3, LB-5 … LB-13).

Preparation: a `DiscussionList` per meeting with a `DiscussionItem` per student (why proposed, the
hulpvraag, the leerdoel and the questions for the subject teachers, LB-3/LB-5). The meeting:
`MeetingMinutes` (tasks divided, general notes, LB-6), a `StudentDiscussion` per student (strengths,
concerns, the three questions of LB-7, the minute-taker's notes), `Agreement`s (SMART, LB-9/LB-10)
grouped in an `ActionPlan`, or a `Referral` to the care team or the ZAT (LB-11). Afterwards:
`FollowUp` talks (LB-12) and an `Evaluation` per agreement (LB-13).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DiscussionList(models.Model):
    """De bespreeklijst (LB-5): compiled by the mentor with the care coordinator, sent to every teacher."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.OneToOneField(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="discussion_list"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("bespreeklijst")
        verbose_name_plural = _("bespreeklijsten")


class DiscussionItem(models.Model):
    """One student on the discussion list, with what the mentor wants to ask (LB-3, LB-5)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    discussion_list = models.ForeignKey(DiscussionList, on_delete=models.CASCADE, related_name="items")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reden van bespreking"), blank=True)
    hulpvraag = models.TextField(_("hulpvraag"), blank=True)
    leerdoel = models.TextField(_("leerdoel"), blank=True)
    questions = models.TextField(_("vragen aan de vakdocenten"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    text_warnings = models.JSONField(default=list, blank=True)
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("leerling op de bespreeklijst")
        verbose_name_plural = _("leerlingen op de bespreeklijst")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion_list", "student"], name="discussionitem_unique_student"
            )
        ]


class MeetingMinutes(models.Model):
    """The meeting's own record (LB-6): tasks divided at the start, general notes, when it started."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.OneToOneField("reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="minutes")
    tasks = models.TextField(_("taakverdeling"), blank=True)
    notes = models.TextField(_("algemene notulen"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    text_warnings = models.JSONField(default=list, blank=True)
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("notulen")
        verbose_name_plural = _("notulen")


class StudentDiscussion(models.Model):
    """One student discussed in the meeting (LB-7): strengths and concerns, the three questions, notes."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="discussions")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    strengths = models.TextField(_("sterke kanten"), blank=True)
    concerns = models.TextField(_("wat niet goed loopt"), blank=True)
    team_ask = models.TextField(_("wat vraagt deze leerling van ons als team?"), blank=True)
    student_needs = models.TextField(_("wat heeft deze leerling nodig?"), blank=True)
    how_to_help = models.TextField(_("hoe kunnen wij helpen binnen onze mogelijkheden?"), blank=True)
    notes = models.TextField(_("notities van de notulist"), blank=True)
    # LB-8: the kinds of text-check warnings the writers were shown, kept with the record.
    text_warnings = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("bespreking van een leerling")
        verbose_name_plural = _("besprekingen van leerlingen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "student"], name="studentdiscussion_unique_student")
        ]

    TEXT_FIELDS = ("strengths", "concerns", "team_ask", "student_needs", "how_to_help", "notes")


class ActionPlan(models.Model):
    """Een handelingsplan (LB-9): several agreements for one student."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="action_plans"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("naam"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("handelingsplan")
        verbose_name_plural = _("handelingsplannen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "student"], name="actionplan_unique_student")
        ]


class AgreementState(models.TextChoices):
    OPEN = "open", _("loopt")
    EVALUATED = "evaluated", _("geëvalueerd")


class Agreement(models.Model):
    """A SMART agreement made in the meeting (LB-9, LB-10), starting a week later (LB-12)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="agreements")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    owner = models.ForeignKey(  # LB-9, LB-13: who sees to it (default the mentor)
        "schools.StaffMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("eigenaar")
    )
    goal = models.TextField(_("concreet, waarneembaar doel"))
    carried_out_by = models.ManyToManyField(
        "schools.StaffMember", related_name="+", blank=True, verbose_name=_("wie voert het uit")
    )
    starts_on = models.DateField(_("start"))
    evaluate_on = models.DateField(_("evaluatiedatum"))
    state = models.CharField(max_length=10, choices=AgreementState.choices, default=AgreementState.OPEN)
    # LB-9: a goal the check found vague is kept only with the reason it is measurable after all.
    vague_reason = models.TextField(_("waarom dit doel toch meetbaar is"), blank=True)
    text_warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["evaluate_on", "pk"]

    def __str__(self) -> str:
        return self.goal[:60]


class ReferralTarget(models.TextChoices):
    CARE_TEAM = "care_team", _("intern zorgteam")
    ZAT = "zat", _("zorg- en adviesteam (ZAT)")


class ReferralState(models.TextChoices):
    OPEN = "open", _("wacht op antwoord")
    ANSWERED = "answered", _("beantwoord")


class Referral(models.Model):
    """A referral to the care team or the ZAT (LB-11); read by the care team only (AVG-4)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="referrals", null=True, blank=True
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("naar"), max_length=10, choices=ReferralTarget.choices)
    question = models.TextField(_("vraag"))
    reason = models.TextField(_("reden"))
    state = models.CharField(max_length=10, choices=ReferralState.choices, default=ReferralState.OPEN)
    answer = models.TextField(_("antwoord"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text_warnings = models.JSONField(default=list, blank=True)
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-created_at", "pk"]


class EvaluationOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("behaald")
    PARTLY = "partly", _("deels behaald")
    NOT = "not", _("niet behaald")


class Evaluation(models.Model):
    """The evaluation of one agreement on its date (LB-9: always evaluated; LB-13)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="evaluation")
    outcome = models.CharField(_("resultaat"), max_length=10, choices=EvaluationOutcome.choices)
    what_next = models.TextField(_("hoe verder"))
    evaluated_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(default=timezone.now)
    text_warnings = models.JSONField(default=list, blank=True)
    # LB-13: reported back to the colleagues, the student and the parents (once).
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")


class FollowUpKind(models.TextChoices):
    STUDENT_TALK = "student_talk", _("gesprek met de leerling")
    PARENT_FEEDBACK = "parent_feedback", _("terugkoppeling aan de ouders")


class FollowUp(models.Model):
    """The week after (LB-12): the mentor's talk with the student and the feedback to the parents."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="follow_ups")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=FollowUpKind.choices)
    due_on = models.DateField(_("uiterlijk"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("verslag"), blank=True)
    text_warnings = models.JSONField(default=list, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("nazorg")
        verbose_name_plural = _("nazorg")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "student", "kind"], name="followup_unique_kind")
        ]

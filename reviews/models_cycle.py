"""The review cycle's own records (LB-2, LB-4, LB-12, LB-14): signal rounds and responses, signals
outside the cycle, leave, written input of an absent teacher and the confirmation of reading the
agreements. Imported from reviews/models.py.

The signal list's questions are a protocol setting (`signal_questions`); a round keeps the list it
was opened with (`SignalRound.questions`), so a later change of the protocol leaves it as it was.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

REMARK = "remark"  # the free remark of a signal list, next to the scored questions


class Score(models.TextChoices):
    """The scale of a signal-list question (LB-4)."""

    GOOD = "good", _("gaat goed")
    WATCH = "watch", _("let op")
    CONCERN = "concern", _("zorg")


class SignalRound(models.Model):
    """The signal lists of one review meeting (LB-4): out two weeks before, due one week before."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.OneToOneField(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="signal_round"
    )
    questions = models.JSONField(_("vragen"), default=list)  # the scored questions, as opened (LB-4)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("inleveren uiterlijk"))
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("signaleringsronde")
        verbose_name_plural = _("signaleringsrondes")

    def __str__(self) -> str:
        return str(self.meeting)

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_at is None and today <= self.due_on


class SignalAssignment(models.Model):
    """One teacher's signal list of a round: who gets it, and whether they finished it (LB-4)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(SignalRound, on_delete=models.CASCADE, related_name="assignments")
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("signaleringslijst")
        verbose_name_plural = _("signaleringslijsten")
        constraints = [models.UniqueConstraint(fields=["round", "teacher"], name="signalassignment_unique")]


class SignalResponse(models.Model):
    """One teacher's answers about one student (LB-4). `answers` maps a question's index (as text)
    or "remark" to the answer; one answer is saved at a time under a row lock, so two tabs of one
    teacher never lose each other's answers, and two teachers each have their own row."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(SignalRound, on_delete=models.CASCADE, related_name="responses")
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    answered = models.PositiveSmallIntegerField(default=0)  # scored questions answered (progress)
    row_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("antwoord op een signaleringslijst")
        verbose_name_plural = _("antwoorden op signaleringslijsten")
        constraints = [
            models.UniqueConstraint(fields=["round", "teacher", "student"], name="signalresponse_unique")
        ]
        indexes = [models.Index(fields=["round", "teacher"])]


class OutOfCycleSignal(models.Model):
    """A signal outside the review cycle (LB-14): any teacher, any time; reaches the mentor at once
    and is proposed for the group's next discussion list (read by the preparation)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("signaal"))
    raised_at = models.DateTimeField(default=timezone.now)
    proposed_for_meeting = models.ForeignKey(
        "reviews.ReviewMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_signals",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("signaal buiten de cyclus")
        verbose_name_plural = _("signalen buiten de cyclus")
        ordering = ["-raised_at"]


class LeaveState(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    APPROVED = "approved", _("toegekend")
    DENIED = "denied", _("afgewezen")


class LeaveRequest(models.Model):
    """A teacher who cannot attend asks the department head (po: the director) for leave (LB-2)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="leave_requests"
    )
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reden"))
    state = models.CharField(max_length=12, choices=LeaveState.choices, default=LeaveState.REQUESTED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("toelichting op het besluit"), blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("verlofaanvraag")
        verbose_name_plural = _("verlofaanvragen")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "teacher"], name="leaverequest_unique")]


class WrittenInput(models.Model):
    """An absent teacher's written input about a discussed student, before the meeting (LB-2)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="written_inputs"
    )
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("inbreng"))
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("schriftelijke inbreng")
        verbose_name_plural = _("schriftelijke inbreng")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "teacher", "student"], name="writteninput_unique")
        ]


class AgreementsRead(models.Model):
    """An absent teacher confirms they read the meeting's agreements (LB-2, LB-12)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", on_delete=models.CASCADE, related_name="agreements_read"
    )
    teacher = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("afspraken gelezen")
        verbose_name_plural = _("afspraken gelezen")
        constraints = [models.UniqueConstraint(fields=["meeting", "teacher"], name="agreementsread_unique")]

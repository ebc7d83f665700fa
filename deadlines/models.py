"""Deadline: every "must happen by" of the protocols is a row (ARCHITECTURE: deadlines).

A `DeadlineSchedule` hangs deadlines on an anchor (a meeting date, a decision date); each of its
deadlines keeps its own offset from the anchor (`term_offset` in `term_unit`), so moving the anchor
recomputes every pending deadline from its own offset (deadlines/services/deadline_schedules.py).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DeadlineState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("afgerond")
    WITHDRAWN = "withdrawn", _("vervallen")
    # The clock stopped (an objection waiting for the Geschillencommissie, LAW-4); resumed later.
    PAUSED = "paused", _("gepauzeerd")


# Open or paused: still to happen, so a moved or cancelled schedule takes it along.
PENDING_STATES = (DeadlineState.OPEN, DeadlineState.PAUSED)


class TermUnit(models.TextChoices):
    SCHOOL_DAYS = "school_days", _("schooldagen")
    WEEKS = "weeks", _("weken")
    MONTHS = "months", _("maanden")


class ScheduleState(models.TextChoices):
    ACTIVE = "active", _("actief")
    CANCELLED = "cancelled", _("geannuleerd")


class DeadlineSchedule(models.Model):
    """Deadlines hung on one anchor date; holds no student data (the deadlines do)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=100, blank=True)
    anchor_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    anchor_id = models.CharField(max_length=64, blank=True)
    anchor = GenericForeignKey("anchor_type", "anchor_id")
    anchor_date = models.DateField(_("ankerdatum"))
    state = models.CharField(max_length=10, choices=ScheduleState.choices, default=ScheduleState.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("termijnschema")
        verbose_name_plural = _("termijnschema's")
        ordering = ["anchor_date", "pk"]
        indexes = [models.Index(fields=["anchor_type", "anchor_id"])]

    def __str__(self) -> str:
        return f"{self.code or self.pk} ({self.anchor_date:%d-%m-%Y})"


class Deadline(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("schools.StaffMember", on_delete=models.CASCADE, related_name="deadlines")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    title = models.CharField(_("wat"), max_length=200)
    rule = models.CharField(_("regel"), max_length=20, blank=True, help_text=_("bijvoorbeeld GP-10 of AVG-1"))
    due_on = models.DateField(_("uiterlijk op"))
    state = models.CharField(max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    url = models.CharField(max_length=300, blank=True)
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_due_on = models.DateField(null=True, blank=True)
    # The term it was computed from: set for a deadline of a schedule (offset from the anchor, may be
    # negative) and for one created with a term; blank for one created with a fixed date.
    schedule = models.ForeignKey(
        DeadlineSchedule, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    step_code = models.CharField(max_length=100, blank=True)
    term_offset = models.IntegerField(null=True, blank=True)
    term_unit = models.CharField(max_length=12, choices=TermUnit.choices, blank=True)
    # Pausing: the day the clock stopped, and the days the due date has moved on for earlier pauses
    # (school days for a term in school days, calendar days otherwise).
    paused_on = models.DateField(null=True, blank=True)
    pause_extension = models.IntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "state", "due_on"]),
            models.Index(fields=["school", "state", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "step_code"],
                condition=models.Q(schedule__isnull=False),
                name="deadline_unique_step_per_schedule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.state == DeadlineState.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

"""De leerlingbespreking (LB-n): review rounds per school year and a meeting per group.

A `ReviewMeeting` is a protocol case: it stores the review-protocol version it was planned under and
reads every offset and default from it (`meeting.setting(key)`). Signal lists, the discussion list,
agreements and evaluations hang on the meeting.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from protocols.models import ProtocolCase


class ReviewRound(models.Model):
    """A round of reviews in one school year (LB-1: reviews recur; default three rounds a year)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("ronde"))
    title = models.CharField(_("naam"), max_length=100, blank=True)
    planned_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("bespreekronde")
        verbose_name_plural = _("bespreekrondes")
        ordering = ["school_year__start", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="reviewround_unique_number")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.school_year} — ronde {self.number}"


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("gepland")
    IN_PROGRESS = "in_progress", _("bezig")
    CLOSED = "closed", _("afgesloten")
    CANCELLED = "cancelled", _("geannuleerd")


class ReviewMeeting(ProtocolCase):
    """The review of one group (LB-1, LB-6): the mentor leads, the care coordinator chairs, a minute-taker notes."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="meetings")
    group = models.ForeignKey("schools.Group", on_delete=models.CASCADE, related_name="review_meetings")
    starts_at = models.DateTimeField(_("datum en tijd"))
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    leader = models.ForeignKey(  # LB-6: the mentor leads
        "schools.StaffMember",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gespreksleider (mentor)"),
    )
    chair = models.ForeignKey(  # LB-6, LB-15: the care coordinator chairs and keeps time
        "schools.StaffMember",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorzitter (zorgcoördinator)"),
    )
    minute_taker = models.ForeignKey(
        "schools.StaffMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notulist"),
    )
    state = models.CharField(max_length=12, choices=MeetingState.choices, default=MeetingState.PLANNED)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock: a service that changes the meeting compares and bumps it.
    row_version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("leerlingbespreking")
        verbose_name_plural = _("leerlingbesprekingen")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group} — {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"


from .models_cycle import *  # noqa: E402,F401,F403  (the review cycle's records)
from .models_meeting import *  # noqa: E402,F401,F403  the meeting side (LB-3, LB-5 … LB-13)

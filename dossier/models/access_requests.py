"""Inzageverzoeken (AVG art. 15, AVG-1): who asked, the one-month deadline, the export, the hand-over."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AccessRequestState(models.TextChoices):
    RECEIVED = "received", _("ontvangen")
    IN_REVIEW = "in_review", _("in behandeling")
    READY = "ready", _("klaar om te verstrekken")
    HANDED_OVER = "handed_over", _("verstrekt")
    REFUSED = "refused", _("afgewezen")


class AccessRequest(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="access_requests")
    requested_by_guardian = models.ForeignKey(
        "schools.Guardian", on_delete=models.SET_NULL, null=True, blank=True, related_name="access_requests"
    )
    # Set when the student (16 or older) asks themself.
    requested_by_student = models.BooleanField(default=False)
    requester_label = models.CharField(_("aangevraagd door"), max_length=200)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    due_on = models.DateField(_("uiterlijk beantwoorden op"))
    state = models.CharField(
        _("status"), max_length=12, choices=AccessRequestState.choices, default=AccessRequestState.RECEIVED
    )
    reviewer = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("notitie beoordeling"), blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    # AVG-4: the built files hold what their builder may read: up to this level (a Visibility value).
    export_level = models.CharField(max_length=10, blank=True)
    # AVG-1: the files hold the whole file, the director-only part included. Set when a director
    # built them: the director added that part, or confirmed by the same step that there is none.
    export_complete = models.BooleanField(default=False)
    director_part_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    director_part_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="access_requests/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    json = models.FileField(upload_to="access_requests/%Y/", blank=True)
    json_sha256 = models.CharField(max_length=64, blank=True)
    handed_over_at = models.DateTimeField(_("verstrekt op"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hand_over_note = models.TextField(_("hoe verstrekt"), blank=True)
    refusal_reason = models.TextField(_("reden afwijzing"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["school", "state", "due_on"])]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.student} ({self.received_at:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.state not in (AccessRequestState.HANDED_OVER, AccessRequestState.REFUSED)

"""Deadline: every "must happen by" of the protocols is a row (ARCHITECTURE: deadlines)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DeadlineState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("afgerond")
    WITHDRAWN = "withdrawn", _("vervallen")


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

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "state", "due_on"]),
            models.Index(fields=["school", "state", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.state == DeadlineState.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

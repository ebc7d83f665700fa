"""Logboek: dated free notes in the student's file, with optional templates per school."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from dossier.models.entries import Visibility

# The author may change a note for this long; after that a correction is a new entry (AVG-2).
EDIT_WINDOW = datetime.timedelta(hours=24)


class LogTemplate(models.Model):
    """A school's skeleton for a kind of note (e.g. "telefoongesprek met ouders")."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("naam"), max_length=100)
    body = models.TextField(_("opzet"), blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    # Optimistic concurrency: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("logboeksjabloon")
        verbose_name_plural = _("logboeksjablonen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="logtemplate_unique_name")]

    def __str__(self) -> str:
        return self.name


class LogEntry(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="log_entries")
    author = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("notitie"))
    occurred_at = models.DateTimeField(_("moment"), default=timezone.now)
    template = models.ForeignKey(LogTemplate, on_delete=models.SET_NULL, null=True, blank=True)
    visibility = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    parent_visible = models.BooleanField(_("zichtbaar voor ouders"), default=False)
    is_health = models.BooleanField(_("gezondheidsinformatie"), default=False)
    # A correction is a new note pointing at the one it corrects; both stay (AVG-2).
    corrects = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections"
    )
    entry = models.OneToOneField(
        "dossier.DossierEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="log_entry"
    )
    created_at = models.DateTimeField(_("vastgelegd"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), default=timezone.now)
    # Optimistic concurrency: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("logboeknotitie")
        verbose_name_plural = _("logboek")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW

    def within_edit_window(self) -> bool:
        return timezone.now() < self.editable_until()

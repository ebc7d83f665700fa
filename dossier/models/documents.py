"""Documents in the student's file: checked by content, stored under a random name with their SHA-256."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from dossier.models.entries import Visibility


def document_path(instance: "Document", filename: str) -> str:
    # Never the uploader's file name on disk: a random name, the extension of the checked type.
    return f"dossier/{instance.school_id}/{uuid.uuid4().hex}.{instance.extension}"


class Document(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    visibility = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    parent_visible = models.BooleanField(_("zichtbaar voor ouders"), default=False)
    is_health = models.BooleanField(_("gezondheidsinformatie"), default=False)
    entry = models.OneToOneField(
        "dossier.DossierEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="document"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

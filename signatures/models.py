"""Signable documents, their versions, signature requests and signatures (ARCHITECTURE: signatures).

A signature belongs to one exact version: it stores the SHA-256 of that version's content,
so a later change (a new version) never inherits it. Protocol services ask
`signatures.services.signatures.signatures_complete(version, required=[...])`.
"""

import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("afspraak")
    LETTER = "letter", _("brief")
    PLAN = "plan", _("plan")
    DECISION = "decision", _("besluit")
    OTHER = "other", _("document")


class SignableDocument(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="signable_documents"
    )
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(
        _("soort"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    current_version = models.ForeignKey(
        "DocumentVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Letters and agreements are shown to guardians in the portal unless the school says not to.
    parent_visible = models.BooleanField(_("zichtbaar voor ouders"), default=True)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("te ondertekenen document")
        verbose_name_plural = _("te ondertekenen documenten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


def content_sha256(content: str, file_bytes: bytes | None = None) -> str:
    """The hash that a signature binds to: the file's bytes if there is a file, else the text."""
    data = file_bytes if file_bytes is not None else content.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class DocumentVersion(models.Model):
    document = models.ForeignKey(SignableDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    content = models.TextField(_("inhoud"), blank=True)
    file = models.FileField(_("bestand"), upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="document__school")

    class Meta:
        verbose_name = _("documentversie")
        verbose_name_plural = _("documentversies")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document.title} (versie {self.number})"

    @property
    def is_current(self) -> bool:
        return self.document.current_version_id == self.pk


class SignerType(models.TextChoices):
    GUARDIAN = "guardian", _("ouder / verzorger")
    STUDENT = "student", _("leerling")
    STAFF = "staff", _("medewerker")


class RequestState(models.TextChoices):
    OPEN = "open", _("wacht op ondertekening")
    SIGNED = "signed", _("ondertekend")
    SUPERSEDED = "superseded", _("vervallen (nieuwe versie)")


class _SignerFields(models.Model):
    """Exactly one of guardian / student / staff is set, matching signer_type."""

    signer_type = models.CharField(_("ondertekenaar"), max_length=10, choices=SignerType.choices)
    guardian = models.ForeignKey(
        "schools.Guardian", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        "schools.StaffMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def signer(self):
        return self.guardian or self.student or self.staff

    @property
    def signer_name(self) -> str:
        signer = self.signer
        return signer.full_name if signer else ""


class SignatureRequest(_SignerFields):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="requests")
    state = models.CharField(max_length=12, choices=RequestState.choices, default=RequestState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="version__document__school")

    class Meta:
        verbose_name = _("verzoek om handtekening")
        verbose_name_plural = _("verzoeken om handtekening")
        ordering = ["pk"]


class Decision(models.TextChoices):
    AGREED = "akkoord", _("akkoord")
    SEEN = "voor_gezien", _("voor gezien")
    REFUSED = "geweigerd", _("geweigerd")


class SignMethod(models.TextChoices):
    STAFF_SCREEN = "staff_screen", _("scherm medewerker")
    PORTAL = "portal", _("ouderportaal")


class Signature(_SignerFields):
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="signatures")
    request = models.ForeignKey(
        SignatureRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="signatures"
    )
    signer_label = models.CharField(max_length=200)
    method = models.CharField(_("manier"), max_length=20, choices=SignMethod.choices)
    decision = models.CharField(_("besluit"), max_length=20, choices=Decision.choices)
    remark = models.TextField(_("opmerking"), blank=True)
    signed_at = models.DateTimeField(_("ondertekend op"), default=timezone.now)
    # Copied from the version at signing time: proves what exactly was signed.
    sha256 = models.CharField(max_length=64)
    # Who operated the screen (the staff member's user, or the guardian's own portal user).
    operated_by = models.ForeignKey(
        "schools.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.CharField(max_length=64, blank=True)

    objects = ScopedManager(school="version__document__school")

    class Meta:
        verbose_name = _("handtekening")
        verbose_name_plural = _("handtekeningen")
        ordering = ["signed_at", "pk"]
        # One signature per signer per version (no double signing), enforced by the database too.
        constraints = [
            models.UniqueConstraint(
                fields=["version", "guardian"],
                condition=Q(guardian__isnull=False),
                name="signature_once_guardian",
            ),
            models.UniqueConstraint(
                fields=["version", "student"],
                condition=Q(student__isnull=False),
                name="signature_once_student",
            ),
            models.UniqueConstraint(
                fields=["version", "staff"], condition=Q(staff__isnull=False), name="signature_once_staff"
            ),
        ]

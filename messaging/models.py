"""Letters and messages (ARCHITECTURE: messages and letters).

A school's `LetterTemplate` overrides the default text of one protocol letter
(messaging/letters/defaults.py). A `Letter` is one rendered, stored PDF. A `Message`
is one e-mail in the outbox, sent by a task after commit (messaging/services/outbox.py).
Both carry their `source`, the case they belong to (an incident ladder, a suspension, an
access request …), so a case lists every letter and message of its procedure (SV-4):
`messaging.selectors_letters.letters_and_messages_of(source)`.
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class _SourceFields(models.Model):
    """The case object a letter or message belongs to (a generic relation, like the file entry's)."""

    source_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        abstract = True


class LetterTemplate(models.Model):
    """A school's own version of a protocol letter; edited with an optimistic version check."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="letter_templates")
    code = models.CharField(_("code"), max_length=100)
    title = models.CharField(_("naam"), max_length=200)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="lettertemplate_unique_code")]

    def __str__(self) -> str:
        return self.title


def letter_upload_to(letter: "Letter", filename: str) -> str:
    # Not guessable from the student: the PDF is only served through a permission-checked view.
    return f"letters/{letter.school_id}/{uuid.uuid4().hex}.pdf"


class Letter(_SourceFields):
    """One rendered letter: the exact PDF, its SHA-256 and the data it was made from."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="letters")
    template_code = models.CharField(_("sjabloon"), max_length=100)
    template_version = models.PositiveIntegerField(default=0)  # 0: the default text
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    context = models.JSONField(_("gegevens"), default=dict)
    pdf = models.FileField(upload_to=letter_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="letter_source")]

    def __str__(self) -> str:
        return self.subject


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    SENDING = "sending", _("wordt verzonden")
    SENT = "sent", _("verzonden")
    FAILED = "failed", _("mislukt")
    # The worker stopped after claiming the row: the e-mail may or may not have gone out.
    # Never resent automatically; a person checks and decides (outbox.retry flags these).
    UNCERTAIN = "uncertain", _("onbekend of verzonden")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class Message(_SourceFields):
    """One e-mail. `recipients` is {"to": [{name, email, role}], "cc": [...], "named": {role: name}}."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    recipients = models.JSONField(_("ontvangers"), default=dict)
    important_for_non_custodial = models.BooleanField(
        _("ook voor ouders zonder gezag"), default=False, help_text=_("belangrijke informatie (AVG-1)")
    )
    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    created_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the periodic retry may (re-)enqueue it: a lost enqueue or the back-off after a failure.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    # When a delivery claimed the row (status → sending); a row stuck there is flagged for a person.
    sending_since = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True, default=new_idempotency_key)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["school", "-created_at"]),
            models.Index(fields=["source_type", "source_id"], name="message_source"),
        ]

    def __str__(self) -> str:
        return self.subject

    def addresses(self, kind: str) -> list[str]:
        return [r["email"] for r in self.recipients.get(kind, []) if r.get("email")]

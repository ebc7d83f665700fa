"""Append-only audit log (AVG-4): one keyed hash chain per school (chain 0: events without a school).

Each row carries the HMAC of its content and of the previous row's HMAC; the key
(settings.AUDIT_HMAC_KEY) is never stored in the database, so rewriting a row and recomputing
the later hashes is noticed. The hash covers keyed pseudonyms of the identifying fields
(student, actor, address, object id, data), not their text: retention (AVG-3) may erase those
fields while the chain still verifies, and the student's pseudonym stays. See audit/chain.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

NO_SCHOOL_CHAIN = 0


class AuditHead(models.Model):
    """The last row of one chain; locked while appending, so each chain has one writer at a time."""

    chain = models.BigIntegerField(unique=True)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_seq = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    chain = models.BigIntegerField(default=NO_SCHOOL_CHAIN)
    seq = models.BigIntegerField()  # position in its chain, from 1
    at = models.DateTimeField(_("tijdstip"))
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(_("handeling"), max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    student_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    address = models.CharField(_("adres"), max_length=64, blank=True)
    success = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    # {"student_id": hmac, "actor_label": hmac, …}: what the row hash covers instead of the values.
    pseudonyms = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["pk"]
        indexes = [models.Index(fields=["student_id", "at"], name="auditevent_student_at")]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="auditevent_chain_seq")]

"""Append-only audit log; each row carries the hash of the previous one (AVG-4)."""

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditHead(models.Model):
    """One row, locked while appending, so the chain has a single writer at a time."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_seq = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True)
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
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["seq"]
        indexes = [models.Index(fields=["student_id", "seq"])]

    def payload(self) -> str:
        return json.dumps(
            {
                "seq": self.seq,
                "at": self.at.isoformat(),
                "school_id": self.school_id,
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "student_id": self.student_id,
                "address": self.address,
                "success": self.success,
                "data": self.data,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()

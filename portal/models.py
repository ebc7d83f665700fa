"""Single-use log-in links for the parent portal. Only the SHA-256 of the token is stored.

Not school-scoped on purpose: one guardian (one e-mail address) may have children at several
schools, and the link is redeemed before any school is known.
"""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

LINK_LIFETIME_MINUTES = 15


class PortalLoginToken(models.Model):
    email = models.EmailField(_("e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        "schools.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inloglink ouderportaal")
        verbose_name_plural = _("inloglinks ouderportaal")
        indexes = [models.Index(fields=["email", "created_at"])]

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

"""The private calendar feed: a secret URL per staff member, revocable (issue 13).

Only the SHA-256 of the token is stored (StaffMember.calendar_token), like API keys: a copy of
the database does not reveal anyone's feed. The full URL is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from audit.audit import audit
from schools.models import StaffMember


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def regenerate_calendar_token(*, staff: StaffMember, actor) -> str:
    """A new secret; the old URL stops working at once. Returns the token (shown once)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        staff.calendar_token = hash_token(token)
        staff.save(update_fields=["calendar_token"])
        audit(actor=actor, action="dossier.calendar_feed.created", obj=staff, school=staff.school)
    return token


def revoke_calendar_token(*, staff: StaffMember, actor) -> None:
    with transaction.atomic():
        staff.calendar_token = ""
        staff.save(update_fields=["calendar_token"])
        audit(actor=actor, action="dossier.calendar_feed.revoked", obj=staff, school=staff.school)

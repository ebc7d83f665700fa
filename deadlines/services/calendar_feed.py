"""The private calendar feed: a secret URL per staff member, revocable (issue 13).

Only the SHA-256 of the token is stored (StaffMember.calendar_token), like API keys: a copy of
the database does not reveal anyone's feed. The full URL is shown once, when it is made.
Apps add timed events (a meeting at a time and place) with `register_calendar_provider`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


# Timed events (issue 12, LB-1): an app registers a provider that gives one staff member's timed
# events (a meeting with date, time and place). An event may stand for all-day deadlines of that
# person (`replaces`), which the feed then leaves out, so a meeting is in the calendar once.


@dataclass(frozen=True)
class TimedEvent:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    replaces: tuple[int, ...] = ()  # pks of this person's deadlines the event stands for


CalendarProvider = Callable[[StaffMember], Iterable[TimedEvent]]
_PROVIDERS: list[CalendarProvider] = []


def register_calendar_provider(provider: CalendarProvider) -> CalendarProvider:
    """Called from an AppConfig.ready(); registering the same function twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def timed_events_for(staff: StaffMember) -> list[TimedEvent]:
    """Every registered provider's timed events of one staff member (inside the school's scope)."""
    return [event for provider in _PROVIDERS for event in provider(staff)]

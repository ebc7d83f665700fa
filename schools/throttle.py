"""Rate limits in fixed windows, counted in the database so every gunicorn worker sees the same number.

`hit(limit, who)` counts one attempt and says whether it is still within the limit; `peek` only
looks. `who` (an e-mail address, an IP address) is stored as a keyed hash (HMAC with SECRET_KEY),
never in plain text. Expired windows are removed as new ones are counted.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateCounter

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: datetime.timedelta


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


class Throttled(Exception):
    """Too many attempts: answer 429 with Retry-After."""

    def __init__(self, retry_after: int, message: str = ""):
        super().__init__(message or "Te veel pogingen.")
        self.retry_after = retry_after
        self.message = message


# Issue 7, "Hostile input and abuse": a mail per address and per client, and failed API keys.
# AVG-4: a reset or log-in link reaches only its owner, and nobody learns from the answer who is known.
PASSWORD_RESET_PER_ADDRESS = Limit("password_reset.address", 3, datetime.timedelta(hours=1))
PASSWORD_RESET_PER_CLIENT = Limit("password_reset.client", 10, datetime.timedelta(hours=1))
PORTAL_LINK_PER_ADDRESS = Limit("portal_link.address", 5, datetime.timedelta(hours=1))
PORTAL_LINK_PER_CLIENT = Limit("portal_link.client", 10, datetime.timedelta(hours=1))
API_KEY_FAILURES_PER_CLIENT = Limit("api_key.failed.client", 10, datetime.timedelta(minutes=10))


def _key(limit: Limit, who: str) -> str:
    secret = (who or "").strip().lower()
    return salted_hmac(f"leerlingzorg.throttle.{limit.name}", secret, algorithm="sha256").hexdigest()[:64]


def _window(limit: Limit, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    seconds = limit.window.total_seconds()
    start = EPOCH + datetime.timedelta(seconds=math.floor((now - EPOCH).total_seconds() / seconds) * seconds)
    return start, start + limit.window


def _verdict(limit: Limit, count: int, end: datetime.datetime, now: datetime.datetime) -> Verdict:
    return Verdict(
        allowed=count <= limit.limit, count=count, retry_after=max(1, math.ceil((end - now).total_seconds()))
    )


def peek(limit: Limit, who: str) -> Verdict:
    """Would one more attempt be within the limit? Counts nothing."""
    now = timezone.now()
    start, end = _window(limit, now)
    count = (
        RateCounter.objects.filter(key=_key(limit, who), window_start=start)
        .values_list("count", flat=True)
        .first()
        or 0
    )
    return _verdict(limit, count + 1, end, now)


def hit(limit: Limit, who: str) -> Verdict:
    """Count one attempt; `allowed` is False from the (limit + 1)-th attempt in a window."""
    now = timezone.now()
    start, end = _window(limit, now)
    key = _key(limit, who)
    with transaction.atomic():
        RateCounter.objects.filter(expires_at__lt=now).delete()
        if not RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, expires_at=end, count=1)
            except IntegrityError:  # another worker created it just now
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    return _verdict(limit, count, end, now)

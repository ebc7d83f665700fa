"""Who is calling the API, and what they may read.

Two ways in: a school's API key (`Authorization: Bearer lz_…`) or a signed-in staff session.
Either gives an ApiPrincipal; every request then runs inside `scope(school=[principal.school_id])`,
so another school's objects do not exist for it (404). A key's scopes gate the endpoints
(`require_scope`); a session user gets the same need-to-know as the pages (schools.selectors).
"""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass, field
from functools import wraps
from types import SimpleNamespace

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from audit.audit import client_address

from .. import throttle
from ..access import Access
from ..models import ApiKey
from ..models.staff import ApiScope

# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class ApiPrincipal:
    school_id: int
    scopes: frozenset[str]
    key: ApiKey | None = None
    # Set for a signed-in staff member: the pages' need-to-know applies (AVG-4).
    access: Access | None = None
    user: object = field(default=None, compare=False)

    @property
    def actor(self):
        """Who the audit log names: the user, or the key (no user id)."""
        if self.user is not None:
            return self.user
        return SimpleNamespace(pk=None, email=f"api-sleutel {self.key.prefix}")


def find_key(token: str) -> ApiKey | None:
    """The active key whose secret hashes to this token, or None (unknown, malformed, revoked)."""
    parts = token.split("_")
    if len(parts) < 3 or parts[0] != "lz":
        return None
    with scopes_disabled():
        key = ApiKey.objects.filter(prefix=parts[1]).select_related("school").first()
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, ApiKey.hash_secret(token)):
        return None
    return key


def touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        with scopes_disabled():
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiPrincipal | None:
        # Guessing keys is slowed down: after N failures from one client, 429 until the window ends
        # (issue 7). Counted in the database, so every worker sees the same number.
        address = client_address(request)
        verdict = throttle.peek(throttle.API_KEY_FAILURES_PER_CLIENT, address)
        if not verdict.allowed:
            raise throttle.Throttled(verdict.retry_after)
        key = find_key(token)
        if key is None:
            throttle.hit(throttle.API_KEY_FAILURES_PER_CLIENT, address)
            return None
        touch(key)
        return ApiPrincipal(school_id=key.school_id, scopes=frozenset(key.scopes), key=key)


class StaffSessionAuth(SessionAuth):
    """A signed-in staff member of the active school reads what the pages show them."""

    def authenticate(self, request, key: str | None) -> ApiPrincipal | None:
        user = request.user
        school = getattr(request, "school", None)
        if not user.is_authenticated or school is None or not user.has_perm("schools.use_app"):
            return None
        return ApiPrincipal(
            school_id=school.pk,
            scopes=frozenset(ApiScope.values),
            access=request.access,
            user=user,
        )


def require_scope(request, needed: str) -> ApiPrincipal:
    """The one check every endpoint makes: the caller's scopes include `needed`, else 403."""
    principal: ApiPrincipal = request.auth
    if needed not in principal.scopes:
        raise HttpError(403, f"Deze sleutel mist het recht '{needed}'.")
    return principal


def in_principal_scope(view):
    """Run the endpoint (and its pagination) inside the caller's school scope."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with scope(school=[request.auth.school_id]):
            return view(request, *args, **kwargs)

    return wrapper

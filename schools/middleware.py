"""Request set-up: idle sessions end, and every view runs inside its school's scope."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_scopes import scope

from .access import get_access, staff_schools

SESSION_SCHOOL_KEY = "active_school_id"
SESSION_SEEN_KEY = "last_seen"
SESSION_SEEN_RESOLUTION = 60  # seconds
# How this session signed in: "staff" (the staff sign-in, TOTP asked when the user has a device)
# or "portal" (the parents' portal: link or password). A portal session has portal rights only (AVG-4).
SIGNED_IN_VIA_KEY = "signed_in_via"
SIGNED_IN_VIA_STAFF = "staff"
SIGNED_IN_VIA_PORTAL = "portal"
# Whether the signed-in user has a confirmed device, noted at log-in (schools.signals), so the
# check costs no query per request. A device confirmed later verifies the session that confirms it.
HAS_SECOND_FACTOR_KEY = "has_second_factor"


def mark_signed_in(request, via: str) -> None:
    """Call right after login(): which sign-in made this session (AVG-4)."""
    request.session[SIGNED_IN_VIA_KEY] = via


def is_portal_session(request) -> bool:
    """Signed in through the portal: portal rights only, never staff rights (AVG-4)."""
    return request.session.get(SIGNED_IN_VIA_KEY) == SIGNED_IN_VIA_PORTAL


class SessionIdleTimeoutMiddleware:
    """Log out a user whose session was idle longer than SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())  # the one clock (ARCHITECTURE: time)
            last_seen = request.session.get(SESSION_SEEN_KEY)
            timeout = settings.SESSION_IDLE_TIMEOUT
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                return redirect("/inloggen/?verlopen=1")
            # Issue #13: writing the session on every request costs an UPDATE (three queries) per page.
            # Recorded at most once a minute (a tenth of a shorter timeout), the session can only end
            # that much EARLIER than the idle timeout after the last click, never later.
            if last_seen is None or now - last_seen >= min(SESSION_SEEN_RESOLUTION, timeout // 10):
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class SchoolScopeMiddleware:
    """Pick the user's active school and run the view inside `scope(school=…)`.

    A query on a school-owned model outside a scope raises ScopeError (django-scopes),
    so a forgotten filter fails loudly instead of showing another school's data.
    A user without a school gets an empty scope, never an unscoped one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        user = request.user
        if user.is_authenticated:
            # AVG-4: a portal sign-in has no staff rights, not even at the user's own school.
            portal_only = is_portal_session(request)
            user.portal_only = portal_only
            schools = [] if portal_only else staff_schools(user)
            wanted = request.session.get(SESSION_SCHOOL_KEY)
            request.school = next((s for s in schools if s.pk == wanted), schools[0] if schools else None)
            request.available_schools = schools
            user.active_school = request.school
            request.access = get_access(user, request.school)
        with scope(school=[request.school.pk] if request.school else []):
            return self.get_response(request)


PORTAL_PREFIX = "/ouders/"

# Where a user who still has to set up the second factor may go (the set-up itself, log-out, language).
TWO_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {
        "account_totp_setup",
        "account_backup_codes",
        "logout",
        "login",
        "login_code",
        "set_language",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


class TwoFactorRequiredMiddleware:
    """A staff member of a school with `require_totp` must set up TOTP before anything else, and
    a staff member who has a confirmed device gets staff rights only after giving its code (AVG-4),
    whatever the school requires. A portal session goes to the staff sign-in for any staff page.

    Placed after SchoolScopeMiddleware: it reads request.available_schools, which that middleware
    has already loaded, so the check costs no query. A session that is verified (django-otp's
    `user.is_verified()`, per session) passes at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .otp import has_confirmed_totp, totp_required_for

        user = request.user
        if (
            not user.is_authenticated
            or request.path.startswith(settings.STATIC_URL)
            or request.path.startswith(PORTAL_PREFIX)
            or _url_name(request.path) in TWO_FACTOR_EXEMPT_URL_NAMES
        ):
            return self.get_response(request)
        if is_portal_session(request):
            # AVG-4: staff pages (and the admin, and the API by session) need the staff sign-in.
            return _redirect(request, f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if user.is_verified():
            return self.get_response(request)
        schools = getattr(request, "available_schools", [])
        if not totp_required_for(user, schools):
            if not schools:
                return self.get_response(request)
            has_device = request.session.get(HAS_SECOND_FACTOR_KEY)
            if has_device is None:  # a session from before this check: ask once
                has_device = request.session[HAS_SECOND_FACTOR_KEY] = has_confirmed_totp(user)
            if not has_device:
                return self.get_response(request)
            # AVG-4: a device holder's session that skipped the code (not our staff sign-in).
            logout(request)
            return _redirect(request, reverse("login"))
        if has_confirmed_totp(user):
            # Signed in without the code (not through our log-in): ask for it properly.
            logout(request)
            target = reverse("login")
        else:
            target = reverse("account_totp_setup")
        return _redirect(request, target)


def _redirect(request, target: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


class NoStoreMiddleware:
    """AVG-4: no page, export, PDF, feed or API answer of this application is kept by a browser,
    a proxy or a shared school computer's cache: `Cache-Control: no-store` on every response.

    Placed after WhiteNoise, whose static files (no personal data) keep their own caching.
    Whatever a view set itself is kept and `no-store` is added to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        parts = [p.strip() for p in response.get("Cache-Control", "").split(",") if p.strip()]
        parts = [p for p in parts if p != "public"]
        for needed in ("private", "no-store"):
            if needed not in parts:
                parts.append(needed)
        response["Cache-Control"] = ", ".join(parts)
        return response


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language (cookie): the browser's language is not asked.

    Staff use shared school computers with English browsers; the UI is Dutch first.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)

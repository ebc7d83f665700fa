"""Request set-up: idle sessions end, and every view runs inside its school's scope."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_scopes import scope

from .access import get_access, staff_schools

SESSION_SCHOOL_KEY = "active_school_id"
SESSION_SEEN_KEY = "last_seen"


class SessionIdleTimeoutMiddleware:
    """Log out a user whose session was idle longer than SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                return redirect("/inloggen/?verlopen=1")
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
            schools = staff_schools(user)
            wanted = request.session.get(SESSION_SCHOOL_KEY)
            request.school = next((s for s in schools if s.pk == wanted), schools[0] if schools else None)
            request.available_schools = schools
            user.active_school = request.school
            request.access = get_access(user, request.school)
        with scope(school=[request.school.pk] if request.school else []):
            return self.get_response(request)


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
    """A staff member of a school with `require_totp` must set up TOTP before anything else.

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
            or user.is_verified()
            or request.path.startswith(settings.STATIC_URL)
            or not totp_required_for(user, getattr(request, "available_schools", []))
            or _url_name(request.path) in TWO_FACTOR_EXEMPT_URL_NAMES
        ):
            return self.get_response(request)
        if has_confirmed_totp(user):
            # Signed in without the code (not through our log-in): ask for it properly.
            logout(request)
            target = reverse("login")
        else:
            target = reverse("account_totp_setup")
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


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language (cookie): the browser's language is not asked.

    Staff use shared school computers with English browsers; the UI is Dutch first.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)

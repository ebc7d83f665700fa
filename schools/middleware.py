"""Request set-up: idle sessions end, and every view runs inside its school's scope."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
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

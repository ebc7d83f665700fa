"""The portal's gate: a signed-in guardian or student (second factor checked if they set one up),
run inside the scope of their children's schools (a guardian may have children at several schools)
and of the student's own school."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device
from django_scopes import scope

from portal.queries import authorised_relations, own_student


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return user_has_device(user, confirmed=True) and not user.is_verified()


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("portal:login")
        if needs_second_factor(request):
            return redirect("portal:totp_verify")
        relations = authorised_relations(request.user)
        request.portal_relations = relations
        request.portal_student = own_student(request.user)
        school_ids = {r.student.school_id for r in relations}
        if request.portal_student is not None:
            school_ids.add(request.portal_student.school_id)
        school_ids = sorted(school_ids)
        with scope(school=school_ids):
            return view(request, *args, **kwargs)

    return wrapper

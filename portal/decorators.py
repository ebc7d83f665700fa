"""The portal's gate: a signed-in guardian or student (second factor checked if they set one up),
run inside the scope of their children's schools (a guardian may have children at several schools)
and of the student's own school."""

from collections.abc import Callable
from functools import wraps

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import device_classes
from django_scopes import scope, scopes_disabled

from portal.queries import authorised_relations, own_student
from schools.access import unwrap_user
from schools.models import Student, User


def _gate_facts(user) -> tuple[bool, int | None]:
    """Whether the user has a confirmed second-factor device (any installed kind, as django-otp's
    user_has_device asks) and the id of their own student row: ONE query (issue #13)."""
    has_device = Q()
    for model in device_classes():
        has_device |= Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
    with scopes_disabled():
        own = Subquery(Student.objects.filter(user=OuterRef("pk")).values("pk")[:1])
        row = User.objects.filter(pk=user.pk).values_list(has_device, own).first()
    return (bool(row[0]), row[1]) if row else (False, None)


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if user.is_verified():
        return False
    has_device, own_id = _gate_facts(user)
    unwrap_user(user).__dict__["_own_student_id"] = own_id
    return has_device


def portal_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("portal:login")
        if needs_second_factor(request):
            return redirect("portal:totp_verify")
        relations = authorised_relations(request.user)
        request.portal_relations = relations
        # has_parental_authority (portal.queries.guardian_for) reads these instead of asking again
        real_user = unwrap_user(request.user)
        real_user.__dict__["_portal_relations"] = relations
        known = real_user.__dict__.get("_own_student_id", ...)
        request.portal_student = None if known is None else own_student(request.user)
        school_ids = {r.student.school_id for r in relations}
        if request.portal_student is not None:
            school_ids.add(request.portal_student.school_id)
        school_ids = sorted(school_ids)
        with scope(school=school_ids):
            return view(request, *args, **kwargs)

    return wrapper

"""Shared view helpers: fetch an object the user may see, or answer 404 and record the attempt."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django_scopes import scopes_disabled

from audit.audit import audit_request

from ..cleaning import parse_id


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and a staff member of the active school; anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("schools.use_app"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_permitted(
    request: HttpRequest,
    queryset,
    pk,
    perm: str,
    *,
    action: str,
    student_field: str = "",
    prepare=None,
    fetch=None,
):
    """The object with this pk if the user holds `perm` on it.

    Another school's object does not exist inside this request's scope, so it is a 404
    like an unrelated student: either way the attempt is recorded as a failed access.
    With `student_field` (e.g. "student_id") the refused attempt names the student the object
    belongs to, so it shows on that student's "wie heeft dit dossier bekeken" page.
    `fetch(pk)` (optional) reads the object instead of `queryset.filter(pk=pk).first()` (the same
    row: e.g. with its SQL compiled once, schools.sql_shapes); `queryset.model` still names it.
    """
    obj = fetch(pk) if fetch is not None else queryset.filter(pk=pk).first()
    if obj is not None and prepare is not None:
        prepare(obj)  # e.g. hand what the one read annotated to the rules' caches (issue #13)
    if obj is None or not request.user.has_perm(perm, obj):
        audit_request(
            request,
            action=action,
            data={"model": queryset.model._meta.label_lower, "pk": str(pk)},
            student=_student_of(queryset.model, pk, student_field),
            success=False,
        )
        raise Http404
    return obj


def _student_of(model, pk, student_field: str) -> int | None:
    if parse_id(pk) is None:  # beyond bigint: no row can have it, and the audit row could not hold it
        return None
    if model._meta.label_lower == "schools.student":
        return pk
    if not student_field:
        return None
    # The one place that looks across schools: the object may be another school's. Only its
    # student's id is read and stored in the audit row, nothing is shown to the requester.
    with scopes_disabled():
        return model.objects.filter(pk=pk).values_list(student_field, flat=True).first()

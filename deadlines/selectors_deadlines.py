"""Reads of the deadlines table: my open deadlines, and the school's overdue ones (care coordinator)."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from schools.access import Access

OVERDUE_HOME_LIMIT = 10


def my_open_deadlines(access: Access) -> QuerySet[Deadline]:
    if access.staff is None:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(owner=access.staff, state=DeadlineState.OPEN)
        .select_related("student")
        .order_by("due_on", "pk")
    )


def overdue_deadlines(access: Access, *, today=None) -> QuerySet[Deadline]:
    """Open deadlines past their date in the whole school. Only for the care coordinator (policy)."""
    if access.school is None:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            school=access.school, state=DeadlineState.OPEN, due_on__lt=today or timezone.localdate()
        )
        .select_related("owner", "student")
        .order_by("due_on", "pk")
    )


def _viewer_and_overdue(access: Access, limit: int) -> tuple[list[Deadline], list[Deadline]]:
    """The viewer's open deadlines and the school's first `limit` overdue ones in ONE query (the
    overdue ones picked by a LIMIT subquery, as on the overdue page's first rows)."""
    today = timezone.localdate()
    mine = Q(owner=access.staff)
    wanted = (
        Deadline.objects.filter(school=access.school, state=DeadlineState.OPEN, due_on__lt=today)
        .order_by("due_on", "pk")
        .values("pk")[:limit]
    )
    rows = list(
        Deadline.objects.filter(Q(mine, state=DeadlineState.OPEN) | Q(pk__in=Subquery(wanted)))
        .select_related("owner", "student")
        .order_by("due_on", "pk")
    )
    return (
        [d for d in rows if d.owner_id == access.staff.pk],
        [d for d in rows if d.school_id == access.school.pk and d.due_on < today][:limit],
    )


def viewer_open_deadlines(request) -> list[Deadline]:
    """The viewer's open deadlines (my_open_deadlines), read ONCE per request and kept on it: the home
    page's providers (deadlines, the behaviour ladder) filter this list in Python (issue #13). For a
    viewer who sees the school's overdue deadlines, the same query brings the first of those
    (`viewer_overdue_deadlines`)."""
    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return []
    cached = request.__dict__.get("_viewer_open_deadlines")
    if cached is None:
        if access.school is not None and request.user.has_perm(
            "dossier.view_overdue_deadlines", access.school
        ):
            cached, request.__dict__["_viewer_overdue_deadlines"] = _viewer_and_overdue(
                access, OVERDUE_HOME_LIMIT
            )
        else:
            cached = list(my_open_deadlines(access))
        request.__dict__["_viewer_open_deadlines"] = cached
    return cached


def viewer_overdue_deadlines(request) -> list[Deadline]:
    """The school's first OVERDUE_HOME_LIMIT overdue deadlines, read with the viewer's own."""
    viewer_open_deadlines(request)
    if "_viewer_overdue_deadlines" not in request.__dict__:
        access = request.access
        request.__dict__["_viewer_overdue_deadlines"] = list(
            overdue_deadlines(access).select_related("owner")[:OVERDUE_HOME_LIMIT]
        )
    return request.__dict__["_viewer_overdue_deadlines"]

"""Reads of the deadlines table: my open deadlines, and the school's overdue ones (care coordinator)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from schools.access import Access


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


def viewer_open_deadlines(request) -> list[Deadline]:
    """The viewer's open deadlines (my_open_deadlines), read ONCE per request and kept on it: the home
    page's providers (deadlines, the behaviour ladder) filter this list in Python (issue #13)."""
    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return []
    cached = request.__dict__.get("_viewer_open_deadlines")
    if cached is None:
        cached = list(my_open_deadlines(access))
        request.__dict__["_viewer_open_deadlines"] = cached
    return cached

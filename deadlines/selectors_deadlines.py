"""Reads of the deadlines table: my open deadlines, and the school's overdue ones (care coordinator)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery
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


# Other apps' home sections that list deadlines read theirs WITH the viewer's own (issue #13: one
# query for every deadline on the home page). An app registers from AppConfig.ready():
#     register_home_deadlines("measures", wanted, limit=10)
# `wanted(access)` returns the filter of that section's deadlines for this viewer, or None (not for
# them); the section gets its first `limit` by due date from `viewer_home_deadlines(request, name)`.
_HOME_READS: dict[str, tuple[Callable[[Access], Q | None], int]] = {}


def register_home_deadlines(name: str, wanted: Callable[[Access], Q | None], *, limit: int = 10) -> None:
    _HOME_READS[name] = (wanted, limit)


def _first(wanted: Q, limit: int) -> Q:
    return Q(pk__in=Subquery(Deadline.objects.filter(wanted).order_by("due_on", "pk").values("pk")[:limit]))


def _read_for_home(request, access: Access) -> None:
    """The viewer's open deadlines, for a viewer who sees them the school's first OVERDUE_HOME_LIMIT
    overdue ones, and each registered section's first ones: ONE query, each row marked with the
    branches it belongs to (a LIMIT subquery per limited branch, as on the overdue page's first rows)."""
    today = timezone.localdate()
    branches = {"mine": Q(owner=access.staff, state=DeadlineState.OPEN)}
    if access.school is not None and request.user.has_perm("dossier.view_overdue_deadlines", access.school):
        branches["overdue"] = _first(
            Q(school=access.school, state=DeadlineState.OPEN, due_on__lt=today), OVERDUE_HOME_LIMIT
        )
    for name, (wanted, limit) in _HOME_READS.items():
        found = wanted(access)
        if found is not None:
            branches[f"home_{name}"] = _first(found, limit)
    if len(branches) == 1:
        rows = list(my_open_deadlines(access))
        request.__dict__["_viewer_open_deadlines"] = rows
        request.__dict__["_viewer_home_deadlines"] = {}
        return
    marks = {f"_in_{key}": ExpressionWrapper(q, output_field=BooleanField()) for key, q in branches.items()}
    rows = list(
        Deadline.objects.filter(reduce(operator.or_, branches.values()))
        .annotate(**marks)
        .select_related("owner", "student")
        .order_by("due_on", "pk")
    )
    request.__dict__["_viewer_open_deadlines"] = [d for d in rows if d._in_mine]
    if "overdue" in branches:
        request.__dict__["_viewer_overdue_deadlines"] = [d for d in rows if d._in_overdue]
    request.__dict__["_viewer_home_deadlines"] = {
        key.removeprefix("home_"): [d for d in rows if getattr(d, f"_in_{key}")]
        for key in branches
        if key.startswith("home_")
    }


def viewer_open_deadlines(request) -> list[Deadline]:
    """The viewer's open deadlines (my_open_deadlines), read ONCE per request and kept on it: the home
    page's providers (deadlines, the behaviour ladder) filter this list in Python (issue #13). The same
    query brings, for a viewer who sees them, the school's first overdue deadlines
    (`viewer_overdue_deadlines`) and the registered sections' deadlines (`viewer_home_deadlines`)."""
    access = getattr(request, "access", None)
    if access is None or access.staff is None:
        return []
    if "_viewer_open_deadlines" not in request.__dict__:
        _read_for_home(request, access)
    return request.__dict__["_viewer_open_deadlines"]


def viewer_home_deadlines(request, name: str) -> list[Deadline]:
    """The first deadlines of the section registered as `name` (register_home_deadlines), read with
    the viewer's own; [] when not for this viewer."""
    viewer_open_deadlines(request)
    return request.__dict__.get("_viewer_home_deadlines", {}).get(name, [])


def viewer_overdue_deadlines(request) -> list[Deadline]:
    """The school's first OVERDUE_HOME_LIMIT overdue deadlines, read with the viewer's own."""
    viewer_open_deadlines(request)
    if "_viewer_overdue_deadlines" not in request.__dict__:
        access = request.access
        request.__dict__["_viewer_overdue_deadlines"] = list(
            overdue_deadlines(access).select_related("owner")[:OVERDUE_HOME_LIMIT]
        )
    return request.__dict__["_viewer_overdue_deadlines"]

"""Reads of the school dashboard and the step overview (issue 10 §8): a fixed number of queries.

Everything is school-scoped; the counts are made in Python from one values() query of the filtered
incidents, so the number of queries does not grow with the history.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from schools.models import Group, GroupMembership
from schools.selectors import current_membership_q

from .models import BehaviourCase, Step
from .models_incidents import Incident, Involvement, Part

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
HOURS = range(7, 19)


def _group_of_student(student_ref: str):
    return Subquery(
        GroupMembership.objects.filter(current_membership_q(), student=OuterRef(student_ref))
        .order_by("-start")
        .values("group__name")[:1]
    )


def filtered_incidents(school, *, start=None, end=None, category="", group=None):
    """The school's incidents inside the filters; `group` through the students involved."""
    qs = Incident.objects.filter(school=school)
    if start:
        qs = qs.filter(happened_at__date__gte=start)
    if end:
        qs = qs.filter(happened_at__date__lte=end)
    if category:
        qs = qs.filter(category=category)
    if group is not None:
        qs = qs.filter(
            pk__in=Involvement.objects.filter(student__memberships__group=group).values("incident_id")
        )
    return qs


def _first_group():
    actor = Involvement.objects.filter(incident=OuterRef("pk")).order_by("part", "pk")
    return Subquery(
        GroupMembership.objects.filter(
            current_membership_q(), student=Subquery(actor.values("student_id")[:1])
        ).values("group__name")[:1]
    )


def dashboard(school, *, start=None, end=None, category="", group=None, by="week") -> dict:
    """Counts per period and category, per group, per weekday × hour, and open cases per step (2 queries)."""
    rows = list(
        filtered_incidents(school, start=start, end=end, category=category, group=group)
        .annotate(group_name=_first_group())
        .values_list("category", "happened_at", "group_name")
    )
    per_period: dict[str, Counter] = defaultdict(Counter)
    per_group: Counter = Counter()
    heat: Counter = Counter()
    categories: set[str] = set()
    for cat, happened_at, group_name in rows:
        local = timezone.localtime(happened_at)
        if by == "month":
            key = f"{local:%Y-%m}"
        else:
            year, week, _ = local.isocalendar()
            key = f"{year}-W{week:02d}"
        per_period[key][cat] += 1
        categories.add(cat)
        per_group[group_name or "—"] += 1
        heat[(local.weekday(), local.hour)] += 1
    steps = _steps(school)
    return {
        "total": len(rows),
        "periods": sorted(per_period.items()),
        "categories": sorted(categories),
        "per_group": sorted(per_group.items()),
        "heat": dict(heat),
        "steps": steps,
    }


def _steps(school) -> list[tuple[str, int]]:
    from django.db.models import Count

    counts = dict(
        BehaviourCase.objects.filter(school=school, closed_at__isnull=True)
        .order_by()
        .values("step")
        .annotate(n=Count("pk"))
        .values_list("step", "n")
    )
    return [(Step(step).label, counts.get(step, 0)) for step in Step.values]


def heatmap_rows(heat: Counter) -> tuple[list[dict], int]:
    peak = max(heat.values(), default=0)
    rows = []
    for day, name in enumerate(WEEKDAYS):
        cells = [{"hour": h, "n": heat.get((day, h), 0)} for h in HOURS]
        rows.append({"day": name, "cells": cells})
    return rows, peak


def csv_rows(school, **filters):
    """AVG-4: the director's own school's incidents, with student numbers and groups (no names)."""
    involvements = (
        Involvement.objects.filter(incident__in=filtered_incidents(school, **filters))
        .select_related("incident", "student")
        .annotate(group_name=_group_of_student("student_id"))
        .order_by("incident__happened_at", "incident_id", "pk")
    )
    for inv in involvements:
        incident = inv.incident
        yield [
            incident.pk,
            timezone.localtime(incident.happened_at).strftime("%Y-%m-%d %H:%M"),
            incident.category,
            "ja" if incident.serious else "nee",
            inv.student.student_number,
            inv.group_name or "",
            Part(inv.part).label,
        ]


def step_overview(school):
    """Open cases by step with student and group (one query per page)."""
    return (
        BehaviourCase.objects.filter(school=school, closed_at__isnull=True)
        .select_related("student")
        .annotate(group_name=_group_of_student("student_id"))
        .order_by("-step", "student__last_name", "student__first_name", "pk")
    )


def school_groups(school):
    return Group.objects.filter(school=school).order_by("name")


def parse_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None

"""Demo content for the measures: one time-out (SV-1) in the po demo school, the parents informed.

Registered from `MeasuresConfig.ready()` as a demo filler; `manage.py demo` calls it once after the
people exist. Only services (file entries, deadlines, audit), deterministic from `random.Random(seed)`.
"""

from __future__ import annotations

import random

from django_scopes import scope, scopes_disabled

from schools.models import Group, School, SchoolKind, Student

from .models import TimeOut
from .services.timeouts import impose_time_out, record_parents_contacted


def fill_demo_measures(schools: list[School], *, seed: int = 2026) -> dict:
    rng = random.Random(seed + 3)
    counts = {"time_outs": 0}
    for school in schools:
        if school.kind != SchoolKind.PO:
            continue
        with scope(school=[school.pk]):
            group = Group.objects.filter(school=school, mentors__user__isnull=False).order_by("pk").first()
            if group is None:
                continue
            mentor = group.mentors.filter(user__isnull=False).first()
            # Not one of the students the behaviour demo puts on the ladder (the first eight).
            students = list(
                Student.objects.filter(memberships__group=group).distinct().order_by("last_name", "pk")
            )
            if len(students) < 10:
                continue
            student = rng.choice(students[8:])
            time_out = impose_time_out(
                actor=mentor.user,
                student=student,
                incident="Gooide in de klas een stoel naar een klasgenoot; niemand raakte gewond.",
            )
            record_parents_contacted(actor=mentor.user, time_out=time_out)
            counts["time_outs"] += 1
    return counts


def remove_demo_measures(schools: list[School]) -> None:
    """Before `demo --reset` deletes the schools: a time-out PROTECTs its protocol version."""
    with scopes_disabled():
        TimeOut.objects.filter(school__in=schools).delete()

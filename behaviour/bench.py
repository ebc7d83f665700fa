"""Benchmarks of the behaviour protocol (`make bench`): registering an incident (the whole service
call with the ladder and the file entries) and the student's behaviour page, on the board data set."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

REQUESTS_INCIDENTS = 30


def _client(user_id: int) -> Client:
    from schools.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def run(schools, requests: int = 20) -> list:
    from bench.measure import Result, measure
    from protocols.registry import BEHAVIOUR
    from protocols.services import protocol_value
    from schools.models import School, StaffMember, Student

    from .models_incidents import Part
    from .services.incidents import register_incident

    bench = schools[1] if len(schools) > 1 else schools[0]
    school = School.objects.get(pk=bench.school_id)
    results = []
    with scope(school=school):
        staff = StaffMember.objects.filter(user_id=bench.care_coordinator_user_id, school=school).first()
        students = list(Student.objects.filter(memberships__group_id=bench.group_id).order_by("pk")[:5])
        category = protocol_value(school, BEHAVIOUR, "incident_categories")[0]
        result = Result("incident vastleggen (service, ladder, dossier)")
        for n in range(REQUESTS_INCIDENTS):
            actor, victim = students[n % len(students)], students[(n + 1) % len(students)]
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                register_incident(actor=staff, students=[(actor, Part.ACTOR), (victim, Part.VICTIM)],
                                  category=category, facts="Duwde een medeleerling in de gang.",
                                  happened_at=timezone.now())  # fmt: skip
                result.timings_ms.append((time.perf_counter() - started) * 1000)
            result.queries.append(len(ctx.captured_queries))
        results.append(result)
    care = _client(bench.care_coordinator_user_id)
    results.append(
        measure(
            "gedragspagina leerling (zorgcoördinator)",
            care,
            f"/gedrag/leerling/{students[0].pk}/",
            {},
            requests,
        )
    )
    results.append(
        measure(
            "wie staat waar, groep (zorgcoördinator)", care, f"/gedrag/groep/{bench.group_id}/", {}, requests
        )
    )
    return results

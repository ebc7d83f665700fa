"""Issue #4: the student's file on a board with five years of history (>= 1,000,000 entries).

- the timeline's first page (25 entries) of a 500-entry file, as care coordinator and as teacher,
  and of a 5-entry file: the query count must not grow with the file;
- building the access-request export (PDF + JSON) of the 500-entry file.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from dossier.models import DossierEntry
from dossier.services.access_requests import AGE_OF_OWN_RIGHTS, build_access_export, request_access
from portal.queries import active_authority_q, age_on
from schools.models import GuardianRelation, StaffMember, Student, User

from . import history
from .measure import Result, measure

TIMELINE_REQUESTS = int(os.environ.get("BENCH_TIMELINE_REQUESTS", "50"))
EXPORT_BUILDS = int(os.environ.get("BENCH_EXPORT_BUILDS", "3"))


def build(schools) -> dict[str, int]:
    """Called by run.py after the board data set and before ANALYZE."""
    return history.build(schools)


def run(schools, *, requests: int) -> list[Result]:
    # One school is enough: the known-size files exist in every school, the timings would only repeat.
    bench = schools[1] if len(schools) > 1 else schools[0]
    files = history.known_files(bench.group_id)
    teacher, care = _client(bench.teacher_user_id), _client(bench.care_coordinator_user_id)
    results = []
    for size, student_id in (
        (history.FULL_FILE, files.full_student_id),
        (history.SMALL_FILE, files.small_student_id),
    ):
        url = f"/dossier/leerling/{student_id}/"
        for who, client in (("zorgcoördinator", care), ("docent", teacher)):
            results.append(measure(f"tijdlijn p1, {size} regels ({who})", client, url, {}, TIMELINE_REQUESTS))
    results.append(
        measure(
            f"tijdlijn laatste pagina, {history.FULL_FILE} regels (zorgcoördinator)",
            care,
            f"/dossier/leerling/{files.full_student_id}/",
            {"page": "9999"},  # past the end: get_page gives the last page
            TIMELINE_REQUESTS,
        )
    )
    results.append(_export(bench, files.full_student_id))
    return results


def _export(bench, student_id: int) -> Result:
    """Build the export EXPORT_BUILDS times (a rebuild is allowed while the request is 'ready')."""
    result = Result(f"inzage-export (PDF+JSON), {history.FULL_FILE} regels")
    with scope(school=[bench.school_id]):
        student = Student.objects.select_related("school").get(pk=student_id)
        actor = StaffMember.objects.select_related("user").get(user_id=bench.care_coordinator_user_id)
        request = request_access(requester=_requester(student), student=student, actor=actor)
        for _ in range(EXPORT_BUILDS):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                request = build_access_export(actor=actor, request=request)
                result.timings_ms.append((time.perf_counter() - started) * 1000)
            result.queries.append(len(ctx.captured_queries))
        entries = DossierEntry.objects.filter(student=student).count()
    print(
        f"Inzage-export: {entries} regels, PDF {request.pdf.size / 1024:.0f} kB, JSON {request.json.size / 1024:.0f} kB"
    )
    request.pdf.delete(save=False)
    request.json.delete(save=False)
    return result


def _requester(student: Student):
    """AVG-1: the student themself from 16, otherwise a guardian with parental authority."""
    age = age_on(student, timezone.localdate())
    if age is not None and age >= AGE_OF_OWN_RIGHTS:
        return student
    relation = GuardianRelation.objects.filter(active_authority_q(), student=student).select_related(
        "guardian"
    )
    return relation.first().guardian


def _client(user_id: int) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client

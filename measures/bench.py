"""`make bench`: the director's overview of open measures (few and many cases: the query count must
not grow) and the SV-4 file PDF of an expulsion case with 40 documents."""

from __future__ import annotations

import os
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

FEW, MANY, DOCUMENTS = 5, 50, 40
PDF_BUILDS = int(os.environ.get("BENCH_MEASURES_PDF_BUILDS", "5"))


def _director(school_id: int):
    from schools.models import Role, StaffMember

    return StaffMember.objects.select_related("user", "school").get(
        school_id=school_id, role_assignments__role=Role.DIRECTOR
    )


def _cases(school_id: int, count: int, *, documents: int = 0) -> int:
    from measures.services.expulsions import open_expulsion
    from measures.services.timeouts import impose_time_out
    from messaging.services.messages import compose_letter
    from schools.models import Student

    director = _director(school_id)
    last = None
    for student in Student.objects.filter(school_id=school_id).order_by("pk")[:count]:
        impose_time_out(actor=director, student=student, incident="Benchmark-incident.")
        last = open_expulsion(actor=director, student=student, ground="Benchmark-grond.")
    for _ in range(documents):
        compose_letter(
            actor=director, student=last.student, template_code="sv.expulsion.warning", source=last
        )
    return last.pk


def build(schools) -> dict[str, int]:
    few, many = schools[0], schools[1 % len(schools)]
    with scope(school=[few.school_id]):
        _cases(few.school_id, FEW)
    with scope(school=[many.school_id]):
        case_id = _cases(many.school_id, MANY, documents=DOCUMENTS)
    build.case_id = case_id  # type: ignore[attr-defined]
    return {"measures_cases": FEW + MANY, "measures_letters": DOCUMENTS}


def run(schools, *, requests: int) -> list:
    from bench.measure import Result, measure
    from measures.director_file import director_file_pdf
    from measures.models import ExpulsionCase

    results = []
    for bench, size in ((schools[0], FEW), (schools[1 % len(schools)], MANY)):
        client = Client()
        with scope(school=[bench.school_id]):  # the runner has no scope of its own (make bench failed here)
            director = _director(bench.school_id)
        client.force_login(director.user)
        results.append(
            measure(f"maatregelen: overzicht directeur, {size} zaken", client, "/maatregelen/", {}, requests)
        )
    many = schools[1 % len(schools)]
    result = Result(f"maatregelen: SV-4-dossier als PDF, {DOCUMENTS} brieven")
    with scope(school=[many.school_id]):
        case = ExpulsionCase.objects.select_related("school", "student").get(pk=build.case_id)  # type: ignore[attr-defined]
        for _ in range(PDF_BUILDS):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                director_file_pdf(case)
                result.timings_ms.append((time.perf_counter() - started) * 1000)
            result.queries.append(len(ctx.captured_queries))
    results.append(result)
    return results

"""Student search (teacher and care coordinator), the group page and the API student list."""

from __future__ import annotations

from django.test import Client

from schools.models import User

from .measure import Result, measure


def run(schools, *, requests: int) -> list[Result]:
    results: list[Result] = []
    # Four schools of the twenty (two vo, two po): figures pooled, so one school's shape does not decide.
    for bench in schools[::5]:
        teacher = _client(bench.teacher_user_id)
        care = _client(bench.care_coordinator_user_id)
        searches = {
            "achternaam": bench.common_last_name.lower(),
            "volledige naam": bench.full_name,
            "leerlingnummer": bench.student_number,
            "groep": bench.group_name.split()[-1],
            "deel van naam": bench.common_last_name[:3].lower(),
        }
        for label, query in searches.items():
            for who, client in (("docent", teacher), ("zorgcoördinator", care)):
                results.append(
                    measure(f"zoeken {label} ({who})", client, "/leerlingen/", {"q": query}, requests)
                )
        results.append(measure("groepspagina (docent)", teacher, f"/groepen/{bench.group_id}/", {}, requests))
        results.append(
            measure("groepspagina (zorgcoördinator)", care, f"/groepen/{bench.group_id}/", {}, requests)
        )
        results.append(
            measure(
                "API leerlingen, 100 (zorgcoördinator)", care, "/api/v1/students", {"limit": 100}, requests
            )
        )
    return results


def _client(user_id: int) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client

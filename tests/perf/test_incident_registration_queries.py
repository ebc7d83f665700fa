"""Issue #13: registering an incident (the POST of the incident form) makes the same number of queries
for a small and a larger school, a short and a long history, and fewer than before (30 here, 35 in the
load run): the behaviour version, the student's school, the actor's user and the incident's parts are
read once, the case's incident count with the case; the audit rows after the first move the chain's head
without reading it again, and neither they nor the file entries open savepoints of their own; the staff
row is the one the request read for its access (20 here and 2 savepoint statements; were 22 and 8)."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from behaviour.models_incidents import Involvement, Part
from behaviour.settings import SEED_CATEGORIES
from tests import factories as f
from tests.behaviour.helpers import incident

from .test_query_counts import statements

pytestmark = pytest.mark.django_db

URL = "/gedrag/incident/nieuw/"


def _post(client, student, **extra) -> int:
    data = {
        "leerling": str(student.pk),
        "categorie": SEED_CATEGORIES[0],
        "feiten": "Gooide een stoel om tijdens de les.",
        "actie": "Afkoelen op de gang, daarna gesproken.",
        "besproken": "on",
        "rol": Part.ACTOR,
        **extra,
    }
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    if os.environ.get("DUMP_QUERIES"):
        print(*(q["sql"][:300] for q in ctx.captured_queries), sep="\n  ")
    savepoints = len(ctx.captured_queries) - statements(ctx.captured_queries)
    # The registration's own transaction (a savepoint inside the test's): the file entries and the audit
    # rows join it without savepoints of their own (were 3 more pairs per student, issue #13).
    assert savepoints == 2, [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" in q["sql"]]
    return statements(ctx.captured_queries)


BEFORE = 30  # this test's count before issue #13's work on the registration


def test_incident_registration_queries_constant_in_students_and_history(world):
    client = world.client_for(world.teacher)
    client.get(URL)
    for student in (world.sanne, world.daan):  # each has an open case (opening one is an extra write)
        incident(world, student, minutes_ago=30)
    small = _post(client, world.sanne)
    for _ in range(40):
        f.place(f.StudentFactory(school=world.school), world.group_2b)
    for n in range(12):
        incident(world, world.daan, others=[(world.sanne, Part.VICTIM)], minutes_ago=n + 2)
    large = _post(client, world.daan)
    assert Involvement.objects.filter(student=world.daan, part=Part.ACTOR).count() == 14
    assert Involvement.objects.filter(student=world.daan, part=Part.ACTOR).order_by("-pk")[0].number == 14
    assert large == small, f"{small} queries with a short history, {large} with more students and incidents"
    assert small <= 20 < BEFORE, f"{small} queries, {BEFORE} before"

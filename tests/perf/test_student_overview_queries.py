"""Issue 10 §8, issue 12 §8, issue 13 §1: the student's page with the care overview stays within the page
budget (MAX_QUERIES) and makes the same number of queries for a short and a long history (5 against 50
incidents, deadlines, documents and agreements), for every role that sees panels. The panels' rows come
in one query (schools.student_panels); the mentors and teachers in one (schools.selectors.staff_around)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.schools.overview_history import full_history

from .test_query_counts import MAX_QUERIES, statements


def _count(client, student) -> tuple[int, bytes]:
    url = f"/leerlingen/{student.pk}/"
    client.get(url)  # warm the session and the per-process caches (content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return statements(ctx.captured_queries), response.content


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk", "carla", "bea", "dirk", "fiona"])
def test_student_overview_queries_bounded_and_constant_in_the_history(world, persona):
    full_history(world, world.sanne, n=5)
    full_history(world, world.daan, n=50)
    client = world.client_for(getattr(world, persona))
    short, short_html = _count(client, world.sanne)
    long, long_html = _count(client, world.daan)
    assert short <= MAX_QUERIES, f"{persona}: {short} queries"
    assert long == short, f"{persona}: {short} queries for 5, {long} for 50"
    if persona != "fiona":  # the functional admin sees the student, not their file (AVG-4)
        assert b"paneel-gedrag" in short_html and b"paneel-afspraken" in long_html

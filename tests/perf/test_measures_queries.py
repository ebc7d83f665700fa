"""Issue #11: the director's overview of open measures, the board's overview and the SV-4 file page make
a bounded number of queries, the same for few and for many cases (and documents)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.services.expulsions import open_expulsion
from measures.services.timeouts import impose_time_out
from messaging.services.messages import compose_letter
from tests import factories as f

from .test_query_counts import MAX_QUERIES, statements

# The overview reads the session, access, the open deadlines, the open expulsion cases, three yearly
# counts and the schools: a fixed set, whatever the number of cases.
MAX_MEASURES_QUERIES = MAX_QUERIES


def _count(client, url: str) -> int:
    client.get(url)  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statements(ctx.captured_queries)


def _cases(world, n: int):
    case = None
    for i in range(n):
        student = f.StudentFactory(school=world.school, last_name=f"Maatregel{i}")
        impose_time_out(actor=world.dirk, student=student, incident="Een ernstig incident.")
        case = open_expulsion(actor=world.dirk, student=student, ground="Herhaald geweld.")
    return case


@pytest.mark.parametrize("persona", ["dirk", "bert"])
def test_measures_overview_queries_bounded_and_constant_in_the_number_of_cases(world, persona):
    client = world.client_for(getattr(world, persona))
    _cases(world, 2)
    few = _count(client, "/maatregelen/")
    _cases(world, 12)
    many = _count(client, "/maatregelen/")
    assert few == many, (few, many)
    assert many <= MAX_MEASURES_QUERIES, many


def test_sv_4_file_page_queries_constant_in_the_number_of_documents(world):
    client = world.client_for(world.dirk)
    case = _cases(world, 1)
    url = f"/maatregelen/verwijdering/{case.pk}/"
    few = _count(client, url)
    for _ in range(10):
        compose_letter(
            actor=world.dirk, student=case.student, template_code="sv.expulsion.warning", source=case
        )
    assert _count(client, url) == few

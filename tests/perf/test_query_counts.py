"""Issue #13 §1: the schools pages make at most 12 queries each, and the same number at any data size.

Each page is opened once on the fixed world, then the school grows (more groups, students, staff,
memberships, teaching assignments) and the page is opened again: the count must not change.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

MAX_QUERIES = 12
# Home pages ask every registered "Mijn acties" provider; they share their reads (the viewer's open
# deadlines once per request, one EXISTS probe for the review providers, providers not for a role
# return without a query), so the home page keeps the same bound as every other page (issue 13).
MAX_HOME_QUERIES = MAX_QUERIES


def statements(captured: list[dict]) -> int:
    """Queries sent, without SAVEPOINT/RELEASE: the test's own transaction turns each atomic() into a
    savepoint pair; in production (autocommit) it is a BEGIN sent with the first query and a COMMIT."""
    return sum(1 for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def _count(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return statements(ctx.captured_queries)


def _grow(world, groups: int = 12, students_per_group: int = 4) -> None:
    """More of everything the pages list: groups (in both departments), students, teachers, mentors."""
    for n in range(groups):
        # A third without a department: the group list then shows the phase, read from the school.
        department = (world.onderbouw, world.bovenbouw, None)[n % 3]
        group = f.GroupFactory(school=world.school, name=f"X{n}", year_level=1 + n % 6, department=department)
        for _ in range(students_per_group):
            f.place(f.StudentFactory(school=world.school, last_name="Vries"), group)
        for persona in (world.teacher, world.olga):
            f.teach(persona, group, f"Vak {n}")
        group.mentors.add(world.mentor)
        f.place(f.StudentFactory(school=world.school, last_name="Vries"), world.group_2b)
        f.teach(f.StaffFactory(school=world.school), world.group_2b, f"Extra {n}")


PAGES = [
    # (persona, url, params)
    ("teacher", "/", None),
    ("mentor", "/", None),
    ("carla", "/", None),
    ("dirk", "/", None),
    ("anouk", "/", None),
    ("fiona", "/", None),
    ("bert", "/", None),
    ("teacher", "/groepen/", None),
    ("carla", "/groepen/", None),
    ("anouk", "/groepen/", None),
    ("teacher", "/leerlingen/", {"q": "vries"}),
    ("carla", "/leerlingen/", {"q": "vries"}),
    ("carla", "/leerlingen/", {"q": "2b"}),
    ("teacher", "/groepen/{group_2b}/", None),
    ("carla", "/groepen/{group_2b}/", None),
    ("mentor", "/groepen/{group_2b}/", None),
    ("teacher", "/leerlingen/{sanne}/", None),
    ("carla", "/leerlingen/{sanne}/", None),
]


def _url(world, url: str) -> str:
    return url.format(group_2b=world.group_2b.pk, sanne=world.sanne.pk)


@pytest.mark.parametrize(("persona", "url", "params"), PAGES, ids=[f"{p}:{u}:{q}" for p, u, q in PAGES])
def test_schools_page_queries_bounded_and_constant_in_data_size(world, persona, url, params):
    client = world.client_for(getattr(world, persona))
    url = _url(world, url)
    before = _count(client, url, params)
    _grow(world)
    after = _count(client, url, params)
    bound = MAX_HOME_QUERIES if url == "/" else MAX_QUERIES
    assert before <= bound, f"{url} as {persona}: {before} queries"
    assert after == before, f"{url} as {persona}: {before} queries, {after} after the school grew"

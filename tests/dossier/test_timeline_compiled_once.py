"""Issue #13: the file page's SQL compiled once per shape (schools.sql_shapes) gives the same rows,
the same page and the same audit row as compiling it per request, for every viewer (AVG-4)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from audit.models import AuditEvent
from deadlines.services.deadlines import create_deadline
from dossier.models import EntryKind, Visibility
from dossier.selectors import TimelineFilters
from dossier.selectors_timeline import _access_key, _access_values, _entries, _shape_access
from dossier.services.record import record
from schools import sql_shapes
from schools.access import get_access
from signatures.services.signatures import create_signable_document
from tests import factories as f

pytestmark = pytest.mark.django_db

VIEWERS = ["teacher", "mentor", "anouk", "carla", "bea", "dirk"]


@pytest.fixture
def file_of_sanne(world, django_capture_on_commit_callbacks):
    """Entries at every level, with other children involved (some a viewer may not see), deadlines
    of two owners, documents waiting for a signature, a second mentor."""
    for owner, title in ((world.carla, "Evaluatie plan"), (world.teacher, "Gesprek ouders")):
        create_deadline(
            school=world.school, owner=owner, student=world.sanne, title=title, rule="GP-10",
            due_on=timezone.localdate(),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        for title in ("Afspraken gedrag", "Toestemming"):
            create_signable_document(actor=world.carla, student=world.sanne, title=title, content="x")
    world.group_2b.mentors.add(world.bea)
    when = timezone.now() - datetime.timedelta(days=40)
    for n in range(30):
        record(
            student=world.sanne,
            kind=[EntryKind.LOG_ENTRY, EntryKind.TALK][n % 2],
            title=f"Regel {n} over Sanne, Daan Jansen en Mila Bakker",
            body=f"Daan Jansen en Mila Bakker waren er bij ({n}).",
            actor=[world.carla, world.teacher, world.mentor][n % 3].user,
            visibility=[Visibility.TEAM, Visibility.CARE_TEAM, Visibility.DIRECTOR][n % 3],
            is_health=n % 7 == 0,
            involved=[world.daan, world.mila] if n % 4 == 0 else [world.mila] if n % 5 == 0 else [],
            occurred_at=when + datetime.timedelta(days=n),
        )


def _page_html(world, persona, query=""):
    client = world.client_for(getattr(world, persona))
    response = client.get(f"/dossier/leerling/{world.sanne.pk}/{query}")
    assert response.status_code == 200
    return _stable(response.content.decode())


def _stable(html: str) -> str:
    """The page without what differs per response (the CSP nonce, the CSRF token)."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


QUERIES = ["", "?page=2", "?page=99", "?soort=talk", "?van=2000-01-01&tot=2100-01-01", "?page=abc"]


@pytest.mark.parametrize("persona", VIEWERS)
def test_avg_4_compiled_once_page_is_the_plain_page(world, file_of_sanne, persona, monkeypatch):
    """The HTML of the file page (every level, redaction, pages, filters) with the SQL compiled once
    per shape is the HTML of the plain path, for every viewer; the cache is really used."""
    sql_shapes.clear()
    before = dict(sql_shapes.stats)
    author = f"?auteur={world.carla.pk}"
    cached = [_page_html(world, persona, q) for q in [*QUERIES, author]]
    cached_again = [_page_html(world, persona, q) for q in [*QUERIES, author]]
    assert sql_shapes.stats["hits"] > before["hits"]
    assert sql_shapes.stats["refused"] == before["refused"]
    monkeypatch.setattr(sql_shapes, "ENABLED", False)
    plain = [_page_html(world, persona, q) for q in [*QUERIES, author]]
    assert cached == plain
    assert cached_again == plain
    assert (
        "Mirjam Mentor" in plain[0]
        and "Bea Gedrag" in plain[0]
        and "Evaluatie plan" in plain[0]
        or (persona not in ("carla", "bea", "dirk"))
    )


def test_avg_4_compiled_once_is_not_shared_between_viewers_or_students(world, file_of_sanne):
    """The same shape for another teacher, another student, another school: their own rows."""
    record(student=world.daan, kind=EntryKind.LOG_ENTRY, title="Alleen Daan", actor=world.carla.user)
    sql_shapes.clear()
    sanne = _page_html(world, "carla")
    daan = world.client_for(world.carla).get(f"/dossier/leerling/{world.daan.pk}/").content.decode()
    assert "Alleen Daan" in daan and "Alleen Daan" not in sanne
    # Olga teaches another group: the same shape as Tom's, and still a 404 for Sanne's file.
    assert world.client_for(world.olga).get(f"/dossier/leerling/{world.sanne.pk}/").status_code == 404
    other = f.StudentFactory(school=world.other_school)
    assert world.client_for(world.carla).get(f"/dossier/leerling/{other.pk}/").status_code == 404
    # Dirk and Zeno are both directors (one shape): Zeno, at the other school, reads only Otto's file.
    record(student=world.otto, kind=EntryKind.LOG_ENTRY, title="Alleen Otto", actor=world.zeno.user)
    dirk = _page_html(world, "dirk")
    zeno = world.client_for(world.zeno)
    otto = zeno.get(f"/dossier/leerling/{world.otto.pk}/").content.decode()
    assert "Alleen Otto" in otto and "Alleen Otto" not in dirk and "Regel 0 over" not in otto
    assert zeno.get(f"/dossier/leerling/{world.sanne.pk}/").status_code == 404
    assert sql_shapes.stats["hits"] > 0


@pytest.mark.parametrize("persona", VIEWERS)
def test_compiled_once_binds_the_sql_django_would_compile(world, file_of_sanne, persona):
    """The bound SQL is the SQL Django compiles for the real ids (the IN lists in any order)."""
    access = get_access(getattr(world, persona).user, world.school)
    filters = TimelineFilters(kinds=(EntryKind.TALK,), author_id=world.carla.pk)
    values = {**_access_values(access), "student": world.sanne.pk, "author": filters.author_id}
    with scope(school=[world.school.pk]):

        def build(p):
            return _entries(
                _shape_access(access, p),
                p.student,
                TimelineFilters(kinds=filters.kinds, author_id=p.author),
            )[:25]

        sql_shapes.clear()
        bound_sql, bound_params = sql_shapes.bound_sql(("test", _access_key(access)), values, build)
        plain_sql, plain_params = _entries(access, world.sanne.pk, filters)[:25].query.sql_with_params()
    assert bound_sql == plain_sql
    assert sorted(map(repr, bound_params)) == sorted(map(repr, plain_params))


def test_compiled_once_keeps_the_query_count_and_the_audit_row(world, file_of_sanne, monkeypatch):
    sql_shapes.clear()
    _page_html(world, "teacher")
    with CaptureQueriesContext(connection) as cached:
        _page_html(world, "teacher", "?page=2")
    cached_row = AuditEvent.objects.filter(action="dossier.viewed").latest("pk")
    monkeypatch.setattr(sql_shapes, "ENABLED", False)
    with CaptureQueriesContext(connection) as plain:
        _page_html(world, "teacher", "?page=2")
    plain_row = AuditEvent.objects.filter(action="dossier.viewed").latest("pk")
    assert len(cached) == len(plain)
    assert cached_row.data == plain_row.data and cached_row.data["entries"]
    assert (cached_row.student_id, cached_row.success) == (plain_row.student_id, plain_row.success)


def test_compiled_once_htmx_results_are_the_plain_results(world, file_of_sanne, monkeypatch):
    """The filter's HTMX answer (the results partial) is the same on both paths."""
    sql_shapes.clear()
    client = world.client_for(world.teacher)
    url = f"/dossier/leerling/{world.sanne.pk}/?soort=talk&page=1"
    cached = client.get(url, headers={"HX-Request": "true"}).content.decode()
    monkeypatch.setattr(sql_shapes, "ENABLED", False)
    plain = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert cached == plain and 'class="timeline"' in plain and "<html" not in plain

